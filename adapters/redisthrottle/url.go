package redisthrottle

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Client timeouts unless the URL's query sets them (dial_timeout,
// read_timeout, write_timeout, pool_timeout): a throttle that waits long
// for Redis slows every login, so it gives up early and counts in process.
const (
	dialTimeout = time.Second
	ioTimeout   = 500 * time.Millisecond
	poolTimeout = time.Second
)

// ParseURL checks a redis://[user:pass@]host:port/db or rediss://… URL and
// returns the client options authd uses: short timeouts, one dial attempt
// per call, and no retries (a script re-sent after a lost reply would count
// twice). Errors never repeat the URL, which may hold a password.
func ParseURL(raw string) (*redis.Options, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("not a URL like redis://[:password@]host:port/db")
	}
	if u.Scheme != "redis" && u.Scheme != "rediss" {
		return nil, errors.New("the scheme must be redis:// or rediss://")
	}
	if u.Host == "" || u.Opaque != "" {
		return nil, errors.New("a host is required, as in redis://host:6379/0")
	}
	opt, err := redis.ParseURL(raw)
	if err != nil {
		return nil, fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "redis: "))
	}
	if opt.DialTimeout == 0 {
		opt.DialTimeout = dialTimeout
	}
	if opt.ReadTimeout == 0 {
		opt.ReadTimeout = ioTimeout
	}
	if opt.WriteTimeout == 0 {
		opt.WriteTimeout = ioTimeout
	}
	if opt.PoolTimeout == 0 {
		opt.PoolTimeout = poolTimeout
	}
	opt.MaxRetries = -1
	opt.DialerRetries = 1
	return opt, nil
}

// Describe is raw without its password, for logs: scheme://host:port/db.
// A URL that does not parse is described as "(invalid URL)".
func Describe(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(invalid URL)"
	}
	opt, err := redis.ParseURL(raw)
	if err != nil {
		return "(invalid URL)"
	}
	return fmt.Sprintf("%s://%s/%d", u.Scheme, opt.Addr, opt.DB)
}
