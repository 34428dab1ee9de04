package passhash

import (
	"context"
	"runtime"
	"sync"
	"time"
)

// idleExit is how long a worker waits for work before its thread goes away,
// so a process (or a test) that stops hashing does not keep threads parked.
const idleExit = 30 * time.Second

// job is one unit of hashing work and where its caller waits.
type job struct {
	run      func()
	queuedAt time.Time
	done     chan struct{}
}

// pool runs jobs on at most max long-lived worker goroutines. Each worker
// locks its OS thread and lowers that thread's scheduling priority
// (lowerThreadPriority), so when the CPU is contended the kernel prefers
// the threads serving requests over those hashing: a login flood then
// queues here instead of delaying token verification and refresh.
type pool struct {
	jobs    chan *job
	max     int
	idle    time.Duration // idleExit; shorter in tests
	observe func(time.Duration)

	mu      sync.Mutex
	running int // workers alive
	waiting int // callers between deciding to queue and handing their job over
}

func newPool(workers int) *pool {
	if workers <= 0 {
		// Cores, not GOMAXPROCS: cmd/authd raises GOMAXPROCS above the core
		// count so request goroutines always find a P while workers hash.
		workers = runtime.NumCPU()
	}
	return &pool{jobs: make(chan *job), max: workers, idle: idleExit}
}

// do runs fn on a worker and waits for it. ctx ending while queued returns
// ctx.Err() and fn never runs; once a worker has started fn, do waits for
// it, so the work (and its timing) is never cut short.
func (p *pool) do(ctx context.Context, fn func()) error {
	j := &job{run: fn, queuedAt: time.Now(), done: make(chan struct{})}
	p.mu.Lock()
	p.waiting++
	if p.running < p.max {
		p.running++
		go p.work()
	}
	p.mu.Unlock()
	var err error
	select {
	case p.jobs <- j:
	case <-ctx.Done():
		err = ctx.Err()
	}
	p.mu.Lock()
	p.waiting--
	p.mu.Unlock()
	if err != nil {
		return err
	}
	<-j.done
	return nil
}

// work serves jobs until it has been idle for idleExit with nobody queuing.
// It never unlocks its thread: when it returns, the Go runtime ends the
// thread, so a lowered priority never leaks to other goroutines.
func (p *pool) work() {
	runtime.LockOSThread()
	lowerThreadPriority()
	idle := time.NewTimer(p.idle)
	defer idle.Stop()
	for {
		select {
		case j := <-p.jobs:
			p.serve(j)
			idle.Reset(p.idle)
		case <-idle.C:
			if p.retire() {
				return
			}
			idle.Reset(p.idle)
		}
	}
}

func (p *pool) serve(j *job) {
	if p.observe != nil {
		p.observe(time.Since(j.queuedAt))
	}
	defer close(j.done)
	j.run()
}

// retire lets an idle worker go unless a caller is about to hand over a
// job: that caller counted itself under the same lock before deciding not
// to start a worker, so nobody is ever left queued with no worker alive.
func (p *pool) retire() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.waiting > 0 {
		return false
	}
	p.running--
	return true
}
