package jwt

import (
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"
)

// decodeFast parses the flat object authd itself issues: string values of
// printable ASCII without escapes and integer dates. It reports false for
// anything else, leaving the document to encoding/json. All fields are
// substrings of s, so a whole token costs one string allocation.
func (c *claims) decodeFast(s string) bool {
	p := scanner{s: s}
	if !p.next('{') {
		return false
	}
	if p.next('}') {
		return p.end()
	}
	for {
		key, ok := p.str()
		if !ok || !p.next(':') {
			return false
		}
		switch key {
		case "iss":
			c.iss, ok = p.str()
		case "aud":
			c.audBuf[0], ok = p.str()
			c.aud = c.audBuf[:1]
		case "sub":
			c.sub, ok = p.str()
		case "role":
			c.role, ok = p.str()
		case "sid":
			c.sid, ok = p.str()
		case "jti":
			c.jti, ok = p.str()
		case "amr":
			ok = p.strList(c.amrBuf[:0], &c.amr)
		case "iat":
			ok = p.date(&c.iat, &c.hasIat)
		case "exp":
			ok = p.date(&c.exp, &c.hasExp)
		case "nbf":
			ok = p.date(&c.nbf, &c.hasNbf)
		default:
			// Unknown keys (and keys differing only in case, which
			// encoding/json would match) take the slow path.
			return false
		}
		if !ok {
			return false
		}
		if p.next(',') {
			continue
		}
		return p.next('}') && p.end()
	}
}

type scanner struct {
	s string
	i int
}

func (p *scanner) skipSpace() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// next consumes c after optional white space.
func (p *scanner) next(c byte) bool {
	p.skipSpace()
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *scanner) end() bool {
	p.skipSpace()
	return p.i == len(p.s)
}

// str reads a string with no escapes and only printable ASCII, the only
// kind whose raw bytes equal its decoded value.
func (p *scanner) str() (string, bool) {
	if !p.next('"') {
		return "", false
	}
	start := p.i
	for ; p.i < len(p.s); p.i++ {
		c := p.s[p.i]
		if c == '"' {
			v := p.s[start:p.i]
			p.i++
			return v, true
		}
		if c < 0x20 || c >= 0x80 || c == '\\' {
			return "", false
		}
	}
	return "", false
}

// maxFastAMR is the longest amr the fast path takes; authd issues at most
// three methods.
const maxFastAMR = 4

// strList reads an array of up to cap(buf) strings of str's kind into buf
// and points *out at it; anything else (null, more entries) is left to the
// slow path.
func (p *scanner) strList(buf []string, out *[]string) bool {
	if !p.next('[') {
		return false
	}
	if p.next(']') {
		*out = buf
		return true
	}
	for len(buf) < cap(buf) {
		v, ok := p.str()
		if !ok {
			return false
		}
		buf = append(buf, v)
		if p.next(']') {
			*out = buf
			return true
		}
		if !p.next(',') {
			return false
		}
	}
	return false
}

// maxDigits keeps integers exactly representable as float64, so the result
// equals what gojwt.NumericDate's float decoding would give.
const maxDigits = 15

// date reads an integer number of seconds; fractions and exponents are left
// to the slow path (the following next(',') or next('}') fails on them).
func (p *scanner) date(d *gojwt.NumericDate, has *bool) bool {
	p.skipSpace()
	neg := p.i < len(p.s) && p.s[p.i] == '-'
	if neg {
		p.i++
	}
	start := p.i
	var n int64
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		n = n*10 + int64(p.s[p.i]-'0')
		p.i++
	}
	digits := p.i - start
	if digits == 0 || digits > maxDigits || (digits > 1 && p.s[start] == '0') {
		return false
	}
	if neg {
		n = -n
	}
	d.Time = time.Unix(n, 0)
	*has = true
	return true
}
