package availability

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/remediate/admit"
	"github.com/nines-sre/nines/slo"
)

const day = 24 * time.Hour

var stateObjectives = RouteObjectives{Availability: 0.999}

// stateRoute's availability objective, and its snapshot file.
const (
	stateRoute = "GET /api"
	stateSLO   = "route:GET:api:availability"
	stateFile  = "route~GET~api~availability.slo"
)

// lockedBuffer is a log sink safe for concurrent writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// stateMonitor is a started Monitor on dir whose clock is clk; it never
// saves by itself within a test (SaveInterval is the maximum), so saves
// are SaveState and Shutdown.
func stateMonitor(t *testing.T, dir string, clk *fakeClock, logs *lockedBuffer, opts ...Option) *Monitor {
	t.Helper()
	logger := discardLogger
	if logs != nil {
		logger = slog.New(slog.NewTextHandler(logs, nil))
	}
	m, err := New(append([]Option{WithMeterProvider(noop.NewMeterProvider()), WithDrainDelay(0), WithClock(clk.Now), WithLogger(logger),
		WithRouteObjectives(stateObjectives), WithStateDir(StateDir{Path: dir, SaveInterval: MaxStateSaveInterval})},
		opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown(context.Background()) })
	return m
}

func start(t *testing.T, m *Monitor) {
	t.Helper()
	if err := m.Start(context.Background()); err != nil {
		t.Fatalf("Start: %v", err)
	}
}

// traffic serves stateRoute through m and feeds ref the same events: for
// d from the clock's now, 6 requests a minute, one in every badEvery bad
// (0: none), ticking every minute.
func traffic(m *Monitor, ref *slo.SLO, clk *fakeClock, d time.Duration, badEvery int) {
	trafficEvery(m, ref, clk, d, time.Minute, badEvery)
}

// trafficEvery is traffic ticking every step, with the step's requests at
// its start (fewer ticks for long stretches).
func trafficEvery(m *Monitor, ref *slo.SLO, clk *fakeClock, d, step time.Duration, badEvery int) {
	e := m.Endpoint(ServerEndpoint, stateRoute)
	end := clk.Now().Add(d)
	for i := 0; clk.Now().Before(end); {
		now := clk.Now()
		m.TickAt(now)
		for range step / (10 * time.Second) {
			bad := badEvery > 0 && i%badEvery == 0
			i++
			c, err := e.Admit(admit.Normal)
			if err == nil {
				c.Done(bad)
			}
			if ref != nil {
				ref.RecordAt(now, !bad)
			}
		}
		clk.Add(step)
	}
}

func refSLO(t *testing.T, at time.Time) *slo.SLO {
	t.Helper()
	o := stateObjectives.objectives("route:GET:api")[0]
	s, err := slo.New(o, slo.WithClock(func() time.Time { return at }))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func sloOf(t *testing.T, m *Monitor) *slo.SLO {
	t.Helper()
	s := m.SLOs().Get(stateSLO)
	if s == nil {
		t.Fatalf("no objective %s", stateSLO)
	}
	return s
}

// sameStatus fails unless got and want agree on every window, the period
// and the budget at t.
func sameStatus(t *testing.T, got, want *slo.SLO, at time.Time) {
	t.Helper()
	g, w := got.StatusAt(at), want.StatusAt(at)
	for i := range w.Windows {
		if g.Windows[i] != w.Windows[i] {
			t.Errorf("window %v: restarted %d/%d, uninterrupted %d/%d", w.Windows[i].Window,
				g.Windows[i].Good, g.Windows[i].Bad, w.Windows[i].Good, w.Windows[i].Bad)
		}
	}
	if g.Period != w.Period || g.BudgetRemaining != w.BudgetRemaining {
		t.Errorf("period %d/%d budget %v, uninterrupted %d/%d budget %v",
			g.Period.Good, g.Period.Bad, g.BudgetRemaining, w.Period.Good, w.Period.Bad, w.BudgetRemaining)
	}
}

// A clean restart, after 10 minutes or 4 days down, loses nothing: every
// window, the period and the budget equal those of a process that ran
// through the downtime with no traffic. After 4 days the 5m to 3d windows
// hold only the new traffic and the 30-day period keeps the outage of day
// 1; a crash loses exactly the events after the last save.
func TestStateDirRestart(t *testing.T) {
	for _, c := range []struct {
		name     string
		downtime time.Duration
		crash    bool
	}{
		{"10m", 10 * time.Minute, false},
		{"4d", 4 * day, false},
		{"10m crash", 10 * time.Minute, true},
		{"4d crash", 4 * day, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			clk := newFakeClock()
			ref := refSLO(t, t0)
			a := stateMonitor(t, dir, clk, nil)
			start(t, a)
			traffic(a, ref, clk, 2*time.Hour, 3)                  // an outage: a third bad
			trafficEvery(a, ref, clk, 2*day, 10*time.Minute, 300) // then healthy
			traffic(a, ref, clk, 30*time.Minute, 10)              // a burn up to the stop
			var lost uint64
			if c.crash {
				if err := a.SaveState(); err != nil {
					t.Fatal(err)
				}
				saved := readDir(t, dir)
				traffic(a, ref, clk, 5*time.Minute, 10) // lost with the crash
				lost = 30
				if err := a.Shutdown(context.Background()); err != nil {
					t.Fatal(err)
				}
				writeDir(t, dir, saved) // the files as the crash left them
			} else if err := a.Shutdown(context.Background()); err != nil {
				t.Fatal(err)
			}
			if g, b := sloOf(t, a).Events(); !c.crash && (g+b == 0 || g+b != sum(ref.Events())) {
				t.Fatalf("the first process counted %d events, the reference %d", g+b, sum(ref.Events()))
			}

			clk.Add(c.downtime)
			ref.TickAt(clk.Now())
			b := stateMonitor(t, dir, clk, nil)
			b.Endpoint(ServerEndpoint, stateRoute) // declared: exists at Start
			start(t, b)
			if st := b.Statusz().State; st == nil || st.Restored != 1 || st.Rejected != 0 {
				t.Fatalf("Statusz.State = %+v, want 1 restored", st)
			}
			if g, bb := sloOf(t, b).Events(); g+bb+lost != sum(ref.Events()) {
				t.Fatalf("restored %d events + %d lost, want the reference's %d", g+bb, lost, sum(ref.Events()))
			}
			traffic(b, ref, clk, time.Hour, 20)
			at := clk.Now().Add(-10 * time.Second)
			if c.crash {
				// The lost minutes' 30 events (3 bad) are the difference.
				g, w := sloOf(t, b).StatusAt(at), ref.StatusAt(at)
				if w.Period.Good-g.Period.Good != 27 || w.Period.Bad-g.Period.Bad != 3 {
					t.Errorf("period %d/%d, uninterrupted %d/%d: want exactly the 27/3 lost events less",
						g.Period.Good, g.Period.Bad, w.Period.Good, w.Period.Bad)
				}
				return
			}
			sameStatus(t, sloOf(t, b), ref, at)
			st := sloOf(t, b).StatusAt(at)
			w3d, _ := st.Window(3 * day)
			if c.downtime == 4*day && w3d.Good+w3d.Bad != 360 {
				t.Errorf("3d window holds %d events after 4 days down, want the new hour's 360", w3d.Good+w3d.Bad)
			}
			if st.Period.Bad < 240 {
				t.Errorf("period holds %d bad events, want the first day's outage (240) still in it", st.Period.Bad)
			}
		})
	}
}

func sum(g, b uint64) uint64 { return g + b }

func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func writeDir(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// An objective created after Start (a route's first request) is restored
// when it is created, before it records; until then its snapshot counts as
// unclaimed and is left as it is. A snapshot of an objective the process
// never creates is never touched.
func TestStateDirRestoresLazyObjectives(t *testing.T) {
	dir := t.TempDir()
	clk := newFakeClock()
	a := stateMonitor(t, dir, clk, nil)
	start(t, a)
	traffic(a, nil, clk, time.Hour, 10)
	if err := a.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	gone := filepath.Join(dir, "route~GET~gone~availability.slo")
	if err := os.WriteFile(gone, []byte("a retired route's state"), 0o600); err != nil {
		t.Fatal(err)
	}

	clk.Add(10 * time.Minute)
	logs := new(lockedBuffer)
	b := stateMonitor(t, dir, clk, logs)
	start(t, b)
	if st := b.Statusz().State; st.Unclaimed != 2 || st.Restored != 0 {
		t.Fatalf("before the first request: %+v, want 2 unclaimed, none restored", st)
	}
	if !strings.Contains(logs.String(), "route:GET:gone:availability") {
		t.Errorf("the unclaimed snapshots are not logged:\n%s", logs)
	}
	traffic(b, nil, clk, time.Minute, 0) // the route's first requests
	if st := b.Statusz().State; st.Unclaimed != 1 || st.Restored != 1 {
		t.Fatalf("after the first request: %+v, want 1 restored, 1 unclaimed", st)
	}
	if g, bad := sloOf(t, b).Events(); g+bad != 360+6 {
		t.Errorf("lazily created objective holds %d events, want the 360 restored and 6 new", g+bad)
	}
	if err := b.SaveState(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(gone); string(got) != "a retired route's state" {
		t.Errorf("the unclaimed snapshot was rewritten: %q", got)
	}
}

// The skewed-clock case through the Monitor: a snapshot saved
// while the clock ran two hours (or a year) ahead is refused at Start with
// a WARN naming both instants, the objective starts empty and measures real
// traffic, and the next save replaces the bad snapshot.
func TestStateDirRefusesFutureSnapshots(t *testing.T) {
	for _, ahead := range []time.Duration{2 * time.Hour, 365 * day} {
		t.Run(ahead.String(), func(t *testing.T) {
			dir := t.TempDir()
			clk := newFakeClock()
			clk.Add(ahead)
			a := stateMonitor(t, dir, clk, nil)
			start(t, a)
			traffic(a, nil, clk, time.Hour, 0)
			if err := a.Shutdown(context.Background()); err != nil {
				t.Fatal(err)
			}

			clk.Add(-ahead - time.Hour) // the clock was put right
			logs := new(lockedBuffer)
			b := stateMonitor(t, dir, clk, logs)
			b.Endpoint(ServerEndpoint, stateRoute)
			start(t, b)
			st := b.Statusz().State
			if st.Rejected != 1 || st.Future != 1 || st.Restored != 0 {
				t.Fatalf("Statusz.State = %+v, want 1 rejected from the future", st)
			}
			for _, want := range []string{"level=WARN", stateSLO, "from the future",
				t0.Add(ahead + time.Hour - 10*time.Second).Truncate(time.Minute).Format(time.RFC3339), t0.Format(time.RFC3339)} {
				if !strings.Contains(logs.String(), want) {
					t.Errorf("log does not say %q:\n%s", want, logs)
				}
			}
			ref := refSLO(t, clk.Now())
			traffic(b, ref, clk, time.Hour, 10)
			sameStatus(t, sloOf(t, b), ref, clk.Now().Add(-10*time.Second))
			if err := b.Shutdown(context.Background()); err != nil {
				t.Fatal(err)
			}
			c := stateMonitor(t, dir, clk, nil)
			c.Endpoint(ServerEndpoint, stateRoute)
			start(t, c)
			if st := c.Statusz().State; st.Restored != 1 {
				t.Fatalf("after the refused snapshot was replaced: %+v, want it restored", st)
			}
		})
	}
}

// A corrupted snapshot is refused (not from the future), logged, and the
// objective starts empty.
func TestStateDirRefusesCorruptSnapshots(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, stateFile), []byte("NINESSLO garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	logs := new(lockedBuffer)
	m := stateMonitor(t, dir, newFakeClock(), logs)
	m.Endpoint(ServerEndpoint, stateRoute)
	start(t, m)
	if st := m.Statusz().State; st.Rejected != 1 || st.Future != 0 {
		t.Fatalf("Statusz.State = %+v, want 1 rejected", st)
	}
	if !strings.Contains(logs.String(), "bad snapshot") {
		t.Errorf("the refusal is not logged:\n%s", logs)
	}
	if g, b := sloOf(t, m).Events(); g+b != 0 {
		t.Errorf("objective holds %d events after a refused snapshot", g+b)
	}
}

// A running Monitor saves every SaveInterval by itself (on synctest's
// clock), counting each save in Statusz.
func TestStateDirSavesPeriodically(t *testing.T) {
	dir := t.TempDir()
	synctest.Test(t, func(t *testing.T) {
		m, err := New(WithMeterProvider(noop.NewMeterProvider()), WithDrainDelay(0), WithLogger(discardLogger),
			WithRouteObjectives(stateObjectives), WithStateDir(StateDir{Path: dir}))
		if err != nil {
			t.Fatal(err)
		}
		start(t, m)
		e := m.Endpoint(ServerEndpoint, stateRoute)
		for i := range 3 {
			for range 10 {
				c, _ := e.Admit(admit.Normal)
				c.Done(false)
			}
			time.Sleep(DefaultStateSaveInterval)
			synctest.Wait()
			if st := m.Statusz().State; st.Saves != uint64(i+1) || st.SaveErrors != 0 {
				t.Fatalf("after %d intervals: %+v", i+1, st)
			}
			s, err := slo.New(stateObjectives.objectives("route:GET:api")[0])
			if err != nil {
				t.Fatal(err)
			}
			if err := s.LoadFile(filepath.Join(dir, stateFile)); err != nil {
				t.Fatal(err)
			}
			if g, _ := s.Events(); g != uint64(10*(i+1)) {
				t.Fatalf("saved snapshot after %d intervals holds %d events, want %d", i+1, g, 10*(i+1))
			}
		}
		if err := m.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
		if st := m.Statusz().State; st.Saves != 4 {
			t.Errorf("Shutdown did not save: %+v", st)
		}
	})
}

// A failing save is counted, logged once when it starts failing and once
// when it works again, and returned by SaveState.
func TestStateDirSaveFailure(t *testing.T) {
	dir := t.TempDir()
	logs := new(lockedBuffer)
	m := stateMonitor(t, dir, newFakeClock(), logs)
	m.Endpoint(ServerEndpoint, stateRoute)
	start(t, m)
	blocker := filepath.Join(dir, stateFile)
	if err := os.Mkdir(blocker, 0o700); err != nil { // renaming onto a directory fails
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(blocker, "x"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := m.SaveState(); err == nil || !strings.Contains(err.Error(), "1 of 1 objectives failed") {
			t.Fatalf("SaveState = %v, want the failure", err)
		}
	}
	if st := m.Statusz().State; st.SaveErrors != 3 || st.LastError == "" {
		t.Errorf("Statusz.State = %+v, want 3 save errors and the last one", st)
	}
	if err := os.RemoveAll(blocker); err != nil {
		t.Fatal(err)
	}
	if err := m.SaveState(); err != nil {
		t.Fatal(err)
	}
	if st := m.Statusz().State; st.LastError != "" {
		t.Errorf("LastError %q after a good save", st.LastError)
	}
	out := logs.String()
	if n := strings.Count(out, "saving SLO state failed"); n != 1 {
		t.Errorf("the failure is logged %d times, want once:\n%s", n, out)
	}
	if !strings.Contains(out, "saving SLO state works again") {
		t.Errorf("the recovery is not logged:\n%s", out)
	}
}

func TestStateDirConfig(t *testing.T) {
	for _, c := range []struct {
		sd   StateDir
		want string
	}{
		{StateDir{}, "WithStateDir Path"},
		{StateDir{Path: "x", SaveInterval: time.Millisecond}, "WithStateDir SaveInterval = 1ms"},
		{StateDir{Path: "x", SaveInterval: 48 * time.Hour}, "WithStateDir SaveInterval = 48h0m0s"},
		{StateDir{Path: "x", SaveInterval: -time.Second}, "WithStateDir SaveInterval = -1s"},
	} {
		_, err := New(WithMeterProvider(noop.NewMeterProvider()), WithDrainDelay(0), WithStateDir(c.sd))
		if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("WithStateDir(%+v): %v, want ErrInvalidConfig naming %q", c.sd, err, c.want)
		}
	}

	// A path that cannot be a directory fails Start, with nothing started.
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	m := stateMonitor(t, filepath.Join(file, "state"), newFakeClock(), nil)
	if err := m.Start(context.Background()); err == nil || !strings.HasPrefix(err.Error(), "availability: state directory") {
		t.Fatalf("Start with an unusable directory = %v", err)
	}
	if m.life.Running() {
		t.Error("the Monitor runs after a failed Start")
	}
}

// Without Start nothing is restored, so Shutdown saves nothing: it must
// not overwrite the snapshots with an empty state.
func TestStateDirShutdownWithoutStartKeepsTheSnapshots(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, stateFile), []byte("kept"), 0o600); err != nil {
		t.Fatal(err)
	}
	m := stateMonitor(t, dir, newFakeClock(), nil)
	m.Endpoint(ServerEndpoint, stateRoute)
	if err := m.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, stateFile)); string(got) != "kept" {
		t.Errorf("snapshot rewritten by a Monitor that never started: %q", got)
	}
}

// BenchmarkStateDirSave is one save of one objective: a 45 KiB write, its
// fsync and the directory's. It is I/O, on the save goroutine, never on
// the request path.
func BenchmarkStateDirSave(b *testing.B) {
	m, err := New(WithMeterProvider(noop.NewMeterProvider()), WithDrainDelay(0), WithLogger(discardLogger),
		WithRouteObjectives(stateObjectives), WithStateDir(StateDir{Path: b.TempDir(), SaveInterval: MaxStateSaveInterval}))
	if err != nil {
		b.Fatal(err)
	}
	m.Endpoint(ServerEndpoint, stateRoute)
	if err := m.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	defer m.Shutdown(context.Background())
	for b.Loop() {
		if err := m.SaveState(); err != nil {
			b.Fatal(err)
		}
	}
}

// A deploy that changes an objective's target keeps its history; one that
// changes its window starts it empty (the buckets mean another thing), and
// says so.
func TestStateDirAcrossConfigChanges(t *testing.T) {
	dir := t.TempDir()
	clk := newFakeClock()
	a := stateMonitor(t, dir, clk, nil)
	start(t, a)
	traffic(a, nil, clk, time.Hour, 10)
	if err := a.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		o        RouteObjectives
		restored bool
	}{
		{"target", RouteObjectives{Availability: 0.99}, true},
		{"window", RouteObjectives{Availability: 0.999, Window: slo.Window{Rolling: 7 * day}}, false},
	} {
		logs := new(lockedBuffer)
		m := stateMonitor(t, dir, clk, logs, WithRouteObjectives(c.o))
		m.Endpoint(ServerEndpoint, stateRoute)
		start(t, m)
		st := m.Statusz().State
		if got := st.Restored == 1; got != c.restored || st.Rejected+st.Restored != 1 {
			t.Errorf("%s changed: %+v, want restored %v", c.name, st, c.restored)
		}
		if !c.restored && !strings.Contains(logs.String(), "another objective or configuration") {
			t.Errorf("%s changed: the refusal does not say why:\n%s", c.name, logs)
		}
		// Shut down without a save of the changed configuration, so
		// the next case restores the original snapshot.
		m.state.mu.Lock()
		m.state.objs = nil
		m.state.mu.Unlock()
		if err := m.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}

// Every objective name maps to one file name in the directory (no
// separator, no ':') and back.
func FuzzStateFileName(f *testing.F) {
	for _, s := range []string{stateSLO, "client:api.example.com:443:latency", "..", "-x", "a~b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if _, err := slo.New(slo.Objective{Name: name, Target: 0.9}); err != nil {
			return // not a valid objective name
		}
		file := fileName(name)
		if filepath.Base(file) != file || strings.ContainsAny(file, `:/\`) || file == snapshotExt {
			t.Fatalf("name %q gives file name %q", name, file)
		}
		if got := objectiveName(file); got != name {
			t.Fatalf("name %q -> %q -> %q", name, file, got)
		}
	})
}
