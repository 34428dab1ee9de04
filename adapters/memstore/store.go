package memstore

import (
	"context"
	"fmt"
	"sync"

	"github.com/google/wire"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// Store holds users, sessions, one-time tokens and second factors behind
// one mutex, so operations that touch several (deleting a user with its
// sessions, a password reset) are atomic.
type Store struct {
	mu       sync.Mutex
	users    map[string]domain.User
	byEmail  map[string]string // email -> user id
	sessions map[string]domain.SessionState
	tokens   map[string]domain.OneTimeTokenState // by string(hash)
	mfa
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{
		users:    make(map[string]domain.User),
		byEmail:  make(map[string]string),
		sessions: make(map[string]domain.SessionState),
		tokens:   make(map[string]domain.OneTimeTokenState),
		mfa:      newMFA(),
	}
}

// Users returns the user repository on s.
func (s *Store) Users() *Users { return &Users{s: s} }

// Sessions returns the session repository on s.
func (s *Store) Sessions() *Sessions { return &Sessions{s: s} }

// MFA returns the MFA enrolment repository on s.
func (s *Store) MFA() *MFA { return &MFA{s: s} }

// MFAChallenges returns the second-login-step repository on s.
func (s *Store) MFAChallenges() *MFAChallenges { return &MFAChallenges{s: s} }

// Tokens returns the one-time token repository on s.
func (s *Store) Tokens() *Tokens { return &Tokens{s: s} }

// Storage returns every storage port on s, for authd.WithStorage.
func (s *Store) Storage() ports.Storage {
	return ports.Storage{Users: s.Users(), Sessions: s.Sessions(), Tokens: s.Tokens(), MFA: s.MFA(),
		MFAChallenges: s.MFAChallenges(), Health: s}
}

// Ping implements ports.HealthChecker: memory always answers, unless ctx
// has already ended.
func (s *Store) Ping(ctx context.Context) error { return ctx.Err() }

// ProvideUsers and ProvideSessions are Wire providers over one Store.
func ProvideUsers(s *Store) *Users       { return s.Users() }
func ProvideSessions(s *Store) *Sessions { return s.Sessions() }

// ProvideMFA and ProvideMFAChallenges are Wire providers over one Store.
func ProvideMFA(s *Store) *MFA                     { return s.MFA() }
func ProvideMFAChallenges(s *Store) *MFAChallenges { return s.MFAChallenges() }

// ProvideTokens is the Wire provider of the one-time token repository.
func ProvideTokens(s *Store) *Tokens { return s.Tokens() }

// ProviderSet provides *Store (also the health check), *Users, *Sessions,
// *Tokens, *MFA and *MFAChallenges. Binding them to the ports happens at
// the root.
var ProviderSet = wire.NewSet(NewStore, ProvideUsers, ProvideSessions, ProvideTokens, ProvideMFA, ProvideMFAChallenges)

// lock takes the store's mutex unless ctx has ended, mirroring the SQL
// backends, which fail a call whose context is done.
func (s *Store) lock(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: %w: %w", domain.ErrUnavailable, err)
	}
	s.mu.Lock()
	return nil
}
