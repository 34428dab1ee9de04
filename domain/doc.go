// Package domain holds authd's entities, value objects and rules. It imports
// only the standard library, does no I/O and never reads the clock: time is
// always passed in. Supported API for embedding teams, who meet its types
// (User, Role, AccessClaims, Session) and error sentinels through the root,
// the ports and the HTTP middleware.
package domain
