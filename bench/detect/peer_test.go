package detect

import (
	"math"
	"time"

	"github.com/VividCortex/ewma"

	"github.com/nines-sre/nines/detect"
)

// vividEWMA is the peer: the textbook "moving mean ± 3σ" detector a Go
// service would build on github.com/VividCortex/ewma (the only Go
// moving-average/anomaly module among those tried that the module proxy
// serves), with the library's default decay: one moving average of the
// values and one of the squared deviations from it. It scores z/(z+3), so its
// default threshold (z >= 3) is score 0.5, and that monotone map leaves the
// swept NAB score unchanged.
type vividEWMA struct {
	mean, dev2 ewma.MovingAverage
	n          int
}

func newVividEWMA() detect.Detector {
	return &vividEWMA{mean: ewma.NewMovingAverage(), dev2: ewma.NewMovingAverage()}
}

func (d *vividEWMA) ObserveAt(_ time.Time, v float64) detect.Result {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return detect.Result{Skipped: true}
	}
	var r detect.Result
	m := d.mean.Value()
	if d.n >= 10 {
		sd := math.Sqrt(d.dev2.Value())
		z := 0.0
		switch {
		case sd > 0:
			z = math.Abs(v-m) / sd
		case v != m:
			z = math.Inf(1)
		}
		r.Score = 1
		if !math.IsInf(z, 1) {
			r.Score = z / (z + 3)
		}
		r.Anomaly = z >= 3
		r.Expected, r.Lower, r.Upper, r.HasExpected = m, m-3*sd, m+3*sd, true
	}
	d.n++
	if d.n > 0 {
		d.dev2.Add((v - m) * (v - m))
	}
	d.mean.Add(v)
	return r
}

func (d *vividEWMA) Name() string { return "peer-vividcortex-ewma" }

func (d *vividEWMA) Reset() {
	*d = vividEWMA{mean: ewma.NewMovingAverage(), dev2: ewma.NewMovingAverage()}
}
