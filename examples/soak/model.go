package main

import (
	"math"
	"math/rand/v2"
	"time"
)

// The simulated service: three routes under a diurnal load, two of them
// calling one dependency, the inventory. Everything random comes from one
// seeded source, so a run is reproducible.

// route is one of the service's routes.
type route struct {
	name      string  // the ServeMux pattern
	share     float64 // of the service's traffic
	own       float64 // median of the route's own work, in seconds
	callsDep  bool    // whether each request calls the inventory
	sheddable bool    // whether the route's requests may be shed first
}

var routes = []route{
	{name: "GET /products/{id}", share: 0.5, own: 0.004, callsDep: true},
	{name: "GET /recommendations", share: 0.3, own: 0.015, sheddable: true},
	{name: "POST /orders", share: 0.2, own: 0.008, callsDep: true},
}

// Traffic: the whole service's requests per second follow the day, from
// minRate at 04:00 to maxRate at 16:00, geometrically (a rate that is
// nothing at night and busy by day, not a sine on top of a floor).
const (
	minRate = 0.5
	maxRate = 50
)

// serviceRate is the service's mean request rate at t.
func serviceRate(t time.Time) float64 {
	h := float64(t.Hour()) + float64(t.Minute())/60 + float64(t.Second())/3600
	s := (1 - math.Cos(2*math.Pi*(h-4)/24)) / 2 // 0 at 04:00, 1 at 16:00
	return minRate * math.Pow(maxRate/minRate, s)
}

// The inventory when healthy: a log-normal latency (median 25 ms, p99
// about 70 ms), a tail of one call in 500 delayed by 100 ms to 600 ms (a
// retransmit, a pause), and one call in 2000 failing.
const (
	depMedian    = 0.025
	depSigma     = 0.45
	depTailShare = 0.002
	depErrors    = 0.0005
	ownSigma     = 0.4
)

// depState is the inventory's condition at an instant; faults change it.
type depState struct {
	down       bool    // refuses every call (and its health endpoint)
	errorRatio float64 // share of calls failing
	slowdown   float64 // multiplies the latency median
}

func healthyDep() depState { return depState{errorRatio: depErrors, slowdown: 1} }

// world is the random source of the simulation.
type world struct {
	rng *rand.Rand
}

func newWorld(seed uint64) *world {
	return &world{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// poisson draws a Poisson count of mean mu (normal approximation above 50).
func (w *world) poisson(mu float64) int {
	if mu <= 0 {
		return 0
	}
	if mu > 50 {
		return max(0, int(math.Round(mu+math.Sqrt(mu)*w.rng.NormFloat64())))
	}
	l, k, p := math.Exp(-mu), 0, 1.0
	for {
		p *= w.rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// lognormal draws a log-normal duration in seconds with the given median.
func (w *world) lognormal(median, sigma float64) float64 {
	return median * math.Exp(sigma*w.rng.NormFloat64())
}

// call draws one inventory call in state s: its latency and whether it
// failed. A refused call fails fast (connection refused).
func (w *world) call(s depState) (time.Duration, bool) {
	if s.down {
		return time.Millisecond, true
	}
	lat := w.lognormal(depMedian*s.slowdown, depSigma)
	if w.rng.Float64() < depTailShare {
		lat += 0.1 + 0.5*w.rng.Float64()
	}
	return seconds(lat), w.rng.Float64() < s.errorRatio
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
