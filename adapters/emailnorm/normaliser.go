package emailnorm

import (
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// Normaliser implements ports.EmailNormaliser.
type Normaliser struct {
	hosts *idna.Profile
}

var _ ports.EmailNormaliser = (*Normaliser)(nil)

// New returns the normaliser. Domains follow UTS #46 lookup processing
// (mapping, STD3 rules, Bidi and joiner checks), except that hyphens in
// the third and fourth position are allowed, as browsers allow them
// ("r4--sn.example.com"); leading and trailing hyphens are still refused.
func New() *Normaliser {
	return &Normaliser{hosts: idna.New(idna.MapForLookup(), idna.BidiRule(), idna.CheckHyphens(false))}
}

var (
	errDomain   = domain.NewValidationError("email", "the domain is not a valid domain name")
	errUnstable = domain.NewValidationError("email", "must be a plain address like name@example.com")
)

// NormaliseEmail implements ports.EmailNormaliser. An address whose
// normalised form a second pass would still change, or that is not in NFC
// after lower-casing, is refused rather than stored in a form that depends
// on how often it was normalised.
func (n *Normaliser) NormaliseEmail(raw string) (domain.Email, error) {
	e, err := n.normalise(raw)
	if err != nil {
		return domain.Email{}, err
	}
	again, err := n.normalise(e.String())
	if err != nil || again != e || !norm.NFC.IsNormalString(e.String()) {
		return domain.Email{}, errUnstable
	}
	return e, nil
}

// normalise is one pass: trim and NFC, the domain through IDNA ToUnicode,
// then lower-case and NFC again (a case mapping can decompose), then the
// domain's syntax and length checks.
func (n *Normaliser) normalise(raw string) (domain.Email, error) {
	s := norm.NFC.String(strings.TrimSpace(raw))
	at := strings.LastIndexByte(s, '@')
	if at < 0 || at == len(s)-1 {
		return domain.NewEmail(s) // no domain: the domain package names what is wrong
	}
	host, err := n.hosts.ToUnicode(s[at+1:])
	if err != nil {
		return domain.Email{}, errDomain
	}
	return domain.NewEmail(norm.NFC.String(strings.ToLower(s[:at+1] + host)))
}
