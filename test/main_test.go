package test

import (
	"os"
	"testing"
)

// TestMain validates every end-to-end exchange against the OpenAPI
// document (see spec_test.go) by installing the harness's observe hook
// before any test runs.
func TestMain(m *testing.M) {
	observe = validateAgainstSpec
	os.Exit(m.Run())
}
