package test

import (
	"testing"

	"github.com/authd-dev/authd/adapters/memstore"
	"github.com/authd-dev/authd/adapters/sqlstore"
	"github.com/authd-dev/authd/test/backends"
	"github.com/authd-dev/authd/test/contract"
)

// TestStorageContract holds every storage backend to the same contract:
// memstore, SQLite, and Postgres/MySQL when configured (see backends).
func TestStorageContract(t *testing.T) {
	t.Run("backend=memstore", func(t *testing.T) {
		contract.Run(t, func(t *testing.T) contract.Backend {
			s := memstore.NewStore()
			return contract.Backend{Users: s.Users(), Sessions: s.Sessions(), Tokens: s.Tokens(), MFA: s.MFA(),
				MFAChallenges: s.MFAChallenges(), Health: s}
		})
	})
	for _, tg := range backends.Servers(t) {
		t.Run("backend="+tg.Name, func(t *testing.T) {
			contract.Run(t, func(t *testing.T) contract.Backend {
				db := backends.Open(t, backends.Fresh(t, tg))
				return contract.Backend{
					Users:         sqlstore.NewUsers(db),
					Sessions:      sqlstore.NewSessions(db),
					Tokens:        sqlstore.NewTokens(db),
					MFA:           sqlstore.NewMFA(db),
					MFAChallenges: sqlstore.NewMFAChallenges(db),
					Health:        sqlstore.NewHealth(db),
				}
			})
		})
	}
}
