// Package authd is the composition root of the authd JWT authentication
// service: its configuration, the Wire injectors that compose one graph of
// adapters around the use cases, and the App that serves the API and runs
// the janitor. Supported API for embedding teams: Config (with Load and
// the Driver constants), Initialize, the App it returns, and SystemClock.
// The rest exported here (the per-backend injectors, InitializeWith,
// NewApp, SchemaReady, GenerateSigningKey) serves Wire, the command line
// and authd's own tests: internal to authd; no compatibility promise.
package authd
