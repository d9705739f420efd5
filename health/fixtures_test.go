package health

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"go.opentelemetry.io/otel/metric/noop"
)

// newTestRegistry returns a registry with exact scheduling, no drain delay and no-op
// metrics, shut down when the test ends.
func newTestRegistry(t testing.TB, opts ...Option) *Registry {
	r := NewRegistry(append([]Option{WithJitter(0), WithDrainDelay(0), WithMeterProvider(noop.NewMeterProvider())}, opts...)...)
	t.Cleanup(func() { _ = r.Shutdown(context.Background()) })
	return r
}

// script is a check function replaying a sequence of statuses (the last
// one repeats) and counting its calls.
type script struct {
	mu    sync.Mutex
	steps []Status
	calls atomic.Int64
}

func (s *script) run(context.Context) Result {
	n := s.calls.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.steps[min(int(n)-1, len(s.steps)-1)]
	if st == StatusPass {
		return Pass()
	}
	return Result{Status: st, Err: fmt.Errorf("step %d is %v", n, st)}
}

func (s *script) set(steps ...Status) {
	s.mu.Lock()
	s.steps = steps
	s.mu.Unlock()
}

func scripted(steps ...Status) *script { return &script{steps: steps} }

// changeLog records changes as "name: prev->cur" or "group ready: prev->cur".
type changeLog struct {
	mu  sync.Mutex
	got []string
}

func (l *changeLog) add(c Change) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.got = append(l.got, describe(c))
}

func (l *changeLog) take() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := strings.Join(l.got, "; ")
	l.got = nil
	return s
}

func describe(c Change) string {
	if c.Check == "" {
		return fmt.Sprintf("group %v: %v->%v", c.Group, c.Previous, c.Current)
	}
	return fmt.Sprintf("%s: %v->%v", c.Check, c.Previous, c.Current)
}

func mustRegister(t *testing.T, r *Registry, c Check) {
	t.Helper()
	if err := r.Register(c); err != nil {
		t.Fatalf("Register(%q): %v", c.Name, err)
	}
}

func mustShutdown(t *testing.T, r *Registry) {
	t.Helper()
	if err := r.Shutdown(context.Background()); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
}

var errBoom = errors.New("boom")
