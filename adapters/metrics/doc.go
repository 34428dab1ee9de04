// Package metrics exposes authd's metrics in the Prometheus text format:
// HTTP requests (Gin middleware), security outcomes (a decorator of
// ports.AuditLog), the password-hash queue and live sessions, plus Go
// runtime and process metrics. Every series lives on a per-App set; no
// label ever carries a user id, email or token. Internal to authd; no
// compatibility promise (the metric names are documented in the README).
//
// It is built on VictoriaMetrics/metrics rather than the Prometheus client:
// the same exposition with far less code, and none of that client's
// protobuf and procfs start-up.
package metrics
