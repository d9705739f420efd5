package remediate

import (
	"context"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// requestOutcome is what the receiver answered one webhook request.
type requestOutcome uint8

const (
	requestAccepted         requestOutcome = iota // 200: parsed and handed on
	requestUnauthorized                           // 401: missing or wrong credentials
	requestTooLarge                               // 413: body over WithMaxBodyBytes
	requestBadRequest                             // 400: not a valid version-4 payload
	requestMethodNotAllowed                       // 405: not a POST
	requestUnavailable                            // 503: the engine's queue was full; Alertmanager retries
)

var requestOutcomeNames = [...]string{"accepted", "unauthorized", "too_large", "bad_request", "method_not_allowed", "unavailable"}

// alertOutcome is what became of one alert of an accepted message.
type alertOutcome uint8

const (
	alertSubmitted alertOutcome = iota // a transition, handed on as a Signal
	alertDuplicate                     // the state already handed on
	alertDropped                       // the engine's queue was full
)

var alertOutcomeNames = [...]string{"submitted", "duplicate", "dropped"}

// receiverMetrics are the receiver's two counters, with their attribute
// sets built once: requests are rare, but a flood of unauthenticated ones
// must cost nothing beyond the count.
type receiverMetrics struct {
	requests metric.Int64Counter
	alerts   metric.Int64Counter

	requestAttrs [len(requestOutcomeNames)]metric.AddOption
	alertAttrs   [len(alertOutcomeNames)]metric.AddOption
}

func newReceiverMetrics(mp metric.MeterProvider) (*receiverMetrics, error) {
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	meter := mp.Meter(meterName)
	m := &receiverMetrics{}
	var err error
	m.requests, err = meter.Int64Counter("remediation.webhook.requests",
		metric.WithDescription("Alertmanager webhook requests by what the receiver answered."))
	if err != nil {
		return nil, err
	}
	m.alerts, err = meter.Int64Counter("remediation.webhook.alerts",
		metric.WithDescription("Alerts of accepted Alertmanager webhook requests: submitted as signals, duplicates of a state already submitted, or dropped."))
	if err != nil {
		return nil, err
	}
	for i, n := range requestOutcomeNames {
		m.requestAttrs[i] = metric.WithAttributeSet(attribute.NewSet(attribute.String("remediation.webhook.outcome", n)))
	}
	for i, n := range alertOutcomeNames {
		m.alertAttrs[i] = metric.WithAttributeSet(attribute.NewSet(attribute.String("remediation.webhook.outcome", n)))
	}
	return m, nil
}

func (m *receiverMetrics) request(o requestOutcome) {
	m.requests.Add(context.Background(), 1, m.requestAttrs[o])
}

func (m *receiverMetrics) alert(o alertOutcome, n int64) {
	if n > 0 {
		m.alerts.Add(context.Background(), n, m.alertAttrs[o])
	}
}
