package domain

import "time"

// RefreshDecision is what a presented refresh token calls for.
type RefreshDecision int

// The outcomes of DecideRefresh that are not errors.
const (
	// DecideRotate: the token is the current one; spend it and issue the next.
	DecideRotate RefreshDecision = iota + 1
	// DecideReplay: the token was spent within the grace window; answer with
	// the current generation's token again, writing nothing.
	DecideReplay
	// DecideRevoke: an old token came back; revoke the session as stolen.
	DecideRevoke
)

// DecideRefresh applies the rotation rules to a session whose MAC check has
// already passed for presented generation g. Revoked sessions are invalid
// (revocation is never undone); expired ones are expired; a generation ahead
// of the row is invalid (it can only come from a restored backup).
func DecideRefresh(s Session, g uint64, now time.Time, p SessionPolicy) (RefreshDecision, error) {
	G := s.Generation()
	switch {
	case s.Revoked() || g > G || g == 0:
		return 0, ErrRefreshInvalid
	case s.Expired(now):
		return 0, ErrRefreshExpired
	case g == G:
		return DecideRotate, nil
	case g == G-1 && !s.RotatedAt().IsZero() && now.Sub(s.RotatedAt()) <= p.Grace:
		return DecideReplay, nil
	default:
		return DecideRevoke, nil
	}
}
