package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// PurgeReport is the purge scenario's outcome: refresh p99 with the
// janitor idle and while it deletes a large backlog in batches.
type PurgeReport struct {
	Rows        int     // ended sessions plus expired one-time tokens due
	Purged      int     // authd_janitor_purged_total when measuring stopped
	Seconds     float64 // from the server's start until Purged reached Rows
	RowsPerSec  float64
	P99Before   float64
	P99During   float64
	P99Ratio    float64
	DuringSlice int // 1-second refresh slices measured during the purge
}

// purgeMax bounds how long the purge scenario waits for the janitor.
const purgeMax = 15 * time.Minute

// purgeScenario measures refresh with the janitor idle, then restarts the
// server, whose janitor pass at start finds plan's ended sessions and
// expired tokens, and measures refresh in one-second slices until the
// server's authd_janitor_purged_total has counted all of them. *sp is
// replaced by the restarted server.
func purgeScenario(ctx context.Context, o options, rep *Report, sp **server, pop *population, plan bulkPlan) error {
	a, c := client((*sp).base, 64), o.c["refresh"]
	progress("purge: refresh with the janitor idle")
	before := drive(ctx, "refresh-janitor-idle", c, o.d, pop.refresh(a, c))
	rep.add(before, (*sp).cmd.Process.Pid)
	due := plan.ended + plan.tokens
	old := *sp
	old.stop()
	start := time.Now()
	s, err := startServer(ctx, old.cmd.Path, old.log, old.env)
	if err != nil {
		return err
	}
	*sp = s
	a = client(s.base, 64)
	refresh := pop.refresh(a, c)
	var slices []Result
	purged := 0
	var done time.Duration
	for ctx.Err() == nil && time.Since(start) < purgeMax {
		slices = append(slices, drive(ctx, "refresh-during-purge", c, time.Second, refresh))
		if purged = purgedTotal(s.base); purged >= due {
			done = time.Since(start)
			break
		}
		progress("purge: %d of %d rows purged", purged, due)
	}
	if len(slices) == 0 {
		return ctx.Err()
	}
	during := merge(slices)
	rep.add(during, s.cmd.Process.Pid)
	pr := &PurgeReport{Rows: due, Purged: purged, Seconds: done.Seconds(), P99Before: before.P99ms,
		P99During: during.P99ms, DuringSlice: len(slices)}
	if done > 0 {
		pr.RowsPerSec = float64(purged) / done.Seconds()
	}
	if before.P99ms > 0 {
		pr.P99Ratio = during.P99ms / before.P99ms
	}
	rep.Purge = pr
	if purged < due {
		return fmt.Errorf("purge: %d of %d rows purged after %s", purged, due, purgeMax)
	}
	return nil
}

// purgedTotal sums authd_janitor_purged_total over its tables; 0 if the
// metrics cannot be read.
func purgedTotal(base string) int {
	res, err := http.Get(base + "/metrics")
	if err != nil {
		return 0
	}
	defer res.Body.Close()
	return sumMetric(bufio.NewScanner(res.Body), "authd_janitor_purged_total")
}

// sumMetric adds the values of every series of name in a Prometheus text
// exposition.
func sumMetric(sc *bufio.Scanner, name string) int {
	total := 0
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, name+"{") && !strings.HasPrefix(line, name+" ") {
			continue
		}
		f := strings.Fields(line)
		if v, err := strconv.ParseFloat(f[len(f)-1], 64); err == nil {
			total += int(v)
		}
	}
	return total
}
