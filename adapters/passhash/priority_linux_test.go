//go:build linux

package passhash

import (
	"runtime"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// TestLowerThreadPriorityOnlyThisThread: the calling thread ends up under
// SCHED_IDLE (or nice 19), and the test's own thread keeps its policy.
func TestLowerThreadPriorityOnlyThisThread(t *testing.T) {
	type result struct {
		policy uint32
		nice   int
		err    error
	}
	got := make(chan result)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread dies with the goroutine
		lowerThreadPriority()
		tid := syscall.Gettid()
		attr, err := unix.SchedGetAttr(tid, 0)
		if err != nil {
			got <- result{err: err}
			return
		}
		got <- result{policy: attr.Policy, nice: int(attr.Nice)}
	}()
	r := <-got
	switch {
	case r.err != nil:
		t.Fatal(r.err)
	case r.policy != unix.SCHED_IDLE && r.nice != workerNice:
		t.Errorf("worker thread: policy %d nice %d, want SCHED_IDLE or nice %d", r.policy, r.nice, workerNice)
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	own, err := unix.SchedGetAttr(syscall.Gettid(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if own.Policy == unix.SCHED_IDLE || own.Nice != 0 {
		t.Errorf("the calling test thread was lowered too: policy %d nice %d", own.Policy, own.Nice)
	}
}
