package admit

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/internal/config"
)

// WithMeterProvider configures both constructors; each constructor's own
// option type is sealed, so another package's option does not compile
// here.
var (
	_ ShedderOption = WithMeterProvider(nil)
	_ LimiterOption = WithMeterProvider(nil)
)

func checkInvalid(t *testing.T, what string, err error, want string) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Errorf("%s: %v, want nil", what, err)
		}
		return
	}
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("%s: %v, want it to contain %q", what, err, want)
	}
	if !errors.Is(err, ErrInvalidConfig) || !errors.Is(err, config.ErrInvalid) {
		t.Errorf("%s: %v does not match ErrInvalidConfig and the root sentinel", what, err)
	}
}

func TestShedderConfigValidate(t *testing.T) {
	mp := WithMeterProvider(noop.NewMeterProvider())
	tests := []struct {
		c    ShedderConfig
		want string
	}{
		{ShedderConfig{}, ""},
		{ShedderConfig{Rate: 100, PerKeyRate: 10, MaxKeys: 5}, ""},
		{ShedderConfig{Rate: -1}, "admit: invalid config: Rate = -1: must be a finite number >= 0"},
		{ShedderConfig{PerKeyRate: math.Inf(1)}, "PerKeyRate = +Inf"},
		{ShedderConfig{Rate: 10, Burst: -1}, "Burst = -1: must be in [0, 1<<30]"},
		{ShedderConfig{Rate: 10, Burst: 1}, "Burst = 1: must be at least 2 so that sheddable traffic fits above the reserves"},
		{ShedderConfig{Rate: 10, Burst: 5}, ""},
		{ShedderConfig{MaxKeys: -3}, "MaxKeys = -3"},
		{ShedderConfig{CriticalReserve: 1}, "CriticalReserve = 1: must be below 1"},
		{ShedderConfig{CriticalReserve: 0.6, NormalReserve: 0.5}, "NormalReserve = 0.5"},
	}
	for _, tt := range tests {
		err := tt.c.Validate()
		checkInvalid(t, "Validate", err, tt.want)
		sh, nerr := NewShedder("api", tt.c, mp)
		if (err == nil) != (nerr == nil) || err != nil && err.Error() != nerr.Error() {
			t.Errorf("%+v: NewShedder = %v, Validate = %v; want the same", tt.c, nerr, err)
		}
		if sh != nil {
			_ = sh.Shutdown(t.Context())
		}
	}
	_, err := NewShedder("", ShedderConfig{}, mp)
	checkInvalid(t, "NewShedder with no name", err, `name = "": must not be empty`)
}

func TestLimiterConfigValidate(t *testing.T) {
	mp := WithMeterProvider(noop.NewMeterProvider())
	tests := []struct {
		c    LimiterConfig
		want string
	}{
		{LimiterConfig{}, ""},
		{LimiterConfig{Initial: 5, Floor: 2, Ceiling: 10, Backoff: 0.5, LatencyThreshold: time.Second}, ""},
		{LimiterConfig{Floor: -1}, "admit: invalid config: Floor = -1: must be in [0, 1<<30]"},
		{LimiterConfig{Ceiling: 1 << 31}, "Ceiling = 2147483648"},
		{LimiterConfig{Floor: 10, Ceiling: 5}, "Ceiling = 5: must not be below Floor"},
		{LimiterConfig{Initial: -2}, "Initial = -2"},
		{LimiterConfig{Backoff: 1}, "Backoff = 1: must be 0 or in [0.5, 1)"},
		{LimiterConfig{Backoff: math.NaN()}, "Backoff = NaN"},
		{LimiterConfig{LatencyThreshold: -time.Millisecond}, "LatencyThreshold = -1ms"},
	}
	for _, tt := range tests {
		err := tt.c.Validate()
		checkInvalid(t, "Validate", err, tt.want)
		l, nerr := NewLimiter("db", tt.c, mp)
		if (err == nil) != (nerr == nil) || err != nil && err.Error() != nerr.Error() {
			t.Errorf("%+v: NewLimiter = %v, Validate = %v; want the same", tt.c, nerr, err)
		}
		if l != nil {
			_ = l.Shutdown(t.Context())
		}
	}
	_, err := NewLimiter("", LimiterConfig{}, mp)
	checkInvalid(t, "NewLimiter with no name", err, `name = "": must not be empty`)
}
