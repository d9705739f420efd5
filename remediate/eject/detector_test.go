package eject

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nines-sre/nines/detect"
	"github.com/nines-sre/nines/internal/metrictest"
)

func TestDetectorErrorOutlierEjectedAndReturned(t *testing.T) {
	f := newFleet(t, 10, 1, EjectorConfig{BaseEjectionTime: 10 * time.Second})
	d := newDetector(t, f)
	e := newEngine(t, f.ej, false)
	now := t0
	bad := "127.0.0.1:8003"
	log := run(t, f, d, e, &now, 40, func(i int) {
		if i == 5 {
			f.errs[bad] = 0.2
		}
	})
	want := []string{
		"firing 127.0.0.1:8003 outlier error_ratio",
		`eject-peer-outliers: eject on "127.0.0.1:8003": executed`,
		// Ten seconds later it returns on probation, is still bad, and
		// is ejected again for twice as long.
		"resolved 127.0.0.1:8003 returned error_ratio",
		`eject-peer-outliers: eject on "127.0.0.1:8003": reverted (resolved)`,
		"firing 127.0.0.1:8003 outlier error_ratio",
		`eject-peer-outliers: eject on "127.0.0.1:8003": executed`,
	}
	if !slices.Equal(log, want) {
		t.Fatalf("log:\n%s\nwant:\n%s", strings.Join(log, "\n"), strings.Join(want, "\n"))
	}
	if !f.ej.Ejected(bad) {
		t.Fatal("the bad replica is not ejected at the end")
	}
}

func TestDetectorSlowReplica(t *testing.T) {
	f := newFleet(t, 10, 2, EjectorConfig{})
	d := newDetector(t, f)
	f.slow["127.0.0.1:8007"] = 3
	now := t0
	log := run(t, f, d, nil, &now, 10, nil)
	if !slices.Equal(log, []string{"firing 127.0.0.1:8007 outlier latency"}) {
		t.Fatalf("log = %q, want the slow replica firing on latency, once", log)
	}
	if got := d.Outliers(); !slices.Equal(got, []string{"127.0.0.1:8007"}) {
		t.Fatalf("Outliers = %q", got)
	}
	// Without ejection, the incident resolves once the replica has been
	// healthy for RecoverSteps judged steps.
	delete(f.slow, "127.0.0.1:8007")
	log = run(t, f, d, nil, &now, 5, nil)
	if !slices.Equal(log, []string{"resolved 127.0.0.1:8007 recovered latency"}) {
		t.Fatalf("log = %q, want it recovered", log)
	}
}

// A long healthy run with realistic noise ejects nothing.
func TestDetectorNoFalseEjections(t *testing.T) {
	f := newFleet(t, 10, 3, EjectorConfig{})
	d := newDetector(t, f)
	e := newEngine(t, f.ej, false)
	now := t0
	if log := run(t, f, d, e, &now, 2000, nil); len(log) != 0 {
		t.Fatalf("healthy fleet: %q, want nothing", log)
	}
}

// Two bad replicas of ten: both fire, but the ejector's maximum (10%:
// one) holds; the engine records the other as failed. (With three of ten
// the robust spread widens and none deviates: see TestDetectorAllBad.)
func TestDetectorMaxEjectionHeld(t *testing.T) {
	f := newFleet(t, 10, 4, EjectorConfig{})
	d := newDetector(t, f)
	e := newEngine(t, f.ej, false)
	for _, r := range []string{"127.0.0.1:8001", "127.0.0.1:8008"} {
		f.errs[r] = 0.3
	}
	now := t0
	log := run(t, f, d, e, &now, 10, nil)
	executed, failed := 0, 0
	for _, l := range log {
		executed += strings.Count(l, ": executed")
		failed += strings.Count(l, ": failed")
	}
	ejected := 0
	for _, r := range f.ej.Replicas() {
		if f.ej.Ejected(r) {
			ejected++
		}
	}
	if executed != 1 || failed != 1 || ejected != 1 {
		t.Fatalf("executed %d failed %d ejected %d, want 1, 1, 1:\n%s", executed, failed, ejected, strings.Join(log, "\n"))
	}
}

// Every replica bad at once is not a peer outlier: the median moves with
// them, nothing fires and nothing is ejected (the dependency's breaker is
// what handles a dependency-wide failure).
func TestDetectorAllBad(t *testing.T) {
	f := newFleet(t, 10, 5, EjectorConfig{})
	d := newDetector(t, f)
	now := t0
	log := run(t, f, d, nil, &now, 5, func(i int) {
		for _, r := range f.names {
			f.errs[r], f.slow[r] = 0.5, 4
		}
	})
	if len(log) != 0 {
		t.Fatalf("all bad: %q, want nothing", log)
	}
}

// In dry run the replica is never ejected: its incident stays firing
// (one signal, one dry_run decision) until it recovers.
func TestDetectorDryRun(t *testing.T) {
	f := newFleet(t, 10, 6, EjectorConfig{BaseEjectionTime: time.Second})
	d := newDetector(t, f)
	e := newEngine(t, f.ej, true)
	f.errs["127.0.0.1:8002"] = 0.5
	now := t0
	log := run(t, f, d, e, &now, 20, nil)
	want := []string{"firing 127.0.0.1:8002 outlier error_ratio", `eject-peer-outliers: eject on "127.0.0.1:8002": dry_run`}
	if !slices.Equal(log, want) || f.ej.Ejected("127.0.0.1:8002") {
		t.Fatalf("dry run: %q (ejected %v), want %q and nothing ejected", log, f.ej.Ejected("127.0.0.1:8002"), want)
	}
}

// Replicas that come and go every step never reach a verdict, and the
// state stays bounded.
func TestDetectorChurn(t *testing.T) {
	st, err := NewStats(StatsConfig{MaxReplicas: 64, ForgetAfter: 1})
	if err != nil {
		t.Fatal(err)
	}
	d, err := NewDetector(DetectorConfig{Dependency: "x", Stats: st})
	if err != nil {
		t.Fatal(err)
	}
	now := t0
	for step := range 200 {
		for i := range 10 {
			for c := range 20 {
				st.Record(string(rune('a'+step%26))+string(rune('a'+i))+string(rune('0'+step/26)), time.Duration(c+1+i*100)*time.Millisecond, false)
			}
		}
		now = now.Add(time.Second)
		sigs, err := d.StepAt(now)
		if err != nil {
			t.Fatal(err)
		}
		if len(sigs) != 0 {
			t.Fatalf("step %d: %d signals, want none", step, len(sigs))
		}
	}
	if st.Len() > 20 {
		t.Fatalf("Stats holds %d replicas, want at most 20", st.Len())
	}
}

func TestDetectorErrors(t *testing.T) {
	st, _ := NewStats(StatsConfig{})
	for _, cfg := range []DetectorConfig{
		{Dependency: "x"},
		{Stats: st},
		{Stats: st, Dependency: "bad name"},
		{Stats: st, Dependency: "x", LatencyFactor: 0.5},
		{Stats: st, Dependency: "x", RecoverSteps: -1},
		{Stats: st, Dependency: "x", ForgetSteps: -1},
		{Stats: st, Dependency: "x", Errors: detect.PeerConfig{Threshold: -1}},
	} {
		if _, err := NewDetector(cfg); err == nil {
			t.Errorf("NewDetector(%+v) = nil error", cfg)
		}
	}
	d, err := NewDetector(DetectorConfig{Stats: st, Dependency: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.StepAt(t0); err != nil {
		t.Fatal(err)
	}
	if _, err := d.StepAt(t0); !errors.Is(err, detect.ErrPeerStepOrder) {
		t.Fatalf("repeated step: %v, want ErrPeerStepOrder", err)
	}
}

// The peer.outliers schema: opened incidents count up, active ones go back
// to zero when they resolve; the replica is never an attribute.
func TestDetectorMetricsGolden(t *testing.T) {
	mp := metrictest.NewProvider(t)
	f := newFleet(t, 10, 7, EjectorConfig{BaseEjectionTime: 5 * time.Second})
	d, err := NewDetector(DetectorConfig{Dependency: "inventory", Stats: f.stats, Ejector: f.ej, MeterProvider: mp})
	if err != nil {
		t.Fatal(err)
	}
	e := newEngine(t, f.ej, false)
	f.slow["127.0.0.1:8005"] = 4
	now := t0
	run(t, f, d, e, &now, 6, nil) // found at step 3, returned at step 8
	c := mp.Collect(t)
	metrictest.Golden(t, c.Lines(), `
		peer.outliers counter "" {peer.dependency=inventory,peer.metric=latency} 1
		peer.outliers.active updown "" {peer.dependency=inventory,peer.metric=latency} 1
	`)
	run(t, f, d, e, &now, 3, nil)
	c = mp.Collect(t)
	metrictest.Golden(t, c.Lines(), `
		peer.outliers counter "" {peer.dependency=inventory,peer.metric=latency} 1
		peer.outliers.active updown "" {peer.dependency=inventory,peer.metric=latency} 0
	`)
}
