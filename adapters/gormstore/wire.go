package gormstore

import "github.com/google/wire"

// ProviderSet provides the repositories and the health check from a
// *gorm.DB and a Pool. Binding them to the ports happens at the root.
var ProviderSet = wire.NewSet(NewUsers, NewSessions, NewTokens, NewMFA, NewMFAChallenges, NewHealth)

// One set per backend: the opener plus the repositories. The injector
// supplies the context, the typed DSN and the Pool, and calls Migrate.
var (
	SQLiteSet   = wire.NewSet(OpenSQLite, ProviderSet)
	PostgresSet = wire.NewSet(OpenPostgres, ProviderSet)
	MySQLSet    = wire.NewSet(OpenMySQL, ProviderSet)
)
