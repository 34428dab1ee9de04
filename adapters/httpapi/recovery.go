package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/authd-dev/authd/ports"
)

type tokenRequest struct {
	Token string `json:"token"`
}

type forgotRequest struct {
	Email string `json:"email"`
}

type resetRequest struct {
	Token       string `json:"token"`
	NewPassword string `json:"newPassword"`
}

// acceptedBody is the one answer of the mail-sending endpoints, whatever
// happened behind it.
type acceptedBody struct {
	Status string `json:"status"`
}

var accepted = acceptedBody{Status: "accepted"}

// recoveryHandlers serve email verification and password reset. Request
// bodies carry one-time tokens: they are never logged (the access log has
// no bodies, and errors never repeat input).
type recoveryHandlers struct {
	recovery ports.RecoveryService
}

func (h recoveryHandlers) requestVerification(c *gin.Context) {
	claims, _ := ClaimsFrom(c)
	if err := h.recovery.RequestVerification(c.Request.Context(), claims.Subject, client(c)); err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, accepted)
}

func (h recoveryHandlers) verifyEmail(c *gin.Context) {
	var req tokenRequest
	if _, err := decodeJSON(c, &req, true); err != nil {
		fail(c, err)
		return
	}
	u, err := h.recovery.VerifyEmail(c.Request.Context(), req.Token, client(c))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, newUserBody(u))
}

func (h recoveryHandlers) forgotPassword(c *gin.Context) {
	var req forgotRequest
	if _, err := decodeJSON(c, &req, true); err != nil {
		fail(c, err)
		return
	}
	if err := h.recovery.ForgotPassword(c.Request.Context(), req.Email, client(c)); err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, accepted)
}

func (h recoveryHandlers) resetPassword(c *gin.Context) {
	var req resetRequest
	if _, err := decodeJSON(c, &req, true); err != nil {
		fail(c, err)
		return
	}
	if err := h.recovery.ResetPassword(c.Request.Context(), req.Token, req.NewPassword, client(c)); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
