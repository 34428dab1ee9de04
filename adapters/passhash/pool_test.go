package passhash

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestPoolBoundsConcurrency: never more than the worker count run at once.
func TestPoolBoundsConcurrency(t *testing.T) {
	p := NewPool(2, Queue{Size: 64, Timeout: time.Hour})
	var running, peak atomic.Int32
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := p.Do(context.Background(), func() {
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

// TestPoolWorkersRetireAndRestart: idle workers exit, and work submitted
// around their exit still finds a worker (no caller is stranded).
func TestPoolWorkersRetireAndRestart(t *testing.T) {
	p := NewPool(2, Queue{})
	p.idle = time.Millisecond
	for i := range 200 {
		if i%20 == 0 {
			time.Sleep(3 * time.Millisecond) // let workers retire
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err := p.Do(ctx, func() {}); err != nil {
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
	p := NewPool(1, Queue{})
	var n atomic.Int32
	p.ObserveWait(func(time.Duration) { n.Add(1) })
	for range 3 {
		_ = p.Do(context.Background(), func() {})
	}
	if n.Load() != 3 {
		t.Fatalf("observed %d waits, want 3", n.Load())
	}
}

// TestPoolDefaults: zero Queue fields take the documented defaults.
func TestPoolDefaults(t *testing.T) {
	p := NewPool(1, Queue{})
	if p.queue.limit < DefaultQueuePerCore || p.queue.limit%DefaultQueuePerCore != 0 || p.timeout != DefaultQueueTimeout {
		t.Fatalf("limit %d timeout %s, want %d per core and %s", p.queue.limit, p.timeout, DefaultQueuePerCore, DefaultQueueTimeout)
	}
}
