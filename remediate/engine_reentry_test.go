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
	var inner atomic.Int32
	reenter := func() {
		e.Records()
		e.AuditHead()
		if inner.Add(1) == 1 {
			e.HandleAt(context.Background(), engT0, Signal{Kind: SignalAnomaly, Source: "inner"})
		}
	}
	cfg := Config{
		Approver: ApproverFunc(func(context.Context, Request) (Approval, error) {
			reenter()
			return Approval{Approved: true, By: "me"}, nil
		}),
		Policies: []Policy{
			{
				Name: "outer",
				When: Match{Kinds: []SignalKind{SignalCustom}, Predicate: func(Signal) bool { e.Records(); return true }},
				Target: func(s Signal) string {
					e.AuditHead()
					return s.Source
				},
				Action:   Func("outer", func(context.Context, string, Signal) error { reenter(); return nil }),
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
	// awaiting (outer), inner from the writer, inner from the approver,
	// executed (outer).
	if len(recs) != 4 || w.lines.Load() != 4 || entries.Load() != 4 {
		t.Errorf("%d records, %d lines, %d log entries; want 4 each: %v", len(recs), w.lines.Load(), entries.Load(), recordOutcomes(recs))
	}
	if err := Verify(recs); err != nil {
		t.Error(err)
	}
}
