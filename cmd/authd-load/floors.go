package main

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/authd-dev/authd/adapters/sqlstore"
)

// bcryptHash is the hash the bcrypt floor compares against.
func bcryptHash(cost int) ([]byte, error) { return bcrypt.GenerateFromPassword([]byte(password), cost) }

// bcryptBound is raw bcrypt.CompareHashAndPassword throughput at cost with
// one goroutine per core: what login can at best reach on this machine.
func bcryptBound(ctx context.Context, hash []byte, cost int, d time.Duration) Result {
	n := runtime.NumCPU()
	r := drive(ctx, "floor-bcrypt", n, d, func(context.Context, int) int {
		if bcrypt.CompareHashAndPassword(hash, []byte(password)) != nil {
			return 500
		}
		return 200
	})
	r.Note = fmt.Sprintf("CompareHashAndPassword, cost %d, %d goroutines (one per core)", cost, n)
	return r
}

// storageFloor issues the repository's rotation UPDATE (sqlstore.RotateSQL)
// through database/sql on the pool of the server's opener, as the repository
// does, each worker rotating its own session row, each call bounded by the
// repository's timeout. No HTTP, no reads.
type storageFloor struct {
	db      *sql.DB
	rotate  string
	ids     []string
	gens    []int64
	timeout time.Duration
}

func newStorageFloor(ctx context.Context, db *sqlstore.DB, ids []string, c int, timeout time.Duration) (*storageFloor, error) {
	f := &storageFloor{db: db.SQL(), rotate: sqlstore.RotateSQL(db.Dialect()), ids: ids[:c],
		gens: make([]int64, c), timeout: timeout}
	for w := range c {
		if err := db.SQL().QueryRowContext(ctx, db.Rebind("SELECT generation FROM sessions WHERE id = ?"), ids[w]).
			Scan(&f.gens[w]); err != nil {
			return nil, fmt.Errorf("read session %s: %w", ids[w], err)
		}
	}
	return f, nil
}

// run measures for d with one worker per row.
func (f *storageFloor) run(d time.Duration) Result {
	var mu sync.Mutex
	var firstErr error
	r := drive(context.Background(), "floor-storage", len(f.ids), d, func(ctx context.Context, w int) int {
		qctx, cancel := context.WithTimeout(ctx, f.timeout)
		defer cancel()
		now := time.Now().UTC()
		g := f.gens[w]
		n, err := f.exec(qctx, g, now, w)
		switch {
		case err != nil:
			mu.Lock()
			if firstErr == nil {
				firstErr = err
			}
			mu.Unlock()
			return 0
		case n != 1:
			return 409
		}
		f.gens[w] = g + 1
		return 200
	})
	r.Note = "the repository's rotation UPDATE through database/sql, same driver and pool size as the server"
	if firstErr != nil {
		r.Note += "; first error: " + firstErr.Error()
	}
	return r
}

// exec rotates worker w's row from generation g, as sqlstore's Rotate does.
func (f *storageFloor) exec(ctx context.Context, g int64, now time.Time, w int) (int64, error) {
	res, err := f.db.ExecContext(ctx, f.rotate, g+1, now, now, now.Add(720*time.Hour), "authd-load", "127.0.0.1",
		f.ids[w], g, now, now)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
