package test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/authd-dev/authd/adapters/httpapi"
)

// maxCapture bounds how much of a request body is buffered for validation;
// a test that streams more (oversized or endless bodies) is passed through.
const maxCapture = 1 << 20

// spec is the embedded OpenAPI document and its router, loaded once.
var spec = sync.OnceValues(func() (*specIndex, error) {
	// The demo page's media types, which kin-openapi does not decode itself.
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.FileBodyDecoder)
	openapi3filter.RegisterBodyDecoder("text/javascript", openapi3filter.FileBodyDecoder)
	doc, err := openapi3.NewLoader().LoadFromData(httpapi.OpenAPI())
	if err != nil {
		return nil, fmt.Errorf("load openapi.json: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi.json is not a valid OpenAPI document: %w", err)
	}
	r, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, err
	}
	return &specIndex{doc: doc, router: r}, nil
})

type specIndex struct {
	doc    *openapi3.T
	router routers.Router
}

// validateAgainstSpec is the harness's observe hook: every exchange of the
// end-to-end suite is checked against the document, failing the test that
// made it.
func validateAgainstSpec(t testing.TB, next http.RoundTripper) http.RoundTripper {
	return specCheck{t: t, next: next}
}

type specCheck struct {
	t    testing.TB
	next http.RoundTripper
}

func (s specCheck) RoundTrip(r *http.Request) (*http.Response, error) {
	reqBody, complete, sent, err := capture(r)
	if err != nil {
		return nil, err
	}
	res, err := s.next.RoundTrip(sent)
	if err != nil {
		return res, err
	}
	resBody, err := io.ReadAll(res.Body)
	res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(resBody))
	if err != nil {
		return res, nil // the test reading the body sees the same failure
	}
	ix, err := spec()
	if err != nil {
		s.t.Errorf("openapi: %v", err)
		return res, nil
	}
	if err := ix.check(r, reqBody, complete, res, resBody); err != nil {
		s.t.Errorf("openapi: %s %s -> %d does not match openapi.json: %v\nresponse: %.500s",
			r.Method, r.URL.Path, res.StatusCode, err, resBody)
	}
	return res, nil
}

// capture buffers up to maxCapture bytes of r's body and returns the
// request to send (a clone, as RoundTrippers must not modify requests).
func capture(r *http.Request) (body []byte, complete bool, sent *http.Request, err error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, true, r, nil
	}
	body, err = io.ReadAll(io.LimitReader(r.Body, maxCapture+1))
	if err != nil {
		return nil, false, nil, err
	}
	sent = r.Clone(r.Context())
	if len(body) <= maxCapture {
		r.Body.Close()
		sent.Body = io.NopCloser(bytes.NewReader(body))
		return body, true, sent, nil
	}
	sent.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(body), r.Body), r.Body}
	return nil, false, sent, nil
}

// check validates one exchange. Requests are validated only when the
// service accepted them (2xx): other tests send invalid requests on
// purpose. Responses are always validated.
func (ix *specIndex) check(r *http.Request, reqBody []byte, complete bool, res *http.Response, resBody []byte) error {
	vr := r.Clone(context.Background())
	vr.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, err := ix.router.FindRoute(vr)
	if err != nil {
		return ix.checkUnrouted(r, res, resBody)
	}
	opts := &openapi3filter.Options{
		AuthenticationFunc: authenticated, IncludeResponseStatus: true, SkipSettingDefaults: true,
		ExcludeRequestBody: !complete, MultiError: true,
	}
	in := &openapi3filter.RequestValidationInput{Request: vr, PathParams: params, Route: route, Options: opts}
	if res.StatusCode/100 == 2 {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			return fmt.Errorf("request: %w", err)
		}
	}
	return openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: res.StatusCode, Header: res.Header,
		Body: io.NopCloser(bytes.NewReader(resBody)), Options: opts,
	})
}

// checkUnrouted covers requests the document has no operation for: the
// answer must be the documented error shape (404 NOT_FOUND, 405
// METHOD_NOT_ALLOWED, …), or the empty 204 of a CORS preflight.
func (ix *specIndex) checkUnrouted(r *http.Request, res *http.Response, body []byte) error {
	if r.Method == http.MethodOptions && res.StatusCode == http.StatusNoContent && len(body) == 0 {
		return nil
	}
	if r.Method == http.MethodHead && len(body) == 0 {
		return nil
	}
	if res.StatusCode < 400 {
		return fmt.Errorf("no operation in the document for %s %s, yet it answered %d", r.Method, r.URL.Path, res.StatusCode)
	}
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		return fmt.Errorf("error response is %q, not JSON", res.Header.Get("Content-Type"))
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("error body: %w", err)
	}
	return ix.doc.Components.Schemas["Error"].Value.VisitJSON(v)
}

// authenticated checks that a request the service accepted carried the
// credentials its operation's security scheme names.
func authenticated(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	r := in.RequestValidationInput.Request
	switch in.SecuritySchemeName {
	case "bearerAuth":
		scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		if !ok || !strings.EqualFold(scheme, "bearer") || token == "" {
			return errors.New("no Bearer token")
		}
	case "refreshCookie":
		if c, err := r.Cookie(httpapi.RefreshCookie); err != nil || c.Value == "" {
			return errors.New("no refresh cookie")
		}
	default:
		return fmt.Errorf("unknown security scheme %q", in.SecuritySchemeName)
	}
	return nil
}
