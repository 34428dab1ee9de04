package httpapi

import (
	"time"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

type credentialsRequest struct {
	Email     string `json:"email"`
	Password  string `json:"password"`
	Transport string `json:"transport"`
}

// loginRequest is a register body plus the device token of an earlier login.
type loginRequest struct {
	Email       string `json:"email"`
	Password    string `json:"password"`
	Transport   string `json:"transport"`
	DeviceToken string `json:"deviceToken"`
}

type refreshRequest struct {
	RefreshToken string `json:"refreshToken"`
}

type passwordRequest struct {
	CurrentPassword string `json:"currentPassword"`
	NewPassword     string `json:"newPassword"`
}

// createUserRequest is an admin's new account; Role is optional ("user").
type createUserRequest struct {
	Email    string  `json:"email"`
	Password string  `json:"password"`
	Role     *string `json:"role"`
}

// userPatchRequest is an admin's change to a user: either field, or both.
type userPatchRequest struct {
	Role          *string `json:"role"`
	EmailVerified *bool   `json:"emailVerified"`
}

type userBody struct {
	ID            string `json:"id"`
	Email         string `json:"email"`
	Role          string `json:"role"`
	EmailVerified bool   `json:"emailVerified"`
	CreatedAt     string `json:"createdAt"`
}

type tokensBody struct {
	AccessToken  string `json:"accessToken"`
	RefreshToken string `json:"refreshToken,omitempty"`
	TokenType    string `json:"tokenType"`
	ExpiresIn    int64  `json:"expiresIn"`
	DeviceToken  string `json:"deviceToken,omitempty"`
}

type registerBody struct {
	User userBody `json:"user"`
	tokensBody
}

// pendingRegisterBody answers a registration that opened no session (a
// verified email is required first).
type pendingRegisterBody struct {
	User userBody `json:"user"`
}

type sessionBody struct {
	ID         string `json:"id"`
	CreatedAt  string `json:"createdAt"`
	LastUsedAt string `json:"lastUsedAt"`
	ExpiresAt  string `json:"expiresAt"`
	UserAgent  string `json:"userAgent"`
	IP         string `json:"ip"`
	Current    bool   `json:"current"`
}

type sessionsBody struct {
	Sessions []sessionBody `json:"sessions"`
}

type usersBody struct {
	Users      []userBody `json:"users"`
	NextCursor *string    `json:"nextCursor"`
}

func timeString(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func newUserBody(u domain.User) userBody {
	return userBody{ID: u.ID(), Email: u.Email().String(), Role: u.Role().String(), EmailVerified: u.EmailVerified(),
		CreatedAt: timeString(u.CreatedAt())}
}

// newTokensBody leaves the refresh and device tokens out when they travel
// by cookie.
func newTokensBody(t ports.Tokens, byCookie bool) tokensBody {
	b := tokensBody{AccessToken: t.AccessToken, TokenType: "Bearer", ExpiresIn: int64(t.ExpiresIn / time.Second)}
	if !byCookie {
		b.RefreshToken, b.DeviceToken = t.RefreshToken, t.DeviceToken
	}
	return b
}

func newSessionBody(s domain.Session, currentID string) sessionBody {
	return sessionBody{
		ID: s.ID(), CreatedAt: timeString(s.CreatedAt()), LastUsedAt: timeString(s.LastUsedAt()),
		ExpiresAt: timeString(s.ExpiresAt()), UserAgent: s.UserAgent(), IP: s.IP(), Current: s.ID() == currentID,
	}
}
