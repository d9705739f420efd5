package availgrpc

import (
	"context"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/nines-sre/nines/availability"
)

// OwnTrafficMetadata is the metadata key that carries the own-traffic mark
// (availability.OwnTraffic) to the server: the client interceptors add it to
// every marked call, and a server honours it only with
// WithOwnTrafficMetadata.
var OwnTrafficMetadata = strings.ToLower(availability.OwnTrafficHeader)

// WithOwnTrafficMetadata makes the server interceptors treat a call that
// carries OwnTrafficMetadata as own traffic: neither admitted by the
// shedder nor measured, with its context marked (availability.OwnTraffic)
// so the calls its handler makes are own traffic too. Absent, the key is
// ignored, because any client could otherwise exclude itself from the SLOs
// and the shedder: set it only where every caller is trusted.
func WithOwnTrafficMetadata() ServerOption {
	return serverOption(func(c *config) { c.trustOwn = true })
}

// ownOutgoing returns ctx with the mark in its outgoing metadata.
func ownOutgoing(ctx context.Context) context.Context {
	return metadata.AppendToOutgoingContext(ctx, OwnTrafficMetadata, "1")
}

// ownIncoming reports whether a server call is own traffic the server
// trusts, and returns its context marked.
func (in *interceptor) ownIncoming(ctx context.Context) (context.Context, bool) {
	if !in.trustOwn || len(metadata.ValueFromIncomingContext(ctx, OwnTrafficMetadata)) == 0 {
		return ctx, false
	}
	return availability.OwnTraffic(ctx), true
}

// ownStream is a server stream whose context is marked as own traffic.
type ownStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (s ownStream) Context() context.Context { return s.ctx }
