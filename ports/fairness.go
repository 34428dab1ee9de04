package ports

import "context"

type fairnessKey struct{}

// WithFairnessKey returns ctx carrying key: an opaque name of whom the
// work done under ctx is for, so that a port sharing a scarce resource
// (the PasswordHasher's queue) can serve its callers in turn. The HTTP
// adapter uses the client address. Work without a key shares the turn of
// the empty key.
func WithFairnessKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, fairnessKey{}, key)
}

// FairnessKey returns the key WithFairnessKey put in ctx, or "" if none.
func FairnessKey(ctx context.Context) string {
	k, _ := ctx.Value(fairnessKey{}).(string)
	return k
}
