package domain

// Role is a lower-case identifier matching [a-z][a-z0-9_-]{0,31}.
type Role string

// Built-in roles: every new account is RoleUser; RoleAdmin passes every check.
const (
	RoleUser  Role = "user"
	RoleAdmin Role = "admin"
)

// NewRole validates s as a role name.
func NewRole(s string) (Role, error) {
	if !validRole(s) {
		return "", NewValidationError("role", "must match [a-z][a-z0-9_-]{0,31}")
	}
	return Role(s), nil
}

func validRole(s string) bool {
	if len(s) == 0 || len(s) > 32 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// Satisfies reports whether r passes a check requiring any of required.
// Admin passes every check; an empty requirement is passed by everyone.
func (r Role) Satisfies(required ...Role) bool {
	if r == RoleAdmin || len(required) == 0 {
		return true
	}
	for _, want := range required {
		if r == want {
			return true
		}
	}
	return false
}

// String returns the role name.
func (r Role) String() string { return string(r) }
