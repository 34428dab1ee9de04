package httpapi

import (
	"context"
	"errors"
	"fmt"

	"github.com/gin-gonic/gin"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// RequireCurrentRole is RequireRole decided by the caller's current user
// record instead of the token's role claim. It reads the token subject's
// record through users on every request, so a demotion or a deletion takes
// effect at once rather than when the access token expires (and a promotion
// counts at once too). Mount it after Authenticate.
//
// A caller whose record no longer exists gets 401 TOKEN_INVALID; one whose
// current role is none of roles gets 403 INSUFFICIENT_ROLE, whatever role the
// token carries; role admin passes every check. With no roles it only
// requires the caller to still exist. Storage that does not answer is 503
// UNAVAILABLE. The price is one read by primary key per request; routes that
// can live with the token's role for its lifetime use RequireRole instead.
func RequireCurrentRole(users ports.UserLookup, roles ...string) gin.HandlerFunc {
	required := toRoles(roles)
	return func(c *gin.Context) {
		claims, ok := requireClaims(c)
		if !ok {
			return
		}
		current, err := currentUser(c.Request.Context(), users, claims.Subject)
		if err != nil {
			fail(c, err)
			return
		}
		if !current.Role().Satisfies(required...) {
			fail(c, domain.ErrInsufficientRole)
			return
		}
		c.Next()
	}
}

// currentUser reads the record of a verified token's subject; a subject that
// is no user (any more) makes the token invalid.
func currentUser(ctx context.Context, users ports.UserLookup, id string) (domain.User, error) {
	if _, err := domain.ParseID(id); err != nil {
		return domain.User{}, domain.ErrTokenInvalid
	}
	u, err := users.ByID(ctx, id)
	if errors.Is(err, domain.ErrNotFound) {
		return domain.User{}, domain.ErrTokenInvalid
	}
	if err != nil {
		return domain.User{}, fmt.Errorf("load the caller's current record: %w", err)
	}
	return u, nil
}

func toRoles(names []string) []domain.Role {
	out := make([]domain.Role, len(names))
	for i, r := range names {
		out[i] = domain.Role(r)
	}
	return out
}
