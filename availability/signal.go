package availability

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/nines-sre/nines/detect"
	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/remediate"
	"github.com/nines-sre/nines/remediate/breaker"
	"github.com/nines-sre/nines/slo"
)

// maxQueuedSignals bounds the signals waiting for the engine; past it they
// are dropped (and counted): an engine blocked on an approval must not grow
// memory without bound.
const maxQueuedSignals = 256

// feedItem is a signal for the engine, or (tick set) a tick of its clock,
// which runs the reverts that are due.
type feedItem struct {
	s    remediate.Signal
	tick bool
	at   time.Time
}

// signalFeed hands the producers' signals, and the Monitor's ticks, to the
// remediation engine. The engine may block for as long as an approval or
// an undo takes, so while the Monitor runs a goroutine of its own calls it;
// otherwise the producer's (or the ticking) goroutine does. Every decision
// is made at the Monitor's clock, so that the engine's cooldowns and the
// lifetime of its actions run on the clock the SLO windows run on, whatever
// clock a producer stamped its signal with.
type signalFeed struct {
	engine *remediate.Engine
	now    func() time.Time
	onDone func(time.Time, []remediate.Decision)

	mu      sync.Mutex
	ch      chan feedItem
	dropped uint64
}

func (f *signalFeed) send(s remediate.Signal) { f.put(feedItem{s: s}) }

// tick asks the engine to run the reverts due at t.
func (f *signalFeed) tick(t time.Time) { f.put(feedItem{tick: true, at: t}) }

func (f *signalFeed) put(it feedItem) {
	if f.engine == nil {
		return
	}
	f.mu.Lock()
	ch := f.ch
	if ch != nil {
		select {
		case ch <- it:
		default:
			if !it.tick { // a dropped tick is made up by the next one
				f.dropped++
			}
		}
		f.mu.Unlock()
		return
	}
	f.mu.Unlock()
	f.handle(context.Background(), it)
}

func (f *signalFeed) handle(ctx context.Context, it feedItem) {
	if it.tick && ctx.Err() != nil {
		// Stopping: an undo run now would only fail on the cancelled
		// context; what is still in effect is the engine's Shutdown's.
		return
	}
	var ds []remediate.Decision
	t := it.at
	if it.tick {
		ds = f.engine.TickAt(ctx, t)
	} else {
		t = f.now()
		ds = f.engine.HandleAt(ctx, t, it.s)
	}
	if f.onDone != nil && len(ds) > 0 {
		f.onDone(t, ds)
	}
}

// start switches to asynchronous delivery on a goroutine that runs until
// stop, which then hands the queued signals over synchronously.
func (f *signalFeed) start(ctx context.Context) (stop func()) {
	if f.engine == nil {
		return func() {}
	}
	ch := make(chan feedItem, maxQueuedSignals)
	f.mu.Lock()
	f.ch = ch
	f.mu.Unlock()
	done := make(chan struct{})
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	go func() {
		defer close(done)
		for it := range ch {
			f.handle(ctx, it)
		}
	}()
	return func() {
		f.mu.Lock()
		f.ch = nil
		close(ch)
		f.mu.Unlock()
		// Cancelling denies pending approvals and fails running actions,
		// so that Shutdown does not wait for an approver.
		cancel()
		<-done
	}
}

func (f *signalFeed) droppedCount() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.dropped
}

// changeSubject names what a health change is about: the check, or the
// group for a group transition.
func changeSubject(c health.Change) string {
	if c.Check != "" {
		return c.Check
	}
	return c.Group.String()
}

func healthEvent(c health.Change) Event {
	what := "check"
	if c.Check == "" {
		what = "group"
	}
	return Event{Time: c.Time, Kind: EventHealth, Subject: changeSubject(c),
		Message: fmt.Sprintf("%s %s: %s -> %s", what, changeSubject(c), c.Previous, c.Current)}
}

func alertEvent(a slo.AlertEvent) Event {
	verb := "resolved"
	if a.Firing {
		verb = "firing"
	}
	return Event{Time: a.At, Kind: EventSLOAlert, Subject: a.Objective,
		Message: fmt.Sprintf("%s alert %s %s: burn rate %s over %s, %s over %s (threshold %s)",
			a.Tier.Severity, a.Objective, verb, formatNumber(a.Long.BurnRate), slo.WindowLabel(a.Long.Window),
			formatNumber(a.Short.BurnRate), slo.WindowLabel(a.Short.Window), formatNumber(a.Threshold))}
}

func anomalyEvent(a detect.Anomaly) Event {
	return Event{Time: a.Time, Kind: EventAnomaly, Subject: a.Series,
		Message: fmt.Sprintf("anomaly on %s: value %s, score %.2f (%s)", a.Series, formatSeriesValue(a.Series, a.Value), a.Result.Score, a.Detector)}
}

func breakerEvent(c breaker.StateChange) Event {
	return Event{Time: c.At, Kind: EventBreaker, Subject: c.Name,
		Message: fmt.Sprintf("breaker %s: %s -> %s", c.Name, c.From, c.To)}
}

// decisionEvent is one engine decision on the timeline: an action run,
// reverted or held back, as remediate.Decision.String puts it.
func decisionEvent(t time.Time, d remediate.Decision) Event {
	return Event{Time: t, Kind: EventRemediation, Subject: d.Policy, Message: d.String()}
}
