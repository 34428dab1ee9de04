package authd

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/authd-dev/authd/adapters/mail"
)

// checkProxy accepts a CIDR or a single address.
func checkProxy(p string) error {
	if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
		return fmt.Errorf("%q is neither a CIDR nor an IP address", p)
	}
	return nil
}

// checkOrigin accepts scheme://host[:port] and nothing more: an origin is
// compared whole with the request's Origin header.
func checkOrigin(o string) error {
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
		return fmt.Errorf("%q is not an origin like https://app.example.com", o)
	}
	return nil
}

// checkSMTPURL never repeats the URL, which may hold a password.
func checkSMTPURL(raw string) error {
	if raw == "" {
		return nil
	}
	_, err := mail.ParseURL(raw)
	return err
}

func checkMailFrom(from string) error {
	_, err := mail.ParseFrom(from)
	return err
}

// checkLinkURL wants an http(s) URL without a fragment: the token is
// added as one (#verify=…).
func checkLinkURL(link string) error {
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		strings.Contains(link, "#") {
		return fmt.Errorf("%q is not an http(s) URL without a fragment (the token is added as #verify=…)", link)
	}
	return nil
}
