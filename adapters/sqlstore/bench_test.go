package sqlstore_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"github.com/authd-dev/authd/adapters/sqlstore"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/test/backends"
)

// BenchmarkRotate measures the conditional UPDATE of a refresh, per backend,
// with 1 and 16 goroutines per CPU, each rotating its own session chain (so
// the figure is throughput without contention on one row).
func BenchmarkRotate(b *testing.B) {
	for _, server := range backends.Servers(b) {
		db := backends.Open(b, backends.Fresh(b, server))
		users, sessions := sqlstore.NewUsers(db), sqlstore.NewSessions(db)
		for _, par := range []int{1, 16} {
			b.Run(fmt.Sprintf("backend=%s/parallelism=%d", server.Name, par), func(b *testing.B) {
				b.SetParallelism(par)
				b.RunParallel(func(pb *testing.PB) {
					cur, now, err := newChain(users, sessions)
					if err != nil {
						b.Errorf("bench setup: %v", err) // not Fatal: this is not the benchmark's goroutine
						return
					}
					for pb.Next() {
						now = now.Add(time.Microsecond)
						next := cur.Rotated(now, benchPolicy, domain.Client{})
						won, err := sessions.Rotate(context.Background(), next, now)
						if err != nil || !won {
							b.Errorf("Rotate = (%v, %v)", won, err)
							return
						}
						cur = next
					}
				})
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rotations/s")
			})
		}
	}
}

var benchPolicy = domain.SessionPolicy{RefreshTTL: time.Hour}

// newChain stores a user and a session for one benchmark goroutine.
func newChain(users *sqlstore.Users, sessions *sqlstore.Sessions) (domain.Session, time.Time, error) {
	ctx, now := context.Background(), time.Now()
	id := func() string { s, _ := domain.NewID(rand.Reader); return s }
	email, _ := domain.NewEmail(id() + "@example.com")
	u, err := domain.NewUser(id(), email, "$2a$04$bench", domain.RoleUser, now)
	if err == nil {
		err = users.Create(ctx, u)
	}
	salt := make([]byte, domain.SaltSize)
	s, _ := domain.NewSession(id(), u.ID(), salt, domain.Client{}, now, benchPolicy)
	if err == nil {
		err = sessions.Create(ctx, s)
	}
	return s, now, err
}
