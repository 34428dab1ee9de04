// Package test holds authd's end-to-end tests through the real router, the
// backend matrix and the architecture test. It has no API.
package test
