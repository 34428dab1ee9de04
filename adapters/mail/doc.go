// Package mail delivers authd's account mails (email verification,
// password reset): Templates renders them from text/template and
// html/template files (embedded, each replaceable from a folder), Composer
// builds the multipart/alternative RFC 5322 message, and one of two
// ports.Mailer adapters delivers it: SMTP (STARTTLS, implicit TLS, or an
// explicit plain relay; SMTP AUTH when credentials are given) or Outbox,
// which writes .eml files for development. Neither ever logs a link or a
// message body. Internal to authd; no compatibility promise.
package mail
