// Package throttle holds in-memory login and request throttles. State is
// bounded: keys expire, and past a maximum the oldest are dropped. Internal
// to authd; no compatibility promise.
package throttle
