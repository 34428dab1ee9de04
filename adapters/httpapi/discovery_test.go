package httpapi

import (
	"encoding/json"
	"testing"
)

// jwks_uri hangs under an http(s) issuer (a trailing slash is not doubled)
// and is left out for any other issuer; the issuer is kept verbatim.
func TestDiscoveryDocumentJWKSURI(t *testing.T) {
	for issuer, want := range map[string]any{
		"https://auth.example.com":       "https://auth.example.com/.well-known/jwks.json",
		"https://auth.example.com/":      "https://auth.example.com/.well-known/jwks.json",
		"https://example.com/auth":       "https://example.com/auth/.well-known/jwks.json",
		"http://127.0.0.1:8080":          "http://127.0.0.1:8080/.well-known/jwks.json",
		"authd":                          nil,
		"ftp://auth.example.com":         nil,
		"https://auth.example.com/?x=1":  nil,
		"https://user@auth.example.com":  nil,
		"https:///no-host":               nil,
		"https://auth.example.com/#frag": nil,
	} {
		raw, err := DiscoveryDocument(issuer, "ES256")
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatal(err)
		}
		if doc["issuer"] != issuer || doc["jwks_uri"] != want {
			t.Errorf("issuer %q: document %s, want jwks_uri %v", issuer, raw, want)
		}
		for _, member := range []string{"response_types_supported", "subject_types_supported", "id_token_signing_alg_values_supported"} {
			if list, _ := doc[member].([]any); len(list) == 0 {
				t.Errorf("issuer %q: required member %s missing or empty", issuer, member)
			}
		}
	}
}
