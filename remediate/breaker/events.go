package breaker

import (
	"sync"
	"sync/atomic"
	"time"

	gobreaker "github.com/sony/gobreaker/v2"

	"github.com/nines-sre/nines/internal/listeners"
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

// hooks are the callbacks handed to gobreaker. gobreaker calls them while
// holding its mutex, so they only record, with atomics and the queue's
// short lock: they never call user code. The fields they touch without a
// lock of their own are guarded by gobreaker's mutex.
type hooks struct {
	name   string
	policy tripPolicy

	// word is gobreaker's state, the generation and the half-open probe
	// slots (see word.go); onStateChange is its only writer of new
	// generations.
	word atomic.Uint64

	// round counts the outcomes of the current half-open round; the closed
	// state's counts come from readyToTrip, which receives them exactly.
	round     gobreaker.Counts
	lastTrip  gobreaker.Counts
	slowTrip  bool        // the failure being recorded is errOutcomeSlowTrip
	slowCalls *slowWindow // nil unless SlowThreshold is set
	modeState func() Mode // reads the breaker's mode, for the event

	queueMu    sync.Mutex
	queue      []StateChange
	queued     atomic.Int32 // len(queue), read without the lock on every call
	delivering atomic.Bool
	listeners  listeners.List[StateChange]
	onDeliver  func(StateChange) // metrics; runs outside locks like listeners
}

func (h *hooks) readyToTrip(c gobreaker.Counts) bool {
	slowTrip := h.slowTrip
	h.slowTrip = false
	if slowTrip || h.policy.trips(c) {
		h.lastTrip = c
		return true
	}
	return false
}

func (h *hooks) isExcluded(err error) bool {
	switch err {
	case errOutcomeExcluded:
		h.round.TotalExclusions++
		return true
	case errOutcomeStale: // neutral: not an outcome of this round
		return true
	}
	return false
}

func (h *hooks) isSuccessful(err error) bool {
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

// onStateChange runs under gobreaker's mutex: it moves the word to a new
// generation and queues the event.
func (h *hooks) onStateChange(_ string, from, to gobreaker.State) {
	h.word.Store(nextWord(h.word.Load(), fromGobreakerState(to)))
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
	mode := h.modeState()
	if _, forced := forcedState(mode); forced {
		return // the effective state does not change; SetMode reports it
	}
	h.enqueue(StateChange{
		Name: h.name, From: fromGobreakerState(from), To: fromGobreakerState(to),
		Counts: fromGobreakerCounts(counts), Mode: mode, At: time.Now(),
	})
}

func (h *hooks) enqueue(ev StateChange) {
	h.queueMu.Lock()
	h.queue = append(h.queue, ev)
	h.queued.Store(int32(len(h.queue)))
	h.queueMu.Unlock()
}

// deliver hands queued events to listeners, in order, with no lock held.
// One goroutine delivers at a time; the others return at once, and the
// deliverer drains whatever they queued before it stops. A listener that
// calls back into the breaker (State, Counts, Execute) queues new events
// that the same loop delivers after it returns. A panicking listener is
// recovered and counted by the listener list; the others still run.
func (h *hooks) deliver() {
	for h.queued.Load() != 0 {
		if !h.delivering.CompareAndSwap(false, true) {
			return
		}
		h.drain()
	}
}

// drain delivers until the queue is empty.
func (h *hooks) drain() {
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
		h.listeners.Emit(ev)
	}
}
