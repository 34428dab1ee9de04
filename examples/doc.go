// Package examples demonstrates embedding authd. Internal to authd: no API.
//
// It shows, in compiled and tested Example functions, how a
// team embeds authd and extends it at its seams: a custom claim
// (authd.WithClaims), its own audit log (authd.WithAuditLog with
// auditlog.Fanout), in-memory storage for tests (authd.WithStorage with
// memstore) and a manual clock (authd.WithClock). docs/embedding.md quotes
// them.
package examples
