package health

import (
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// letters maps a script like "PPFW" to statuses: P pass, W warn, F fail.
func letters(s string) []Status {
	out := make([]Status, len(s))
	for i, c := range s {
		out[i] = map[rune]Status{'P': StatusPass, 'W': StatusWarn, 'F': StatusFail}[c]
	}
	return out
}

// settle feeds raw results to a fresh state and returns the settled
// statuses after each, as letters (U for unknown).
func settle(raw string, failures, successes int) string {
	var st checkState
	var b strings.Builder
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, s := range letters(raw) {
		st = st.next(Observation{Result: normalize(Result{Status: s}), Time: t0.Add(time.Duration(i) * time.Second)}, failures, successes)
		b.WriteByte("UPWF"[st.status])
	}
	return b.String()
}

func TestHysteresis(t *testing.T) {
	for _, tc := range []struct {
		raw                 string
		failures, successes int
		want                string
	}{
		{"PFPF", 1, 1, "PFPF"},
		{"FFFPPP", 1, 1, "FFFPPP"},
		{"PPFFFPP", 3, 1, "PPPPFPP"},
		{"PFPFPFPF", 2, 1, "PPPPPPPP"}, // flapping never reaches 2 failures in a row
		{"FFPFPPP", 1, 2, "FFFFFPP"},
		{"PWPWF", 2, 1, "PWPWW"}, // pass and warn swap at once; one fail is not enough
		{"PPP", 1, 3, "UUP"},     // not ready until 3 passes
		{"FFF", 3, 1, "UUF"},     // unknown until the failure threshold settles it
		{"FPFPPP", 2, 3, "UUUUUP"},
		{"WWFFF", 3, 2, "UWWWF"},
	} {
		if got := settle(tc.raw, tc.failures, tc.successes); got != tc.want {
			t.Errorf("settle(%q, failures %d, successes %d) = %q, want %q", tc.raw, tc.failures, tc.successes, got, tc.want)
		}
	}
}

// A check flapping every run, with thresholds f and s, changes its
// settled status at most once per min(f, s) runs; with both above 1 it
// never leaves its first settled status.
func TestFlappingCheckIsDamped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newTestRegistry(t)
		var log changeLog
		defer r.OnChange(log.add)()
		// Two passes settle it; then it alternates fail, pass, fail, ...
		flap := scripted(letters("PP" + strings.Repeat("FP", 100))...)
		mustRegister(t, r, Check{Name: "flap", Interval: time.Second, FailureThreshold: 2, SuccessThreshold: 2, Func: flap.run})
		if err := r.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Second) // runs at 0s and 1s: P P
		synctest.Wait()
		if got, want := log.take(), "group ready: pass->unknown; flap: unknown->pass; group ready: unknown->pass"; got != want {
			t.Errorf("settling: %q, want %q", got, want)
		}
		time.Sleep(100 * time.Second)
		synctest.Wait()
		mustShutdown(t, r)
		if got := log.take(); got != "group ready: pass->draining" {
			t.Errorf("flapping check changed status: %q", got)
		}
		if n := flap.calls.Load(); n != 102 {
			t.Errorf("%d runs, want 102", n)
		}
	})
}

func TestStaleness(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newTestRegistry(t)
		var log changeLog
		wedge := make(chan struct{})
		wedged := false
		// A listener that blocks wedges the scheduler loop delivering to
		// it: its check's results stop, and must go stale.
		defer r.OnChange(func(c Change) {
			log.add(c)
			if c.Check == "a" && c.Current == StatusPass && !wedged {
				wedged = true
				<-wedge
			}
		})()
		mustRegister(t, r, Check{Name: "a", Func: scripted(StatusPass).run, Groups: Liveness, Interval: time.Second, Timeout: time.Second})
		if err := r.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if got := r.Status(Liveness); got != StatusPass {
			t.Fatalf("Status(live) = %v, want pass", got)
		}
		// MaxAge defaults to 2*Interval + Timeout = 3s.
		time.Sleep(3*time.Second - time.Nanosecond)
		if got := r.Status(Liveness); got != StatusPass {
			t.Fatalf("just before MaxAge: Status(live) = %v, want pass", got)
		}
		time.Sleep(time.Nanosecond)
		// Let the sweeper, woken at the same instant, queue the stale
		// transition before the listener is released; otherwise the
		// overdue re-run may land first and the stale spell lasts 0s.
		synctest.Wait()
		if s, _ := r.CheckStatus("a"); s != StatusUnknown {
			t.Fatalf("at MaxAge: CheckStatus(a) = %v, want unknown", s)
		}
		if got := r.Status(Liveness); got != StatusUnknown {
			t.Fatalf("at MaxAge: Status(live) = %v, want unknown", got)
		}
		if code, body := serve(r.Handler(Liveness), "/livez", ""); code != 503 || body != "[-]a unknown: last result is stale\nlivez check failed\n" {
			t.Fatalf("stale probe = %d %q", code, body)
		}
		close(wedge)
		synctest.Wait()
		// The sweeper's transition to unknown was queued behind the wedged
		// listener and is delivered, in order, once it returns; the
		// unblocked loop then runs again and passes.
		// The loop, overdue, runs at once and passes again.
		if got, want := log.take(), "a: unknown->pass; a: pass->unknown; group live: pass->unknown; a: unknown->pass; group live: unknown->pass"; got != want {
			t.Errorf("changes = %q, want %q", got, want)
		}
		mustShutdown(t, r)
	})
}
