// Package clock provides the system clock and a settable clock for tests.
// Supported API: NewManual is what authd.WithClock takes in a team's tests,
// so expiry is tested by moving time rather than sleeping.
package clock
