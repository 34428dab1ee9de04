package jwt

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"

	"github.com/authd-dev/authd/domain"
)

var algs = []string{HS256, EdDSA, ES256, RS256}

func TestRoundTrip(t *testing.T) {
	for _, alg := range algs {
		t.Run(alg, func(t *testing.T) {
			f := newFixture(t, alg)
			want := sampleClaims()
			token, err := f.tok.Issue(want)
			if err != nil {
				t.Fatal(err)
			}
			got, err := f.tok.Verify(token, t0.Add(time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("got %+v, want %+v", got, want)
			}
			h, _, _ := strings.Cut(token, ".")
			tok, _, err := gojwt.NewParser().ParseUnverified(token, gojwt.MapClaims{})
			if err != nil {
				t.Fatal(err, h)
			}
			if tok.Header["typ"] != "at+jwt" || tok.Header["alg"] != alg || tok.Header["kid"] != f.kid {
				t.Fatalf("header %v", tok.Header)
			}
			if kid := f.tok.SigningKID(); kid != f.kid {
				t.Fatalf("SigningKID %q, want the header's %q", kid, f.kid)
			}
			if n := len(tok.Claims.(gojwt.MapClaims)); n != 9 {
				t.Fatalf("want exactly 9 claims, got %v", tok.Claims)
			}
		})
	}
}

// verifyCase forges a token from the fixture and expects err (nil: valid).
type verifyCase struct {
	name  string
	token func(t *testing.T, f fixture) string
	now   time.Time
	want  error
}

func with(edit func(gojwt.MapClaims)) func(*testing.T, fixture) string {
	return func(t *testing.T, f fixture) string {
		c := goodClaims()
		edit(c)
		return f.forge(t, f.method(), f.key, c, nil)
	}
}

func header(edit map[string]any) func(*testing.T, fixture) string {
	return func(t *testing.T, f fixture) string {
		return f.forge(t, f.method(), f.key, goodClaims(), edit)
	}
}

func commonCases() []verifyCase {
	exp := t0.Add(15 * time.Minute)
	in := t0.Add(time.Minute)
	unix := func(d time.Duration) int64 { return t0.Add(d).Unix() }
	return []verifyCase{
		{"forged equals issued", header(nil), in, nil},
		{"expired beyond skew", header(nil), exp.Add(testSkew + time.Second), domain.ErrTokenExpired},
		{"expired within skew", header(nil), exp.Add(testSkew - time.Second), nil},
		{"iat in future beyond skew", header(nil), t0.Add(-testSkew - time.Second), domain.ErrTokenInvalid},
		{"iat in future within skew", header(nil), t0.Add(-testSkew + time.Second), nil},
		{"nbf in future beyond skew", with(func(c gojwt.MapClaims) { c["nbf"] = unix(time.Minute + testSkew + time.Second) }), in, domain.ErrTokenInvalid},
		{"nbf in future within skew", with(func(c gojwt.MapClaims) { c["nbf"] = unix(time.Minute + testSkew - time.Second) }), in, nil},
		{"wrong iss", with(func(c gojwt.MapClaims) { c["iss"] = "evil" }), in, domain.ErrTokenInvalid},
		{"missing iss", with(func(c gojwt.MapClaims) { delete(c, "iss") }), in, domain.ErrTokenInvalid},
		{"wrong aud", with(func(c gojwt.MapClaims) { c["aud"] = "other" }), in, domain.ErrTokenInvalid},
		{"aud array containing ours", with(func(c gojwt.MapClaims) { c["aud"] = []string{"x", "authd-api"} }), in, nil},
		{"missing aud", with(func(c gojwt.MapClaims) { delete(c, "aud") }), in, domain.ErrTokenInvalid},
		{"missing exp", with(func(c gojwt.MapClaims) { delete(c, "exp") }), in, domain.ErrTokenInvalid},
		{"missing sub", with(func(c gojwt.MapClaims) { delete(c, "sub") }), in, domain.ErrTokenInvalid},
		{"empty sub", with(func(c gojwt.MapClaims) { c["sub"] = "" }), in, domain.ErrTokenInvalid},
		{"exp as string", with(func(c gojwt.MapClaims) { c["exp"] = "soon" }), in, domain.ErrTokenInvalid},
		{"expired and wrong iss", with(func(c gojwt.MapClaims) { c["iss"] = "evil" }), exp.Add(time.Hour), domain.ErrTokenInvalid},
		{"extra claims ignored", with(func(c gojwt.MapClaims) { c["x"] = map[string]any{"a": 1} }), in, nil},
		{"typ JWT", header(map[string]any{"typ": "JWT"}), in, domain.ErrTokenInvalid},
		{"typ missing", header(map[string]any{"typ": nil}), in, domain.ErrTokenInvalid},
		{"typ application/at+jwt", header(map[string]any{"typ": "application/AT+JWT"}), in, nil},
		{"unknown kid", header(map[string]any{"kid": "nope"}), in, domain.ErrTokenInvalid},
		{"missing kid", header(map[string]any{"kid": nil}), in, domain.ErrTokenInvalid},
		{"alg none", func(t *testing.T, f fixture) string {
			return f.forge(t, gojwt.SigningMethodNone, gojwt.UnsafeAllowNoneSignatureType, goodClaims(), nil)
		}, in, domain.ErrTokenInvalid},
		{"tampered signature", func(t *testing.T, f fixture) string {
			return flipLast(f.forge(t, f.method(), f.key, goodClaims(), nil))
		}, in, domain.ErrTokenInvalid},
		{"tampered and expired", func(t *testing.T, f fixture) string {
			return flipLast(f.forge(t, f.method(), f.key, goodClaims(), nil))
		}, exp.Add(time.Hour), domain.ErrTokenInvalid},
		{"tampered payload", func(t *testing.T, f fixture) string {
			good := strings.Split(f.forge(t, f.method(), f.key, goodClaims(), nil), ".")
			admin := goodClaims()
			admin["role"] = "admin"
			evil := strings.Split(f.forge(t, f.method(), f.key, admin, nil), ".")
			return good[0] + "." + evil[1] + "." + good[2]
		}, in, domain.ErrTokenInvalid},
		{"too long", with(func(c gojwt.MapClaims) { c["pad"] = strings.Repeat("a", MaxTokenBytes) }), in, domain.ErrTokenInvalid},
		{"garbage", func(*testing.T, fixture) string { return "a.b.c" }, in, domain.ErrTokenInvalid},
		{"empty", func(*testing.T, fixture) string { return "" }, in, domain.ErrTokenInvalid},
		{"jku and jwk headers ignored", header(map[string]any{"jku": "https://evil.example/jwks", "x5u": "https://evil.example/x", "jwk": map[string]any{"kty": "oct", "k": "AAAA"}}), in, nil},
		{"other secret, same kid", func(t *testing.T, f fixture) string {
			return f.forge(t, gojwt.SigningMethodHS256, []byte("an attacker's secret of 32+ bytes!!"), goodClaims(), map[string]any{"alg": "HS256"})
		}, in, domain.ErrTokenInvalid},
		{"crit header", header(map[string]any{"crit": []string{"exp"}}), in, domain.ErrTokenInvalid},
		{"crit header, empty", header(map[string]any{"crit": []string{}}), in, domain.ErrTokenInvalid},
		{"b64 header false", header(map[string]any{"b64": false}), in, domain.ErrTokenInvalid},
		{"b64 header true", header(map[string]any{"b64": true}), in, domain.ErrTokenInvalid},
		{"signature with non-canonical trailing bits", func(t *testing.T, f fixture) string {
			s := strings.Split(f.forge(t, f.method(), f.key, goodClaims(), nil), ".")
			return s[0] + "." + s[1] + "." + withTrailingBits(t, s[2])
		}, in, domain.ErrTokenInvalid},
		{"signature padded", func(t *testing.T, f fixture) string {
			return f.forge(t, f.method(), f.key, goodClaims(), nil) + "="
		}, in, domain.ErrTokenInvalid},
		{"header with non-canonical trailing bits, signed", func(t *testing.T, f fixture) string {
			s := strings.Split(f.forge(t, f.method(), f.key, goodClaims(), nil), ".")
			return f.signSegments(t, withTrailingBits(t, spaced(t, s[0])), s[1])
		}, in, domain.ErrTokenInvalid},
		{"payload with non-canonical trailing bits, signed", func(t *testing.T, f fixture) string {
			s := strings.Split(f.forge(t, f.method(), f.key, goodClaims(), nil), ".")
			return f.signSegments(t, s[0], withTrailingBits(t, spaced(t, s[1])))
		}, in, domain.ErrTokenInvalid},
		{"canonical segments re-signed by hand verify", func(t *testing.T, f fixture) string {
			s := strings.Split(f.forge(t, f.method(), f.key, goodClaims(), nil), ".")
			return f.signSegments(t, spaced(t, s[0]), spaced(t, s[1]))
		}, in, nil},
	}
}

// confusionCases sign HS256 with the public key as the HMAC secret, in the
// encodings a confused verifier might use.
func confusionCases(f fixture) []verifyCase {
	der, _ := x509.MarshalPKIXPublicKey(f.pub)
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	var cases []verifyCase
	for name, secret := range map[string][]byte{"PEM": pemBytes, "DER": der} {
		cases = append(cases, verifyCase{"alg confusion HS256 with public key " + name, func(t *testing.T, f fixture) string {
			return f.forge(t, gojwt.SigningMethodHS256, secret, goodClaims(), nil)
		}, t0.Add(time.Minute), domain.ErrTokenInvalid})
	}
	return cases
}

func flipLast(s string) string {
	b := []byte(s)
	i := len(b) - 2 // the last char may carry only padding bits
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

func TestVerify(t *testing.T) {
	for _, alg := range algs {
		t.Run(alg, func(t *testing.T) {
			f := newFixture(t, alg)
			cases := commonCases()
			if alg != HS256 {
				cases = append(cases, confusionCases(f)...)
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					_, err := f.tok.Verify(tc.token(t, f), tc.now)
					if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
						t.Fatalf("got %v, want %v", err, tc.want)
					}
				})
			}
		})
	}
}

// signSegments signs header.payload as given, without re-encoding them.
func (f fixture) signSegments(t *testing.T, header, payload string) string {
	t.Helper()
	sig, err := f.method().Sign(header+"."+payload, f.key)
	if err != nil {
		t.Fatal(err)
	}
	return header + "." + payload + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// spaced re-encodes seg's JSON with trailing white space, so that its
// length is not a multiple of 3 and its last character has trailing bits.
func spaced(t *testing.T, seg string) string {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		t.Fatal(err)
	}
	for len(b)%3 != 1 {
		b = append(b, ' ')
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// withTrailingBits sets the lowest unused bit of seg's last character: a
// lenient decoder reads the same bytes, a strict one refuses them.
func withTrailingBits(t *testing.T, seg string) string {
	t.Helper()
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	if len(seg)%4 == 0 {
		t.Fatalf("segment of %d characters has no trailing bits", len(seg))
	}
	i := strings.IndexByte(alphabet, seg[len(seg)-1])
	twin := seg[:len(seg)-1] + string(alphabet[i|1])
	lenient, _ := base64.RawURLEncoding.DecodeString(twin)
	canonical, _ := base64.RawURLEncoding.DecodeString(seg)
	if i&1 != 0 || string(lenient) != string(canonical) {
		t.Fatalf("no non-canonical twin of %q", seg)
	}
	return twin
}

func TestExtraClaimsTravel(t *testing.T) {
	f := newFixture(t, HS256)
	want := sampleClaims()
	want.Extra = map[string]any{"tenant": "acme", "seats": 3.0}
	token, err := f.tok.Issue(want)
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.tok.Verify(token, t0.Add(time.Minute))
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, %v; want %+v", got, err, want)
	}
	want.Extra = map[string]any{"ROLE": "admin"}
	if _, err := f.tok.Issue(want); err == nil || !strings.Contains(err.Error(), `"ROLE"`) {
		t.Fatalf("an extra claim named like role was issued: %v", err)
	}
}
