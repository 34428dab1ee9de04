package domain

import (
	"strconv"
	"time"
)

// FailureCounter is one counter of failed attempts a throttle keeps: at
// most Limit failures per Window under Key. Keys are opaque to the store.
type FailureCounter struct {
	Key    string
	Limit  int
	Window time.Duration
}

// Off reports a counter that is switched off (a limit or window that is
// not positive): throttles neither check nor keep it.
func (c FailureCounter) Off() bool { return c.Limit <= 0 || c.Window <= 0 }

// LoginLimits are the failure budgets per Window; a zero limit turns that
// counter off.
type LoginLimits struct {
	PerPair    int // per (account, client address); also per device token
	PerAccount int // per account across addresses, for clients without a device token
	PerAddress int // per client address across accounts
	Window     time.Duration
}

// LoginAttempt is one password check: which account, from where, and the
// device id of a device token verified for that very account ("" if none).
type LoginAttempt struct {
	Account string // the normalised email, so unknown emails count alike
	Address string
	Device  string
}

// ThrottleRule says which counters an attempt is checked against and
// counted on when it fails, split by what a success does to them.
type ThrottleRule struct {
	// Reset are the client's own counters, forgotten after a success.
	Reset []FailureCounter
	// Keep survive a success: an account's or an address's count must not be
	// wiped by someone else's login (an attacker logging in to an account of
	// its own between guesses).
	Keep []FailureCounter
}

// All is every counter of the rule.
func (r ThrottleRule) All() []FailureCounter {
	return append(append([]FailureCounter(nil), r.Reset...), r.Keep...)
}

// ForLogin is the rule of a login attempt. With a trusted device only the
// device's own counter applies, so no other client's failures can refuse
// it. Without one, the (account, address) pair, the account's ceiling and
// the address's count across accounts all apply.
func (l LoginLimits) ForLogin(a LoginAttempt) ThrottleRule {
	if a.Device != "" {
		return ThrottleRule{Reset: l.counters(counter("login:device:", a.Device, l.PerPair))}
	}
	return ThrottleRule{
		Reset: l.counters(counter("login:pair:", pair(a.Address, a.Account), l.PerPair)),
		Keep: l.counters(
			counter("login:account:", a.Account, l.PerAccount),
			counter("login:address:", a.Address, l.PerAddress),
		),
	}
}

// ForPasswordChange is the rule of a wrong current password at a password
// change: per (user, address) and per session, never the login counters, so
// failed logins cannot block a change and a stolen access token buys at most
// PerPair guesses per window.
func (l LoginLimits) ForPasswordChange(userID, sessionID, address string) ThrottleRule {
	cs := []FailureCounter{counter("password:pair:", pair(address, userID), l.PerPair)}
	if sessionID != "" {
		cs = append(cs, counter("password:session:", sessionID, l.PerPair))
	}
	return ThrottleRule{Reset: l.counters(cs...)}
}

// ForForgotPassword is the rule of a forgot-password request: per email
// (PerPair, so one mailbox gets at most that many reset mails per window)
// and per client address across emails (PerAddress), in counters of their
// own so requests never lock a login out. Every request counts as a
// failure: each one may send a mail.
func (l LoginLimits) ForForgotPassword(account, address string) ThrottleRule {
	return ThrottleRule{Keep: l.counters(
		counter("forgot:account:", account, l.PerPair),
		counter("forgot:address:", address, l.PerAddress),
	)}
}

// counters sets the window and drops counters that are off.
func (l LoginLimits) counters(cs ...FailureCounter) []FailureCounter {
	out := cs[:0]
	for _, c := range cs {
		c.Window = l.Window
		if !c.Off() {
			out = append(out, c)
		}
	}
	return out
}

func counter(kind, id string, limit int) FailureCounter {
	return FailureCounter{Key: kind + id, Limit: limit}
}

// pair joins an address and an account, the address's length first, so no
// two pairs share a key whatever either part holds.
func pair(address, account string) string {
	return strconv.Itoa(len(address)) + ":" + address + "|" + account
}
