package jwt

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"

	"github.com/authd-dev/authd/domain"
)

// claims is the payload of an access token, one definition for issuing and
// verifying: encoding/json writes and reads it through its tags, and extra
// claims (ports.ClaimsHook) travel beside the registered ones at the top
// level of the same object.
type claims struct {
	Issuer    string      `json:"iss"`
	Audience  audience    `json:"aud"`
	Subject   string      `json:"sub"`
	Role      string      `json:"role"`
	SessionID string      `json:"sid"`
	IssuedAt  numericDate `json:"iat"`
	ExpiresAt numericDate `json:"exp"`
	NotBefore numericDate `json:"nbf,omitzero"`
	ID        string      `json:"jti"`
	AMR       []string    `json:"amr,omitempty"` // RFC 8176 methods; absent when empty

	Extra map[string]any `json:"-"`
}

var _ gojwt.Claims = (*claims)(nil)

func (c *claims) GetExpirationTime() (*gojwt.NumericDate, error) { return c.ExpiresAt.get(), nil }
func (c *claims) GetIssuedAt() (*gojwt.NumericDate, error)       { return c.IssuedAt.get(), nil }
func (c *claims) GetNotBefore() (*gojwt.NumericDate, error)      { return c.NotBefore.get(), nil }
func (c *claims) GetIssuer() (string, error)                     { return c.Issuer, nil }
func (c *claims) GetSubject() (string, error)                    { return c.Subject, nil }
func (c *claims) GetAudience() (gojwt.ClaimStrings, error) {
	return gojwt.ClaimStrings(c.Audience), nil
}

// registered is the tagged part of claims, without its methods, so that
// encoding/json does not recurse into MarshalJSON and UnmarshalJSON.
type registered claims

// MarshalJSON writes the registered claims, then the extra ones. Extra
// claims named like a registered claim (any letter case) are refused: a
// decoder matching names case-insensitively could read them as the
// registered one.
func (c *claims) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal((*registered)(c))
	if err != nil || len(c.Extra) == 0 {
		return b, err
	}
	if err := domain.CheckExtraClaims(c.Extra); err != nil {
		return nil, err
	}
	extra, err := json.Marshal(c.Extra)
	if err != nil {
		return nil, fmt.Errorf("extra claims: %w", err)
	}
	// Splice {"iss":…} and {"tenant":…} into one object.
	b = append(b[:len(b)-1], ',')
	return append(b, extra[1:]...), nil
}

var errCaseVariant = errors.New("a claim name differs from a registered claim only in letter case")

// UnmarshalJSON reads the registered claims through their tags and collects
// every other top-level member into Extra. A member whose name equals a
// registered claim's only under case folding is refused: encoding/json
// would otherwise read "SUB" as sub.
func (c *claims) UnmarshalJSON(data []byte) error {
	*c = claims{}
	if err := json.Unmarshal(data, (*registered)(c)); err != nil {
		return err
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil {
		return err
	}
	for name, raw := range members {
		if isOwnClaim(name) {
			continue
		}
		if domain.IsRegisteredClaim(name) {
			return fmt.Errorf("claim %q: %w", name, errCaseVariant)
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return err
		}
		if c.Extra == nil {
			c.Extra = make(map[string]any)
		}
		c.Extra[name] = v
	}
	return nil
}

// ownClaims are the members claims' tags name, exactly as spelt.
var ownClaims = [...]string{"iss", "aud", "sub", "role", "sid", "iat", "exp", "nbf", "jti", "amr"}

func isOwnClaim(name string) bool {
	for _, n := range ownClaims {
		if n == name {
			return true
		}
	}
	return false
}

// audience reads a string or an array of strings (RFC 7519 4.1.3) and
// writes a single audience as a string, whatever golang-jwt's global
// MarshalSingleStringAsArray says.
type audience []string

func (a audience) MarshalJSON() ([]byte, error) {
	if len(a) == 1 {
		return json.Marshal(a[0])
	}
	return json.Marshal([]string(a))
}

func (a *audience) UnmarshalJSON(data []byte) error {
	var s gojwt.ClaimStrings
	if err := s.UnmarshalJSON(data); err != nil {
		return err
	}
	*a = audience(s)
	return nil
}

// numericDate is a NumericDate that must be a JSON number: golang-jwt's
// also takes a string such as "1700000000" (and a null leaves it unset),
// which RFC 7519 2 does not allow. Written as whole seconds.
type numericDate struct {
	gojwt.NumericDate
	set bool
}

var errNotNumber = errors.New("a date claim must be a JSON number")

func dateOf(t time.Time) numericDate {
	return numericDate{NumericDate: gojwt.NumericDate{Time: t}, set: true}
}

// IsZero lets omitzero drop an absent date.
func (d numericDate) IsZero() bool { return !d.set }

func (d numericDate) MarshalJSON() ([]byte, error) { return d.NumericDate.MarshalJSON() }

// UnmarshalJSON is called for null too (the field is not a pointer), so a
// null date is refused rather than read as absent.
func (d *numericDate) UnmarshalJSON(b []byte) error {
	if len(b) == 0 || (b[0] != '-' && (b[0] < '0' || b[0] > '9')) {
		return errNotNumber
	}
	if err := d.NumericDate.UnmarshalJSON(b); err != nil {
		return err
	}
	d.set = true
	return nil
}

func (d *numericDate) get() *gojwt.NumericDate {
	if !d.set {
		return nil
	}
	return &d.NumericDate
}
