package availability

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/internal/metrictest"
)

func TestStartShutdownLifecycle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mp := metrictest.NewProvider(t)
		m, err := New(WithMeterProvider(mp))
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Health().Register(health.Check{Name: "db", Func: func(context.Context) health.Result { return health.Pass() },
			Interval: time.Second}); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		if err := m.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if err := m.Start(ctx); !errors.Is(err, ErrStarted) {
			t.Fatalf("second Start: %v, want ErrStarted", err)
		}
		time.Sleep(2 * time.Second)
		synctest.Wait()
		if s := m.Health().Status(health.Readiness); s != health.StatusPass {
			t.Fatalf("readiness %v before shutdown, want pass", s)
		}

		// When readiness drains, the registry must still be running:
		// draining comes first, health stops last.
		var drainedWhileRunning, sawDrain bool
		m.Health().OnChange(func(c health.Change) {
			if c.Check == "" && c.Group == health.Readiness && c.Current == health.StatusDraining {
				sawDrain = true
				drainedWhileRunning = m.Health().RunChecks(context.Background()) == nil
			}
		})
		if err := m.Shutdown(ctx); err != nil {
			t.Fatalf("Shutdown: %v", err)
		}
		if !sawDrain || !drainedWhileRunning {
			t.Errorf("drain seen %v, registry running at drain %v; want both", sawDrain, drainedWhileRunning)
		}
		if err := m.Health().RunChecks(ctx); !errors.Is(err, health.ErrClosed) {
			t.Errorf("health after Shutdown: %v, want ErrClosed", err)
		}
		if err := m.Shutdown(ctx); err != nil {
			t.Errorf("second Shutdown: %v", err)
		}
		if err := m.Start(ctx); !errors.Is(err, ErrClosed) {
			t.Errorf("Start after Shutdown: %v, want ErrClosed", err)
		}
	})
}

func TestStartedMonitorAlertsOnErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mp := metrictest.NewProvider(t)
		m, err := New(WithMeterProvider(mp), WithRouteObjectives(RouteObjectives{Availability: 0.99}))
		if err != nil {
			t.Fatal(err)
		}
		var log eventLog
		m.OnEvent(log.add)
		if err := m.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		h := m.Middleware(testMux())
		// A full outage of a 99% objective pages once it has spent the
		// 1h/5m tier's share of the budget: after 8.64 minutes from the
		// start (14.4 x 1h x 1%), the SRE Workbook's detection time.
		for range 10 * 60 {
			serve(h, "GET", "/fail")
			serve(h, "GET", "/users/1")
			time.Sleep(time.Second)
		}
		synctest.Wait()
		alerts := log.ofKind(EventSLOAlert)
		if len(alerts) == 0 || !strings.Contains(alerts[0].Message, "firing") || alerts[0].Subject != "route:GET:fail:availability" {
			t.Errorf("alert events %+v, want route:GET:fail:availability firing", alerts)
		}
		for _, a := range alerts {
			if strings.Contains(a.Subject, "users") {
				t.Errorf("healthy route alerted: %+v", a)
			}
		}
		st := m.Statusz()
		var found bool
		for _, s := range st.SLOs {
			if s.Name == "route:GET:fail:availability" {
				found = true
				if len(s.ActiveAlerts) == 0 || math.Abs(s.BurnRates.Of(5*time.Minute)-100) > 1e-9 {
					t.Errorf("statusz %+v, want active alerts and a 5m burn rate of 100", s)
				}
			}
		}
		if !found {
			t.Errorf("statusz SLOs %+v lack the failing route", st.SLOs)
		}
		if err := m.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		_ = http.StatusOK
	})
}

// flushRecorder is a MeterProvider that records when it is flushed.
type flushRecorder struct {
	noop.MeterProvider
	flushes     int
	healthAtEnd error // Register's error at flush time: ErrClosed if health stopped first
	m           *Monitor
}

func (f *flushRecorder) ForceFlush(context.Context) error {
	f.flushes++
	f.healthAtEnd = f.m.Health().Register(health.Check{Name: "late", Func: func(context.Context) health.Result { return health.Pass() }})
	return nil
}

// TestShutdownFlushesMeterProviderLast: the provider is flushed once, after
// the health registry has stopped, and never again on a second Shutdown.
func TestShutdownFlushesMeterProviderLast(t *testing.T) {
	mp := &flushRecorder{}
	m, err := New(WithMeterProvider(mp), WithDrainDelay(0))
	if err != nil {
		t.Fatal(err)
	}
	mp.m = m
	if err := m.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := m.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if mp.flushes != 1 {
		t.Errorf("ForceFlush called %d times, want 1", mp.flushes)
	}
	if !errors.Is(mp.healthAtEnd, health.ErrClosed) {
		t.Errorf("at flush time health.Register = %v, want ErrClosed (health stopped before the flush)", mp.healthAtEnd)
	}
}
