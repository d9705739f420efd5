package detect_test

import (
	"fmt"
	"time"

	"github.com/nines-sre/nines/detect"
)

func ExampleEWMA() {
	d, err := detect.NewEWMA(detect.EWMAConfig{})
	if err != nil {
		panic(err)
	}
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 100 {
		d.ObserveAt(t.Add(time.Duration(i)*time.Minute), 10+float64(i%3))
	}
	r := d.ObserveAt(t.Add(100*time.Minute), 50)
	fmt.Printf("anomaly=%v expected=%.1f\n", r.Anomaly, r.Expected)
	// Output: anomaly=true expected=11.0
}

func ExampleNewEnsemble() {
	d := detect.NewEnsemble()
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 2500 {
		d.ObserveAt(t.Add(time.Duration(i)*5*time.Minute), 100+float64(i%7))
	}
	r := d.ObserveAt(t.Add(2500*5*time.Minute), 400) // an incident
	fmt.Printf("anomaly=%v score=%.2f\n", r.Anomaly, r.Score)
	// Output: anomaly=true score=1.00
}

func ExampleCatalog() {
	for _, f := range detect.Catalog() {
		fmt.Println(f.Name, f.New().Name() == f.Name)
	}
	// Output:
	// ensemble true
	// ewma true
	// mad true
	// levelshift true
	// seasonal true
	// spot true
}

func ExampleSPOT() {
	d, err := detect.NewSPOT(detect.SPOTConfig{Risk: 1e-4})
	if err != nil {
		panic(err)
	}
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 1000 {
		d.ObserveAt(t.Add(time.Duration(i)*time.Second), float64(i*7919%101)/10)
	}
	r := d.ObserveAt(t.Add(1000*time.Second), 1e4)
	fmt.Printf("%v %.2f\n", r.Anomaly, r.Score)
	// Output: true 0.94
}

func ExampleLevelShift() {
	d, err := detect.NewLevelShift(detect.LevelShiftConfig{})
	if err != nil {
		panic(err)
	}
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 400 {
		v := 10 + float64(i%5)/4 // mean 10.5
		if i >= 300 {
			v += 1 // a shift of under one unit: no single point stands out
		}
		if d.ObserveAt(t.Add(time.Duration(i)*time.Minute), v).Anomaly {
			fmt.Println("shift detected at", i)
			return
		}
	}
	// Output: shift detected at 307
}

func ExampleSeasonal() {
	d, err := detect.NewSeasonal(detect.SeasonalConfig{Period: time.Hour})
	if err != nil {
		panic(err)
	}
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	hourly := func(i int) float64 { return float64(10 + 5*(i%60/30)) } // 30 min low, 30 min high
	for i := range 600 {
		d.ObserveAt(t.Add(time.Duration(i)*time.Minute), hourly(i))
	}
	// At minute 600 (a "low" half hour) the value stays high.
	r := d.ObserveAt(t.Add(600*time.Minute), 15)
	fmt.Printf("expected=%.0f anomaly=%v\n", r.Expected, r.Anomaly)
	// Output: expected=10 anomaly=true
}

func ExampleMAD() {
	// Suppress -1: judge every point on its own (by default the points
	// after a detection, here the routine bursts, hold the next flags).
	d, err := detect.NewMAD(detect.MADConfig{Window: 32, Suppress: -1})
	if err != nil {
		panic(err)
	}
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 64 {
		v := 100.0 + float64(i%4)
		if i%16 == 0 {
			v = 500 // routine bursts do not widen the robust spread
		}
		d.ObserveAt(t.Add(time.Duration(i)*time.Second), v)
	}
	// 130 is far outside the robust spread (and beyond the Floor: 5% of
	// the median, times 4.4).
	r := d.ObserveAt(t.Add(64*time.Second), 130)
	fmt.Printf("median=%.1f anomaly=%v\n", r.Expected, r.Anomaly)
	// Output: median=102.0 anomaly=true
}

// The default threshold 0.5 wants a deviation that is rare in absolute
// terms; Threshold 0.25 also flags one that is merely among the largest of
// the stream's own recent history.
func ExampleEnsembleConfig_threshold() {
	quiet := detect.NewEnsemble()
	eager, err := detect.NewEnsembleConfig(detect.EnsembleConfig{Threshold: 0.25})
	if err != nil {
		panic(err)
	}
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 3000 {
		v := 100 + float64(i*7919%13) // a bounded wobble, 100..112
		if i == 2999 {
			v = 113 // a little past anything seen
		}
		at := t.Add(time.Duration(i) * time.Minute)
		rq, re := quiet.ObserveAt(at, v), eager.ObserveAt(at, v)
		if i == 2999 {
			fmt.Printf("default: %v, 0.25: %v\n", rq.Anomaly, re.Anomaly)
		}
	}
	// Output: default: false, 0.25: true
}
