package availgrpc

import (
	"context"
	"strings"

	"google.golang.org/grpc/metadata"

	"github.com/nines-sre/nines/remediate/admit"
)

// ParsePriority reads a priority class as a client sends it in metadata:
// "critical", "normal" or "sheddable" (any case, surrounding spaces
// ignored). Anything else, including the empty string, is
// admit.Normal and ok is false.
func ParsePriority(s string) (p admit.Priority, ok bool) {
	s = strings.TrimSpace(s)
	switch {
	case strings.EqualFold(s, "critical"):
		return admit.Critical, true
	case strings.EqualFold(s, "normal"):
		return admit.Normal, true
	case strings.EqualFold(s, "sheddable"):
		return admit.Sheddable, true
	}
	return admit.Normal, false
}

// metadataPriority returns a priority function reading the first value of
// the incoming metadata key (lower-cased, as gRPC sends keys). grpc-go copies
// the value slice it returns, so a request carrying the key costs one small
// allocation; one without it costs none.
func metadataPriority(key string) func(context.Context, string) admit.Priority {
	key = strings.ToLower(key)
	return func(ctx context.Context, _ string) admit.Priority {
		vs := metadata.ValueFromIncomingContext(ctx, key)
		if len(vs) == 0 {
			return admit.Normal
		}
		p, _ := ParsePriority(vs[0])
		return p
	}
}
