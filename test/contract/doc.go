// Package contract holds the port contract suites: the storage suite
// (Run), one set of tests that every implementation of
// ports.UserRepository, ports.SessionRepository, ports.MFARepository and
// ports.MFAChallengeRepository (memstore, and sqlstore on SQLite, Postgres
// and MySQL) must pass, and the throttle suites (RunLoginThrottle,
// RunRateLimiter) that the in-process and the Redis stores must pass.
// Supported API for embedding teams: a team's own
// implementation of a port runs the port's suite from its tests.
package contract
