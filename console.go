package authd

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/authd-dev/authd/adapters/emailnorm"
	"github.com/authd-dev/authd/application"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// The commands besides serve compose only what they use, so that none
// asks for a setting (a signing secret, a key folder) it has no use for.

// Migrate creates or updates the schema of cfg.Storage's database. It
// reads and checks cfg.Storage only.
func Migrate(ctx context.Context, cfg Config) error {
	if err := cfg.Validate(SectionStorage); err != nil {
		return err
	}
	_, closeDB, err := openStorage(ctx, cfg.Storage, poolConfig(cfg.Storage), emailnorm.New())
	if err != nil {
		return err
	}
	closeDB()
	return nil
}

// Console is authd composed for user administration from the command
// line: storage and password hashing, and nothing that signs tokens.
type Console struct {
	operator ports.OperatorService
}

func newConsole(admin *application.Admin) *Console { return &Console{operator: admin} }

// noRecovery is the console's lack of account mail: it only provisions
// accounts (ports.OperatorService), which start verified and are mailed
// nothing, so it needs no mailer and no mail settings.
func noRecovery() *application.Recovery { return nil }

// OpenConsole composes the Console on cfg's database, migrating its schema
// first, logging to log. It reads and checks cfg.Storage and cfg.Hashing
// only; the returned func closes the database.
func OpenConsole(ctx context.Context, cfg Config, log *slog.Logger, clock ports.Clock) (*Console, func(), error) {
	if err := cfg.Validate(SectionStorage, SectionHashing); err != nil {
		return nil, nil, err
	}
	c, cleanup, err := initializeConsole(ctx, cfg, options{log: log, clock: clock})
	if err != nil {
		return nil, nil, fmt.Errorf("compose: %w", err)
	}
	return c, cleanup, nil
}

// CreateUser creates an account on behalf of the operator, even while
// registration is closed.
func (c *Console) CreateUser(ctx context.Context, email, password, role string) (domain.User, error) {
	return c.operator.ProvisionUser(ctx, email, password, domain.Role(role), "cli")
}
