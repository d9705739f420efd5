package breaker

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/nines-sre/nines/internal/config"
)

// A hard-down dependency behind a ratio policy with a large minimum volume
// trips within a handful of calls: the zero ConsecutiveFailures keeps the
// consecutive-failure rule (5) beside the ratio. At 18 failing calls/s
// that is under 0.3 s; without the rule it took MinimumCalls calls.
func TestConfigHardDownTripsWithinAHandfulOfCalls(t *testing.T) {
	tests := []struct {
		name      string
		c         Config
		wantCalls int
	}{
		{"ratio with zero ConsecutiveFailures", Config{FailureRatio: 0.5, MinimumCalls: 100}, 5},
		{"consecutive rule turned off", Config{FailureRatio: 0.5, MinimumCalls: 100, ConsecutiveFailures: math.MaxUint32}, 100},
		{"explicit ConsecutiveFailures", Config{FailureRatio: 0.5, MinimumCalls: 100, ConsecutiveFailures: 3}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				b := newTestBreaker(t, tt.c)
				start := time.Now()
				calls := 0
				for b.State() == Closed && calls < 1000 {
					_, _ = b.Execute(context.Background(), failCall)
					calls++
					time.Sleep(time.Second / 18)
				}
				if calls != tt.wantCalls {
					t.Fatalf("opened after %d failing calls (%v), want %d", calls, time.Since(start), tt.wantCalls)
				}
			})
		})
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		c    Config
		want string // "" when valid
	}{
		{Config{}, ""},
		{Config{FailureRatio: 1, SlowThreshold: time.Second, SlowCallRatio: 0.5, Window: time.Second, Buckets: 1000}, ""},
		{Config{FailureRatio: 1.5}, "breaker: invalid config: FailureRatio = 1.5: must be 0 (off) or in (0, 1]"},
		{Config{FailureRatio: math.NaN()}, "FailureRatio = NaN"},
		{Config{SlowCallRatio: -0.1}, "SlowCallRatio = -0.1"},
		{Config{SlowThreshold: -time.Second}, "SlowThreshold = -1s: must not be negative"},
		{Config{SlowCallRatio: 0.5}, "breaker: invalid config: SlowCallRatio = 0.5: needs a SlowThreshold"},
		{Config{SlowCallRatio: 1, FailureRatio: 0.5}, "SlowCallRatio = 1: needs a SlowThreshold"},
		{Config{SlowThreshold: time.Second}, ""}, // the ratio's zero means 1
		{Config{SlowThreshold: time.Second, SlowCallRatio: 1}, ""},
		{Config{Window: -1}, "Window = -1ns"},
		{Config{Buckets: 1001}, "Buckets = 1001: must be in [0, 1000]"},
		{Config{Window: time.Second, Buckets: 1000}, ""},
		{Config{Window: 500 * time.Millisecond, Buckets: 1000}, "Window = 500ms: Window/Buckets (1000) must be at least 1ms"},
		{Config{OpenTimeout: -time.Minute}, "OpenTimeout = -1m0s"},
	}
	for _, tt := range tests {
		err := tt.c.Validate()
		if tt.want == "" {
			if err != nil {
				t.Errorf("%+v: Validate = %v, want nil", tt.c, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: Validate = %v, want it to contain %q", tt.c, err, tt.want)
		}
		if !errors.Is(err, ErrInvalidConfig) || !errors.Is(err, config.ErrInvalid) {
			t.Errorf("%v does not match ErrInvalidConfig and the root sentinel", err)
		}
		if _, nerr := New[int]("dep", tt.c); nerr == nil || nerr.Error() != err.Error() {
			t.Errorf("New = %v, want the same error as Validate (%v)", nerr, err)
		}
	}
	if _, err := New[int]("", Config{}); err == nil || !strings.Contains(err.Error(), `name = "": must not be empty`) {
		t.Errorf("New with an empty name = %v", err)
	}
}
