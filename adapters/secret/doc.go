// Package secret resolves the symmetric keys authd needs (the HS256 access
// token secret, the refresh token HMAC key) from configuration, or — for the
// zero-setup SQLite default — from a random key generated once and kept in
// the data folder. Internal to authd; no compatibility promise.
package secret
