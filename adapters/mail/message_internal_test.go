package mail

import (
	"testing"
	"time"
)

func TestLifetimeInWords(t *testing.T) {
	for d, want := range map[time.Duration]string{
		24 * time.Hour:                  "24 hours",
		30 * time.Minute:                "30 minutes",
		time.Hour:                       "1 hour",
		time.Minute:                     "1 minute",
		90 * time.Minute:                "90 minutes",
		48 * time.Hour:                  "2 days",
		72*time.Hour + time.Hour:        "73 hours",
		10*time.Minute + 59*time.Second: "10 minutes", // rounded down: never more than the link has
		20 * time.Second:                "1 minute",
		7 * 24 * time.Hour:              "7 days",
		2*time.Hour + 30*time.Second:    "120 minutes",
		36 * time.Hour:                  "36 hours",
	} {
		if got := lifetime(d); got != want {
			t.Errorf("lifetime(%v) = %q, want %q", d, got, want)
		}
	}
}
