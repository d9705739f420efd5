// Command soak runs a simulated week of a healthy service, then the same
// week with four faults, through an availability.Monitor on a simulated
// clock, in seconds: no server, no sleeping. It prints, per day, the pages,
// tickets, executed actions and anomalies the Monitor raised and the
// false-alarm rate of the detectors, then how long each fault took to page
// beside the SRE Workbook's detection time for it.
//
//	go run ./examples/soak
//	go run ./examples/soak -seed 7
//
// The service has three routes (GET /products/{id} and POST /orders call
// the inventory dependency; GET /recommendations is sheddable) under a
// diurnal load of 0.5 to 50 requests per second, the inventory answering in
// about 25 ms with a slow tail and failing one call in 2000; a readiness
// check watches the inventory (its calls are the library's own traffic,
// which availability.OwnTraffic keeps out of every SLO, so the simulation
// does not count them), and a policy sheds the sheddable route while a page
// alert fires, reverted when the page resolves. The routes and the
// inventory are declared up front (WithRoutes, WithDependencies), each
// with the objectives 99.9% available and 99% within 300 ms over 30 days.
//
// The simulation drives the Monitor the way its middleware and
// RoundTripper would: Endpoint.AdmitAt and Call.DoneAt at simulated
// instants for every request, TickAt every 30 simulated seconds, the
// health checks every 10.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

// weekStart is the simulated week's Monday.
var weekStart = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

func main() {
	seed := flag.Uint64("seed", 1, "seed of the simulation's random source")
	flag.Parse()
	if err := run(os.Stdout, *seed); err != nil {
		fmt.Fprintf(os.Stderr, "soak: %v\n", err)
		os.Exit(1)
	}
}

// run simulates both weeks and prints their tables.
func run(w io.Writer, seed uint64) error {
	healthy, faulty, err := weeks(seed)
	if err != nil {
		return err
	}
	printDays(w, fmt.Sprintf("Healthy week (seed %d)", seed), healthy)
	fmt.Fprintln(w)
	printDays(w, "Faulty week (same traffic, four inventory faults)", faulty)
	fmt.Fprintln(w)
	printFaults(w, faulty)
	return nil
}

// weeks simulates the healthy week and the faulty week, side by side.
func weeks(seed uint64) (healthy, faulty *outcome, err error) {
	var herr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		healthy, herr = simulate(weekConfig{start: weekStart, days: 7, seed: seed})
	}()
	faulty, err = simulate(weekConfig{start: weekStart, days: 7, seed: seed, faults: weekFaults()})
	<-done
	if err == nil {
		err = herr
	}
	return healthy, faulty, err
}
