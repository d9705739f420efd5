package synthetic

import "time"

// Outcome is how a run (or a step) ended.
type Outcome uint8

const (
	// Pass means every assertion held.
	Pass Outcome = iota
	// Degraded means only soft assertions failed.
	Degraded
	// Fail means a hard assertion failed, an extraction found nothing or
	// the request failed.
	Fail
	// Timeout means the run's Timeout (or a step's) expired.
	Timeout
)

// String returns the synthetic.outcome attribute value: pass, degraded,
// fail or timeout.
func (o Outcome) String() string {
	switch o {
	case Pass:
		return "pass"
	case Degraded:
		return "degraded"
	case Fail:
		return "fail"
	case Timeout:
		return "timeout"
	}
	return "unknown"
}

// Phases are the durations of an HTTP exchange, named as
// blackbox_exporter names them (probe_http_duration_seconds{phase}); over
// redirects each phase is the sum across the hops, as blackbox_exporter
// sums them. A phase that did not happen (no DNS lookup for an IP
// address, no TLS over http, a reused connection) is zero.
type Phases struct {
	// Resolve is the DNS lookup.
	Resolve time.Duration
	// Connect is the TCP connect.
	Connect time.Duration
	// TLS is the TLS handshake.
	TLS time.Duration
	// Processing runs from the connection being ready to the first
	// response byte: the server's time plus one round trip.
	Processing time.Duration
	// Transfer runs from the first response byte to the end of the body,
	// of the final response only: a redirect's own body is in no phase
	// (it is in the step's Duration), as in blackbox_exporter.
	Transfer time.Duration
}

func (p *Phases) add(q Phases) {
	p.Resolve += q.Resolve
	p.Connect += q.Connect
	p.TLS += q.TLS
	p.Processing += q.Processing
	p.Transfer += q.Transfer
}

// StepResult is what one step did. It is a plain value.
type StepResult struct {
	// Name is the step's name.
	Name string
	// Outcome is Pass, Degraded, Fail or Timeout.
	Outcome Outcome
	// Status is the final response's HTTP status code, 0 without a
	// response and for a call step.
	Status int
	// Code is a call step's CallResponse.Code ("OK", "SERVING",
	// "UNAVAILABLE"), "" for an HTTP step.
	Code string
	// Duration is the step's total time, request to end of body.
	Duration time.Duration
	// Phases splits Duration as blackbox_exporter does.
	Phases Phases
	// Failures describes each failed assertion or error, secrets
	// replaced by "***". Empty on Pass.
	Failures []string
}

// Result is one run of a check. It is a plain value, safe to share.
type Result struct {
	// Check is the check's name.
	Check string
	// Outcome is the worst step outcome; steps after a Fail or Timeout
	// do not run.
	Outcome Outcome
	// Start is when the run began, by the runner's clock.
	Start time.Time
	// Duration is the whole run's time.
	Duration time.Duration
	// Phases sums the steps' phases.
	Phases Phases
	// Steps holds the steps that ran, in order. A run abandoned at its
	// Timeout has none: its steps' goroutine is still waiting.
	Steps []StepResult
	// Failure explains a failure of the run as a whole (a Timeout, a Var
	// that could not be read), secrets replaced by "***"; "" otherwise.
	Failure string
}

// Err returns the first failure of the run as text, or "" on Pass.
func (r Result) Err() string {
	for _, s := range r.Steps {
		if len(s.Failures) > 0 {
			return "step " + s.Name + ": " + s.Failures[0]
		}
	}
	return r.Failure
}
