package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/authd-dev/authd/ports"
)

// emailBatch is how many users the email migration reads, and at most
// rewrites in one transaction, at a time.
const emailBatch = 500

// maxCollisionsListed bounds the migration's error message.
const maxCollisionsListed = 20

var (
	// errEmailCollision is wrapped when stored rows collide.
	errEmailCollision = errors.New("stored emails collide under normalisation")
	// errEmailTakenMeanwhile is wrapped when a concurrent writer stored
	// a row's normalised email after the collision check.
	errEmailTakenMeanwhile = errors.New("a normalised email was taken while the migration ran")
)

// emailChange is one user whose stored email normalises to another.
type emailChange struct{ id, from, to string }

// userEmail is one user's id and stored email.
type userEmail struct{ id, email string }

// normaliseStoredEmails rewrites each stored email into the normaliser's
// form, so a lookup by a normalised address finds rows written before
// normalisation. A read-only pass first looks for rows that would collide:
// they are never merged, the step fails naming every such pair of ids and
// changes nothing; an operator decides which account keeps the address.
// Then the changed rows are rewritten, each batch its own transaction.
// Normalising is idempotent, so after an interruption a rerun finishes.
// A row whose email the normaliser refuses is left as it is: no rewrite
// is correct for it, and it collides with nothing.
func normaliseStoredEmails(ctx context.Context, conn runner, txn transactor, env migrationEnv) error {
	if err := checkEmailCollisions(ctx, conn, env.emails); err != nil {
		return err
	}
	return eachEmailBatch(ctx, conn, env.emails, func(batch int, changes []emailChange) error {
		if env.beforeEmailBatch != nil {
			if err := env.beforeEmailBatch(ctx, conn, batch); err != nil {
				return err
			}
		}
		if len(changes) == 0 {
			return nil
		}
		return txn(func(tx runner) error { return rewriteEmails(ctx, tx, changes) })
	})
}

// eachEmailBatch reads the users in id order (keyset pagination, no lock
// held between batches) and calls fn with each batch's changes.
func eachEmailBatch(ctx context.Context, conn runner, emails ports.EmailNormaliser, fn func(batch int, changes []emailChange) error) error {
	after := ""
	for batch := 0; ; batch++ {
		rows, err := userEmails(ctx, conn, "SELECT id, email FROM users WHERE id > ? ORDER BY id LIMIT ?", after, emailBatch)
		if err != nil {
			return fmt.Errorf("read users: %w", err)
		}
		if len(rows) == 0 {
			return nil
		}
		if err := fn(batch, changesOf(rows, emails)); err != nil {
			return err
		}
		if len(rows) < emailBatch {
			return nil
		}
		after = rows[len(rows)-1].id
	}
}

// userEmails runs query, which selects id and email, on conn.
func userEmails(ctx context.Context, conn runner, query string, args ...any) ([]userEmail, error) {
	var out []userEmail
	err := conn.query(ctx, query, args, func(rows *sql.Rows) error {
		var u userEmail
		if err := rows.Scan(&u.id, &u.email); err != nil {
			return err
		}
		out = append(out, u)
		return nil
	})
	return out, err
}

func changesOf(rows []userEmail, emails ports.EmailNormaliser) []emailChange {
	var changes []emailChange
	for _, r := range rows {
		e, err := emails.NormaliseEmail(r.email)
		if err == nil && e.String() != r.email {
			changes = append(changes, emailChange{id: r.id, from: r.email, to: e.String()})
		}
	}
	return changes
}

// checkEmailCollisions fails, naming ids only (the error is logged, emails
// are personal data), when a changed email is another row's email or two
// rows change to one email. It keeps every changed email in memory, the
// price of finding pairs that are far apart in id order.
func checkEmailCollisions(ctx context.Context, conn runner, emails ports.EmailNormaliser) error {
	var collisions []string
	claimedBy := map[string]string{}
	err := eachEmailBatch(ctx, conn, emails, func(_ int, changes []emailChange) error {
		holders, err := emailHolders(ctx, conn, changes)
		if err != nil {
			return err
		}
		for _, c := range changes {
			switch {
			case holders[c.to] != "":
				collisions = append(collisions, fmt.Sprintf("user %s normalises to the email of user %s", c.id, holders[c.to]))
			case claimedBy[c.to] != "":
				collisions = append(collisions, fmt.Sprintf("users %s and %s normalise to one email", claimedBy[c.to], c.id))
			default:
				claimedBy[c.to] = c.id
			}
		}
		return nil
	})
	if err != nil || len(collisions) == 0 {
		return err
	}
	return collisionError(collisions)
}

// emailHolders maps each changed email already stored to the id of its
// row. A normalised email normalises to itself, so its row never changes.
func emailHolders(ctx context.Context, conn runner, changes []emailChange) (map[string]string, error) {
	if len(changes) == 0 {
		return nil, nil
	}
	targets := make([]any, len(changes))
	for i, c := range changes {
		targets[i] = c.to
	}
	rows, err := userEmails(ctx, conn, "SELECT id, email FROM users WHERE email IN ("+placeholders(len(targets))+")", targets...)
	if err != nil {
		return nil, fmt.Errorf("look up normalised emails: %w", err)
	}
	holders := make(map[string]string, len(rows))
	for _, r := range rows {
		holders[r.email] = r.id
	}
	return holders, nil
}

// rewriteEmails updates each row still holding the email it was read with:
// a row changed meanwhile was written by authd, so already normalised.
func rewriteEmails(ctx context.Context, tx runner, changes []emailChange) error {
	for _, c := range changes {
		_, err := tx.exec(ctx, "UPDATE users SET email = ? WHERE id = ? AND email = ?", c.to, c.id, c.from)
		if isUniqueViolation(err) {
			return fmt.Errorf("%w: user %s: another account now holds its normalised email; this batch was rolled back, earlier ones are kept: delete or correct one of the two accounts, then migrate again",
				errEmailTakenMeanwhile, c.id)
		}
		if err != nil {
			return fmt.Errorf("update email of user %s: %w", c.id, err)
		}
	}
	return nil
}

func collisionError(collisions []string) error {
	more := ""
	if n := len(collisions) - maxCollisionsListed; n > 0 {
		collisions, more = collisions[:maxCollisionsListed], fmt.Sprintf(" (and %d more)", n)
	}
	return fmt.Errorf("%w: %s%s; nothing was changed: delete or correct one account of each pair, then migrate again",
		errEmailCollision, strings.Join(collisions, "; "), more)
}
