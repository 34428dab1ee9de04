package sqlstore

import "testing"

func TestRebind(t *testing.T) {
	q := "SELECT x FROM t WHERE a = ? AND b = ?"
	if got, want := (&DB{dialect: DriverPostgres}).Rebind(q), "SELECT x FROM t WHERE a = $1 AND b = $2"; got != want {
		t.Errorf("postgres: %q, want %q", got, want)
	}
	for _, d := range []string{DriverSQLite, DriverMySQL} {
		if got := (&DB{dialect: d}).Rebind(q); got != q {
			t.Errorf("%s: %q, want it untouched", d, got)
		}
	}
}

func TestInsertSQL(t *testing.T) {
	if got, want := insertSQL("t", "a, b, c"), "INSERT INTO t (a, b, c) VALUES (?, ?, ?)"; got != want {
		t.Errorf("insertSQL = %q, want %q", got, want)
	}
}
