// Package passhash hashes passwords with bcrypt on a bounded pool of
// low-priority workers, so a flood of logins cannot take the CPU from
// other requests, behind a bounded queue served fairly across callers.
// Internal to authd; no compatibility promise.
package passhash
