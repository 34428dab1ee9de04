package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/authd-dev/authd/ports"
)

// accountHandlers serve the signed-in user's own account.
type accountHandlers struct {
	accounts ports.AccountService
	mfa      ports.MFAService
}

func (h accountHandlers) me(c *gin.Context) {
	claims, _ := ClaimsFrom(c)
	u, on, err := h.mfa.Status(c.Request.Context(), claims.Subject)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, meBody{userBody: newUserBody(u), MFAEnabled: on})
}

func (h accountHandlers) sessions(c *gin.Context) {
	claims, _ := ClaimsFrom(c)
	list, err := h.accounts.Sessions(c.Request.Context(), claims.Subject)
	if err != nil {
		fail(c, err)
		return
	}
	body := sessionsBody{Sessions: make([]sessionBody, 0, len(list))}
	for _, s := range list {
		body.Sessions = append(body.Sessions, newSessionBody(s, claims.SessionID))
	}
	c.JSON(http.StatusOK, body)
}

func (h accountHandlers) endSession(c *gin.Context) {
	claims, _ := ClaimsFrom(c)
	if err := h.accounts.EndSession(c.Request.Context(), claims.Subject, c.Param("id")); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (h accountHandlers) changePassword(c *gin.Context) {
	var req passwordRequest
	if _, err := decodeJSON(c, &req, true); err != nil {
		fail(c, err)
		return
	}
	claims, _ := ClaimsFrom(c)
	err := h.accounts.ChangePassword(c.Request.Context(), claims.Subject, claims.SessionID, req.CurrentPassword, req.NewPassword,
		client(c))
	if err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
