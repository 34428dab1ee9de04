// Package jwt issues and verifies authd's access tokens (RFC 9068 profile)
// with golang-jwt/v5: HS256 from a secret, or EdDSA/ES256/RS256 from a folder
// of PEM private keys whose public halves are published in the JWKS.
// Internal to authd; no compatibility promise: other services verify
// tokens with adapters/httpapi/jwtverify or any JWT library.
package jwt
