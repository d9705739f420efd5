package breaker

import (
	"sync"
	"sync/atomic"
	"time"

	gobreaker "github.com/sony/gobreaker/v2"
)

// StateChange is delivered to breaker listeners after a transition, outside
// every lock of the breaker and of gobreaker, in the order the transitions
// happened. Counts are the counts of the state being left, just before the
// transition.
type StateChange struct {
	Name     string
	From, To State
	Counts   Counts
	// Mode is the mode in force after the change; a change of mode that
	// changes the effective state is delivered as a transition too.
	Mode Mode
	// At is when the change was queued (read from the wall clock; it is
	// not on the request path).
	At time.Time
}

// breakerHooks are the callbacks handed to gobreaker. gobreaker calls them
// while holding its mutex, so they only record: they never call user code.
// The fields they touch are guarded by gobreaker's mutex, except queue,
// which has its own lock because SetMode also appends to it.
type breakerHooks struct {
	name   string
	policy tripPolicy

	// round counts the outcomes of the current half-open round; the closed
	// state's counts come from readyToTrip, which receives them exactly.
	round     gobreaker.Counts
	lastTrip  gobreaker.Counts
	slowTrip  bool          // the failure being recorded is errOutcomeSlowTrip
	slowCalls *slowWindow   // nil unless SlowThreshold is set
	gbState   atomic.Uint32 // gobreaker's state as a State
	modeState func() Mode   // reads the breaker's mode, for the event

	queueMu    sync.Mutex
	queue      []StateChange
	queued     atomic.Int32 // len(queue), read without the lock on every call
	delivering atomic.Bool
	listeners  atomic.Pointer[[]func(StateChange)]
	onDeliver  func(StateChange) // metrics; runs outside locks like listeners
}

func (h *breakerHooks) readyToTrip(c gobreaker.Counts) bool {
	slowTrip := h.slowTrip
	h.slowTrip = false
	if slowTrip || h.policy.trips(c) {
		h.lastTrip = c
		return true
	}
	return false
}

func (h *breakerHooks) isExcluded(err error) bool {
	if err == errOutcomeExcluded {
		h.round.TotalExclusions++
		return true
	}
	return false
}

func (h *breakerHooks) isSuccessful(err error) bool {
	h.round.Requests++
	if err == nil {
		h.round.TotalSuccesses++
		h.round.ConsecutiveSuccesses++
		h.round.ConsecutiveFailures = 0
		return true
	}
	h.slowTrip = err == errOutcomeSlowTrip
	h.round.TotalFailures++
	h.round.ConsecutiveFailures++
	h.round.ConsecutiveSuccesses = 0
	return false
}

// onStateChange runs under gobreaker's mutex: it only queues the event.
func (h *breakerHooks) onStateChange(_ string, from, to gobreaker.State) {
	counts := h.round
	if from == gobreaker.StateClosed {
		counts = h.lastTrip
	} else if from == gobreaker.StateOpen {
		counts = gobreaker.Counts{}
	}
	h.round = gobreaker.Counts{}
	h.slowTrip = false
	if h.slowCalls != nil {
		h.slowCalls.reset()
	}
	h.gbState.Store(uint32(fromGobreakerState(to)))
	mode := h.modeState()
	if _, forced := forcedState(mode); forced {
		return // the effective state does not change; SetMode reports it
	}
	h.enqueue(StateChange{
		Name: h.name, From: fromGobreakerState(from), To: fromGobreakerState(to),
		Counts: fromGobreakerCounts(counts), Mode: mode, At: time.Now(),
	})
}

func (h *breakerHooks) enqueue(ev StateChange) {
	h.queueMu.Lock()
	h.queue = append(h.queue, ev)
	h.queued.Store(int32(len(h.queue)))
	h.queueMu.Unlock()
}

// deliver hands queued events to listeners, in order, with no lock held.
// One goroutine delivers at a time; the others return at once, and the
// deliverer drains whatever they queued before it stops. A listener that
// calls back into the breaker (State, Counts, Execute) queues new events
// that the same loop delivers after it returns.
func (h *breakerHooks) deliver() {
	for h.queued.Load() != 0 {
		if !h.delivering.CompareAndSwap(false, true) {
			return
		}
		h.drain()
	}
}

// drain delivers until the queue is empty. The deferred reset keeps a
// panicking listener from stopping delivery for good.
func (h *breakerHooks) drain() {
	defer h.delivering.Store(false)
	for {
		h.queueMu.Lock()
		if len(h.queue) == 0 {
			h.queueMu.Unlock()
			return
		}
		ev := h.queue[0]
		h.queue[0] = StateChange{}
		h.queue = h.queue[1:]
		h.queued.Store(int32(len(h.queue)))
		h.queueMu.Unlock()
		h.onDeliver(ev)
		if ls := h.listeners.Load(); ls != nil {
			for _, fn := range *ls {
				fn(ev)
			}
		}
	}
}

func (h *breakerHooks) addListener(fn func(StateChange)) {
	for {
		old := h.listeners.Load()
		var next []func(StateChange)
		if old != nil {
			next = append(next, *old...)
		}
		next = append(next, fn)
		if h.listeners.CompareAndSwap(old, &next) {
			return
		}
	}
}
