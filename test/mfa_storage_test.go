package test

import (
	"bytes"
	"encoding/base32"
	"strings"
	"testing"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/test/backends"
)

// TestMFAAtRestYieldsNoSecret reads the database as a thief with a copy
// would: the TOTP secret is stored only encrypted, recovery codes and the
// pending mfaToken only as digests.
func TestMFAAtRestYieldsNoSecret(t *testing.T) {
	for _, target := range backends.Servers(t) {
		t.Run("backend="+target.Name, func(t *testing.T) {
			e := newEnvOn(t, target, nil)
			u := e.enrol(t, e.register(t, "vault@example.com"))
			token := e.firstStep(t, u, nil)
			db := backends.Open(t, target)

			var sealed []byte
			if err := db.SQL().QueryRow(db.Rebind("SELECT totp_secret FROM user_mfa WHERE user_id = ?"), u.ID).Scan(&sealed); err != nil {
				t.Fatal(err)
			}
			plain, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(u.Secret)
			if err != nil {
				t.Fatal(err)
			}
			if len(sealed) <= len(u.Secret) || bytes.Contains(sealed, []byte(u.Secret)) || bytes.Contains(sealed, plain) ||
				bytes.Contains(bytes.ToLower(sealed), []byte(strings.ToLower(u.Secret))) {
				t.Fatalf("the stored secret shows the secret: %x", sealed)
			}

			var digests [][]byte
			rows, err := db.SQL().Query(db.Rebind("SELECT digest FROM mfa_recovery_codes WHERE user_id = ?"), u.ID)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var d []byte
				if err := rows.Scan(&d); err != nil {
					t.Fatal(err)
				}
				digests = append(digests, d)
			}
			rows.Close()
			if len(digests) != domain.RecoveryCodeCount {
				t.Fatalf("%d stored recovery codes", len(digests))
			}
			for _, d := range digests {
				for _, code := range u.Recovery {
					canonical, _ := domain.NormaliseRecoveryCode(code)
					if bytes.Contains(d, []byte(canonical)) || bytes.Contains(d, []byte(code)) {
						t.Fatalf("a stored recovery code shows the code")
					}
				}
			}

			var hash []byte
			if err := db.SQL().QueryRow(db.Rebind("SELECT hash FROM mfa_challenges WHERE user_id = ?"), u.ID).Scan(&hash); err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(hash, []byte(token)) || bytes.Contains(hash, []byte(token[5:])) {
				t.Fatal("the stored challenge shows the mfaToken")
			}
		})
	}
}
