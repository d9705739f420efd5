package health

import (
	"testing"
	"testing/synctest"
	"time"
)

func TestDrain(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newTestRegistry()
		mustRegister(t, r, Check{Name: "proc", Func: scripted(StatusPass).run, Groups: Liveness | Readiness})
		if err := r.RunChecks(t.Context()); err != nil {
			t.Fatal(err)
		}
		var log changeLog
		defer r.OnChange(log.add)()

		r.Drain()
		if got := log.take(); got != "group ready: pass->draining" {
			t.Errorf("Drain announced %q", got)
		}
		if got := r.Status(Readiness); got != StatusDraining || !r.Draining() {
			t.Errorf("Status(ready) = %v, Draining() = %v after Drain", got, r.Draining())
		}
		if got := r.Status(Liveness); got != StatusPass {
			t.Errorf("Status(live) = %v after Drain, want pass", got)
		}
		r.Drain()
		if got := log.take(); got != "" {
			t.Errorf("second Drain announced %q", got)
		}
		r.Undrain()
		if got := log.take(); got != "group ready: draining->pass" {
			t.Errorf("Undrain announced %q", got)
		}
		mustShutdown(t, r)
		if got := log.take(); got != "group ready: pass->draining" {
			t.Errorf("Shutdown announced %q", got)
		}
		r.Undrain()
		if got := r.Status(Readiness); got != StatusDraining {
			t.Errorf("Status(ready) = %v after Shutdown and Undrain, want draining", got)
		}
	})
}

func TestOnChangeOrderAndReentrancy(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newTestRegistry()
		var log changeLog
		remove := r.OnChange(func(c Change) {
			// Would deadlock if a lock were held during the call.
			_ = r.Status(Readiness)
			_ = r.Checks()
			if c.Check == "b" && c.Current == StatusFail {
				r.Drain()
			}
			log.add(c)
		})
		a, b := scripted(StatusPass), scripted(StatusPass, StatusFail)
		mustRegister(t, r, Check{Name: "b", Func: b.run, Interval: time.Second, Groups: Readiness | Startup})
		mustRegister(t, r, Check{Name: "a", Func: a.run, Interval: time.Second, Groups: Readiness | Liveness})
		if got, want := log.take(), "group ready: pass->unknown; group startup: pass->unknown"; got != want {
			t.Errorf("after Register: %q, want %q", got, want)
		}
		if err := r.RunChecks(t.Context()); err != nil {
			t.Fatal(err)
		}
		// RunChecks runs a and b concurrently: either may report first.
		got := log.take()
		want1 := "a: unknown->pass; b: unknown->pass; group ready: unknown->pass; group startup: unknown->pass"
		want2 := "b: unknown->pass; group startup: unknown->pass; a: unknown->pass; group ready: unknown->pass"
		if got != want1 && got != want2 {
			t.Errorf("after first runs: %q", got)
		}
		if err := r.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		// b fails; the listener drains from inside its call; the nested
		// transition is delivered after the current one, in order.
		if got, want := log.take(), "b: pass->fail; group ready: pass->fail; group startup: pass->fail; group ready: fail->draining"; got != want {
			t.Errorf("after b fails: %q, want %q", got, want)
		}
		remove()
		remove()
		r.Undrain()
		if got := log.take(); got != "" {
			t.Errorf("removed listener still called: %q", got)
		}
		mustShutdown(t, r)
	})
}
