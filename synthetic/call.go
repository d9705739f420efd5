package synthetic

import (
	"context"
	"time"
)

// Call is a step that is not an HTTP request: a gRPC call, for instance
// (package synthetic/grpccheck makes them). It is how this package runs
// protocols it does not import: the Call performs the exchange and hands
// back a CallResponse, on which the step's assertions and extractions work
// as they do on an HTTP response.
//
// A Call is shared by every run of its check, possibly at once: it must be
// safe for concurrent use and must not change after NewRunner.
type Call interface {
	// Do performs the call once. ctx carries the step's and the run's
	// deadlines and the in-process own-traffic mark; Do must return
	// soon after ctx ends, whatever the target does. An error means the
	// call could not be made or got no answer; it fails the step (or
	// times it out, when ctx ended).
	Do(ctx context.Context, in CallInput) (CallResponse, error)
	// Texts returns the call's text fields that may refer to values as
	// ${name}, by field name, so that NewRunner refuses a reference to a
	// value no Var defines and no earlier step extracts, naming the
	// field. Nil means none.
	Texts() map[string]string
}

// CallInput is what a run gives a Call.
type CallInput struct {
	// Expand replaces each ${name} in text with the run's value, passed
	// through escape when escape is not nil (a JSON template escapes
	// values as string contents, for instance).
	Expand func(text string, escape func(string) string) (string, error)
	// OwnTraffic is the value the call must send under the own-traffic
	// key (gRPC metadata nines-own-traffic), so the target's nines
	// interceptors keep it out of user SLOs and shedding.
	OwnTraffic string
	// Traceparent is a fresh W3C traceparent the call must send, so the
	// run can be found in the target's traces.
	Traceparent string
	// Now is the runner's clock (WithClock), for the phases.
	Now func() time.Time
	// MaxBodyBytes bounds the response the call may read
	// (WithMaxBodyBytes): a larger one fails the call.
	MaxBodyBytes int64
}

// CallResponse is what a Call got back, in the terms the assertions use.
type CallResponse struct {
	// Code is the outcome as a name: for gRPC the status code name ("OK",
	// "UNAVAILABLE", "DEADLINE_EXCEEDED"), for a health check the serving
	// status when the call succeeded ("SERVING", "NOT_SERVING"). An
	// Assertion's Code is tested against it.
	Code string
	// OK reports whether the call succeeded in its protocol's own terms
	// (gRPC: code OK; health: SERVING). A call step with no Code assertion
	// fails when OK is false, as an HTTP step fails when no response
	// arrives; with one, the assertion alone decides.
	OK bool
	// Message explains a failure (the gRPC status message); it is part
	// of the step's failure text.
	Message string
	// Header holds the response metadata (gRPC headers, then trailers),
	// keys in lower case. Header assertions and extractions read it.
	Header map[string][]string
	// Body is the response as JSON (protojson for gRPC), nil without a
	// response message. Body and JSON assertions and extractions read it.
	Body []byte
	// Phases splits the call's time as far as the protocol lets it be
	// measured: see the Call's package. A phase that did not happen is
	// zero.
	Phases Phases
}

// callStep runs a step whose Call is set.
func (rn *run) callStep(ctx context.Context, s *Step, res *StepResult) {
	fail := func(o Outcome, format string, args ...any) { rn.failed(res, o, format, args...) }
	in := CallInput{
		Expand: func(text string, escape func(string) string) (string, error) {
			return expand(text, escape, rn.lookup)
		},
		OwnTraffic:   "synthetic",
		Traceparent:  traceparent(),
		Now:          rn.r.cfg.now,
		MaxBodyBytes: rn.r.cfg.maxBody,
	}
	start := rn.r.cfg.now()
	resp, err := s.Call.Do(ctx, in)
	res.Duration = rn.r.cfg.now().Sub(start)
	res.Phases = resp.Phases
	res.Code = resp.Code
	if err != nil {
		if ctx.Err() != nil {
			fail(Timeout, "call: %v (%v)", ctx.Err(), err)
			return
		}
		fail(Fail, "call: %v", err)
		return
	}
	if !resp.OK && expired(ctx) {
		fail(Timeout, "call: %v: code %s: %s", ctx.Err(), resp.Code, resp.Message)
		return
	}
	hasCode := false
	for _, a := range s.Assert {
		hasCode = hasCode || a.Code != ""
	}
	if !hasCode && !resp.OK {
		msg := "code " + resp.Code
		if resp.Message != "" {
			msg += ": " + resp.Message
		}
		fail(Fail, "%s", msg)
		return
	}
	rn.judge(s, res, response{code: resp.Code, md: resp.Header, body: resp.Body})
}

// expired reports whether ctx has ended or its deadline has passed: a
// client library (gRPC) may fail a call on its own timer an instant before
// ctx reports the end.
func expired(ctx context.Context) bool {
	if ctx.Err() != nil {
		return true
	}
	d, ok := ctx.Deadline()
	return ok && !time.Now().Before(d)
}

// lower returns s in ASCII lower case, as gRPC metadata keys are.
func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
