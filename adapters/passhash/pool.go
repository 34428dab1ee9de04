package passhash

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// idleExit is how long a worker waits for work before its thread goes away,
// so a process (or a test) that stops hashing does not keep threads parked.
const idleExit = 30 * time.Second

// Defaults of Queue's zero fields.
const (
	DefaultQueuePerCore = 64
	DefaultQueueTimeout = 5 * time.Second
)

// Queue bounds the work waiting for a worker.
type Queue struct {
	Size    int           // jobs waiting at most; 0: DefaultQueuePerCore per core
	Timeout time.Duration // longest wait of one job; 0: DefaultQueueTimeout
}

// jobState is where a job is; it changes only under the pool's mutex.
type jobState int

const (
	jobQueued    jobState = iota
	jobStarted            // a worker runs it; done closes when it ends
	jobEvicted            // dropped from a full queue for another key's job
	jobWithdrawn          // its caller stopped waiting (timeout or ctx)
)

// job is one unit of work and where its caller waits.
type job struct {
	key      string
	run      func()
	queuedAt time.Time
	state    jobState
	decided  chan struct{} // closed when state leaves jobQueued for a worker or eviction
	done     chan struct{} // closed when a started job has run
}

// Pool runs CPU-heavy jobs on at most a fixed number of long-lived worker
// goroutines. Each worker locks its OS thread and lowers that thread's
// scheduling priority (lowerThreadPriority), so when the CPU is contended
// the kernel prefers the threads serving requests over those hashing: a
// login flood then queues here instead of delaying token verification.
// Waiting jobs sit in a fairQueue, served round robin across the
// ports.FairnessKey of their ctx.
type Pool struct {
	max     int
	idle    time.Duration // idleExit; shorter in tests
	timeout time.Duration
	after   func(time.Duration) (<-chan time.Time, func() bool) // a timer; tests fire it by hand
	observe func(time.Duration)
	wake    chan struct{} // a job queued while every worker was already started

	mu      sync.Mutex
	queue   *fairQueue
	running int // workers alive
}

// NewPool builds a pool of workers (0: one per core) in front of queue q.
// Workers start on demand and leave after idling.
func NewPool(workers Workers, q Queue) *Pool {
	n := int(workers)
	if n <= 0 {
		// Cores, not GOMAXPROCS: cmd/authd raises GOMAXPROCS above the core
		// count so request goroutines always find a P while workers hash.
		n = runtime.NumCPU()
	}
	if q.Size <= 0 {
		q.Size = DefaultQueuePerCore * runtime.NumCPU()
	}
	if q.Timeout <= 0 {
		q.Timeout = DefaultQueueTimeout
	}
	return &Pool{max: n, idle: idleExit, timeout: q.Timeout, after: realTimer, wake: make(chan struct{}, n),
		queue: newFairQueue(q.Size)}
}

func realTimer(d time.Duration) (<-chan time.Time, func() bool) {
	t := time.NewTimer(d)
	return t.C, t.Stop
}

// Do runs fn on a worker and waits for it. fn waits its turn among the
// jobs of other fairness keys (ports.FairnessKey(ctx)); it is refused with
// domain.ErrBusy, without running, when the queue is full, when it is
// dropped to make room for a key with fewer jobs waiting, or when it has
// waited the queue's timeout. ctx ending while queued returns ctx.Err()
// and fn never runs. Once a worker has started fn, Do waits for it, so
// the work (and its timing) is never cut short.
func (p *Pool) Do(ctx context.Context, fn func()) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	j := &job{key: ports.FairnessKey(ctx), run: fn, queuedAt: time.Now(),
		decided: make(chan struct{}), done: make(chan struct{})}
	if err := p.enqueue(j); err != nil {
		return err
	}
	expired, stop := p.after(p.timeout)
	defer stop()
	select {
	case <-j.decided:
	case <-expired:
	case <-ctx.Done():
	}
	return p.settle(ctx, j)
}

// enqueue queues j and makes sure a worker will look at the queue.
func (p *Pool) enqueue(j *job) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	evicted, ok := p.queue.push(j)
	if !ok {
		return fmt.Errorf("password hash queue full: %w", domain.ErrBusy)
	}
	if evicted != nil {
		evicted.state = jobEvicted
		close(evicted.decided)
	}
	if p.running < p.max {
		p.running++
		go p.work()
		return nil
	}
	select {
	case p.wake <- struct{}{}:
	default: // max wake-ups are pending already: every worker will look
	}
	return nil
}

// settle ends j's wait: a job still queued is withdrawn, a started one
// is waited for.
func (p *Pool) settle(ctx context.Context, j *job) error {
	p.mu.Lock()
	if j.state == jobQueued {
		p.queue.remove(j)
		j.state = jobWithdrawn
	}
	state := j.state
	p.mu.Unlock()
	switch state {
	case jobStarted:
		<-j.done
		return nil
	case jobEvicted:
		return fmt.Errorf("password hash queue full: %w", domain.ErrBusy)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return fmt.Errorf("password hash queue wait over %s: %w", p.timeout, domain.ErrBusy)
}

// Queued is how many jobs wait for a worker now.
func (p *Pool) Queued() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.queue.size
}

// ObserveWait registers fn to receive each queue wait (from enqueue until
// a worker picks the job up). Call it before the pool is used.
func (p *Pool) ObserveWait(fn WaitObserver) { p.observe = fn }
