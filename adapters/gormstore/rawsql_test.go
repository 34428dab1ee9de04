package gormstore

import "testing"

func TestRebind(t *testing.T) {
	q := "SELECT x FROM t WHERE a = ? AND b = ?"
	if got, want := rebind("postgres", q), "SELECT x FROM t WHERE a = $1 AND b = $2"; got != want {
		t.Errorf("postgres: %q, want %q", got, want)
	}
	for _, d := range []string{"sqlite", "mysql"} {
		if got := rebind(d, q); got != q {
			t.Errorf("%s: %q, want it untouched", d, got)
		}
	}
}
