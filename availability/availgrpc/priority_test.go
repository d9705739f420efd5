package availgrpc

import (
	"context"
	"testing"

	"google.golang.org/grpc/metadata"

	"github.com/nines-sre/nines/remediate/admit"
)

func TestParsePriority(t *testing.T) {
	tests := []struct {
		in   string
		want admit.Priority
		ok   bool
	}{
		{"critical", admit.Critical, true},
		{" CRITICAL ", admit.Critical, true},
		{"Normal", admit.Normal, true},
		{"sheddable", admit.Sheddable, true},
		{"", admit.Normal, false},
		{"1", admit.Normal, false},
		{"critical!", admit.Normal, false},
	}
	for _, tt := range tests {
		got, ok := ParsePriority(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParsePriority(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestMetadataPriority(t *testing.T) {
	fn := metadataPriority("X-Priority")
	tests := []struct {
		name string
		ctx  context.Context
		want admit.Priority
	}{
		{"no metadata", context.Background(), admit.Normal},
		{"other key", metadata.NewIncomingContext(context.Background(), metadata.Pairs("a", "critical")), admit.Normal},
		{"critical", metadata.NewIncomingContext(context.Background(), metadata.Pairs("x-priority", "critical")), admit.Critical},
		{"first value wins", metadata.NewIncomingContext(context.Background(), metadata.Pairs("x-priority", "sheddable", "x-priority", "critical")), admit.Sheddable},
		{"garbage", metadata.NewIncomingContext(context.Background(), metadata.Pairs("x-priority", "high")), admit.Normal},
	}
	for _, tt := range tests {
		if got := fn(tt.ctx, "/a.B/C"); got != tt.want {
			t.Errorf("%s: priority %v, want %v", tt.name, got, tt.want)
		}
	}
	ctx := metadata.NewIncomingContext(context.Background(), metadata.Pairs("a", "b"))
	if n := testing.AllocsPerRun(100, func() { fn(ctx, "/a.B/C") }); n != 0 {
		t.Errorf("a call without the key allocates %v times, want 0", n)
	}
}
