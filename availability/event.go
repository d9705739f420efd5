package availability

import (
	"sync"
	"time"

	"github.com/nines-sre/nines/internal/listeners"
)

// EventKind says what an Event is about. It is a plain value; the zero
// value is no kind (its String is "unknown").
type EventKind uint8

const (
	// EventHealth is a health check or group changing status.
	EventHealth EventKind = iota + 1
	// EventSLOAlert is an SLO alert tier starting to fire or resolving.
	EventSLOAlert
	// EventAnomaly is an anomaly on one of the endpoints' series.
	EventAnomaly
	// EventBreaker is an outbound breaker changing state.
	EventBreaker
	// EventRemediation is a decision of the remediation engine.
	EventRemediation
	// EventShed is the first shed request of a burst (see Monitor.OnEvent).
	EventShed
	// EventPeer is a replica found deviating from its peers, or its
	// incident ending (see WithPeerDetectors).
	EventPeer
)

// String returns "health", "slo_alert", "anomaly", "breaker",
// "remediation", "shed", "peer", or "unknown".
func (k EventKind) String() string {
	switch k {
	case EventHealth:
		return "health"
	case EventSLOAlert:
		return "slo_alert"
	case EventAnomaly:
		return "anomaly"
	case EventBreaker:
		return "breaker"
	case EventRemediation:
		return "remediation"
	case EventShed:
		return "shed"
	case EventPeer:
		return "peer"
	default:
		return "unknown"
	}
}

// MarshalText encodes the kind as its String.
func (k EventKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Event is one entry of the Monitor's timeline. It is a plain value, safe
// to keep and share.
type Event struct {
	// Time is when the producer observed it (the Monitor's clock for
	// ticks, the producer's own for health and breaker changes).
	Time time.Time `json:"time"`
	Kind EventKind `json:"kind"`
	// Subject names what it is about: a check or group, an objective,
	// a series, a breaker, a policy, a route.
	Subject string `json:"subject"`
	// Message is a one-line human description.
	Message string `json:"message"`
}

// maxQueuedEvents bounds the events waiting for delivery; past it events are
// dropped (and counted) rather than growing memory behind a slow listener.
const maxQueuedEvents = 4096

// timeline delivers events to listeners in the order they were emitted, one
// at a time, outside every lock (internal/listeners: a panicking listener is
// recovered and counted). While the Monitor runs, a goroutine of its own
// delivers them, so that a producer on the request path (a breaker, the
// shedder) never runs listener code; otherwise the emitting goroutine
// delivers them itself, which keeps tests without Start deterministic.
type timeline struct {
	listeners listeners.List[Event]

	mu         sync.Mutex
	queue      []Event
	delivering bool
	async      bool
	wake       chan struct{}
	dropped    uint64
}

func newTimeline() *timeline {
	return &timeline{wake: make(chan struct{}, 1)}
}

func (tl *timeline) emit(e Event) {
	tl.mu.Lock()
	if len(tl.queue) >= maxQueuedEvents {
		tl.dropped++
		tl.mu.Unlock()
		return
	}
	tl.queue = append(tl.queue, e)
	if tl.async {
		tl.mu.Unlock()
		select {
		case tl.wake <- struct{}{}:
		default:
		}
		return
	}
	tl.mu.Unlock()
	tl.drain()
}

// drain delivers queued events until the queue is empty, unless another
// goroutine is already delivering (it will deliver these too).
func (tl *timeline) drain() {
	tl.mu.Lock()
	if tl.delivering {
		tl.mu.Unlock()
		return
	}
	tl.delivering = true
	for len(tl.queue) > 0 {
		e := tl.queue[0]
		tl.queue[0] = Event{}
		tl.queue = tl.queue[1:]
		tl.mu.Unlock()
		tl.listeners.Emit(e)
		tl.mu.Lock()
	}
	tl.queue = nil
	tl.delivering = false
	tl.mu.Unlock()
}

// run delivers events until stop is closed, then delivers what is left and
// returns to synchronous delivery.
func (tl *timeline) run(stop <-chan struct{}) {
	for {
		select {
		case <-tl.wake:
			tl.drain()
		case <-stop:
			tl.setAsync(false)
			tl.drain()
			return
		}
	}
}

func (tl *timeline) setAsync(on bool) {
	tl.mu.Lock()
	tl.async = on
	tl.mu.Unlock()
}

func (tl *timeline) droppedCount() uint64 {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	return tl.dropped
}
