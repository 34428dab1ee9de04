package test

import (
	"testing"

	"github.com/authd-dev/authd/adapters/throttle"
	"github.com/authd-dev/authd/ports"
	"github.com/authd-dev/authd/test/contract"
)

func TestLoginThrottleContract(t *testing.T) {
	t.Run("throttle=memory", func(t *testing.T) {
		contract.RunLoginThrottle(t, func(*testing.T) ports.LoginThrottle { return throttle.NewFailures() })
	})
}
