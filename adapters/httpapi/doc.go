// Package httpapi is authd's HTTP adapter: the Gin router, handlers, DTOs
// (JSON tags live only here), middleware and the one error table. Supported
// API for embedding teams: the middleware Authenticate, RequireRole,
// RequireCurrentRole and ClaimsFrom, which guard a team's own routes.
// Everything else exported here (the router, its Deps and Config, the verify
// cache, the documents it serves) is internal to authd; no compatibility
// promise.
package httpapi
