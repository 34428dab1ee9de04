// Package seal implements ports.SecretSealer: AES-256-GCM for TOTP secrets
// and HMAC-SHA256 digests for recovery codes, with keys derived by HKDF
// from the refresh secret (each for its one purpose, so none is the refresh
// key itself), and the retired refresh secrets kept for opening and
// matching what was stored under them. Internal to authd; no compatibility
// promise.
package seal
