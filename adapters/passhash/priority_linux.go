//go:build linux

package passhash

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// workerNice is the fallback when SCHED_IDLE is refused: the lowest nice.
const workerNice = 19

// lowerThreadPriority moves the calling thread only (on Linux scheduling
// policy and nice value are per thread) to SCHED_IDLE, so a request thread
// waking up preempts a hashing thread at once, where a nice-19 one may
// first finish its time slice. Any thread may lower its own policy without
// privileges; if that still fails, nice 19, and failing both is harmless:
// hashing then runs at normal priority.
func lowerThreadPriority() {
	tid := syscall.Gettid()
	attr := unix.SchedAttr{Size: unix.SizeofSchedAttr, Policy: unix.SCHED_IDLE}
	if unix.SchedSetAttr(tid, &attr, 0) == nil {
		return
	}
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, tid, workerNice)
}
