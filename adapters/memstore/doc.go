// Package memstore is an in-memory implementation of authd's storage ports:
// the fast fake for application tests, held to the same contract suite as
// the SQL backends (test/contract). Supported API for embedding teams'
// tests; not for production, where nothing it holds survives a restart.
package memstore
