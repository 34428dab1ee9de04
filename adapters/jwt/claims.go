package jwt

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"

	gojwt "github.com/golang-jwt/jwt/v5"
)

// claims is the payload of an access token. It has no struct tags (they live
// only in the HTTP adapter): MarshalJSON and UnmarshalJSON are written by
// hand, which also keeps Verify, the hottest path of the service, cheap.
type claims struct {
	iss, sub, role, sid, jti string
	aud                      gojwt.ClaimStrings
	audBuf                   [1]string // backs aud for the usual single audience
	amr                      []string  // RFC 8176 methods; absent when empty
	amrBuf                   [maxFastAMR]string
	iat, exp, nbf            gojwt.NumericDate
	hasIat, hasExp, hasNbf   bool
}

var _ gojwt.Claims = (*claims)(nil)

func (c *claims) GetExpirationTime() (*gojwt.NumericDate, error) { return date(&c.exp, c.hasExp), nil }
func (c *claims) GetIssuedAt() (*gojwt.NumericDate, error)       { return date(&c.iat, c.hasIat), nil }
func (c *claims) GetNotBefore() (*gojwt.NumericDate, error)      { return date(&c.nbf, c.hasNbf), nil }
func (c *claims) GetIssuer() (string, error)                     { return c.iss, nil }
func (c *claims) GetSubject() (string, error)                    { return c.sub, nil }
func (c *claims) GetAudience() (gojwt.ClaimStrings, error)       { return c.aud, nil }

// date returns a pointer into the claims rather than a fresh NumericDate, so
// the validator's getters allocate nothing; nil means the claim is absent.
func date(d *gojwt.NumericDate, ok bool) *gojwt.NumericDate {
	if !ok {
		return nil
	}
	return d
}

// MarshalJSON writes exactly the claims authd issues, in a fixed order.
func (c *claims) MarshalJSON() ([]byte, error) {
	return c.appendJSON(make([]byte, 0, 256)), nil
}

func (c *claims) appendJSON(b []byte) []byte {
	b = append(b, `{"iss":`...)
	b = appendString(b, c.iss)
	b = append(b, `,"aud":`...)
	b = appendString(b, firstOrEmpty(c.aud))
	b = append(b, `,"sub":`...)
	b = appendString(b, c.sub)
	b = append(b, `,"role":`...)
	b = appendString(b, c.role)
	b = append(b, `,"sid":`...)
	b = appendString(b, c.sid)
	if len(c.amr) > 0 {
		b = append(b, `,"amr":[`...)
		for i, m := range c.amr {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, m)
		}
		b = append(b, ']')
	}
	b = append(b, `,"iat":`...)
	b = strconv.AppendInt(b, c.iat.Unix(), 10)
	b = append(b, `,"exp":`...)
	b = strconv.AppendInt(b, c.exp.Unix(), 10)
	b = append(b, `,"jti":`...)
	b = appendString(b, c.jti)
	return append(b, '}')
}

func firstOrEmpty(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string, escaping like encoding/json
// (control characters, quote, backslash, invalid UTF-8 as U+FFFD).
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c >= 0x20 && c < utf8.RuneSelf && c != '"' && c != '\\':
			b = append(b, c)
			i++
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
			i++
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, s[i:i+size]...)
			}
			i += size
		}
	}
	return append(b, '"')
}

// wireClaims is the slow-path decoding target: encoding/json matches its
// field names to the JSON keys case-insensitively, so no tags are needed.
type wireClaims struct {
	Iss, Sub, Role, Sid, Jti string
	Aud                      gojwt.ClaimStrings
	Amr                      []string
	Iat, Exp, Nbf            *gojwt.NumericDate
}

// UnmarshalJSON decodes the claims. Tokens authd issued take a fast path
// (one string allocation for all fields); anything unusual — escapes,
// non-ASCII, arrays, fractions, unknown keys — falls back to encoding/json
// so both paths accept and reject exactly the same documents.
func (c *claims) UnmarshalJSON(data []byte) error {
	*c = claims{}
	if c.decodeFast(string(data)) {
		return nil
	}
	*c = claims{}
	var w wireClaims
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	c.iss, c.sub, c.role, c.sid, c.jti, c.aud, c.amr = w.Iss, w.Sub, w.Role, w.Sid, w.Jti, w.Aud, w.Amr
	c.iat, c.hasIat = deref(w.Iat)
	c.exp, c.hasExp = deref(w.Exp)
	c.nbf, c.hasNbf = deref(w.Nbf)
	return nil
}

func deref(d *gojwt.NumericDate) (gojwt.NumericDate, bool) {
	if d == nil {
		return gojwt.NumericDate{}, false
	}
	return *d, true
}
