package exporters

import (
	"fmt"
	"regexp"
	"time"

	"github.com/nines-sre/nines/internal/config"
)

// RuleOption configures PrometheusRules.
type RuleOption interface {
	applyRule(*ruleConfig)
}

type ruleOptionFunc func(*ruleConfig)

func (f ruleOptionFunc) applyRule(c *ruleConfig) { f(c) }

type ruleConfig struct {
	metric   string
	interval time.Duration
	alertFor time.Duration
}

func defaultRuleConfig() ruleConfig {
	return ruleConfig{metric: DefaultEventsMetric, alertFor: time.Minute}
}

var validMetricName = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)

func (c ruleConfig) validate() error {
	if !validMetricName.MatchString(c.metric) {
		return config.Error(ErrInvalidConfig, "WithEventsMetric", c.metric, "not a Prometheus metric name")
	}
	if c.interval < 0 || (c.interval > 0 && (step%c.interval != 0 || c.interval%time.Second != 0)) {
		return config.Error(ErrInvalidConfig, "WithEvaluationInterval", c.interval, fmt.Sprintf("must divide %v in whole seconds", step))
	}
	if c.alertFor < 0 {
		return config.Error(ErrInvalidConfig, "WithAlertFor", c.alertFor, "must not be negative")
	}
	return nil
}

// WithEventsMetric sets the Prometheus name of the slo.events counter.
// Unset means DefaultEventsMetric (slo_events_total), which is what New's
// Prometheus exporter produces; change it only if you export differently
// (for example with a namespace prefix).
func WithEventsMetric(name string) RuleOption {
	return ruleOptionFunc(func(c *ruleConfig) { c.metric = name })
}

// WithEvaluationInterval sets the rule groups' interval. Unset means
// Prometheus's global evaluation_interval. It must divide 5m (1m, 30s, ...)
// so that the 5-minute steps of the long windows fall on evaluations.
func WithEvaluationInterval(d time.Duration) RuleOption {
	return ruleOptionFunc(func(c *ruleConfig) { c.interval = d })
}

// WithAlertFor sets the alerts' for: clause. Unset means 1m: one more
// evaluation to ride out a scrape glitch, while a full outage still pages
// within about 3 minutes. Zero omits for:, matching the in-process alerts
// exactly (the short window already confirms the burn).
func WithAlertFor(d time.Duration) RuleOption {
	return ruleOptionFunc(func(c *ruleConfig) { c.alertFor = d })
}
