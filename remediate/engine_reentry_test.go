package remediate

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"
)

// reenteringWriter calls back into the engine from the audit writer.
type reenteringWriter struct {
	e     *Engine
	lines atomic.Int32
	once  atomic.Bool
}

func (w *reenteringWriter) Write(p []byte) (int, error) {
	w.lines.Add(1)
	w.e.Records()
	w.e.AuditHead()
	if w.once.CompareAndSwap(false, true) {
		w.e.HandleAt(context.Background(), engT0, Signal{Kind: SignalAnomaly, Source: "from-writer"})
	}
	return len(p), nil
}

// reenteringHandler calls back into the engine from the slog handler.
type reenteringHandler struct {
	slog.Handler
	e       *Engine
	entries *atomic.Int32
}

func (reenteringHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h reenteringHandler) Handle(ctx context.Context, r slog.Record) error {
	h.entries.Add(1)
	h.e.Records()
	return nil
}

// User code — predicates, target functions, approvers, actions, the audit
// writer and the log handler — may call back into the engine: none of it
// runs under an engine lock, so none of it deadlocks (a deadlock here
// hangs the test until go test's timeout fails it).
func TestUserCodeMayReenterTheEngine(t *testing.T) {
	var e *Engine
	w := &reenteringWriter{}
	// Each hook decides one inner signal, which takes every engine lock.
	var hooks [4]atomic.Bool
	reenter := func(hook int) {
		e.Records()
		e.AuditHead()
		if hooks[hook].CompareAndSwap(false, true) {
			e.HandleAt(context.Background(), engT0, Signal{Kind: SignalAnomaly, Source: "inner"})
		}
	}
	cfg := Config{
		Approver: ApproverFunc(func(context.Context, Request) (Approval, error) {
			reenter(0)
			return Approval{Approved: true, By: "me"}, nil
		}),
		Policies: []Policy{
			{
				Name: "outer",
				When: Match{Kinds: []SignalKind{SignalCustom}, Predicate: func(Signal) bool { reenter(1); return true }},
				Target: func(s Signal) string {
					reenter(2)
					return s.Source
				},
				Action:   Func("outer", func(context.Context, string, Signal) error { reenter(3); return nil }),
				Critical: true,
			},
			{Name: "inner", When: Match{Kinds: []SignalKind{SignalAnomaly}}, Action: Func("inner", func(context.Context, string, Signal) error {
				e.Records()
				return nil
			})},
		},
	}
	var err error
	var entries atomic.Int32
	e, err = NewEngine(cfg, WithAuditWriter(w), WithAuditLogger(slog.New(reenteringHandler{slog.DiscardHandler, e, &entries})))
	if err != nil {
		t.Fatal(err)
	}
	e.audit.logger = slog.New(reenteringHandler{slog.DiscardHandler, e, &entries}) // now that e exists
	w.e = e
	ds := e.HandleAt(context.Background(), engT0, Signal{Source: "db"})
	if len(ds) != 1 || ds[0].Outcome != OutcomeExecuted {
		t.Fatalf("decisions %+v", ds)
	}
	recs := e.Records()
	// Inner decisions from the predicate, the target function, the writer,
	// the approver and the action; the outer awaiting_approval and
	// executed steps.
	if len(recs) != 7 || w.lines.Load() != 7 || entries.Load() != 7 {
		t.Errorf("%d records, %d lines, %d log entries; want 7 each: %v", len(recs), w.lines.Load(), entries.Load(), recordOutcomes(recs))
	}
	if err := Verify(recs); err != nil {
		t.Error(err)
	}
}
