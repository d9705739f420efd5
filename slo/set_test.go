package slo

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"go.opentelemetry.io/otel/metric/noop"
)

func TestSetFiresListenersOnTransitions(t *testing.T) {
	set, err := NewSet(fixed(t0))
	if err != nil {
		t.Fatal(err)
	}
	defer set.Shutdown(context.Background())
	s := mustNew(t, api(0.999, 30*day), t0)
	if err := set.Add(s); err != nil {
		t.Fatal(err)
	}
	if err := set.Add(mustNew(t, api(0.99, day), t0)); !errors.Is(err, ErrDuplicate) {
		t.Errorf("Add of a duplicate name: %v, want ErrDuplicate", err)
	}
	if err := set.Add(nil); err == nil || !strings.HasPrefix(err.Error(), "slo: ") {
		t.Errorf("Add(nil) = %v, want a prefixed error", err)
	}
	var got []AlertEvent
	set.OnAlert(func(e AlertEvent) {
		// A listener may call back into the set: no lock is held.
		_ = set.Get(e.Objective).Status()
		got = append(got, e)
	})
	feed(s, t0, t0.Add(2*time.Hour), 100, 0)
	set.TickAt(t0.Add(2 * time.Hour))
	outage := t0.Add(2 * time.Hour)
	for m := range 10 {
		at := outage.Add(time.Duration(m) * time.Minute)
		s.AddAt(at, 0, 100)
		set.TickAt(at.Add(30 * time.Second))
	}
	for m := range 10 {
		at := outage.Add(time.Duration(10+m) * time.Minute)
		s.AddAt(at, 100, 0)
		set.TickAt(at.Add(30 * time.Second))
	}
	if sts := set.Statuses(); len(sts) != 1 || sts[0].Name != "api" || !sts[0].At.Equal(outage.Add(19*time.Minute+30*time.Second)) {
		t.Errorf("Statuses() = %d statuses, want the last tick's status of api", len(sts))
	}
	if len(got) < 2 {
		t.Fatalf("got %d events, want a page firing and resolving: %+v", len(got), got)
	}
	first := got[0]
	if !first.Firing || first.Tier.Severity != SeverityPage || first.Tier.Long != time.Hour ||
		first.Long.BurnRate <= 14.4 || first.Short.BurnRate <= 14.4 || first.Threshold != 14.4 {
		t.Errorf("first event %+v, want the 1h/5m page firing with burn rates above 14.4", first)
	}
	var resolved bool
	for _, e := range got[1:] {
		if e.Tier == first.Tier && !e.Firing {
			resolved = true
			if e.Short.BurnRate > 14.4 {
				t.Errorf("resolved with short burn rate %v", e.Short.BurnRate)
			}
		}
	}
	if !resolved {
		t.Errorf("the page never resolved: %+v", got)
	}
}

func TestSetStartTicksAndShutdownIsIdempotent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		set, err := NewSet(WithTickInterval(10 * time.Second))
		if err != nil {
			t.Fatal(err)
		}
		s, err := New(api(0.999, 30*day))
		if err != nil {
			t.Fatal(err)
		}
		_ = set.Add(s)
		var mu sync.Mutex
		var events []AlertEvent
		set.OnAlert(func(e AlertEvent) { mu.Lock(); events = append(events, e); mu.Unlock() })
		ctx := context.Background()
		if err := set.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if err := set.Start(ctx); !errors.Is(err, ErrStarted) {
			t.Errorf("second Start: %v, want ErrStarted", err)
		}
		// Record with the coarse clock only: the ticks move it.
		for range 3 * 60 {
			for range 10 {
				s.Record(false)
			}
			time.Sleep(10 * time.Second)
			synctest.Wait()
		}
		st := s.Status()
		if w, _ := st.Window(time.Hour); w.Bad != 30*60/10*10 {
			t.Errorf("1h window bad = %d after 30 min of ticks, want 1800", w.Bad)
		}
		if w, _ := st.Window(30 * time.Minute); w.Bad != 29*60/10*10 {
			t.Errorf("30m window bad = %d, want 1740 (the first minute is out)", w.Bad)
		}
		if got := s.cur.Load() - unixMinute(start); got != 30 {
			t.Errorf("coarse clock moved %d minutes, want 30", got)
		}
		mu.Lock()
		n := len(events)
		mu.Unlock()
		if n == 0 {
			t.Errorf("no alert while every event was bad")
		}
		if err := set.Shutdown(ctx); err != nil {
			t.Fatal(err)
		}
		if err := set.Shutdown(ctx); err != nil {
			t.Errorf("second Shutdown: %v", err)
		}
		if err := set.Start(ctx); !errors.Is(err, ErrClosed) {
			t.Errorf("Start after Shutdown: %v, want ErrClosed", err)
		}
	})
}

func TestShutdownReturnsContextErrorWhileAListenerBlocks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		set, _ := NewSet()
		s, _ := New(api(0.999, 30*day))
		_ = set.Add(s)
		release := make(chan struct{})
		set.OnAlert(func(AlertEvent) { <-release })
		s.Record(false) // the first tick fires the pages
		_ = set.Start(context.Background())
		synctest.Wait()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := set.Shutdown(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("Shutdown while a listener blocks: %v, want context.Canceled", err)
		}
		close(release)
		if err := set.Shutdown(context.Background()); err != nil {
			t.Errorf("Shutdown after release: %v", err)
		}
	})
}

// TestOnAlertRemove: remove takes back exactly its own registration (the
// same func registered twice stays registered once), is idempotent, and a
// removed listener hears nothing of a later transition.
func TestOnAlertRemove(t *testing.T) {
	set, err := NewSet(fixed(t0))
	if err != nil {
		t.Fatal(err)
	}
	defer set.Shutdown(context.Background())
	s := mustNew(t, api(0.999, 30*day), t0)
	if err := set.Add(s); err != nil {
		t.Fatal(err)
	}
	var kept, removed, twice int
	set.OnAlert(func(AlertEvent) { kept++ })
	remove := set.OnAlert(func(AlertEvent) { removed++ })
	dup := func(AlertEvent) { twice++ }
	set.OnAlert(dup)
	removeDup := set.OnAlert(dup)
	remove()
	remove()
	removeDup()
	set.OnAlert(nil)() // a nil listener is ignored and its remove is a no-op
	outage := t0.Add(2 * time.Hour)
	feed(s, t0, outage, 100, 0)
	for m := range 10 {
		at := outage.Add(time.Duration(m) * time.Minute)
		s.AddAt(at, 0, 100)
		set.TickAt(at.Add(30 * time.Second))
	}
	if kept == 0 {
		t.Fatal("no alert transition reached the kept listener: the scenario fired nothing")
	}
	if removed != 0 {
		t.Errorf("removed listener called %d times, want 0", removed)
	}
	if twice != kept {
		t.Errorf("func registered twice, one registration removed: called %d times, want %d (once per event)", twice, kept)
	}
}

// TestNewSetRefusesNegativeTickInterval: a negative interval is invalid
// configuration, refused at construction; zero means the default.
func TestNewSetRefusesNegativeTickInterval(t *testing.T) {
	_, err := NewSet(WithTickInterval(-time.Second), WithMeterProvider(noop.NewMeterProvider()))
	if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), "WithTickInterval = -1s") {
		t.Fatalf("NewSet(WithTickInterval(-1s)) = %v, want an ErrInvalidConfig naming the option and value", err)
	}
	set, err := NewSet(WithTickInterval(0), WithMeterProvider(noop.NewMeterProvider()))
	if err != nil {
		t.Fatal(err)
	}
	if set.interval != DefaultTickInterval {
		t.Fatalf("interval %v, want the default %v", set.interval, DefaultTickInterval)
	}
	_ = set.Shutdown(context.Background())
}
