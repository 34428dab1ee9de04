package sqlstore

import (
	"context"
	"fmt"
	"time"
)

// purgeBatch deletes at most limit rows of table whose time column is
// before cutoff, trying columns in order until limit rows are gone. Each
// DELETE is its own statement (its own short transaction) and walks the
// column's index in order, so it reads and locks about limit rows however
// large the table or the backlog is; the janitor loops over batches.
func purgeBatch(ctx context.Context, db *DB, table, key string, columns []string, cutoff time.Time, limit int) (int, error) {
	op := "purge " + table
	total := 0
	for _, col := range columns {
		if total >= limit {
			break
		}
		query, err := purgeSQL(db.Dialect(), table, key, col)
		if err != nil {
			return total, fmt.Errorf("sqlstore: %s: %w", op, err)
		}
		n, err := db.exec(ctx, op, query, cutoff, limit-total)
		if err != nil {
			return total, err
		}
		total += int(n)
	}
	return total, nil
}

// purgeSQL is one bounded DELETE in dialect's syntax. MySQL refuses LIMIT
// in an IN subquery and a subquery on the table being deleted from, but
// has DELETE … ORDER BY … LIMIT; Postgres has no DELETE … LIMIT; SQLite is
// built without it, and both take the keyed subquery.
func purgeSQL(dialect, table, key, col string) (string, error) {
	switch dialect {
	case DriverMySQL:
		return fmt.Sprintf("DELETE FROM %s WHERE %s < ? ORDER BY %s LIMIT ?", table, col, col), nil
	case DriverPostgres, DriverSQLite:
		return fmt.Sprintf("DELETE FROM %s WHERE %s IN (SELECT %s FROM %s WHERE %s < ? ORDER BY %s LIMIT ?)",
			table, key, key, table, col, col), nil
	}
	return "", fmt.Errorf("unknown dialect %q", dialect)
}
