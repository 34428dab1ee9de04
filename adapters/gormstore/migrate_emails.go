package gormstore

import (
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/authd-dev/authd/ports"
)

// emailBatch is how many users the email migration reads at a time.
const emailBatch = 500

// maxCollisionsListed bounds the migration's error message.
const maxCollisionsListed = 20

// errEmailCollision is wrapped by the migration error when rows collide.
var errEmailCollision = errors.New("stored emails collide under normalisation")

// normaliseStoredEmails rewrites each stored email into the normaliser's
// form, so a lookup by a normalised address finds rows written before
// normalisation. Two rows that normalise to one address are never merged:
// the step fails naming every such pair of ids and, being one transaction,
// changes nothing; an operator decides which account keeps the address.
// A row whose email the normaliser refuses is left as it is: no rewrite
// is correct for it, and it collides with nothing.
func normaliseStoredEmails(tx *gorm.DB, env migrationEnv) error {
	var collisions []string
	after := ""
	for {
		var rows []userRow
		err := tx.Raw("SELECT id, email FROM users WHERE id > ? ORDER BY id LIMIT ?", after, emailBatch).Scan(&rows).Error
		if err != nil {
			return fmt.Errorf("read users: %w", err)
		}
		for _, r := range rows {
			clash, err := normaliseStoredEmail(tx, env.emails, r)
			if err != nil {
				return err
			}
			if clash != "" {
				collisions = append(collisions, clash)
			}
		}
		if len(rows) < emailBatch {
			break
		}
		after = rows[len(rows)-1].ID
	}
	if len(collisions) == 0 {
		return nil
	}
	return collisionError(collisions)
}

// normaliseStoredEmail updates r's email when normalising changes it; when
// another row already holds the normalised address it updates nothing and
// describes the clash. Ids only: the error is logged, emails are personal data.
func normaliseStoredEmail(tx *gorm.DB, emails ports.EmailNormaliser, r userRow) (string, error) {
	e, err := emails.NormaliseEmail(r.Email)
	if err != nil || e.String() == r.Email {
		return "", nil
	}
	var holders []string
	if err := tx.Raw("SELECT id FROM users WHERE email = ? AND id <> ?", e.String(), r.ID).Scan(&holders).Error; err != nil {
		return "", fmt.Errorf("look up normalised email of user %s: %w", r.ID, err)
	}
	if len(holders) > 0 {
		return fmt.Sprintf("user %s normalises to the email of user %s", r.ID, holders[0]), nil
	}
	if err := tx.Exec("UPDATE users SET email = ? WHERE id = ?", e.String(), r.ID).Error; err != nil {
		return "", fmt.Errorf("update email of user %s: %w", r.ID, err)
	}
	return "", nil
}

func collisionError(collisions []string) error {
	more := ""
	if n := len(collisions) - maxCollisionsListed; n > 0 {
		collisions, more = collisions[:maxCollisionsListed], fmt.Sprintf(" (and %d more)", n)
	}
	return fmt.Errorf("%w: %s%s; nothing was changed: delete or correct one account of each pair, then migrate again",
		errEmailCollision, strings.Join(collisions, "; "), more)
}
