package httpapi

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// mfaHandlers serve the signed-in user's second factor.
type mfaHandlers struct {
	mfa ports.MFAService
}

func (h mfaHandlers) enroll(c *gin.Context) {
	claims, _ := ClaimsFrom(c)
	key, err := h.mfa.Enroll(c.Request.Context(), claims.Subject)
	if err != nil {
		fail(c, err)
		return
	}
	qr, err := qrDataURL(key.URL)
	if err != nil {
		fail(c, err)
		return
	}
	tokenResponse(c) // the secret must not sit in a cache
	c.JSON(http.StatusOK, enrollBody{Secret: key.Secret, OtpauthURL: key.URL, QRCode: qr})
}

func (h mfaHandlers) confirm(c *gin.Context) {
	var req mfaConfirmRequest
	if _, err := decodeJSON(c, &req, true); err != nil {
		fail(c, err)
		return
	}
	claims, _ := ClaimsFrom(c)
	codes, err := h.mfa.Confirm(c.Request.Context(), claims.Subject, req.Code)
	if err != nil {
		fail(c, err)
		return
	}
	tokenResponse(c)
	c.JSON(http.StatusOK, recoveryCodesBody{RecoveryCodes: codes})
}

func (h mfaHandlers) disable(c *gin.Context) {
	var req mfaReauthRequest
	if _, err := decodeJSON(c, &req, true); err != nil {
		fail(c, err)
		return
	}
	claims, _ := ClaimsFrom(c)
	if err := h.mfa.Disable(c.Request.Context(), claims.Subject, claims.SessionID, req.Password, req.Code, client(c)); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (h mfaHandlers) regenerate(c *gin.Context) {
	var req mfaReauthRequest
	if _, err := decodeJSON(c, &req, true); err != nil {
		fail(c, err)
		return
	}
	claims, _ := ClaimsFrom(c)
	codes, err := h.mfa.RegenerateRecoveryCodes(c.Request.Context(), claims.Subject, claims.SessionID, req.Password,
		req.Code, client(c))
	if err != nil {
		fail(c, err)
		return
	}
	tokenResponse(c)
	c.JSON(http.StatusOK, recoveryCodesBody{RecoveryCodes: codes})
}

// verifyMFA is the second login step; the transport is the login's.
func (h authHandlers) verifyMFA(c *gin.Context) {
	var req mfaVerifyRequest
	if _, err := decodeJSON(c, &req, true); err != nil {
		fail(c, err)
		return
	}
	tokens, byCookie, err := h.auth.VerifyMFA(c.Request.Context(),
		ports.MFAProof{Token: req.MFAToken, Code: req.Code, Client: client(c)})
	if err != nil {
		fail(c, err)
		return
	}
	h.answer(c, http.StatusOK, tokens, byCookie, nil)
}

// loginFailed answers a login error; a login that needs its second step
// gets 403 MFA_REQUIRED with the mfaToken.
func loginFailed(c *gin.Context, err error) {
	var required *domain.MFARequiredError
	if !errors.As(err, &required) {
		fail(c, err)
		return
	}
	tokenResponse(c)
	c.AbortWithStatusJSON(http.StatusForbidden, newMFARequiredBody(required))
}

func (h adminHandlers) resetMFA(c *gin.Context) {
	claims, _ := ClaimsFrom(c)
	if err := h.admin.ResetMFA(c.Request.Context(), claims.Subject, c.Param("id")); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
