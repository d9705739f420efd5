package openslo

import (
	"math"
	"strconv"
	"time"

	"github.com/nines-sre/nines/slo"
)

// objective reads one item of spec.objectives into o (which holds the
// SLO's window and budgeting) and returns its displayName. kind is the
// indicator's metric: a thresholdMetric objective needs op and value, a
// ratioMetric one must not have them.
func objective(item node, o *slo.Objective, kind metricKind) (display string, err error) {
	f, err := item.fields("displayName", "op", "value", "target", "targetPercent", "timeSliceTarget", "timeSliceWindow")
	if err != nil {
		return "", err
	}
	if dv, ok := f["displayName"]; ok {
		if display, err = dv.str(); err != nil {
			return "", err
		}
	}
	if o.Target, err = target(item, f); err != nil {
		return "", err
	}
	if o.Latency, err = threshold(item, f, kind); err != nil {
		return "", err
	}
	sv, hasST := f["timeSliceTarget"]
	wv, hasSW := f["timeSliceWindow"]
	switch {
	case o.Budgeting != slo.Timeslices && (hasST || hasSW):
		return "", item.errorf("timeSliceTarget and timeSliceWindow apply to Timeslices budgeting only")
	case o.Budgeting != slo.Timeslices:
		return display, nil
	case !hasST || !hasSW:
		return "", item.errorf("Timeslices budgeting requires timeSliceTarget and timeSliceWindow")
	}
	o.Timeslice, err = timeslice(sv, wv)
	return display, err
}

// target reads exactly one of target (0 < target < 1) and targetPercent
// (0 < targetPercent < 100).
func target(item node, f map[string]node) (float64, error) {
	tv, hasT := f["target"]
	pv, hasP := f["targetPercent"]
	switch {
	case hasT == hasP:
		return 0, item.errorf("exactly one of target and targetPercent is required")
	case hasT:
		t, err := tv.float()
		if err == nil && !(t > 0 && t < 1) {
			err = tv.errorf("%v: must be 0 < target < 1", t)
		}
		return t, err
	}
	p, err := pv.float()
	if err == nil && !(p > 0 && p < 100) {
		err = pv.errorf("%v: must be 0 < targetPercent < 100", p)
	}
	return p / 100, err
}

// sliceUnits are the units of a time slice: it must divide an hour.
var sliceUnits = map[string]time.Duration{"m": time.Minute, "h": time.Hour}

// timeslice reads timeSliceTarget (0 < t <= 1) and timeSliceWindow.
func timeslice(sv, wv node) (slo.Timeslice, error) {
	var ts slo.Timeslice
	var err error
	if ts.Target, err = sv.float(); err != nil {
		return ts, err
	}
	if !(ts.Target > 0 && ts.Target <= 1) {
		return ts, sv.errorf("%v: must be 0 < timeSliceTarget <= 1", ts.Target)
	}
	ws, err := wv.str()
	if err != nil {
		return ts, err
	}
	m := shorthand.FindStringSubmatch(ws)
	if m == nil || sliceUnits[m[2]] == 0 {
		return ts, wv.errorf("%q: a time slice is whole minutes or hours, like 1m or 5m", ws)
	}
	n, _ := strconv.Atoi(m[1])
	ts.Duration = time.Duration(n) * sliceUnits[m[2]]
	if err := checkTimeslice(ts); err != nil {
		return ts, wv.errorf("%v", err)
	}
	return ts, nil
}

// checkTimeslice applies slo's own rules to ts, as checkWindow does to a
// window.
func checkTimeslice(ts slo.Timeslice) error {
	return slo.Objective{
		Name: "openslo", Target: 0.5, Window: slo.Window{Rolling: slo.MinRolling},
		Budgeting: slo.Timeslices, Timeslice: ts,
	}.Validate()
}

// threshold reads a thresholdMetric objective's op and value as a latency
// objective: an event is good when its latency is at most the value. Only
// an upper bound (lte; lt is read as lte, the difference is below a
// nanosecond) maps onto one. The value is in seconds (the unit of
// Prometheus's and OTel's duration metrics), or a duration with its unit
// ("300ms").
func threshold(item node, f map[string]node, kind metricKind) (time.Duration, error) {
	ov, hasOp := f["op"]
	vv, hasValue := f["value"]
	switch {
	case kind == ratioMetric && (hasOp || hasValue):
		return 0, item.errorf("op and value apply to a thresholdMetric indicator only")
	case kind == ratioMetric:
		return 0, nil
	case !hasOp || !hasValue:
		return 0, item.errorf("a thresholdMetric objective requires op and value")
	}
	op, err := ov.str()
	if err != nil {
		return 0, err
	}
	if op != "lte" && op != "lt" {
		return 0, ov.errorf("%q: only an upper bound on latency (lte or lt) maps onto a latency objective", op)
	}
	s, err := vv.str()
	if err != nil {
		return 0, err
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		secs, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || secs != secs || secs > float64(math.MaxInt64)/float64(time.Second) {
			return 0, vv.errorf("%q is neither seconds nor a duration like 300ms", s)
		}
		d = time.Duration(secs * float64(time.Second))
	}
	if d <= 0 {
		return 0, vv.errorf("%q: a latency threshold must be positive", s)
	}
	return d, nil
}
