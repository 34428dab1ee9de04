package gormstore

import (
	"context"

	"gorm.io/gorm"
)

// Health implements ports.HealthChecker by pinging the pool.
type Health struct{ db *gorm.DB }

// NewHealth returns a health check on db.
func NewHealth(db *gorm.DB) *Health { return &Health{db: db} }

// Ping returns nil when the database answers within ctx's deadline, else an
// error wrapping domain.ErrUnavailable.
func (h *Health) Ping(ctx context.Context) error {
	sqlDB, err := h.db.DB()
	if err != nil {
		return classify(err, "ping")
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		return unreachable(err, "ping") // whatever the cause, it does not answer
	}
	return nil
}
