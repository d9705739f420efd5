// Package owntraffic marks the requests nines makes for itself (health
// checks, synthetic checks, probes of another replica), so that they never
// count as user traffic: not in an SLO, a breaker's statistics, the
// detectors or the shedder. The mark lives here, below every package, so
// that the leaves (health, health/checks) can set it and availability can
// read it without importing each other; availability exports it to users as
// OwnTraffic and IsOwnTraffic.
package owntraffic

import "context"

// Header is the request header, and Metadata the gRPC metadata key, that
// carry the mark to another process. A server honours them only when told
// to (availability.WithOwnTrafficHeader): otherwise any client could
// exclude itself from the SLOs and the shedder.
const (
	Header   = "Nines-Own-Traffic"
	Metadata = "nines-own-traffic"
)

type key struct{}

// Mark returns ctx marked as own traffic; a marked ctx is returned as is,
// so marking twice allocates nothing.
func Mark(ctx context.Context) context.Context {
	if Is(ctx) {
		return ctx
	}
	return context.WithValue(ctx, key{}, true)
}

// Is reports whether ctx is marked. It does not allocate.
func Is(ctx context.Context) bool {
	v, _ := ctx.Value(key{}).(bool)
	return v
}
