package openslo

import (
	"regexp"
	"strconv"
	"time"

	"github.com/nines-sre/nines/slo"
)

// shorthand is OpenSLO's duration shorthand: a count and a unit.
var shorthand = regexp.MustCompile(`^([1-9][0-9]{0,5})([mhdwMQY])$`)

// rollingUnits are the shorthand units a rolling window may use; months,
// quarters and years have no fixed length.
var rollingUnits = map[string]time.Duration{"m": time.Minute, "h": time.Hour, "d": 24 * time.Hour, "w": 7 * 24 * time.Hour}

// timeWindow reads spec.timeWindow: exactly one window, rolling unless it
// has a calendar or isRolling is false.
func timeWindow(tw node) (slo.Window, error) {
	items, err := tw.items()
	if err != nil {
		return slo.Window{}, err
	}
	if len(items) != 1 {
		return slo.Window{}, tw.errorf("exactly one time window is required, got %d", len(items))
	}
	item := items[0]
	f, err := item.fields("duration", "isRolling", "calendar")
	if err != nil {
		return slo.Window{}, err
	}
	dv, ds, err := requiredStr(f, item, "duration")
	if err != nil {
		return slo.Window{}, err
	}
	m := shorthand.FindStringSubmatch(ds)
	if m == nil {
		return slo.Window{}, dv.errorf("%q is not a duration shorthand like 28d, 4w or 1M", ds)
	}
	cal, hasCal := f["calendar"]
	rolling := !hasCal
	if rv, ok := f["isRolling"]; ok {
		if rolling, err = rv.boolean(); err != nil {
			return slo.Window{}, err
		}
	}
	switch {
	case rolling && hasCal:
		return slo.Window{}, cal.errorf("a rolling window has no calendar")
	case rolling:
		return rollingWindow(dv, m)
	case !hasCal:
		if _, err := calendarUnit(dv, ds); err != nil {
			return slo.Window{}, err
		}
		return slo.Window{}, item.errorf("calendar: required when isRolling is false")
	}
	return calendarWindow(dv, ds, cal)
}

// rollingWindow reads a rolling window from the duration's shorthand
// match m.
func rollingWindow(dv node, m []string) (slo.Window, error) {
	unit, ok := rollingUnits[m[2]]
	if !ok {
		return slo.Window{}, dv.errorf("%q: a rolling window is measured in m, h, d or w", m[0])
	}
	n, _ := strconv.Atoi(m[1])
	w := slo.Window{Rolling: time.Duration(n) * unit}
	if err := checkWindow(w); err != nil {
		return slo.Window{}, dv.errorf("%v", err)
	}
	return w, nil
}

// checkWindow applies slo's own rules to w (through Objective.Validate,
// with valid placeholders for the other fields), so that they live in slo
// alone and a bad window is still reported at its OpenSLO field.
func checkWindow(w slo.Window) error {
	return slo.Objective{Name: "openslo", Target: 0.5, Window: w}.Validate()
}
