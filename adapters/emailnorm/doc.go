// Package emailnorm normalises email addresses: the Unicode work (NFC,
// IDNA) that the standard-library-only domain package cannot do itself.
// It implements ports.EmailNormaliser. Internal to authd; no compatibility
// promise.
package emailnorm
