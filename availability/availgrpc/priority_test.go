package availgrpc

import (
	"context"
	"testing"

	"google.golang.org/grpc/metadata"

	"github.com/nines-sre/nines/remediate"
)

func TestParsePriority(t *testing.T) {
	tests := []struct {
		in   string
		want remediate.Priority
		ok   bool
	}{
		{"critical", remediate.PriorityCritical, true},
		{" CRITICAL ", remediate.PriorityCritical, true},
		{"Normal", remediate.PriorityNormal, true},
		{"sheddable", remediate.PrioritySheddable, true},
		{"", remediate.PriorityNormal, false},
		{"1", remediate.PriorityNormal, false},
		{"critical!", remediate.PriorityNormal, false},
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
		want remediate.Priority
	}{
		{"no metadata", context.Background(), remediate.PriorityNormal},
		{"other key", metadata.NewIncomingContext(context.Background(), metadata.Pairs("a", "critical")), remediate.PriorityNormal},
		{"critical", metadata.NewIncomingContext(context.Background(), metadata.Pairs("x-priority", "critical")), remediate.PriorityCritical},
		{"first value wins", metadata.NewIncomingContext(context.Background(), metadata.Pairs("x-priority", "sheddable", "x-priority", "critical")), remediate.PrioritySheddable},
		{"garbage", metadata.NewIncomingContext(context.Background(), metadata.Pairs("x-priority", "high")), remediate.PriorityNormal},
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
