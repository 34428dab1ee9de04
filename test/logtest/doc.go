// Package logtest holds a log sink for tests that read what a server
// logged while it was still writing. Internal to authd; no compatibility
// promise.
package logtest
