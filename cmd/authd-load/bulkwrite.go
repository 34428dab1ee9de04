package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// bulkChunk is how many rows one COPY or multi-row INSERT carries.
const bulkChunk = 1000

// bulkWorkers write chunks in parallel, each on its own connection.
const bulkWorkers = 3

// bulkTable writes rows 0..n-1 of table (row(i) in columns' order), COPY on
// Postgres, multi-row INSERTs elsewhere, counting written rows in done.
func bulkTable(ctx context.Context, db *sql.DB, dialect, table string, columns []string, n int,
	row func(int) []any, done *atomic.Int64) error {
	var next atomic.Int64
	workers := bulkWorkers
	if dialect == "sqlite" {
		workers = 1
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = bulkWorker(ctx, db, dialect, table, columns, n, row, &next, done)
			if errs[w] != nil {
				cancel()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// bulkWorker writes the chunks it claims from next until none are left.
func bulkWorker(ctx context.Context, db *sql.DB, dialect, table string, columns []string, n int,
	row func(int) []any, next, done *atomic.Int64) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if dialect == "mysql" {
		// Every seeded row is consistent by construction; checking
		// each foreign and unique key again only slows the load.
		if _, err := conn.ExecContext(ctx, "SET foreign_key_checks = 0, unique_checks = 0"); err != nil {
			return err
		}
	}
	for {
		lo := int(next.Add(bulkChunk)) - bulkChunk
		if lo >= n {
			return nil
		}
		hi := min(lo+bulkChunk, n)
		if err := writeChunk(ctx, conn, dialect, table, columns, lo, hi, row); err != nil {
			return fmt.Errorf("seed %s rows %d-%d: %w", table, lo, hi, err)
		}
		done.Add(int64(hi - lo))
	}
}

func writeChunk(ctx context.Context, conn *sql.Conn, dialect, table string, columns []string, lo, hi int,
	row func(int) []any) error {
	if dialect == "postgres" {
		return conn.Raw(func(dc any) error {
			pc := dc.(*stdlib.Conn).Conn()
			i := lo
			_, err := pc.CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromFunc(func() ([]any, error) {
				if i >= hi {
					return nil, nil
				}
				i++
				return row(i - 1), nil
			}))
			return err
		})
	}
	_, err := conn.ExecContext(ctx, insertSQL(table, columns, hi-lo), chunkArgs(lo, hi, row)...)
	return err
}

// insertSQL is a multi-row INSERT of rows rows with ? placeholders.
func insertSQL(table string, columns []string, rows int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(columns)), ", ") + ")"
	return "INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES " +
		strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ")
}

func chunkArgs(lo, hi int, row func(int) []any) []any {
	var args []any
	for i := lo; i < hi; i++ {
		args = append(args, row(i)...)
	}
	return args
}

// progressBar redraws "label [####    ] 45% 450000/1000000 12s" on stderr
// every half second until stop is called, then ends the line.
func progressBar(label string, total int, done *atomic.Int64) (stop func()) {
	quit, finished := make(chan struct{}), make(chan struct{})
	start := time.Now()
	draw := func() {
		d := min(int(done.Load()), total)
		frac := float64(d) / float64(max(total, 1))
		bar := strings.Repeat("#", int(frac*30)) + strings.Repeat(" ", 30-int(frac*30))
		fmt.Fprintf(os.Stderr, "\rauthd-load: %s [%s] %3.0f%% %d/%d %.0fs", label, bar, frac*100, d, total,
			time.Since(start).Seconds())
	}
	go func() {
		defer close(finished)
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		for {
			draw()
			select {
			case <-quit:
				draw()
				fmt.Fprintln(os.Stderr)
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(quit); <-finished }
}
