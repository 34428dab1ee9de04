package passhash

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestPoolBoundsConcurrency: never more than max jobs run at once.
func TestPoolBoundsConcurrency(t *testing.T) {
	p := newPool(2)
	var running, peak atomic.Int32
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := p.do(context.Background(), func() {
				n := running.Add(1)
				for {
					old := peak.Load()
					if n <= old || peak.CompareAndSwap(old, n) {
						break
					}
				}
				time.Sleep(time.Millisecond)
				running.Add(-1)
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := peak.Load(); got > 2 || got < 1 {
		t.Fatalf("peak concurrency %d, want 1..2", got)
	}
}

// TestPoolCancelWhileQueued: a caller whose ctx ends while every worker is
// busy gets ctx.Err() and its job never runs.
func TestPoolCancelWhileQueued(t *testing.T) {
	p := newPool(1)
	release := make(chan struct{})
	started := make(chan struct{})
	go func() { _ = p.do(context.Background(), func() { close(started); <-release }) }()
	<-started
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	if err := p.do(ctx, func() { ran = true }); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	close(release)
	if ran {
		t.Fatal("a cancelled job ran")
	}
}

// TestPoolWorkersRetireAndRestart: idle workers exit, and work submitted
// around their exit still finds a worker (no caller is stranded).
func TestPoolWorkersRetireAndRestart(t *testing.T) {
	p := newPool(2)
	p.idle = time.Millisecond
	for i := range 200 {
		if i%20 == 0 {
			time.Sleep(3 * time.Millisecond) // let workers retire
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err := p.do(ctx, func() {}); err != nil {
			t.Fatalf("job %d: %v", i, err)
		}
		cancel()
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		p.mu.Lock()
		n := p.running
		p.mu.Unlock()
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d workers still running after idling", n)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestPoolObservesWait: the observer hears one wait per job.
func TestPoolObservesWait(t *testing.T) {
	p := newPool(1)
	var n atomic.Int32
	p.observe = func(time.Duration) { n.Add(1) }
	for range 3 {
		_ = p.do(context.Background(), func() {})
	}
	if n.Load() != 3 {
		t.Fatalf("observed %d waits, want 3", n.Load())
	}
}
