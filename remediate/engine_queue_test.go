package remediate

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// blockingApprover never answers: every request ends at its deadline.
type blockingApprover struct{ asked atomic.Int32 }

func (a *blockingApprover) Approve(ctx context.Context, _ Request) (Approval, error) {
	a.asked.Add(1)
	<-ctx.Done()
	return Approval{}, ctx.Err()
}

func queuedCriticalEngine(t *testing.T, ap Approver, act Action, queue int) *Engine {
	t.Helper()
	return mustEngine(t, Config{
		Policies:        []Policy{{Name: "critical", Action: act, Critical: true}},
		Approver:        ap,
		ApprovalTimeout: time.Minute,
		QueueSize:       queue,
	})
}

// A producer's Submit returns at once while the engine waits for an
// approval; a full queue drops and counts; Shutdown lets the queue drain;
// the context given to Start does not stop the engine.
func TestSubmitQueuesWithoutBlocking(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ap := &blockingApprover{}
		act := &recordingAction{}
		e := queuedCriticalEngine(t, ap, act, 1)
		ctx, cancel := context.WithCancel(context.Background())
		if err := e.Start(ctx); err != nil {
			t.Fatalf("Start: %v", err)
		}
		cancel() // only Shutdown stops the engine
		start := time.Now()
		got := []bool{e.Submit(Signal{Source: "a"})}
		synctest.Wait() // the engine is now waiting for the approver
		got = append(got, e.Submit(Signal{Source: "b"}), e.Submit(Signal{Source: "c"}))
		if elapsed := time.Since(start); elapsed != 0 {
			t.Errorf("Submit took %v of (fake) time, want 0", elapsed)
		}
		if want := []bool{true, true, false}; !slices.Equal(got, want) {
			t.Errorf("Submit = %v, want %v (queue of 1 behind the signal in flight)", got, want)
		}
		if n := e.DroppedSignals(); n != 1 {
			t.Errorf("DroppedSignals = %d, want 1", n)
		}
		if err := e.Shutdown(context.Background()); err != nil {
			t.Fatalf("Shutdown: %v", err)
		}
		if elapsed := time.Since(start); elapsed != 2*time.Minute {
			t.Errorf("Shutdown returned after %v, want 2m (two approval timeouts)", elapsed)
		}
		if ap.asked.Load() != 2 || act.calls() != 0 {
			t.Errorf("approver asked %d times, action run %d times; want 2 and 0", ap.asked.Load(), act.calls())
		}
		want := []string{"awaiting_approval/approval_required", "denied/approval_timeout",
			"awaiting_approval/approval_required", "denied/approval_timeout"}
		if got := recordOutcomes(e.Records()); !slices.Equal(got, want) {
			t.Errorf("audit = %v, want %v", got, want)
		}
		if e.Submit(Signal{Source: "d"}) || e.DroppedSignals() != 2 {
			t.Errorf("Submit after Shutdown queued, or was not counted (dropped %d)", e.DroppedSignals())
		}
	})
}

// When Shutdown's context ends first, the decision in flight is cancelled
// (a pending approval is denied), the rest of the queue is dropped and
// counted, and a later Shutdown waits for the goroutine.
func TestShutdownGivesUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ap := &blockingApprover{}
		e := queuedCriticalEngine(t, ap, &recordingAction{}, 4)
		if err := e.Start(context.Background()); err != nil {
			t.Fatalf("Start: %v", err)
		}
		e.Submit(Signal{Source: "a"})
		e.Submit(Signal{Source: "b"})
		synctest.Wait()
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if err := e.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Shutdown = %v, want DeadlineExceeded", err)
		}
		// A later Shutdown waits for the goroutine and says what the first
		// one returned.
		if err := e.Shutdown(context.Background()); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("second Shutdown = %v, want the first one's DeadlineExceeded", err)
		}
		if n := e.DroppedSignals(); n != 1 {
			t.Errorf("DroppedSignals = %d, want 1 (b never decided)", n)
		}
		recs := e.Records()
		if got := recordOutcomes(recs); len(got) != 2 || got[1] != "denied/approval_timeout" || recs[1].Signal.Source != "a" {
			t.Errorf("audit = %v, want a's awaiting_approval then denied", got)
		}
	})
}

func TestStartShutdownStates(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		act := &recordingAction{}
		e := mustEngine(t, Config{Policies: []Policy{{Name: "p", Action: act}}})
		done, cancel := context.WithCancel(context.Background())
		cancel()
		if err := e.Start(done); !errors.Is(err, context.Canceled) {
			t.Errorf("Start(cancelled ctx) = %v, want context.Canceled", err)
		}
		// Signals submitted before Start wait for it.
		if !e.Submit(Signal{Source: "early"}) {
			t.Fatal("Submit before Start was dropped")
		}
		if err := e.Start(context.Background()); err != nil {
			t.Fatalf("Start: %v", err)
		}
		if err := e.Start(context.Background()); !errors.Is(err, ErrStarted) {
			t.Errorf("second Start = %v, want ErrStarted", err)
		}
		synctest.Wait()
		if act.calls() != 1 {
			t.Errorf("action ran %d times after Start, want 1", act.calls())
		}
		if err := e.Shutdown(context.Background()); err != nil {
			t.Fatalf("Shutdown: %v", err)
		}
		if err := e.Start(context.Background()); !errors.Is(err, ErrClosed) {
			t.Errorf("Start after Shutdown = %v, want ErrClosed", err)
		}
		// Handle needs no goroutine and works after Shutdown.
		if d := handleOne(t, e, engT0, Signal{Source: "late"}); d.Outcome != OutcomeExecuted {
			t.Errorf("Handle after Shutdown = %v, want executed", d.Outcome)
		}
	})
}

// A never-started engine drops what it holds at Shutdown.
func TestShutdownWithoutStart(t *testing.T) {
	act := &recordingAction{}
	e := mustEngine(t, Config{Policies: []Policy{{Name: "p", Action: act}}})
	e.Submit(Signal{Source: "a"})
	e.Submit(Signal{Source: "b"})
	if err := e.Shutdown(context.Background()); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if n := e.DroppedSignals(); n != 2 || act.calls() != 0 {
		t.Errorf("DroppedSignals = %d, action calls = %d; want 2 and 0", n, act.calls())
	}
}

// Submit is on a producer's listener path: it must not allocate.
func TestSubmitAllocs(t *testing.T) {
	e := mustEngine(t, Config{QueueSize: maxQueueSize})
	s := Signal{Kind: SignalAnomaly, Source: "p99_ms", Value: 0.9, Time: engT0}
	if n := testing.AllocsPerRun(100, func() { e.Submit(s) }); n != 0 {
		t.Errorf("Submit allocates %v times, want 0", n)
	}
	if err := e.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
}
