package passhash

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// gatedPool is a pool of one worker whose queue timers fire only when the
// test says so; timers receives each job's timer as Do arms it.
type gatedPool struct {
	*Pool
	timers chan chan time.Time
	waits  chan time.Duration
}

func newGatedPool(size int) *gatedPool {
	g := &gatedPool{Pool: NewPool(1, Queue{Size: size, Timeout: 7 * time.Second}),
		timers: make(chan chan time.Time, 64), waits: make(chan time.Duration, 64)}
	g.after = func(d time.Duration) (<-chan time.Time, func() bool) {
		c := make(chan time.Time, 1)
		g.timers <- c
		g.waits <- d
		return c, func() bool { return true }
	}
	return g
}

// hold occupies the only worker until the returned func is called.
func (g *gatedPool) hold(t *testing.T) (release func()) {
	t.Helper()
	started, gate := make(chan struct{}), make(chan struct{})
	res := g.submit(t, "holder", func() { close(started); <-gate })
	<-started
	<-g.timers
	<-g.waits
	return func() {
		close(gate)
		if err := <-res; err != nil {
			t.Errorf("holder: %v", err)
		}
	}
}

// submit runs Do for key in a goroutine; the result arrives on the channel.
func (g *gatedPool) submit(t *testing.T, key string, fn func()) <-chan error {
	return g.submitCtx(ports.WithFairnessKey(context.Background(), key), fn)
}

func (g *gatedPool) submitCtx(ctx context.Context, fn func()) <-chan error {
	res := make(chan error, 1)
	go func() { res <- g.Do(ctx, fn) }()
	return res
}

// waitQueued yields until n jobs are queued. It asserts nothing about
// time; the deadline only turns a hang into a failure.
func (g *gatedPool) waitQueued(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for g.Queued() != n {
		if time.Now().After(deadline) {
			t.Fatalf("queued %d, want %d", g.Queued(), n)
		}
		runtime.Gosched()
	}
}

// recorder notes the order jobs ran in.
type recorder struct {
	mu    sync.Mutex
	order []string
}

func (r *recorder) job(name string) func() {
	return func() { r.mu.Lock(); r.order = append(r.order, name); r.mu.Unlock() }
}

func (r *recorder) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.order)
}

// TestPoolServesKeysRoundRobin: with the worker blocked, three jobs of a,
// two of b and one of c queue in that order; released, the worker takes
// one job per key in turn, so c's job waits for two jobs, not five.
func TestPoolServesKeysRoundRobin(t *testing.T) {
	g := newGatedPool(16)
	release := g.hold(t)
	var rec recorder
	var results []<-chan error
	for i, name := range []string{"a1", "a2", "a3", "b1", "b2", "c1"} {
		results = append(results, g.submit(t, name[:1], rec.job(name)))
		g.waitQueued(t, i+1)
	}
	release()
	for _, r := range results {
		if err := <-r; err != nil {
			t.Fatal(err)
		}
	}
	if want := []string{"a1", "b1", "c1", "a2", "b2", "a3"}; !slices.Equal(rec.got(), want) {
		t.Fatalf("ran %v, want %v", rec.got(), want)
	}
}

// TestPoolFullQueueRefusesAtOnce: a job arriving at a full queue is
// refused with ErrBusy by Do itself, before any wait, and never runs.
func TestPoolFullQueueRefusesAtOnce(t *testing.T) {
	g := newGatedPool(2)
	release := g.hold(t)
	defer release()
	g.submit(t, "a", func() {})
	g.submit(t, "a", func() {})
	g.waitQueued(t, 2)
	ran := false
	err := g.Do(ports.WithFairnessKey(context.Background(), "a"), func() { ran = true })
	if !errors.Is(err, domain.ErrBusy) {
		t.Fatalf("err %v, want ErrBusy", err)
	}
	if ran || g.Queued() != 2 {
		t.Fatalf("ran %v, queued %d: the refused job must leave no trace", ran, g.Queued())
	}
}

// TestPoolFullQueueMakesRoomForAnotherKey: when one key fills the queue, a
// job of another key takes the place of that key's newest job, which is
// refused with ErrBusy and never runs; the newcomer is served next but one.
func TestPoolFullQueueMakesRoomForAnotherKey(t *testing.T) {
	g := newGatedPool(3)
	release := g.hold(t)
	var rec recorder
	var flood []<-chan error
	for i, name := range []string{"f1", "f2", "f3"} {
		flood = append(flood, g.submit(t, "flood", rec.job(name)))
		g.waitQueued(t, i+1)
	}
	victim := g.submit(t, "victim", rec.job("victim"))
	if err := <-flood[2]; !errors.Is(err, domain.ErrBusy) {
		t.Fatalf("the flood's newest job: %v, want ErrBusy", err)
	}
	g.waitQueued(t, 3)
	release()
	for _, r := range []<-chan error{flood[0], flood[1], victim} {
		if err := <-r; err != nil {
			t.Fatal(err)
		}
	}
	if want := []string{"f1", "victim", "f2"}; !slices.Equal(rec.got(), want) {
		t.Fatalf("ran %v, want %v", rec.got(), want)
	}
}

// TestPoolTimeoutRefuses: a job still queued when its timer fires is
// withdrawn and refused with ErrBusy; it never runs, and the timer was
// armed with the configured timeout.
func TestPoolTimeoutRefuses(t *testing.T) {
	g := newGatedPool(4)
	release := g.hold(t)
	ran := false
	res := g.submit(t, "a", func() { ran = true })
	timer := <-g.timers
	if d := <-g.waits; d != 7*time.Second {
		t.Fatalf("timer armed for %s, want the configured 7s", d)
	}
	timer <- time.Time{}
	if err := <-res; !errors.Is(err, domain.ErrBusy) {
		t.Fatalf("err %v, want ErrBusy", err)
	}
	if g.Queued() != 0 {
		t.Fatalf("queued %d after the timeout, want 0", g.Queued())
	}
	release()
	if err := g.Do(context.Background(), func() {}); err != nil {
		t.Fatalf("a later job: %v", err)
	}
	if ran {
		t.Fatal("a timed-out job ran")
	}
}

// TestPoolCancelWhileQueued: a caller whose ctx ends while it waits gets
// ctx.Err(), its job leaves the queue and never runs.
func TestPoolCancelWhileQueued(t *testing.T) {
	g := newGatedPool(4)
	release := g.hold(t)
	ctx, cancel := context.WithCancel(ports.WithFairnessKey(context.Background(), "a"))
	ran := false
	res := g.submitCtx(ctx, func() { ran = true })
	g.waitQueued(t, 1)
	cancel()
	if err := <-res; !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if g.Queued() != 0 {
		t.Fatalf("queued %d after cancelling, want 0", g.Queued())
	}
	release()
	if err := g.Do(context.Background(), func() {}); err != nil {
		t.Fatalf("a later job: %v", err)
	}
	if ran {
		t.Fatal("a cancelled job ran")
	}
	if err := g.Do(ctx, func() { ran = true }); !errors.Is(err, context.Canceled) || ran {
		t.Fatalf("an already cancelled ctx: err %v, ran %v", err, ran)
	}
}
