package jwt

import (
	"errors"
	"strings"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"

	"github.com/authd-dev/authd/domain"
)

// MaxTokenBytes bounds what Verify will even look at: authd's tokens are
// a small fraction of it, and parsing attacker-sized input is wasted CPU.
const MaxTokenBytes = 8 << 10

// parser pairs a golang-jwt parser with the instant it validates at.
// golang-jwt reads the time through a func fixed at construction, so each
// pooled parser's func reads its own now field: the library still does all
// claim validation, without building a parser per Verify.
type parser struct {
	p   *gojwt.Parser
	now time.Time
}

func (t *Tokens) newParser(skew time.Duration) *parser {
	ps := &parser{}
	ps.p = gojwt.NewParser(
		gojwt.WithValidMethods([]string{t.alg}),
		gojwt.WithIssuer(t.issuer),
		gojwt.WithAudience(t.audience),
		gojwt.WithExpirationRequired(),
		gojwt.WithIssuedAt(),
		gojwt.WithLeeway(skew),
		gojwt.WithTimeFunc(func() time.Time { return ps.now }),
		// No padding (golang-jwt's default) and no non-zero trailing bits:
		// one token has one spelling, so a changed character always
		// changes the signed or signature bytes.
		gojwt.WithStrictDecoding(),
	)
	return ps
}

// Verify checks token at now. Expired is reported only for a token whose
// signature and every other check passed; anything else is invalid.
func (t *Tokens) Verify(token string, now time.Time) (domain.AccessClaims, error) {
	if len(token) == 0 || len(token) > MaxTokenBytes {
		return domain.AccessClaims{}, domain.ErrTokenInvalid
	}
	ps := t.parsers.Get().(*parser)
	ps.now = now
	var c claims
	_, err := ps.p.ParseWithClaims(token, &c, t.keyfunc)
	t.parsers.Put(ps)
	if err != nil {
		return domain.AccessClaims{}, mapError(err)
	}
	if c.Subject == "" {
		return domain.AccessClaims{}, domain.ErrTokenInvalid
	}
	return domain.AccessClaims{
		Subject:   c.Subject,
		Role:      domain.Role(c.Role),
		SessionID: c.SessionID,
		ID:        c.ID,
		IssuedAt:  c.IssuedAt.UTC(),
		ExpiresAt: c.ExpiresAt.UTC(),
		AMR:       c.AMR,
		Extra:     c.Extra,
	}, nil
}

// mapError turns golang-jwt's error into the port's two outcomes. golang-jwt
// validates claims only after the signature verified, so ErrTokenExpired
// implies a genuine token; it is still refused as invalid if any other claim
// check failed alongside (joined errors).
func mapError(err error) error {
	if errors.Is(err, gojwt.ErrTokenExpired) && !otherClaimError(err) {
		return domain.ErrTokenExpired
	}
	return domain.ErrTokenInvalid
}

func otherClaimError(err error) bool {
	for _, e := range []error{
		gojwt.ErrTokenInvalidIssuer, gojwt.ErrTokenInvalidAudience,
		gojwt.ErrTokenNotValidYet, gojwt.ErrTokenUsedBeforeIssued,
		gojwt.ErrTokenRequiredClaimMissing, gojwt.ErrTokenInvalidSubject,
	} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

var (
	errBadType    = errors.New("typ is not at+jwt")
	errUnknownKID = errors.New("unknown or missing kid")
	errExtension  = errors.New("crit or b64 header: an extension authd does not implement")
)

// keyFor picks the key by kid alone, never by the token's alg: every key in
// the map belongs to the configured algorithm (WithValidMethods enforces the
// token's), so an HS256 token "signed" with a published public key finds no
// HMAC key. jku, x5u and jwk headers are never consulted. A crit header
// (RFC 7515 4.1.11) names extensions a verifier must understand, and b64
// (RFC 7797) changes what is signed; authd implements neither, so both are
// refused whatever their value.
func (t *Tokens) keyFor(tok *gojwt.Token) (any, error) {
	if _, ok := tok.Header["crit"]; ok {
		return nil, errExtension
	}
	if _, ok := tok.Header["b64"]; ok {
		return nil, errExtension
	}
	typ, _ := tok.Header["typ"].(string)
	if !strings.EqualFold(typ, "at+jwt") && !strings.EqualFold(typ, "application/at+jwt") {
		return nil, errBadType
	}
	kid, _ := tok.Header["kid"].(string)
	key, ok := t.ring.Load().verify[kid]
	if !ok || tok.Method.Alg() != t.alg {
		return nil, errUnknownKID
	}
	return key, nil
}
