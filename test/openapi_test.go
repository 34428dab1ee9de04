package test

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/authd-dev/authd/adapters/httpapi"
)

// TestOpenAPIServed: /openapi.json serves the embedded document, which is
// a valid OpenAPI 3 document covering every endpoint of the contract.
func TestOpenAPIServed(t *testing.T) {
	e := newEnv(t, nil)
	r := e.do(req{Method: http.MethodGet, Path: "/openapi.json"}).expect(t, http.StatusOK, "")
	if !bytes.Equal(r.Body, httpapi.OpenAPI()) {
		t.Fatal("served document differs from the embedded one")
	}
	doc, err := openapi3.NewLoader().LoadFromData(r.Body)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("validate: %v", err)
	}
	for path, methods := range contractEndpoints {
		item := doc.Paths.Find(path)
		if item == nil {
			t.Errorf("%s is not documented", path)
			continue
		}
		for _, m := range methods {
			if item.GetOperation(m) == nil {
				t.Errorf("%s %s is not documented", m, path)
			}
		}
	}
	codes := doc.Components.Schemas["Error"].Value.Properties["code"].Value.Enum
	for _, code := range []string{"LAST_ADMIN", "RATE_LIMITED", "VERIFICATION_TOKEN_INVALID", "RESET_TOKEN_INVALID", "EMAIL_NOT_VERIFIED",
		"MFA_REQUIRED", "MFA_CODE_INVALID", "MFA_TOKEN_INVALID", "MFA_ALREADY_ENABLED"} {
		if !containsValue(codes, code) {
			t.Errorf("error code %s is not documented: %v", code, codes)
		}
	}
}

// contractEndpoints is CONTRACT.md's endpoint table.
var contractEndpoints = map[string][]string{
	"/v1/auth/register": {"POST"}, "/v1/auth/login": {"POST"}, "/v1/auth/refresh": {"POST"},
	"/v1/auth/logout": {"POST"}, "/v1/auth/logout-all": {"POST"}, "/v1/auth/me": {"GET"},
	"/v1/auth/sessions": {"GET"}, "/v1/auth/sessions/{id}": {"DELETE"}, "/v1/auth/password": {"POST"},
	"/v1/admin/users": {"GET"}, "/v1/admin/users/{id}": {"PATCH", "DELETE"},
	"/.well-known/jwks.json": {"GET"}, "/.well-known/openid-configuration": {"GET"}, "/healthz": {"GET"}, "/readyz": {"GET"}, "/metrics": {"GET"},
	"/openapi.json":                 {"GET"},
	"/v1/auth/verify-email/request": {"POST"}, "/v1/auth/verify-email": {"POST"},
	"/v1/auth/password/forgot": {"POST"}, "/v1/auth/password/reset": {"POST"},
	"/v1/auth/mfa/totp/enroll": {"POST"}, "/v1/auth/mfa/totp/confirm": {"POST"}, "/v1/auth/mfa/verify": {"POST"},
	"/v1/auth/mfa/totp/disable": {"POST"}, "/v1/admin/users/{id}/mfa": {"DELETE"},
}

func containsValue(list []any, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
