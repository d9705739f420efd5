package health

import (
	"context"
	"math"
	"testing"

	"go.opentelemetry.io/otel/metric/noop"
)

// A WithJitter outside [0, 0.5] (or NaN) is refused by Register and
// Start, as an invalid WithDrainDelay is, instead of being clamped.
func TestWithJitterBounds(t *testing.T) {
	tests := []struct {
		f    float64
		want string // "" when valid
	}{
		{0, ""},
		{0.1, ""},
		{0.5, ""},
		{-0.1, "health: invalid config: WithJitter = -0.1: must be in [0, 0.5]"},
		{0.6, "health: invalid config: WithJitter = 0.6: must be in [0, 0.5]"},
		{math.NaN(), "health: invalid config: WithJitter = NaN: must be in [0, 0.5]"},
		{math.Inf(1), "health: invalid config: WithJitter = +Inf: must be in [0, 0.5]"},
	}
	for _, tt := range tests {
		r := NewRegistry(WithJitter(tt.f), WithDrainDelay(0), WithMeterProvider(noop.NewMeterProvider()))
		checkOptionErrors(t, r, tt.want)
		if err := r.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}
