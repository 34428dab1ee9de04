package httpapi

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

var errRefreshRequired = newAPIError(http.StatusBadRequest, "REFRESH_TOKEN_REQUIRED", "a refresh token is required in the body or the cookie")

// authHandlers serves the token flows.
type authHandlers struct {
	auth    ports.AuthService
	cookies cookies
}

func client(c *gin.Context) domain.Client {
	return domain.Client{UserAgent: c.Request.UserAgent(), IP: c.ClientIP()}
}

func (h authHandlers) register(c *gin.Context) {
	creds, cookie, err := credentials(c)
	if err != nil {
		fail(c, err)
		return
	}
	u, tokens, err := h.auth.Register(c.Request.Context(), creds)
	if err != nil {
		fail(c, err)
		return
	}
	if tokens.AccessToken == "" { // no session until the email is verified
		c.JSON(http.StatusCreated, pendingRegisterBody{User: newUserBody(u)})
		return
	}
	h.answer(c, http.StatusCreated, tokens, cookie, &u)
}

func (h authHandlers) login(c *gin.Context) {
	var req loginRequest
	if _, err := decodeJSON(c, &req, true); err != nil {
		fail(c, err)
		return
	}
	cookie, err := byCookie(req.Transport)
	if err != nil {
		fail(c, err)
		return
	}
	creds := ports.Credentials{Email: req.Email, Password: req.Password, Client: client(c),
		DeviceToken: presentedDevice(c, req.DeviceToken), CookieTransport: cookie}
	tokens, err := h.auth.Login(c.Request.Context(), creds)
	if err != nil {
		loginFailed(c, err)
		return
	}
	h.answer(c, http.StatusOK, tokens, cookie, nil)
}

// credentials decodes a register body and its transport choice.
func credentials(c *gin.Context) (creds ports.Credentials, byCookieTransport bool, err error) {
	var req credentialsRequest
	if _, err := decodeJSON(c, &req, true); err != nil {
		return creds, false, err
	}
	if byCookieTransport, err = byCookie(req.Transport); err != nil {
		return creds, false, err
	}
	return ports.Credentials{Email: req.Email, Password: req.Password, Client: client(c)}, byCookieTransport, nil
}

func (h authHandlers) refresh(c *gin.Context) {
	token, cookie, err := h.presentedRefresh(c)
	if err != nil {
		fail(c, err)
		return
	}
	tokens, err := h.auth.Refresh(c.Request.Context(), token, client(c))
	if err != nil {
		if cookie && refreshRejected(err) {
			h.cookies.clear(c) // a dead cookie is only noise on every later request
		}
		fail(c, err)
		return
	}
	h.answer(c, http.StatusOK, tokens, cookie, nil)
}

func refreshRejected(err error) bool {
	return errors.Is(err, domain.ErrRefreshInvalid) || errors.Is(err, domain.ErrRefreshExpired) ||
		errors.Is(err, domain.ErrRefreshReused)
}

func (h authHandlers) logout(c *gin.Context) {
	token, cookie, err := h.presentedRefresh(c)
	if err != nil {
		fail(c, err)
		return
	}
	if err := h.auth.Logout(c.Request.Context(), token); err != nil {
		fail(c, err)
		return
	}
	if cookie {
		h.cookies.clear(c)
	}
	c.Status(http.StatusNoContent)
}

func (h authHandlers) logoutAll(c *gin.Context) {
	claims, _ := ClaimsFrom(c)
	if err := h.auth.LogoutAll(c.Request.Context(), claims.Subject); err != nil {
		fail(c, err)
		return
	}
	h.cookies.clear(c)
	c.Status(http.StatusNoContent)
}

// presentedRefresh takes the refresh token from the body, else from the
// cookie; a cookie-carried one must come from an allowed origin.
func (h authHandlers) presentedRefresh(c *gin.Context) (token string, byCookie bool, err error) {
	var req refreshRequest
	if _, err := decodeJSON(c, &req, false); err != nil {
		return "", false, err
	}
	if req.RefreshToken != "" {
		return req.RefreshToken, false, nil
	}
	cookie, err := c.Request.Cookie(RefreshCookie)
	if err != nil || cookie.Value == "" {
		return "", false, errRefreshRequired
	}
	if !h.cookies.originAllowed(c.Request) {
		return "", true, errOriginRejected
	}
	return cookie.Value, true, nil
}

// answer writes a token response; by cookie, the refresh and device tokens
// go into their HttpOnly cookies and are left out of the body.
func (h authHandlers) answer(c *gin.Context, status int, t ports.Tokens, byCookie bool, u *domain.User) {
	tokenResponse(c)
	if byCookie {
		h.cookies.set(c, t.RefreshToken, t.RefreshTTL)
		if t.DeviceToken != "" {
			h.cookies.setDevice(c, t.DeviceToken)
		}
	}
	body := newTokensBody(t, byCookie)
	if u != nil {
		c.JSON(status, registerBody{User: newUserBody(*u), tokensBody: body})
		return
	}
	c.JSON(status, body)
}
