package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// adminHandlers serve user administration.
type adminHandlers struct {
	admin ports.AdminService
}

func (h adminHandlers) list(c *gin.Context) {
	limit := 0
	if raw, ok := c.GetQuery("limit"); ok {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 {
			fail(c, domain.NewValidationError("limit", "must be a positive whole number"))
			return
		}
		limit = n
	}
	claims, _ := ClaimsFrom(c)
	users, next, err := h.admin.ListUsers(c.Request.Context(), claims.Subject, c.Query("cursor"), limit)
	if err != nil {
		fail(c, err)
		return
	}
	body := usersBody{Users: make([]userBody, 0, len(users))}
	for _, u := range users {
		body.Users = append(body.Users, newUserBody(u))
	}
	if next != "" {
		body.NextCursor = &next
	}
	c.JSON(http.StatusOK, body)
}

// create lets an admin add an account, which is how users are created over
// HTTP while registration is closed. No tokens are issued: the new user
// logs in on their own.
func (h adminHandlers) create(c *gin.Context) {
	var req createUserRequest
	if _, err := decodeJSON(c, &req, true); err != nil {
		fail(c, err)
		return
	}
	role := domain.RoleUser
	if req.Role != nil {
		role = domain.Role(*req.Role) // validated by the use case
	}
	claims, _ := ClaimsFrom(c)
	u, err := h.admin.CreateUser(c.Request.Context(), req.Email, req.Password, role, claims.Subject)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, newUserBody(u))
}

// patchUser changes a user's role, its email-verified flag, or both (the
// role first; each change is its own write).
func (h adminHandlers) patchUser(c *gin.Context) {
	var req userPatchRequest
	if _, err := decodeJSON(c, &req, true); err != nil {
		fail(c, err)
		return
	}
	if req.Role == nil && req.EmailVerified == nil {
		fail(c, domain.NewValidationError("role", "role or emailVerified is required"))
		return
	}
	claims, _ := ClaimsFrom(c)
	ctx, id := c.Request.Context(), c.Param("id")
	var u domain.User
	var err error
	if req.Role != nil {
		u, err = h.admin.ChangeRole(ctx, claims.Subject, id, domain.Role(*req.Role))
	}
	if err == nil && req.EmailVerified != nil {
		u, err = h.admin.SetEmailVerified(ctx, claims.Subject, id, *req.EmailVerified)
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, newUserBody(u))
}

func (h adminHandlers) deleteUser(c *gin.Context) {
	claims, _ := ClaimsFrom(c)
	if err := h.admin.DeleteUser(c.Request.Context(), claims.Subject, c.Param("id")); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
