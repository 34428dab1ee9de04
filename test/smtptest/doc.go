// Package smtptest runs a real SMTP server (github.com/emersion/go-smtp) in
// the test process and records what it receives, so mail adapters and
// end-to-end flows are tested against the protocol, TLS and AUTH as a mail
// server speaks them. Internal to authd; no compatibility promise.
package smtptest
