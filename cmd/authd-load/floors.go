package main

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
)

// bcryptBound is raw bcrypt.CompareHashAndPassword throughput at cost with
// one goroutine per core: what login can at best reach on this machine.
func bcryptBound(ctx context.Context, cost int, d time.Duration) (Result, error) {
	hash, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		return Result{}, err
	}
	n := runtime.NumCPU()
	r := drive(ctx, "floor-bcrypt", n, d, func(context.Context, int) int {
		if bcrypt.CompareHashAndPassword(hash, []byte(password)) != nil {
			return 500
		}
		return 200
	})
	r.Note = fmt.Sprintf("CompareHashAndPassword, cost %d, %d goroutines (one per core)", cost, n)
	return r, nil
}

// rotateSQL is the repository's conditional rotation (gormstore Rotate),
// statement for statement.
const rotateSQL = "UPDATE sessions SET generation = ?, rotated_at = ?, last_used_at = ?, expires_at = ?, " +
	"user_agent = ?, ip = ? WHERE id = ? AND generation = ? AND " +
	"revoked_at IS NULL AND expires_at > ? AND (max_expires_at IS NULL OR max_expires_at > ?)"

// storageFloor issues rotateSQL directly through gorm on the server's
// driver and pool size, c workers each rotating its own session row (ids),
// each call bounded by timeout as the repository does. No HTTP, no reads.
func storageFloor(ctx context.Context, db *gorm.DB, ids []string, c int, d, timeout time.Duration) (Result, error) {
	gens := make([]int64, c)
	for w := range c {
		if err := db.WithContext(ctx).Raw("SELECT generation FROM sessions WHERE id = ?", ids[w]).
			Scan(&gens[w]).Error; err != nil {
			return Result{}, fmt.Errorf("read session %s: %w", ids[w], err)
		}
	}
	var lost atomic.Int64
	var mu sync.Mutex
	var firstErr error
	r := drive(ctx, "floor-storage", c, d, func(ctx context.Context, w int) int {
		qctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		now := time.Now().UTC()
		g := gens[w]
		res := db.WithContext(qctx).Exec(rotateSQL, g+1, now, now, now.Add(720*time.Hour), "authd-load", "127.0.0.1",
			ids[w], g, now, now)
		switch {
		case res.Error != nil:
			mu.Lock()
			if firstErr == nil && ctx.Err() == nil {
				firstErr = res.Error
			}
			mu.Unlock()
			return 0
		case res.RowsAffected != 1:
			lost.Add(1)
			return 409
		}
		gens[w] = g + 1
		return 200
	})
	r.Note = "the rotation UPDATE through gorm, same driver and pool size as the server"
	if firstErr != nil {
		r.Note += "; first error: " + firstErr.Error()
	}
	return r, nil
}
