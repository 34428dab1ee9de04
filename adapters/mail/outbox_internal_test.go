package mail

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// A message whose writing fails half-way leaves neither the .eml nor the
// temporary file behind.
func TestWriteAtomicallyLeavesNothingOnFailure(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	o := &Outbox{dir: dir}
	broken := errors.New("disk went away")
	err := o.writeAtomically(filepath.Join(dir, "m.eml"), func(w io.Writer) (int64, error) {
		n, _ := io.WriteString(w, "Subject: half a message\r\n")
		return int64(n), broken
	})
	if !errors.Is(err, broken) {
		t.Fatalf("err = %v, want the writer's error", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("outbox holds %v after a failed write, want nothing", entries)
	}
}

// While a message is being written, only the temporary name exists: a
// reader listing *.eml sees it whole or not at all.
func TestWriteAtomicallyShowsNoEmlUntilDone(t *testing.T) {
	dir := t.TempDir()
	o := &Outbox{dir: dir}
	final := filepath.Join(dir, "m.eml")
	err := o.writeAtomically(final, func(w io.Writer) (int64, error) {
		matches, err := filepath.Glob(filepath.Join(dir, "*.eml"))
		if err != nil || len(matches) != 0 {
			t.Errorf("mid-write *.eml = %v (%v), want none", matches, err)
		}
		n, err := io.WriteString(w, "Subject: whole\r\n\r\nbody\r\n")
		return int64(n), err
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(final)
	if err != nil || string(got) != "Subject: whole\r\n\r\nbody\r\n" {
		t.Fatalf("final file %q (%v)", got, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("outbox holds %d entries, want only m.eml", len(entries))
	}
}
