package httpapi

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
)

// discovery is the part of OpenID Connect Discovery 1.0 provider metadata
// that authd can state truthfully, plus the members the specification
// requires, so that standard libraries configure token verification from
// the issuer URL alone. authd is not an OpenID Provider: it has no
// authorization endpoint and issues access tokens, not ID tokens.
type discovery struct {
	Issuer  string `json:"issuer"`
	JWKSURI string `json:"jwks_uri,omitempty"`
	// ResponseTypes says tokens are handed out directly (by login), the
	// nearest registered value; the member is required.
	ResponseTypes []string `json:"response_types_supported"`
	SubjectTypes  []string `json:"subject_types_supported"` // sub is the user id for every client
	SigningAlgs   []string `json:"id_token_signing_alg_values_supported"`
}

// DiscoveryDocument renders the metadata served at
// /.well-known/openid-configuration. jwks_uri is issuer +
// "/.well-known/jwks.json" when issuer is an http(s) URL, and left out
// otherwise: deriving it from the request's Host would let whoever sets
// that header point verifiers at their own keys.
func DiscoveryDocument(issuer, alg string) ([]byte, error) {
	d := discovery{Issuer: issuer, ResponseTypes: []string{"token"}, SubjectTypes: []string{"public"},
		SigningAlgs: []string{alg}}
	if isHTTPURL(issuer) {
		d.JWKSURI = strings.TrimSuffix(issuer, "/") + "/.well-known/jwks.json"
	}
	return json.Marshal(d)
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" &&
		u.User == nil && u.RawQuery == "" && u.Fragment == ""
}

// serveDiscovery answers with doc, built once: it changes only with the
// configuration.
func serveDiscovery(doc []byte) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Header("Cache-Control", "public, max-age=300")
		c.Data(http.StatusOK, "application/json", doc)
	}
}
