package ports

import "github.com/authd-dev/authd/domain"

// EmailNormaliser turns an address as a client typed it into the one form
// authd stores and compares, so that equivalent spellings are one account.
// Every use case that takes an email from outside goes through it.
type EmailNormaliser interface {
	// NormaliseEmail trims raw, applies Unicode NFC and lower-casing, puts
	// the domain part in its Unicode form (IDNA ToUnicode: "xn--" labels
	// decoded, width and case mapped) and checks the result with
	// domain.NewEmail (plain local@domain, at most domain.MaxEmailBytes
	// bytes after normalisation). Anything else, including a domain that is
	// not a valid internationalised name, is a *domain.ValidationError on
	// field "email". It is idempotent: an accepted result normalises to
	// itself.
	NormaliseEmail(raw string) (domain.Email, error)
}
