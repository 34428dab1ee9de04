package sqlitedialect

import (
	"database/sql"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/callbacks"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"
	"gorm.io/gorm/migrator"
	"gorm.io/gorm/schema"
	"modernc.org/sqlite"
)

// Name is what Dialector.Name reports, and so db.Dialector.Name() for a
// database opened with this package.
const Name = "sqlite"

// Dialector opens DSN with modernc.org/sqlite. The DSN is the driver's: a
// file name or file: URI, with its _pragma, _txlock and _time_format
// parameters.
type Dialector struct {
	DSN  string
	Conn *sql.DB
}

// Open returns a Dialector for dsn, to pass to gorm.Open. A DSN the driver
// cannot parse is reported by gorm.Open; an unknown parameter or a file
// that cannot be opened, by the first use of the pool.
func Open(dsn string) gorm.Dialector { return Dialector{DSN: dsn} }

// Name implements gorm.Dialector.
func (Dialector) Name() string { return Name }

// Initialize implements gorm.Dialector: it makes the pool, without
// connecting, and registers GORM's callbacks with the clauses SQLite 3.35+
// supports (RETURNING included).
func (d Dialector) Initialize(db *gorm.DB) error {
	if d.Conn != nil {
		db.ConnPool = d.Conn
	} else {
		connector, err := sqlite.NewConnector(d.DSN)
		if err != nil {
			return fmt.Errorf("sqlitedialect: dsn: %w", err)
		}
		db.ConnPool = sql.OpenDB(connector)
	}
	callbacks.RegisterDefaultCallbacks(db, &callbacks.Config{
		CreateClauses:        []string{"INSERT", "VALUES", "ON CONFLICT", "RETURNING"},
		UpdateClauses:        []string{"UPDATE", "SET", "FROM", "WHERE", "RETURNING"},
		DeleteClauses:        []string{"DELETE", "FROM", "WHERE", "RETURNING"},
		LastInsertIDReversed: true,
	})
	db.ClauseBuilders["FOR"] = buildLocking
	db.ClauseBuilders["LIMIT"] = buildLimit
	return nil
}

// Migrator implements gorm.Dialector with GORM's generic migrator. Its DDL
// (CreateTable, AddColumn, CreateIndex, …) works on SQLite; its lookups
// (HasTable, HasColumn, ColumnTypes) query information_schema, which
// SQLite does not have, and fail. authd migrates with SQL of its own.
func (d Dialector) Migrator(db *gorm.DB) gorm.Migrator {
	return migrator.Migrator{Config: migrator.Config{DB: db, Dialector: d, CreateIndexAfterCreateTable: true}}
}

// DataTypeOf implements gorm.Dialector with SQLite's type affinities.
func (Dialector) DataTypeOf(field *schema.Field) string {
	switch field.DataType {
	case schema.Bool:
		return "numeric"
	case schema.Int, schema.Uint:
		if field.AutoIncrement {
			return "integer PRIMARY KEY AUTOINCREMENT"
		}
		return "integer"
	case schema.Float:
		return "real"
	case schema.String:
		return "text"
	case schema.Time:
		if t, ok := field.TagSettings["TYPE"]; ok {
			return t
		}
		return "datetime"
	case schema.Bytes:
		return "blob"
	}
	return string(field.DataType)
}

// DefaultValueOf implements gorm.Dialector: NULL lets SQLite pick the next
// rowid of an auto-increment key; DEFAULT for other fields.
func (Dialector) DefaultValueOf(field *schema.Field) clause.Expression {
	if field.AutoIncrement {
		return clause.Expr{SQL: "NULL"}
	}
	return clause.Expr{SQL: "DEFAULT"}
}

// BindVarTo implements gorm.Dialector: SQLite takes ? placeholders.
func (Dialector) BindVarTo(writer clause.Writer, _ *gorm.Statement, _ any) {
	writer.WriteByte('?')
}

// Explain implements gorm.Dialector, for GORM's SQL logging only.
func (Dialector) Explain(sql string, vars ...any) string {
	return logger.ExplainSQL(sql, nil, `"`, vars...)
}

// SavePoint implements GORM's nested transactions.
func (Dialector) SavePoint(tx *gorm.DB, name string) error {
	return tx.Exec("SAVEPOINT " + name).Error
}

// RollbackTo implements GORM's nested transactions.
func (Dialector) RollbackTo(tx *gorm.DB, name string) error {
	return tx.Exec("ROLLBACK TO SAVEPOINT " + name).Error
}
