//go:build linux

package passhash

import "syscall"

// workerNice is the nice value of hashing threads: the lowest priority, so
// any request thread that becomes runnable preempts them.
const workerNice = 19

// lowerThreadPriority renices the calling thread only (on Linux the nice
// value is per thread, and PRIO_PROCESS with a thread id targets just it).
// Failing is harmless: hashing then runs at normal priority.
func lowerThreadPriority() {
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), workerNice)
}
