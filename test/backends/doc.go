// Package backends is authd's storage test kit: it yields the backends
// tests run against, SQLite always, Postgres and MySQL when their DSNs are
// set in the environment, each target a fresh, uniquely named database
// dropped when the test ends. Internal to authd; no compatibility promise.
package backends
