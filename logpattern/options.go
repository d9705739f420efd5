package logpattern

import (
	"go.opentelemetry.io/otel/metric"

	"github.com/nines-sre/nines/internal/config"
)

// ErrInvalidConfig is wrapped by every error New returns for a bad
// setting; the message names the option and the value:
// "logpattern: invalid config: WithMaxTemplates = 0: want at least 2".
var ErrInvalidConfig = config.New("logpattern")

func invalid(field string, value any, why string) error {
	return config.Error(ErrInvalidConfig, field, value, why)
}

// Defaults of the one parameter set. They were chosen by leave-one-
// dataset-out on the Loghub-2k development corpus (see
// examples/log-benchmark), never per input.
const (
	DefaultSimilarity   = 0.8
	DefaultDepth        = 2
	DefaultMaxTemplates = 2048
	DefaultMaxLineBytes = 4 << 10
	DefaultWarmupLines  = 10000
	DefaultTopTemplates = 20
)

// Option configures [New]. Options of other constructors do not compile
// here.
type Option interface {
	apply(*minerConfig) error
}

type minerConfig struct {
	similarity   float64
	depth        int
	maxTemplates int
	maxLineBytes int
	warmup       uint64
	topN         int
	provider     metric.MeterProvider
	listeners    []func(Event)
}

type optionFunc func(*minerConfig) error

func (f optionFunc) apply(c *minerConfig) error { return f(c) }

func newConfig(opts []Option) (minerConfig, error) {
	c := minerConfig{
		similarity:   DefaultSimilarity,
		depth:        DefaultDepth,
		maxTemplates: DefaultMaxTemplates,
		maxLineBytes: DefaultMaxLineBytes,
		warmup:       DefaultWarmupLines,
		topN:         DefaultTopTemplates,
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o.apply(&c); err != nil {
			return c, err
		}
	}
	return c, nil
}

// WithSimilarity sets the fraction of a line's tokens a template must
// accept for the line to join it (default [DefaultSimilarity]). Higher
// splits more.
func WithSimilarity(s float64) Option {
	return optionFunc(func(c *minerConfig) error {
		if !(s > 0 && s <= 1) {
			return invalid("WithSimilarity", s, "want a fraction in (0, 1]")
		}
		c.similarity = s
		return nil
	})
}

// WithDepth sets how many leading tokens must agree (after masking)
// before lines are compared at all (default [DefaultDepth]).
func WithDepth(d int) Option {
	return optionFunc(func(c *minerConfig) error {
		if d < 0 || d > 4 {
			return invalid("WithDepth", d, "want 0 to 4")
		}
		c.depth = d
		return nil
	})
}

// WithMaxTemplates bounds the templates kept (default
// [DefaultMaxTemplates]); beyond it the least recently seen template is
// evicted into the overflow template [OverflowID].
func WithMaxTemplates(n int) Option {
	return optionFunc(func(c *minerConfig) error {
		if n < 2 || n > 1<<24 {
			return invalid("WithMaxTemplates", n, "want 2 to 16777216")
		}
		c.maxTemplates = n
		return nil
	})
}

// WithMaxLineBytes bounds the bytes of a line that are mined (default
// [DefaultMaxLineBytes]); longer lines are cut at a rune boundary and
// counted in [Stats].Truncated.
func WithMaxLineBytes(n int) Option {
	return optionFunc(func(c *minerConfig) error {
		if n < 16 || n > 1<<24 {
			return invalid("WithMaxLineBytes", n, "want 16 to 16777216")
		}
		c.maxLineBytes = n
		return nil
	})
}

// WithWarmup sets how many lines the miner sees before a new template is
// reported as novel ([Event].Novel) (default [DefaultWarmupLines]).
func WithWarmup(lines int) Option {
	return optionFunc(func(c *minerConfig) error {
		if lines < 0 {
			return invalid("WithWarmup", lines, "want 0 or more")
		}
		c.warmup = uint64(lines)
		return nil
	})
}

// WithTopTemplates bounds the log.template.id series of the metrics: at
// most n templates get their own series, the rest count as "other"
// (default [DefaultTopTemplates]).
func WithTopTemplates(n int) Option {
	return optionFunc(func(c *minerConfig) error {
		if n < 0 || n > 1000 {
			return invalid("WithTopTemplates", n, "want 0 to 1000")
		}
		c.topN = n
		return nil
	})
}

// WithMeterProvider makes the miner publish log.template.records and
// log.template.count through mp. Without it the miner publishes nothing.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return optionFunc(func(c *minerConfig) error {
		c.provider = mp
		return nil
	})
}

// WithListener adds fn, called after a template is created, changed or
// evicted, outside the miner's lock. A panicking fn is recovered.
func WithListener(fn func(Event)) Option {
	return optionFunc(func(c *minerConfig) error {
		if fn == nil {
			return invalid("WithListener", "nil", "want a function")
		}
		c.listeners = append(c.listeners, fn)
		return nil
	})
}
