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

func criticalEngine(t *testing.T, act Action, ap Approver) *Engine {
	t.Helper()
	return mustEngine(t, Config{
		Approver:        ap,
		ApprovalTimeout: time.Minute,
		Policies:        []Policy{{Name: "failover", Action: act, Critical: true}},
	})
}

// An approver that never answers (it waits for ctx) is denied exactly at
// the deadline; the action never runs.
func TestApprovalTimeoutDenies(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		act := &recordingAction{}
		var asked atomic.Int32
		e := criticalEngine(t, act, ApproverFunc(func(ctx context.Context, req Request) (Approval, error) {
			asked.Add(1)
			if want := time.Now().Add(time.Minute); !req.Deadline.Equal(want) {
				t.Errorf("request deadline %v, want %v", req.Deadline, want)
			}
			<-ctx.Done()
			return Approval{}, ctx.Err()
		}))
		start := time.Now()
		d := handleOne(t, e, engT0, Signal{Source: "primary"})
		if waited := time.Since(start); waited != time.Minute {
			t.Errorf("Handle waited %v, want the 1m approval timeout", waited)
		}
		if d.Outcome != OutcomeDenied || d.Reason != ReasonApprovalTimeout || !errors.Is(d.Err, context.DeadlineExceeded) {
			t.Errorf("decision %+v, want denied/approval_timeout with DeadlineExceeded", d)
		}
		if asked.Load() != 1 || act.calls() != 0 {
			t.Errorf("asked %d times, action ran %d times; want 1 and 0", asked.Load(), act.calls())
		}
		recs := e.Records()
		if got, want := recordOutcomes(recs), []string{"awaiting_approval/approval_required", "denied/approval_timeout"}; !slices.Equal(got, want) {
			t.Errorf("audit %v, want %v", got, want)
		}
		if recs[1].Elapsed != time.Minute {
			t.Errorf("recorded elapsed %v, want 1m", recs[1].Elapsed)
		}
	})
}

// An approver that ignores ctx and answers "yes" after the deadline is
// still denied at the deadline: a late answer is no answer.
func TestLateApprovalIsIgnored(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		act := &recordingAction{}
		e := criticalEngine(t, act, ApproverFunc(func(context.Context, Request) (Approval, error) {
			time.Sleep(2 * time.Minute) // ignores ctx
			return Approval{Approved: true, By: "late"}, nil
		}))
		start := time.Now()
		d := handleOne(t, e, engT0, Signal{Source: "primary"})
		if waited := time.Since(start); waited != time.Minute {
			t.Errorf("Handle waited %v, want 1m", waited)
		}
		if d.Outcome != OutcomeDenied || d.Reason != ReasonApprovalTimeout {
			t.Errorf("decision %+v, want denied/approval_timeout", d)
		}
		synctest.Wait() // let the approver goroutine finish: nothing may leak
		time.Sleep(time.Minute)
		synctest.Wait()
		if act.calls() != 0 {
			t.Errorf("action ran after a late approval")
		}
	})
}

func TestApprovalAnswers(t *testing.T) {
	tests := []struct {
		name       string
		approve    func(context.Context, Request) (Approval, error)
		want       DecisionOutcome
		wantReason string
		wantBy     string
		wantRuns   int
	}{
		{"approved", func(context.Context, Request) (Approval, error) { return Approval{Approved: true, By: "alice"}, nil }, OutcomeExecuted, "", "alice", 1},
		{"refused", func(context.Context, Request) (Approval, error) { return Approval{By: "bob"}, nil }, OutcomeDenied, ReasonApprovalRefused, "bob", 0},
		{"error", func(context.Context, Request) (Approval, error) {
			return Approval{Approved: true, By: "carol"}, errors.New("chat down")
		}, OutcomeDenied, ReasonApprovalError, "carol", 0},
		{"panic", func(context.Context, Request) (Approval, error) { panic("boom") }, OutcomeDenied, ReasonApprovalError, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			act := &recordingAction{}
			var req Request
			e := criticalEngine(t, act, ApproverFunc(func(ctx context.Context, r Request) (Approval, error) {
				req = r
				return tt.approve(ctx, r)
			}))
			d := handleOne(t, e, engT0, Signal{Kind: SignalSLOAlert, Source: "checkout", State: "firing"})
			if d.Outcome != tt.want || d.Reason != tt.wantReason || d.Approver != tt.wantBy || act.calls() != tt.wantRuns {
				t.Errorf("decision %+v with %d runs, want %v/%q by %q with %d runs", d, act.calls(), tt.want, tt.wantReason, tt.wantBy, tt.wantRuns)
			}
			if req.Policy != "failover" || req.Target != "checkout" || req.Seq != 1 || req.Signal.State != "firing" {
				t.Errorf("approval request %+v", req)
			}
			recs := e.Records()
			if len(recs) != 2 || recs[1].Approver != tt.wantBy || recs[1].Seq != d.Seq {
				t.Errorf("audit %+v", recs)
			}
		})
	}
}

// Cancelling the caller's context denies a pending approval at once.
func TestApprovalCancelledByCaller(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := criticalEngine(t, &recordingAction{}, ApproverFunc(func(ctx context.Context, _ Request) (Approval, error) {
			<-ctx.Done()
			return Approval{}, ctx.Err()
		}))
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		ds := e.HandleAt(ctx, engT0, Signal{})
		if len(ds) != 1 || ds[0].Outcome != OutcomeDenied || !errors.Is(ds[0].Err, context.DeadlineExceeded) {
			t.Fatalf("decisions %+v", ds)
		}
	})
}
