package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
)

// MaxBodyBytes is the largest request body accepted.
const MaxBodyBytes = 64 << 10

var (
	errTooLarge      = newAPIError(http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE", "request body is larger than 64 KiB")
	errMediaType     = newAPIError(http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", "request body must be application/json")
	errNotJSONObject = newAPIError(http.StatusBadRequest, "INVALID_JSON", "request body must be one JSON object of the documented shape")
)

// readBody returns the raw body, refusing one over MaxBodyBytes (without
// reading the rest) and one that is not application/json (before reading
// it). An absent body is (nil, nil).
func readBody(c *gin.Context) ([]byte, error) {
	r := c.Request
	if r.ContentLength > MaxBodyBytes {
		return nil, errTooLarge
	}
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
		return nil, nil
	}
	if !isJSON(r.Header.Get("Content-Type")) {
		return nil, errMediaType
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, r.Body, MaxBodyBytes))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return nil, errTooLarge
	case err != nil:
		return nil, newAPIError(http.StatusBadRequest, "INVALID_JSON", "request body could not be read")
	case len(body) == 0:
		return nil, nil
	}
	return body, nil
}

func isJSON(contentType string) bool {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "application/json" {
		return false
	}
	cs, ok := params["charset"]
	return !ok || strings.EqualFold(cs, "utf-8")
}

// decodeJSON reads exactly one JSON object into dst: valid UTF-8, no
// unknown fields, no trailing data, every field of the right type.
// required says whether an empty body is an error.
func decodeJSON(c *gin.Context, dst any, required bool) (present bool, err error) {
	body, err := readBody(c)
	if err != nil {
		return false, err
	}
	if body == nil {
		if required {
			return false, errNotJSONObject
		}
		return false, nil
	}
	return true, unmarshalStrict(body, dst)
}

// unmarshalStrict is the decoding rule of every request body: one JSON
// object, valid UTF-8, only the struct's member names spelled exactly and
// each at most once, no trailing data, every field of the right type.
func unmarshalStrict(body []byte, dst any) error {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if !utf8.Valid(body) || len(trimmed) == 0 || trimmed[0] != '{' {
		return errNotJSONObject
	}
	if err := checkMembers(body, memberNames(dst)); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return errNotJSONObject
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errNotJSONObject
	}
	return nil
}
