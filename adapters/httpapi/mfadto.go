package httpapi

import (
	"time"

	"github.com/authd-dev/authd/domain"
)

// mfaVerifyRequest is the second login step.
type mfaVerifyRequest struct {
	MFAToken string `json:"mfaToken"`
	Code     string `json:"code"`
}

type mfaConfirmRequest struct {
	Code string `json:"code"`
}

// mfaReauthRequest proves the caller again: password and a TOTP or
// recovery code.
type mfaReauthRequest struct {
	Password string `json:"password"`
	Code     string `json:"code"`
}

// mfaRequiredBody is the error shape plus the second step's token.
type mfaRequiredBody struct {
	Error     string `json:"error"`
	Code      string `json:"code"`
	MFAToken  string `json:"mfaToken"`
	ExpiresIn int64  `json:"expiresIn"`
}

// enrollBody is a pending TOTP enrolment: the secret to type, the URL to
// scan, and that URL as a QR code (a PNG data URL).
type enrollBody struct {
	Secret     string `json:"secret"`
	OtpauthURL string `json:"otpauthUrl"`
	QRCode     string `json:"qrCode"`
}

type recoveryCodesBody struct {
	RecoveryCodes []string `json:"recoveryCodes"`
}

// meBody is the signed-in user with its second-factor state.
type meBody struct {
	userBody
	MFAEnabled bool `json:"mfaEnabled"`
}

func newMFARequiredBody(e *domain.MFARequiredError) mfaRequiredBody {
	return mfaRequiredBody{Error: domain.ErrMFARequired.Error(), Code: "MFA_REQUIRED", MFAToken: e.Token,
		ExpiresIn: int64(e.ExpiresIn / time.Second)}
}
