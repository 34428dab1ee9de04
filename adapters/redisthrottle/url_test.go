package redisthrottle

import (
	"strings"
	"testing"
	"time"
)

func TestParseURLAcceptsRedisURLsWithSafeDefaults(t *testing.T) {
	for _, raw := range []string{"redis://127.0.0.1:6379/0", "redis://:s3cret@cache:6380/2", "rediss://user:pw@cache.example.com/1", "redis://[::1]:6379"} {
		opt, err := ParseURL(raw)
		if err != nil {
			t.Fatalf("ParseURL(%s): %v", Describe(raw), err)
		}
		if opt.MaxRetries != -1 || opt.DialerRetries != 1 {
			t.Errorf("%s: retries %d, dial attempts %d; want none and one", Describe(raw), opt.MaxRetries, opt.DialerRetries)
		}
		if opt.DialTimeout != dialTimeout || opt.ReadTimeout != ioTimeout || opt.WriteTimeout != ioTimeout {
			t.Errorf("%s: timeouts %v/%v/%v", Describe(raw), opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout)
		}
	}
	opt, err := ParseURL("redis://h:1/0?read_timeout=2s&max_retries=5")
	if err != nil || opt.ReadTimeout != 2*time.Second || opt.MaxRetries != -1 {
		t.Fatalf("query settings: %v, read timeout %v, retries %d; want 2s and never a retry", err, opt.ReadTimeout, opt.MaxRetries)
	}
}

func TestParseURLRefusesOthersWithoutRepeatingThePassword(t *testing.T) {
	for _, raw := range []string{
		"http://:hunter2pass@cache:6379/0", "unix://:hunter2pass@/tmp/redis.sock", "redis://:hunter2pass@cache:6379/x",
		"redis://:hunter2pass@cache:6379/0?nope=1", "redis://:hunter2pass@cache:port/0", "redis:hunter2pass", "",
		"cache:6379",
	} {
		_, err := ParseURL(raw)
		if err == nil {
			t.Errorf("ParseURL accepted %q", raw)
			continue
		}
		if strings.Contains(err.Error(), "hunter2pass") {
			t.Errorf("error repeats the password: %v", err)
		}
	}
}

func TestDescribeLeavesOutThePassword(t *testing.T) {
	for raw, want := range map[string]string{
		"redis://:hunter2pass@cache:6380/2":    "redis://cache:6380/2",
		"rediss://u:hunter2pass@cache.example": "rediss://cache.example:6379/0",
		"redis://:hunter2pass@cache:port/0":    "(invalid URL)",
	} {
		if got := Describe(raw); got != want {
			t.Errorf("Describe = %q, want %q", got, want)
		}
	}
}
