// Package authd is the composition root of the authd JWT authentication
// service: its configuration, the one Wire injector that composes a graph
// of adapters around the use cases, and the App that serves the API and
// runs the janitor. Supported API for embedding teams: Config and its
// section types (with DefaultConfig, Load, Validate, Sections and the
// Driver constants), Initialize with its Options (WithLogger, WithClock,
// WithStorage, WithAuditLog, WithClaims), the App it returns (Router, Run,
// Close), and SystemClock. The rest exported here (NewApp,
// GenerateSigningKey, Migrate, OpenConsole, PrintFlags, UnknownVariables)
// serves Wire and the command line: internal to authd; no compatibility
// promise.
package authd
