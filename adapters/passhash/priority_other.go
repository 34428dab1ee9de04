//go:build !linux

package passhash

// lowerThreadPriority is a no-op where per-thread nice values are not
// available; the bounded pool still caps hashing at one worker per core.
func lowerThreadPriority() {}
