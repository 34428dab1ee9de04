//go:build wireinject

package authd

import (
	"context"
	"log/slog"

	"github.com/google/wire"

	"github.com/authd-dev/authd/adapters/auditlog"
	"github.com/authd-dev/authd/adapters/emailnorm"
	"github.com/authd-dev/authd/adapters/metrics"
	"github.com/authd-dev/authd/adapters/passhash"
	"github.com/authd-dev/authd/application"
	"github.com/authd-dev/authd/ports"
)

// initializeConsole composes the Console: storage (migrated), hashing,
// the audit log and the user administration use cases.
func initializeConsole(ctx context.Context, cfg Config, log *slog.Logger, clock ports.Clock) (*Console, func(), error) {
	wire.Build(configSet, gormSet, openDatabase,
		hasher, bcryptCost, hashPoolSet, wire.Bind(new(ports.PasswordHasher), new(*passhash.Bcrypt)),
		emailnorm.New, wire.Bind(new(ports.EmailNormaliser), new(*emailnorm.Normaliser)),
		auditlog.ProviderSet, auditLog, metrics.ProviderSet,
		application.NewAdmin, noRecovery, newConsole)
	return nil, nil, nil
}
