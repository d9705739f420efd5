package main

import (
	"math"
	"time"

	"github.com/nines-sre/nines/slo"
)

// The SRE Workbook's detection time of a fault: when its exact
// multiwindow, multi-burn-rate alert would fire if it saw the expected
// error ratio of every instant (no sampling noise), that is, the first
// instant at which some page tier's long and short windows both burn
// faster than the tier's threshold. For a constant error ratio e on a
// 99.9% objective this is the Workbook's formula, threshold x long window
// x (1 - target) / e (52 s for a full outage on the 1h tier); for a fault
// that changes over time (the latency creep) it is the same definition
// applied to the ratio of each instant, weighted by the traffic.

// grid is the resolution of the expected-value computation.
const grid = 5 * time.Second

// expectation is a fault's Workbook detection: whether the exact alert
// pages at all and after how long.
type expectation struct {
	pages     bool
	after     time.Duration // since the fault's start
	objective string        // the objective that pages first
	tier      slo.Tier
}

// badShare returns, for one objective of the service in inventory state s,
// the expected share of bad events.
type badShare func(s depState) float64

// serviceObjectives are the objectives the faults can burn: each
// dependent route's and the inventory's, availability and latency, with
// their share of the traffic.
func serviceObjectives() []struct {
	name   string
	target float64
	share  float64
	bad    badShare
} {
	type obj = struct {
		name   string
		target float64
		share  float64
		bad    badShare
	}
	lat := objectives.Latency.Seconds()
	var out []obj
	depShare := 0.0
	for _, r := range routes {
		if !r.callsDep {
			continue
		}
		depShare += r.share
		own := r.own
		out = append(out,
			obj{"route " + r.name + " availability", objectives.Availability, r.share, func(s depState) float64 {
				if s.down {
					return 1
				}
				return s.errorRatio
			}},
			obj{"route " + r.name + " latency", objectives.LatencyTarget, r.share, func(s depState) float64 {
				if s.down {
					return 0 // refused at once
				}
				return slowShare(own, s.slowdown, lat)
			}})
	}
	out = append(out,
		obj{"inventory availability", objectives.Availability, depShare, func(s depState) float64 {
			if s.down {
				return 1
			}
			return s.errorRatio
		}},
		obj{"inventory latency", objectives.LatencyTarget, depShare, func(s depState) float64 {
			if s.down {
				return 0
			}
			return slowShare(0, s.slowdown, lat)
		}})
	return out
}

// workbook computes f's expectation among the given faults (the healthy
// state elsewhere), under the traffic rate of each instant.
func workbook(rate func(time.Time) float64, start time.Time, faults []fault, f fault) expectation {
	period := 30 * 24 * time.Hour
	tiers := slo.DefaultTiers(period)
	var best expectation
	for _, o := range serviceObjectives() {
		// Expected good/bad weights on the grid from 6h before the fault
		// (the longest page window) to its end plus the longest short
		// window.
		from := f.start - 6*time.Hour
		to := f.start + f.dur + 30*time.Minute
		n := int((to - from) / grid)
		memo := map[depState]float64{} // the latency shares cost a numeric integral
		cumBad, cumAll := make([]float64, n+1), make([]float64, n+1)
		for i := range n {
			d := from + time.Duration(i)*grid
			wgt := rate(start.Add(d)) * o.share
			cumAll[i+1] = cumAll[i] + wgt
			st := stateAt(faults, d)
			p, ok := memo[st]
			if !ok {
				p = o.bad(st)
				memo[st] = p
			}
			cumBad[i+1] = cumBad[i] + wgt*p
		}
		burn := func(i int, w time.Duration) float64 {
			j := max(0, i-int(w/grid))
			all := cumAll[i] - cumAll[j]
			if all == 0 {
				return 0
			}
			return (cumBad[i] - cumBad[j]) / all / (1 - o.target)
		}
		first := int(6 * time.Hour / grid)
		for i := first + 1; i <= n; i++ {
			at := from + time.Duration(i)*grid - f.start
			if best.pages && at >= best.after {
				break
			}
			for _, t := range tiers {
				if t.Severity != slo.SeverityPage {
					continue
				}
				th := t.BurnRateThreshold(period)
				if burn(i, t.Long) > th && burn(i, t.Short) > th {
					best = expectation{pages: true, after: at, objective: o.name, tier: t}
					break
				}
			}
		}
	}
	return best
}

// slowShare is the share of requests slower than limit seconds for a route
// whose own work has the given median (0: none) calling the inventory
// slowed by slowdown: the log-normal parts integrated numerically, the
// inventory's tail included.
func slowShare(ownMedian, slowdown, limit float64) float64 {
	const k = 64
	total := 0.0
	for i := range k {
		own := 0.0
		if ownMedian > 0 {
			own = ownMedian * math.Exp(ownSigma*normQuantile((float64(i)+0.5)/k))
		}
		rest := limit - own
		p := (1 - depTailShare) * lnTail(depMedian*slowdown, depSigma, rest)
		const u = 16
		for j := range u {
			extra := 0.1 + 0.5*(float64(j)+0.5)/u
			p += depTailShare / u * lnTail(depMedian*slowdown, depSigma, rest-extra)
		}
		total += p
	}
	return total / k
}

// lnTail is P(X > x) for X log-normal with the given median and sigma.
func lnTail(median, sigma, x float64) float64 {
	if x <= 0 {
		return 1
	}
	return 0.5 * math.Erfc(math.Log(x/median)/(sigma*math.Sqrt2))
}

// normQuantile is the standard normal quantile of p in (0, 1).
func normQuantile(p float64) float64 { return -math.Sqrt2 * math.Erfcinv(2*p) }
