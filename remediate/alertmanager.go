package remediate

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Submitter takes a Signal without blocking and reports whether it was
// queued. *Engine is one (Engine.Submit); the availability Monitor has its
// own, so that fleet alerts also reach its timeline.
type Submitter interface {
	Submit(Signal) bool
}

// Receiver is an http.Handler for Alertmanager's webhook notifier (payload
// version 4): it turns fleet alerts, such as the SLOErrorBudgetBurn alerts
// of the rules exporters generates, into Signals (SignalFromAlertmanager)
// handed to an engine, so that they go through the same policies, approval,
// cooldown, blast radius, dry run and audit as the local signals.
//
// For every request it, in order: refuses a method other than POST (405);
// checks the credentials (WithBearerToken or WithBasicAuth, compared in
// constant time; 401 otherwise, before reading the body); refuses a body
// over WithMaxBodyBytes (413); parses it (ParseAlertmanagerMessage; 400
// naming the field); then, per alert, hands on a Signal only for a
// transition: an alert seen for the first time, or whose status or start
// time differ from those last handed on for the same group key and
// fingerprint. Alertmanager's re-sends (group_interval, repeat_interval)
// and an HA pair's second copy are counted as duplicates. A resolved alert
// is a Signal of PhaseResolved, which reaches no policy: the engine reverts
// what the firing one started.
//
// If the engine's queue is full, the alerts it could not take are
// forgotten and the answer is 503, so Alertmanager retries the message;
// the alerts already handed on are then duplicates. 4xx answers are not
// retried by Alertmanager, which is right for a payload that will never
// parse.
//
// Build one with NewReceiver; the zero value is not usable. A Receiver is
// safe for concurrent use; it starts no goroutine and holds no lock while
// the Submitter runs. Mount it on the operational port, for example at
// /alertmanager, and point an Alertmanager webhook_configs url at it.
type Receiver struct {
	sink    Submitter
	auth    *receiverAuth
	maxBody int64
	metrics *receiverMetrics
	seen    dedup
	now     func() time.Time // the clock of the deduplication memory; tests set it
}

// NewReceiver returns a Receiver that hands signals to sink (an *Engine, or
// the Monitor's). Credentials are required: exactly one of WithBearerToken
// and WithBasicAuth. Errors wrap ErrInvalidConfig and name the option and
// its value.
func NewReceiver(sink Submitter, opts ...ReceiverOption) (*Receiver, error) {
	o := receiverOptions{maxBody: defaultMaxBodyBytes}
	for _, opt := range opts {
		if opt != nil {
			opt.applyReceiver(&o)
		}
	}
	if sink == nil {
		return nil, invalid("sink", nil, "NewReceiver needs a Submitter (an *Engine)")
	}
	if err := o.validate(); err != nil {
		return nil, err
	}
	m, err := newReceiverMetrics(o.meterProvider)
	if err != nil {
		return nil, fmt.Errorf("remediate: creating receiver metrics: %w", err)
	}
	return &Receiver{sink: sink, auth: o.auth, maxBody: o.maxBody, metrics: m, now: time.Now}, nil
}

// receiverReply is the JSON body of a 200 or 503 answer.
type receiverReply struct {
	Submitted  int `json:"submitted"`
	Duplicates int `json:"duplicates"`
	Dropped    int `json:"dropped,omitempty"`
}

// ServeHTTP handles one webhook notification; see Receiver.
func (rc *Receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		rc.fail(w, requestMethodNotAllowed, http.StatusMethodNotAllowed, "remediate: alertmanager receiver: POST only")
		return
	}
	if !rc.auth.allow(r) {
		w.Header().Set("WWW-Authenticate", rc.auth.challenge())
		rc.fail(w, requestUnauthorized, http.StatusUnauthorized, "remediate: alertmanager receiver: unauthorized")
		return
	}
	body, err := rc.readBody(w, r)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			rc.fail(w, requestTooLarge, http.StatusRequestEntityTooLarge,
				fmt.Sprintf("remediate: alertmanager receiver: body larger than %d bytes", rc.maxBody))
			return
		}
		rc.fail(w, requestBadRequest, http.StatusBadRequest, "remediate: alertmanager receiver: reading body: "+err.Error())
		return
	}
	msg, err := ParseAlertmanagerMessage(body)
	if err != nil {
		rc.fail(w, requestBadRequest, http.StatusBadRequest, err.Error())
		return
	}
	reply := rc.deliver(msg)
	rc.metrics.alert(alertSubmitted, int64(reply.Submitted))
	rc.metrics.alert(alertDuplicate, int64(reply.Duplicates))
	rc.metrics.alert(alertDropped, int64(reply.Dropped))
	status, outcome := http.StatusOK, requestAccepted
	if reply.Dropped > 0 {
		status, outcome = http.StatusServiceUnavailable, requestUnavailable
		w.Header().Set("Retry-After", "1")
	}
	rc.metrics.request(outcome)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(reply)
}

// readBody reads at most maxBody bytes; a larger body, announced or not,
// is a *http.MaxBytesError.
func (rc *Receiver) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.ContentLength > rc.maxBody {
		return nil, &http.MaxBytesError{Limit: rc.maxBody}
	}
	return io.ReadAll(http.MaxBytesReader(w, r.Body, rc.maxBody))
}

// deliver hands on every alert that is a transition, in message order.
func (rc *Receiver) deliver(msg AlertmanagerMessage) receiverReply {
	var reply receiverReply
	now := rc.now()
	for _, a := range msg.Alerts {
		k := dedupKey{group: msg.GroupKey, fingerprint: a.Fingerprint}
		isNew, prev, had := rc.seen.observe(k, a.Firing(), a.StartsAt, now)
		if !isNew {
			reply.Duplicates++
			continue
		}
		if !rc.submit(SignalFromAlertmanager(msg, a), func() { rc.seen.undo(k, prev, had) }) {
			reply.Dropped++
			continue
		}
		reply.Submitted++
	}
	return reply
}

// submit hands s to the Submitter, outside every lock (it may be the
// user's). When it is not taken, or the Submitter panics (net/http then
// logs the panic), forget runs: the alert is not remembered as delivered,
// and Alertmanager's retry brings it again.
func (rc *Receiver) submit(s Signal, forget func()) (ok bool) {
	defer func() {
		if !ok {
			forget()
		}
	}()
	return rc.sink.Submit(s)
}

func (rc *Receiver) fail(w http.ResponseWriter, o requestOutcome, status int, msg string) {
	rc.metrics.request(o)
	http.Error(w, msg, status)
}
