package passhash

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/authd-dev/authd/domain"
)

func TestBcryptRoundTrip(t *testing.T) {
	b, err := New(4, 0)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	h, err := b.Hash(ctx, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := b.Compare(ctx, h, "correct horse"); !ok || err != nil {
		t.Fatalf("Compare(right) = %v, %v", ok, err)
	}
	if ok, err := b.Compare(ctx, h, "wrong horse"); ok || err != nil {
		t.Fatalf("Compare(wrong) = %v, %v", ok, err)
	}
	if _, err := b.Compare(ctx, "not-a-hash", "x"); !errors.Is(err, domain.ErrInvalidPasswordHash) {
		t.Fatalf("Compare(bad hash) err %v", err)
	}
	if _, err := b.Hash(ctx, strings.Repeat("x", domain.MaxPasswordBytes+1)); !errors.Is(err, domain.ErrPasswordTooLong) {
		t.Fatalf("Hash(too long) err %v", err)
	}
	b.DummyCompare(ctx, "anything")
}

func TestBcryptNeedsRehash(t *testing.T) {
	low, _ := New(4, 1)
	high, _ := New(5, 1)
	h, _ := low.Hash(context.Background(), "password1")
	if !high.NeedsRehash(h) || low.NeedsRehash(h) {
		t.Fatal("NeedsRehash wrong")
	}
}

func TestBcryptCancelledContext(t *testing.T) {
	b, _ := New(4, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// Either the job was handed over before the cancel was seen, or it
	// reports ctx.Err(); it must never report a false match.
	ok, err := b.Compare(ctx, "$2a$04$invalidinvalidinvalidinvalidinvalidinvalidinvalidinvali", "x")
	if ok || err == nil {
		t.Fatalf("Compare on cancelled ctx = %v, %v", ok, err)
	}
}
