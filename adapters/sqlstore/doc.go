// Package sqlstore implements authd's storage ports on SQLite (cgo-free,
// modernc.org/sqlite), Postgres (pgx) and MySQL/MariaDB through
// database/sql. Every statement is SQL text with ? placeholders run by
// DB's helpers; each table's columns are listed once, beside its row type;
// the schema is the store's own versioned migrations (Migrate). SQL and
// driver errors live only here: callers see domain values and domain
// errors. Internal to authd; no compatibility promise: teams choose a
// backend through the root's Config.
package sqlstore
