package sqlstore

import "github.com/google/wire"

// ProviderSet provides the repositories and the health check from an open
// *DB. Binding them to the ports happens at the root.
var ProviderSet = wire.NewSet(NewUsers, NewSessions, NewTokens, NewMFA, NewMFAChallenges, NewHealth)
