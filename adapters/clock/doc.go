// Package clock provides the system clock and a settable clock for tests.
// Internal to authd; no compatibility promise (the root's SystemClock is the
// supported way to the system clock).
package clock
