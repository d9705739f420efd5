package remediate

import (
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/metric/noop"
)

// An option given to a constructor it does not configure is an
// ErrInvalidConfig naming the option and the constructor; WithMeterProvider
// and the deprecated names are accepted everywhere they used to be.
func TestOptionScope(t *testing.T) {
	mp := WithMeterProvider(noop.NewMeterProvider())
	listener := WithStateListener(func(StateChange) {})
	logger := WithAuditLogger(slog.New(slog.DiscardHandler))
	writer := WithAuditWriter(io.Discard)
	construct := map[string]func(...Option) error{
		"NewBreaker": func(o ...Option) error { _, err := NewBreaker[int]("b", BreakerSettings{}, o...); return err },
		"NewShedder": func(o ...Option) error { _, err := NewShedder("s", ShedderSettings{}, o...); return err },
		"NewConcurrencyLimiter": func(o ...Option) error {
			_, err := NewConcurrencyLimiter("c", ConcurrencySettings{}, o...)
			return err
		},
		"NewEngine": func(o ...Option) error { _, err := NewEngine(Config{}, o...); return err },
	}
	tests := []struct {
		ctor    string
		opts    []Option
		misused string // "" when the options apply
	}{
		{"NewBreaker", []Option{mp, listener, nil}, ""},
		{"NewBreaker", []Option{WithGuardMeterProvider(noop.NewMeterProvider())}, ""},
		{"NewBreaker", []Option{mp, logger}, "WithAuditLogger"},
		{"NewBreaker", []Option{writer, logger}, "WithAuditWriter"},
		{"NewShedder", []Option{mp}, ""},
		{"NewShedder", []Option{listener}, "WithStateListener"},
		{"NewShedder", []Option{writer}, "WithAuditWriter"},
		{"NewConcurrencyLimiter", []Option{mp}, ""},
		{"NewConcurrencyLimiter", []Option{listener}, "WithStateListener"},
		{"NewConcurrencyLimiter", []Option{logger}, "WithAuditLogger"},
		{"NewEngine", []Option{mp, logger, writer}, ""},
		{"NewEngine", []Option{WithEngineMeterProvider(noop.NewMeterProvider()), logger}, ""},
		{"NewEngine", []Option{logger, listener}, "WithStateListener"},
	}
	for _, tt := range tests {
		err := construct[tt.ctor](tt.opts...)
		if tt.misused == "" {
			if err != nil {
				t.Errorf("%s(%d options) = %v, want nil", tt.ctor, len(tt.opts), err)
			}
			continue
		}
		want := "option " + tt.misused + " does not apply to " + tt.ctor
		if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s(... %s ...) = %v, want ErrInvalidConfig containing %q", tt.ctor, tt.misused, err, want)
		}
	}
}

// The deprecated sentinels are the same value, so errors.Is matches any
// of the three names.
func TestDeprecatedSentinels(t *testing.T) {
	_, err := NewBreaker[int]("", BreakerSettings{})
	for _, target := range []error{ErrInvalidConfig, ErrInvalidSettings, ErrInvalidEngineConfig} {
		if !errors.Is(err, target) {
			t.Errorf("NewBreaker with empty name: %v does not match %v", err, target)
		}
	}
}
