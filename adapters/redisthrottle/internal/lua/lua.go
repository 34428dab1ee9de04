// Package lua holds the Redis scripts of the throttle store: each
// check-and-count is one script, run atomically by the server.
package lua

import (
	_ "embed"

	"github.com/redis/go-redis/v9"
)

var (
	//go:embed check.lua
	checkSrc string
	//go:embed fail.lua
	failSrc string
	//go:embed release.lua
	releaseSrc string
	//go:embed allow.lua
	allowSrc string
)

// The scripts; Run sends EVALSHA and falls back to EVAL when the server
// has not cached the script yet (or lost it in a restart).
var (
	Check   = redis.NewScript(checkSrc)
	Fail    = redis.NewScript(failSrc)
	Release = redis.NewScript(releaseSrc)
	Allow   = redis.NewScript(allowSrc)
)
