package application_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/authd-dev/authd/adapters/auditlog"
	"github.com/authd-dev/authd/adapters/clock"
	"github.com/authd-dev/authd/adapters/emailnorm"
	"github.com/authd-dev/authd/adapters/jwt"
	"github.com/authd-dev/authd/adapters/memstore"
	"github.com/authd-dev/authd/adapters/passhash"
	"github.com/authd-dev/authd/adapters/throttle"
	"github.com/authd-dev/authd/application"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// The contract promises that an unknown email and a wrong password cost the
// same. Tests never assert on time; instead a counting wrapper around the
// real bcrypt hasher shows that every failing login path does exactly one
// bcrypt compare at the configured cost. The benchmarks show the times.

const timingPassword = "correct horse battery"

// countingHasher counts the bcrypt work of the real hasher it wraps.
type countingHasher struct {
	*passhash.Bcrypt
	mu       sync.Mutex
	compares []int // bcrypt cost of each Compare's stored hash
	dummies  int
	hashes   int
}

func (h *countingHasher) Hash(ctx context.Context, plain string) (string, error) {
	h.mu.Lock()
	h.hashes++
	h.mu.Unlock()
	return h.Bcrypt.Hash(ctx, plain)
}

func (h *countingHasher) Compare(ctx context.Context, hash, plain string) (bool, error) {
	cost, _ := bcrypt.Cost([]byte(hash))
	h.mu.Lock()
	h.compares = append(h.compares, cost)
	h.mu.Unlock()
	return h.Bcrypt.Compare(ctx, hash, plain)
}

func (h *countingHasher) DummyCompare(ctx context.Context, plain string) error {
	h.mu.Lock()
	h.dummies++
	h.mu.Unlock()
	return h.Bcrypt.DummyCompare(ctx, plain)
}

func (h *countingHasher) reset() {
	h.mu.Lock()
	h.compares, h.dummies, h.hashes = nil, 0, 0
	h.mu.Unlock()
}

// newTimingAuth wires Auth to memstore and the real hasher at cost, with
// the login throttle off (it must not hide the compare) and one account.
func newTimingAuth(tb testing.TB, cost int) (*application.Auth, *countingHasher) {
	tb.Helper()
	b, err := passhash.New(passhash.Cost(cost), 0)
	if err != nil {
		tb.Fatal(err)
	}
	h := &countingHasher{Bcrypt: b}
	clk := clock.NewManual(time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC))
	tokens, err := jwt.New(jwt.Config{Secret: []byte("timing-test-jwt-secret-0123456789abcdef"), Issuer: "authd", Audience: "authd"}, clk)
	if err != nil {
		tb.Fatal(err)
	}
	key, err := domain.NewRefreshKey([]byte("timing-test-refresh-secret-0123456789ab"))
	if err != nil {
		tb.Fatal(err)
	}
	store := memstore.NewStore()
	audit := auditlog.New(slog.New(slog.NewTextHandler(io.Discard, nil)))
	policy := application.Policy{Session: domain.SessionPolicy{RefreshTTL: time.Hour}, AccessTTL: time.Minute, RegistrationOpen: true,
		Links: application.LinkPolicy{URL: appLinkURL, VerifyTTL: time.Hour, ResetTTL: time.Hour}}
	throttle := throttle.NewFailures()
	emails := emailnorm.New()
	recovery := application.NewRecovery(store.Users(), store.Tokens(), h, clk, audit, throttle, emails,
		application.NewMailSender(&mailbox{}, clk, audit), policy)
	mfa := newAppMFA(tb, store, h, throttle, clk, audit, policy, appSealer(tb))
	auth := application.NewAuth(store.Users(), store.Sessions(), h, tokens, key, clk, throttle, audit, policy, emails,
		recovery, mfa, nil)
	if _, _, err := auth.Register(context.Background(), ports.Credentials{Email: "known@example.com", Password: timingPassword}); err != nil {
		tb.Fatal(err)
	}
	h.reset()
	return auth, h
}

// failingLogins are the paths that must cost one compare each.
var failingLogins = []struct {
	name, email, password string
	dummy                 bool // the compare is the dummy one
}{
	{"unknown email", "nobody@example.com", timingPassword, true},
	{"wrong password", "known@example.com", timingPassword + "!", false},
	{"password over 72 bytes", "known@example.com", timingPassword + strings.Repeat("x", 72), true},
	{"unknown email, password over 72 bytes", "nobody@example.com", strings.Repeat("x", 200), true},
	{"password with U+FFFD", "known@example.com", timingPassword + "\ufffd", true},
}

func TestFailedLoginsCostOneCompareAtConfiguredCost(t *testing.T) {
	const cost = 6
	auth, h := newTimingAuth(t, cost)
	for _, tc := range failingLogins {
		t.Run(tc.name, func(t *testing.T) {
			h.reset()
			_, err := auth.Login(context.Background(), ports.Credentials{Email: tc.email, Password: tc.password})
			if !errors.Is(err, domain.ErrInvalidCredentials) {
				t.Fatalf("Login = %v, want ErrInvalidCredentials", err)
			}
			want := 0
			if !tc.dummy {
				want = 1
			}
			if len(h.compares) != want || h.dummies != 1-want || h.hashes != 0 {
				t.Fatalf("compares %v, dummies %d, hashes %d; want exactly one compare (dummy: %v)",
					h.compares, h.dummies, h.hashes, tc.dummy)
			}
			for _, c := range h.compares {
				if c != cost {
					t.Fatalf("compare against a cost-%d hash, configured %d", c, cost)
				}
			}
		})
	}
}

// The over-72-byte paths rely on bcrypt doing the full work for a long
// password; this pins that assumption about the library.
func TestLongPasswordCompareIsFullWork(t *testing.T) {
	// x/crypto's bcrypt refuses long passwords only when hashing; a compare
	// of a long one still runs the key schedule (and fails). If a future
	// version short-circuited, the over-72-byte path would become fast.
	hash, err := bcrypt.GenerateFromPassword([]byte(timingPassword), 4)
	if err != nil {
		t.Fatal(err)
	}
	long := []byte(timingPassword + strings.Repeat("x", 100))
	if err := bcrypt.CompareHashAndPassword(hash, long); !errors.Is(err, bcrypt.ErrMismatchedHashAndPassword) {
		t.Fatalf("compare of a long password = %v, want a mismatch after the full computation", err)
	}
}

func TestSuccessfulLoginCostsOneCompare(t *testing.T) {
	auth, h := newTimingAuth(t, 5)
	if _, err := auth.Login(context.Background(), ports.Credentials{Email: "KNOWN@example.com", Password: timingPassword}); err != nil {
		t.Fatal(err)
	}
	if len(h.compares) != 1 || h.dummies != 0 || h.hashes != 0 {
		t.Fatalf("compares %v, dummies %d, hashes %d", h.compares, h.dummies, h.hashes)
	}
}

// BenchmarkFailedLogin compares the failing paths at the default cost
// (go test -bench FailedLogin ./application): the ns/op should agree.
func BenchmarkFailedLogin(b *testing.B) {
	auth, _ := newTimingAuth(b, 10)
	for _, tc := range failingLogins {
		b.Run(strings.ReplaceAll(tc.name, " ", "_"), func(b *testing.B) {
			c := ports.Credentials{Email: tc.email, Password: tc.password}
			for b.Loop() {
				_, _ = auth.Login(context.Background(), c)
			}
		})
	}
}
