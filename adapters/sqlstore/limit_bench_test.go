package sqlstore_test

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/authd-dev/authd/adapters/sqlstore"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/test/backends"
)

// BenchmarkOpenSessionAtCap is a login's storage work for a user already at
// a cap of 100 live sessions: the INSERT alone ("create"), and the INSERT
// plus the statement ending the least recently used one ("create+limit").
func BenchmarkOpenSessionAtCap(b *testing.B) {
	const limit = 100
	for _, server := range backends.Servers(b) {
		db := backends.Open(b, backends.Fresh(b, server))
		users, sessions := sqlstore.NewUsers(db), sqlstore.NewSessions(db)
		for _, withLimit := range []bool{false, true} {
			name := "backend=" + server.Name + "/create"
			if withLimit {
				name += "+limit"
			}
			b.Run(name, func(b *testing.B) {
				ctx := context.Background()
				first, now, err := newChain(users, sessions)
				if err != nil {
					b.Fatal(err)
				}
				open := func() domain.Session {
					now = now.Add(time.Millisecond)
					id, _ := domain.NewID(rand.Reader)
					s, _ := domain.NewSession(id, first.UserID(), make([]byte, domain.SaltSize), domain.Client{}, now, benchPolicy)
					if err := sessions.Create(ctx, s); err != nil {
						b.Fatal(err)
					}
					return s
				}
				for range limit - 1 {
					open()
				}
				b.ResetTimer()
				for b.Loop() {
					s := open()
					if !withLimit {
						continue
					}
					if n, err := sessions.RevokeOverLimit(ctx, s.UserID(), s.ID(), limit, now, domain.RevokeSessionLimit); n != 1 || err != nil {
						b.Fatalf("RevokeOverLimit = (%d, %v), want (1, nil)", n, err)
					}
				}
			})
		}
	}
}
