//go:build wireinject

package authd

import (
	"context"

	"github.com/google/wire"

	"github.com/authd-dev/authd/adapters/emailnorm"
	"github.com/authd-dev/authd/adapters/metrics"
	"github.com/authd-dev/authd/adapters/passhash"
	"github.com/authd-dev/authd/application"
	"github.com/authd-dev/authd/ports"
)

// initializeConsole composes the Console: storage (migrated), hashing,
// the audit log and the user administration use cases; o gives the logger
// and clock.
func initializeConsole(ctx context.Context, cfg Config, o options) (*Console, func(), error) {
	wire.Build(configSet, optionSet, storageSet, hashPoolSet,
		hasher, bcryptCost, wire.Bind(new(ports.PasswordHasher), new(*passhash.Bcrypt)),
		emailnorm.New, wire.Bind(new(ports.EmailNormaliser), new(*emailnorm.Normaliser)),
		auditLog, metrics.ProviderSet,
		application.NewAdmin, noRecovery, newConsole)
	return nil, nil, nil
}
