package jwtverify

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"

	gojwt "github.com/golang-jwt/jwt/v5"
)

// claims is the decoding target (this package sits under httpapi, where
// JSON tags are allowed).
type claims struct {
	Issuer    string             `json:"iss"`
	Audience  gojwt.ClaimStrings `json:"aud"`
	Subject   string             `json:"sub"`
	Role      string             `json:"role"`
	SessionID string             `json:"sid"`
	ID        string             `json:"jti"`
	AMR       []string           `json:"amr"`
	IssuedAt  numericDate        `json:"iat"`
	ExpiresAt numericDate        `json:"exp"`
	NotBefore numericDate        `json:"nbf"`

	Extra map[string]any `json:"-"`
}

// tagged is claims without its methods, for encoding/json.
type tagged claims

// registeredClaims are the names authd sets or checks itself; an issuer
// never puts an extra claim under one of them, in any letter case.
var registeredClaims = [...]string{
	"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "role", "sid", "typ", "amr",
	"auth_time", "acr", "azp", "client_id", "scope", "cnf",
}

// ownClaims are the members claims' tags name, exactly as spelt.
var ownClaims = [...]string{"iss", "aud", "sub", "role", "sid", "jti", "iat", "exp", "nbf", "amr"}

var errCaseVariant = errors.New("jwtverify: a claim name differs from a registered claim only in letter case")

// UnmarshalJSON reads the registered claims through their tags and every
// other top-level member into Extra. A member named like a registered claim
// in another letter case is refused: encoding/json would read "SUB" as sub.
func (c *claims) UnmarshalJSON(data []byte) error {
	*c = claims{}
	if err := json.Unmarshal(data, (*tagged)(c)); err != nil {
		return err
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil {
		return err
	}
	for name, raw := range members {
		if slices.Contains(ownClaims[:], name) {
			continue
		}
		if slices.ContainsFunc(registeredClaims[:], func(r string) bool { return strings.EqualFold(r, name) }) {
			return errCaseVariant
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

func (c *claims) GetExpirationTime() (*gojwt.NumericDate, error) { return c.ExpiresAt.get(), nil }
func (c *claims) GetIssuedAt() (*gojwt.NumericDate, error)       { return c.IssuedAt.get(), nil }
func (c *claims) GetNotBefore() (*gojwt.NumericDate, error)      { return c.NotBefore.get(), nil }
func (c *claims) GetIssuer() (string, error)                     { return c.Issuer, nil }
func (c *claims) GetSubject() (string, error)                    { return c.Subject, nil }
func (c *claims) GetAudience() (gojwt.ClaimStrings, error)       { return c.Audience, nil }

func (c *claims) public() Claims {
	out := Claims{Subject: c.Subject, Role: c.Role, SessionID: c.SessionID, ID: c.ID, AMR: c.AMR, Extra: c.Extra}
	if c.IssuedAt.set {
		out.IssuedAt = c.IssuedAt.UTC()
	}
	out.ExpiresAt = c.ExpiresAt.UTC() // exp is required, so always set here
	return out
}

// numericDate is a NumericDate that must be a JSON number: golang-jwt's
// also takes a string such as "1700000000" (and a null leaves it unset),
// which RFC 7519 §2 does not allow.
type numericDate struct {
	gojwt.NumericDate
	set bool
}

var errNotNumber = errors.New("jwtverify: a date claim must be a JSON number")

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
