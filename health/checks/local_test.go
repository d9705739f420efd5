package checks

import (
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/nines-sre/nines/health"
)

func TestDiskFreeThresholds(t *testing.T) {
	const warn, fail = 1000, 100
	tests := []struct {
		name string
		free uint64
		err  error
		want health.Status
		werr error
	}{
		{"plenty", 5000, nil, health.StatusPass, nil},
		{"at warn threshold", 1000, nil, health.StatusPass, nil},
		{"below warn", 999, nil, health.StatusWarn, ErrThreshold},
		{"at fail threshold", 100, nil, health.StatusWarn, ErrThreshold},
		{"below fail", 99, nil, health.StatusFail, ErrThreshold},
		{"stat error", 0, errBoom, health.StatusFail, errBoom},
		{"unsupported", 0, ErrUnsupported, health.StatusWarn, ErrUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustCheck(t)(diskFree("/data", warn, fail, func(string) (uint64, error) { return tt.free, tt.err }))
			var observed any
			if tt.err == nil {
				observed = tt.free
			}
			want(t, f(t.Context()), tt.want, observed, tt.werr)
		})
	}
}

// An unsupported platform degrades liveness instead of failing it (which
// would restart the process in a loop).
func TestDiskFreeUnsupportedKeepsLivenessUp(t *testing.T) {
	f := mustCheck(t)(diskFree("/data", 1000, 100, func(string) (uint64, error) { return 0, ErrUnsupported }))
	r := health.NewRegistry(health.WithJitter(0))
	if err := r.Register(health.Check{Name: "disk", Func: f, Groups: health.Liveness}); err != nil {
		t.Fatal(err)
	}
	if err := r.RunChecks(t.Context()); err != nil {
		t.Fatal(err)
	}
	if s := r.Status(health.Liveness); s != health.StatusWarn {
		t.Errorf("liveness = %v, want warn", s)
	}
	if err := r.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func TestDiskFreeReal(t *testing.T) {
	f := mustCheck(t)(DiskFree(t.TempDir(), 0, 0))
	got := f(t.Context())
	if runtime.GOOS != "linux" {
		want(t, got, health.StatusWarn, nil, ErrUnsupported)
		return
	}
	want(t, got, health.StatusPass, nil, nil)
	if free, ok := got.ObservedValue.(uint64); !ok || free == 0 || got.ObservedUnit != "bytes" {
		t.Errorf("observed = %#v %q, want non-zero uint64 bytes", got.ObservedValue, got.ObservedUnit)
	}
	missing := mustCheck(t)(DiskFree(t.TempDir()+"/no/such/dir", 0, 0))
	want(t, missing(t.Context()), health.StatusFail, nil, nil)
}

func TestGoroutines(t *testing.T) {
	tests := []struct {
		n    int
		want health.Status
	}{
		{10, health.StatusPass}, {100, health.StatusPass}, {101, health.StatusWarn},
		{500, health.StatusWarn}, {501, health.StatusFail},
	}
	for _, tt := range tests {
		f := mustCheck(t)(goroutines(100, 500, func() int { return tt.n }))
		var werr error
		if tt.want != health.StatusPass {
			werr = ErrThreshold
		}
		want(t, f(t.Context()), tt.want, tt.n, werr)
	}
	real := mustCheck(t)(Goroutines(1<<20, 1<<21))
	got := real(t.Context())
	if n, _ := got.ObservedValue.(int); got.Status != health.StatusPass || n < 1 {
		t.Errorf("real count: %v %#v", got.Status, got.ObservedValue)
	}
}

func TestHeartbeat(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := t0
	hb, err := NewHeartbeat(time.Minute, WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		beat   time.Time // zero: no beat this step
		at     time.Time
		want   health.Status
		err    error
		ageSec any
	}{
		{at: t0, want: health.StatusFail, err: ErrNoHeartbeat},
		{beat: t0, at: t0, want: health.StatusPass, ageSec: 0.0},
		{at: t0.Add(time.Minute), want: health.StatusPass, ageSec: 60.0},
		{at: t0.Add(time.Minute + time.Second), want: health.StatusFail, err: ErrHeartbeatLate, ageSec: 61.0},
		{beat: t0.Add(90 * time.Second), at: t0.Add(100 * time.Second), want: health.StatusPass, ageSec: 10.0},
		// A late reporter with an older beat does not move it backwards.
		{beat: t0, at: t0.Add(100 * time.Second), want: health.StatusPass, ageSec: 10.0},
		{at: t0.Add(151 * time.Second), want: health.StatusFail, err: ErrHeartbeatLate, ageSec: 61.0},
	}
	for i, s := range steps {
		if !s.beat.IsZero() {
			hb.BeatAt(s.beat)
		}
		now = s.at
		got := hb.Check(t.Context())
		if got.Status != s.want || (s.err != nil && !errors.Is(got.Err, s.err)) || (s.ageSec != nil && got.ObservedValue != s.ageSec) {
			t.Errorf("step %d: got %v %v %#v, want %v %v %#v", i, got.Status, got.Err, got.ObservedValue, s.want, s.err, s.ageSec)
		}
	}
}

func TestHeartbeatConcurrent(t *testing.T) {
	hb, err := NewHeartbeat(time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 100 {
				hb.BeatAt(base.Add(time.Duration(g*100+i) * time.Second))
				_ = hb.CheckAt(base)
			}
		})
	}
	wg.Wait()
	if last, _ := hb.Last(); !last.Equal(base.Add(399 * time.Second)) {
		t.Errorf("last = %v, want the newest beat %v", last, base.Add(399*time.Second))
	}
}

func TestMaintenance(t *testing.T) {
	var m Maintenance
	want(t, m.Check(t.Context()), health.StatusPass, nil, nil)
	m.Set(true)
	if !m.On() {
		t.Fatal("On() = false after Set(true)")
	}
	want(t, m.Check(t.Context()), health.StatusFail, nil, ErrMaintenance)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for range 100 {
				m.Set(i%2 == 0)
				_ = m.Check(t.Context())
			}
		})
	}
	wg.Wait()
	m.Set(false)
	want(t, m.Check(t.Context()), health.StatusPass, nil, nil)
}
