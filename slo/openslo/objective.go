package openslo

import (
	"strconv"
	"time"

	"github.com/nines-sre/nines/slo"
)

// objective reads one item of spec.objectives into o (which holds the
// SLO's window and budgeting) and returns its displayName.
func objective(item node, o *slo.Objective) (display string, err error) {
	f, err := item.fields("displayName", "target", "targetPercent", "timeSliceTarget", "timeSliceWindow")
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
