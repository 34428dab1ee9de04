package logtest

import (
	"bytes"
	"sync"
)

// Buffer is a bytes.Buffer that concurrent writers and a reading test may
// share: handlers log from their own goroutines while the test inspects.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
