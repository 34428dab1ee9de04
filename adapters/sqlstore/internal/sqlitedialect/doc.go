// Package sqlitedialect is GORM's dialect for SQLite on modernc.org/sqlite,
// a cgo-free build of current SQLite. GORM's own SQLite dialect links the
// cgo driver mattn/go-sqlite3, and the pure-Go ones for modernc are
// unmaintained (docs/performance.md). This one holds only what authd's
// storage needs: statements, transactions with savepoints, and GORM's
// error translation. Internal to authd (sqlstore's SQLite opener).
package sqlitedialect
