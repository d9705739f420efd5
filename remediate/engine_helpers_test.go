package remediate

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"
)

// engT0 is the fixed instant every scripted test starts from.
var engT0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// recordingAction is an Action that records the targets it was run on.
type recordingAction struct {
	name string
	err  error

	mu      sync.Mutex
	targets []string
}

func (c *recordingAction) Name() string {
	if c.name == "" {
		return "count"
	}
	return c.name
}

func (c *recordingAction) Do(_ context.Context, target string, _ Signal) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.targets = append(c.targets, target)
	return c.err
}

func (c *recordingAction) calls() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.targets)
}

// quiet is the audit logger for tests that do not look at the log.
func quietAudit() Option { return WithAuditLogger(slog.New(slog.DiscardHandler)) }

func mustEngine(t testing.TB, cfg Config, opts ...Option) *Engine {
	t.Helper()
	e, err := NewEngine(cfg, append([]Option{quietAudit()}, opts...)...)
	if err != nil {
		t.Fatalf("NewEngine: %v", err)
	}
	return e
}

// handleOne sends s at t and requires exactly one decision.
func handleOne(t testing.TB, e *Engine, at time.Time, s Signal) Decision {
	t.Helper()
	ds := e.HandleAt(context.Background(), at, s)
	if len(ds) != 1 {
		t.Fatalf("HandleAt(%v, %+v) = %d decisions, want 1: %+v", at, s, len(ds), ds)
	}
	return ds[0]
}

func recordOutcomes(recs []Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.Outcome.String()
		if r.Reason != "" {
			out[i] += "/" + r.Reason
		}
	}
	return out
}
