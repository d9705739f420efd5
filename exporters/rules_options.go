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
	// absentFor is the for: of the absent-data alert; 0 means none.
	absentFor time.Duration
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
	if c.absentFor < 0 {
		return config.Error(ErrInvalidConfig, "WithAbsentAlert", c.absentFor, "must not be negative")
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

// WithAlertFor sets the burn-rate alerts' for: clause. Unset means 1m: one
// more evaluation to ride out a scrape glitch. A tier's condition holds
// within one scrape interval and one evaluation interval of the moment
// the exact windows cross the threshold (the SRE Workbook's detection
// time: 0.86 minutes for a full outage on 99.9%/30d with the 1h/5m tier),
// and the alert fires for: later. Zero omits for:, matching the in-process
// alerts (the short window already confirms the burn).
func WithAlertFor(d time.Duration) RuleOption {
	return ruleOptionFunc(func(c *ruleConfig) { c.alertFor = d })
}

// WithAbsentAlert adds, per objective, the alert SLOEventsAbsent
// (severity ticket) when no series of the events counter exists for d:
// nothing scrapes the objective's processes, or they stopped exporting it,
// and its burn-rate alerts cannot fire. Unset or zero means no such alert.
func WithAbsentAlert(d time.Duration) RuleOption {
	return ruleOptionFunc(func(c *ruleConfig) { c.absentFor = d })
}
