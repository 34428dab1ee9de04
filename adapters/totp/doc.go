// Package totp implements ports.OTP with github.com/pquerna/otp: RFC 6238
// codes of domain.TOTPDigits digits over domain.TOTPPeriod steps, SHA-1,
// which is what common authenticator apps support, and otpauth:// URLs in
// the Key Uri Format they scan. Internal to authd; no compatibility
// promise.
package totp
