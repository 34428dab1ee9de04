package domain

import "slices"

// Authentication method references (RFC 8176) carried in the amr claim of
// access tokens, saying how the session's user proved who they are.
const (
	AMRPassword = "pwd" // a password
	AMROTP      = "otp" // a one-time code from an authenticator app (TOTP)
	AMRMFA      = "mfa" // more than one factor
)

// AMRPasswordOnly is the amr of a session opened by password alone.
func AMRPasswordOnly() []string { return []string{AMRPassword} }

// AMRPasswordAndTOTP is the amr of a session whose second step was a TOTP code.
func AMRPasswordAndTOTP() []string { return []string{AMRPassword, AMROTP, AMRMFA} }

// AMRPasswordAndRecoveryCode is the amr of a session whose second step was
// a recovery code: a second factor ("mfa"), but no one-time password app.
func AMRPasswordAndRecoveryCode() []string { return []string{AMRPassword, AMRMFA} }

// HasMFA reports whether amr says that more than one factor was used.
func HasMFA(amr []string) bool { return slices.Contains(amr, AMRMFA) }
