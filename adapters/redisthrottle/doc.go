// Package redisthrottle keeps authd's throttles in Redis, so every replica
// counts against the same budgets: Failures is a ports.LoginThrottle and
// Buckets a ports.RateLimiter, with the semantics of the in-process
// throttles (the contract suites in test/contract hold both to them).
// Internal to authd; no compatibility promise.
//
// Each check-and-count is one Lua script, atomic on the server, so two
// replicas never both read a count and then both write it. Times are the
// caller's (microsecond resolution), so the replicas' clocks must agree as
// they already must for token expiry. Key names are an HMAC of the
// counter's key (which holds emails and client addresses), under a prefix
// ("authd:" by default); every key expires with its window.
//
// When Redis does not answer, each call falls back to the in-process
// throttle it was given (counting per process), reports the error (a
// counter, and a log line at most every LogInterval), and tries Redis again
// on the next call. Calls are never retried by the client: a script whose
// reply was lost may have counted already.
//
// A single Redis server (or a primary behind Sentinel-managed failover) is
// supported; Redis Cluster is not, as one Check touches several keys.
package redisthrottle
