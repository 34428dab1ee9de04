package application

import (
	"context"
	"crypto/rand"
	"time"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// trustedDevice returns the id of the device raw vouches for: its MAC
// verifies, and it was issued to the login's account under its current
// password. Otherwise "", and the login is throttled like any other
// client's. Only a token whose MAC verifies costs a user lookup.
func (a *Auth) trustedDevice(account accountLookup, raw string, now time.Time) string {
	if raw == "" {
		return ""
	}
	d, ok := a.devices.Verify(raw, now)
	if !ok {
		return ""
	}
	u, err := account()
	if err != nil || !a.devices.Vouches(d, u) {
		return ""
	}
	return d.ID
}

// signIn opens a session for u and mints the token of the device signing
// in: a trusted device keeps its id (and so its own counter) with a fresh
// lifetime; any other client ("") becomes a new device. The id is drawn
// before the session is written, so an error leaves no session behind. amr
// is how the user authenticated; the session keeps it.
func (a *Auth) signIn(ctx context.Context, u domain.User, client domain.Client, deviceID string, amr []string) (ports.Tokens, error) {
	if deviceID == "" {
		var err error
		if deviceID, err = domain.NewID(rand.Reader); err != nil {
			return ports.Tokens{}, err
		}
	}
	tokens, err := a.issuer.openSession(ctx, u, client, amr)
	if err != nil {
		return ports.Tokens{}, err
	}
	tokens.DeviceToken = a.devices.Mint(u, deviceID, a.issuer.clock.Now())
	return tokens, nil
}
