package sqlitedialect

import (
	"errors"
	"strconv"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// buildLocking drops FOR UPDATE and its kin: SQLite has no row locks, and a
// transaction opened with _txlock=immediate already holds the write lock.
func buildLocking(c clause.Clause, builder clause.Builder) {
	if _, ok := c.Expression.(clause.Locking); ok {
		return
	}
	c.Build(builder)
}

// buildLimit writes LIMIT and OFFSET as literals; SQLite wants a LIMIT
// before any OFFSET, and -1 means no limit.
func buildLimit(c clause.Clause, builder clause.Builder) {
	limit, ok := c.Expression.(clause.Limit)
	if !ok {
		c.Build(builder)
		return
	}
	n := -1
	if limit.Limit != nil && *limit.Limit >= 0 {
		n = *limit.Limit
	}
	if n < 0 && limit.Offset <= 0 {
		return
	}
	builder.WriteString("LIMIT " + strconv.Itoa(n))
	if limit.Offset > 0 {
		builder.WriteString(" OFFSET " + strconv.Itoa(limit.Offset))
	}
}

// QuoteTo implements gorm.Dialector: each dot-separated part of a name in
// backticks, a backtick inside doubled.
func (Dialector) QuoteTo(writer clause.Writer, name string) {
	for i, part := range strings.Split(name, ".") {
		if i > 0 {
			writer.WriteByte('.')
		}
		writer.WriteByte('`')
		writer.WriteString(strings.ReplaceAll(part, "`", "``"))
		writer.WriteByte('`')
	}
}

// Translate implements gorm.ErrorTranslator (gorm.Config.TranslateError):
// unique and primary-key violations become gorm.ErrDuplicatedKey, foreign
// key violations gorm.ErrForeignKeyViolated; anything else is returned as
// it is.
func (Dialector) Translate(err error) error {
	var liteErr *sqlite.Error
	if !errors.As(err, &liteErr) {
		return err
	}
	switch liteErr.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return gorm.ErrDuplicatedKey
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return gorm.ErrForeignKeyViolated
	}
	return err
}
