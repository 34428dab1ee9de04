// Package sqlstore implements authd's storage ports with GORM on SQLite
// (cgo-free), Postgres and MySQL/MariaDB. GORM tags, SQL and driver errors
// live only here; callers see domain values and domain errors. Internal to
// authd; no compatibility promise: teams choose a backend through the
// root's Config.
package sqlstore
