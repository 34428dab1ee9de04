package application_test

import (
	"testing"
)

// A device token carries a digest of the password hash it was minted
// under, so a reset voids every device token of the account: a thief's
// token must not keep its own throttle budget after the owner's reset.
func TestResetVoidsDeviceTokens(t *testing.T) {
	f := newAppFixture(t, limits(2, 100, 100))
	const ip = "10.0.0.7"
	_, reg := f.register("dana@example.com")
	for range 2 { // the (address, account) pair's budget, used up
		_, err := f.try("dana@example.com", "wrong password", ip, "")
		mustFail(t, err, "guess without a device token")
	}
	_, err := f.try("dana@example.com", appPassword, ip, "")
	mustLimited(t, err, "the pair, without a device token")
	device, err := f.try("dana@example.com", appPassword, ip, reg.DeviceToken)
	if err != nil || device.DeviceToken == "" {
		t.Fatalf("device login before the reset = %+v, %v; want a success with a device token", device, err)
	}
	token := f.forgot("dana@example.com", 1)
	if err := f.recovery.ResetPassword(f.ctx, token, "brand new password", client); err != nil {
		t.Fatalf("reset: %v", err)
	}
	for name, tok := range map[string]string{"register's": reg.DeviceToken, "renewed": device.DeviceToken} {
		_, err := f.try("dana@example.com", "brand new password", ip, tok)
		mustLimited(t, err, name+" device token after the reset (counted as the throttled pair)")
	}
	// A token minted under the new password vouches again.
	fresh, err := f.try("dana@example.com", "brand new password", "10.0.0.8", "")
	if err != nil {
		t.Fatalf("login from another address: %v", err)
	}
	if _, err := f.try("dana@example.com", "brand new password", ip, fresh.DeviceToken); err != nil {
		t.Fatalf("device token minted after the reset: %v", err)
	}
}
