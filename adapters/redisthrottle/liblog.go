package redisthrottle

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/redis/go-redis/v9"
)

// RouteLibraryLogs sends the Redis client library's own log lines (one per
// failed dial, in its own plain format on stderr by default) to log at
// debug level: the outage warnings of this package already tell operators,
// at a bounded rate. The library's logger is process-wide, so the last
// call wins.
func RouteLibraryLogs(log *slog.Logger) { redis.SetLogger(libraryLog{log}) }

type libraryLog struct{ log *slog.Logger }

func (l libraryLog) Printf(ctx context.Context, format string, v ...any) {
	l.log.DebugContext(ctx, "redis client", slog.String("message", fmt.Sprintf(format, v...)))
}
