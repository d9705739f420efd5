package health

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"
)

// A run still within its Timeout is busy, not hung: RunChecks (or a
// scheduled run) overlapping it must not record a timeout for it.
func TestOverlappingRunIsNotATimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newTestRegistry(t)
		var log changeLog
		defer r.OnChange(log.add)()
		slow := func(ctx context.Context) Result {
			select {
			case <-time.After(500 * time.Millisecond):
				return Pass()
			case <-ctx.Done():
				return Fail(ctx.Err())
			}
		}
		mustRegister(t, r, Check{Name: "slow", Func: slow, Interval: time.Minute, Timeout: time.Second})
		if err := r.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		synctest.Wait() // the scheduled run is in flight, 500ms from its result
		time.Sleep(100 * time.Millisecond)
		if err := r.RunChecks(t.Context()); err != nil {
			t.Fatal(err)
		}
		st := r.tab.Load().byName["slow"].state.Load()
		if errors.Is(st.last.Err, ErrTimeout) {
			t.Fatalf("RunChecks during a healthy run recorded %v", st.last.Err)
		}
		time.Sleep(time.Second)
		synctest.Wait()
		if s, _ := r.CheckStatus("slow"); s != StatusPass {
			t.Fatalf("status %v, want pass", s)
		}
		if got, want := log.take(), "group ready: pass->unknown; slow: unknown->pass; group ready: unknown->pass"; got != want {
			t.Fatalf("changes %q, want %q", got, want)
		}
		mustShutdown(t, r)
	})
}
