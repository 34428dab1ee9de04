package authd

import "testing"

func TestByteSize(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "123": 123, "24MiB": 24 << 20, "1 GiB": 1 << 30, "30MB": 30e6, "8KiB": 8192, "5B": 5} {
		var got int64
		if err := byteSize(&got)(in); err != nil || got != want {
			t.Errorf("byteSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "-1", "12XB", "MiB", "1.5MiB", "99999999999GiB"} {
		var got int64
		if err := byteSize(&got)(bad); err == nil {
			t.Errorf("byteSize(%q) accepted (%d)", bad, got)
		}
	}
}
