package passhash

import (
	"runtime"
	"time"
)

// work serves jobs until it has been idle for p.idle with nothing queued.
// It never unlocks its thread: when it returns, the Go runtime ends the
// thread, so a lowered priority never leaks to other goroutines.
func (p *Pool) work() {
	runtime.LockOSThread()
	lowerThreadPriority()
	idle := time.NewTimer(p.idle)
	defer idle.Stop()
	for {
		if j := p.next(); j != nil {
			p.serve(j)
			continue
		}
		idle.Reset(p.idle)
		select {
		case <-p.wake:
		case <-idle.C:
			if p.retire() {
				return
			}
		}
	}
}

// next takes the job whose turn it is and marks it started; nil when none
// waits.
func (p *Pool) next() *job {
	p.mu.Lock()
	defer p.mu.Unlock()
	j := p.queue.pop()
	if j != nil {
		j.state = jobStarted
		close(j.decided)
	}
	return j
}

func (p *Pool) serve(j *job) {
	if p.observe != nil {
		p.observe(time.Since(j.queuedAt))
	}
	defer close(j.done)
	j.run()
}

// retire lets an idle worker go unless a job is queued. Jobs are queued
// under the same lock, and a caller queuing after this starts a worker of
// its own, so no job is ever left queued with no worker alive.
func (p *Pool) retire() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.queue.size > 0 {
		return false
	}
	p.running--
	return true
}
