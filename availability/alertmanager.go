package availability

import (
	"fmt"

	"github.com/nines-sre/nines/remediate"
)

// AlertmanagerReceiver returns a remediate.Receiver (an http.Handler for
// Alertmanager's webhook) whose signals take the Monitor's own path: they
// appear on the OnEvent timeline (an SLO alert as an EventSLOAlert, its
// message saying it came from Alertmanager) and the engine given with WithEngine
// decides them as it decides the local SLO alerts, with the same policies,
// approval, blast radius, dry run and audit. Mount it on the operational
// port beside Handler, for example at /alertmanager. Credentials are
// required (remediate.WithBearerToken or remediate.WithBasicAuth); the
// receiver's instruments use the Monitor's MeterProvider unless opts say
// otherwise. Without WithEngine it returns an error wrapping
// ErrInvalidConfig: there would be nothing to decide the alerts.
//
// Like every signal of the Monitor, a fleet alert is decided on the
// Monitor's goroutine while it runs (queued, and dropped past the queue's
// bound, as local signals are), and on the request's goroutine before
// Start.
func (m *Monitor) AlertmanagerReceiver(opts ...remediate.ReceiverOption) (*remediate.Receiver, error) {
	if m.engine == nil {
		return nil, invalid("WithEngine", nil, "AlertmanagerReceiver needs a remediation engine to decide the alerts")
	}
	opts = append([]remediate.ReceiverOption{remediate.WithReceiverMeterProvider(m.cfg.meterProvider)}, opts...)
	return remediate.NewReceiver(monitorSink{m}, opts...)
}

// monitorSink hands a fleet alert to the timeline and the signal feed, as
// the Monitor's OnAlert listener does for a local one.
type monitorSink struct{ m *Monitor }

func (s monitorSink) Submit(sig remediate.Signal) bool {
	if sig.Kind == remediate.SignalSLOAlert {
		s.m.timeline.emit(fleetAlertEvent(sig))
	}
	s.m.signals.send(sig)
	return true
}

func fleetAlertEvent(s remediate.Signal) Event {
	verb := "resolved"
	if s.State == "firing" {
		verb = "firing"
	}
	return Event{Time: s.Time, Kind: EventSLOAlert, Subject: s.Source,
		Message: fmt.Sprintf("fleet %s alert %s %s (alertmanager)", s.Attributes["label.severity"], s.Source, verb)}
}
