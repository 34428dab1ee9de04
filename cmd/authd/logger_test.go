package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/authd-dev/authd"
)

// TestNewLoggerFormats: AUTHD_LOG_FORMAT=text gives key=value lines, any
// other (json, the default) one JSON object per line; debug is dropped.
func TestNewLoggerFormats(t *testing.T) {
	var text, js bytes.Buffer
	newLogger(authd.Config{Log: authd.LogConfig{Format: "text"}}, &text).Info("hello", "k", "v")
	newLogger(authd.Config{Log: authd.LogConfig{Format: "json"}}, &js).Info("hello", "k", "v")
	newLogger(authd.Config{Log: authd.LogConfig{Format: "json"}}, &js).Debug("hidden")
	if !strings.Contains(text.String(), "msg=hello k=v") {
		t.Errorf("text log %q", text.String())
	}
	var rec map[string]any
	if err := json.Unmarshal(js.Bytes(), &rec); err != nil || rec["msg"] != "hello" || rec["k"] != "v" {
		t.Errorf("json log %q: %v", js.String(), err)
	}
}

// TestWarnAtStart: a cheap bcrypt cost and a leftover AUTHD_MEMORY_LIMIT
// are each named in a warning; a sound configuration logs nothing.
func TestWarnAtStart(t *testing.T) {
	cases := []struct {
		cost  int
		env   map[string]string
		wants []string
	}{
		{12, nil, nil},
		{9, nil, []string{"AUTHD_BCRYPT_COST"}},
		{12, map[string]string{"AUTHD_MEMORY_LIMIT": "24MiB"}, []string{"AUTHD_MEMORY_LIMIT: no longer read", "GOMEMLIMIT"}},
	}
	for _, c := range cases {
		var out bytes.Buffer
		cfg := authd.Config{Hashing: authd.HashingConfig{BcryptCost: c.cost}, Log: authd.LogConfig{Format: "text"}}
		warnAtStart(cfg, startLog(cfg, envOf(c.env), &out))
		if len(c.wants) == 0 && out.Len() != 0 {
			t.Errorf("cost %d, env %v: unexpected warning %q", c.cost, c.env, out.String())
		}
		for _, w := range c.wants {
			if !strings.Contains(out.String(), "level=WARN") || !strings.Contains(out.String(), w) {
				t.Errorf("cost %d, env %v: warning %q does not name %s", c.cost, c.env, out.String(), w)
			}
		}
	}
}
