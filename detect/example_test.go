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
	fmt.Println(r.Anomaly, r.Score)
	// Output: true 1
}
