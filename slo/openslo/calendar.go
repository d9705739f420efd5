package openslo

import (
	"time"

	"github.com/nines-sre/nines/slo"
)

// calendarUnits are the calendar durations slo supports.
var calendarUnits = map[string]slo.CalendarUnit{"1w": slo.CalendarWeek, "1M": slo.CalendarMonth, "1Q": slo.CalendarQuarter}

// calendarUnit reads a calendar window's duration.
func calendarUnit(dv node, ds string) (slo.CalendarUnit, error) {
	if u, ok := calendarUnits[ds]; ok {
		return u, nil
	}
	return slo.CalendarNone, dv.errorf("%q: a calendar window is 1w, 1M or 1Q", ds)
}

// calendarWindow reads a calendar window: its unit from the duration, its
// zone, and its startTime (see startTime).
func calendarWindow(dv node, ds string, cal node) (slo.Window, error) {
	unit, err := calendarUnit(dv, ds)
	if err != nil {
		return slo.Window{}, err
	}
	w := slo.Window{Calendar: unit}
	cf, err := cal.fields("startTime", "timeZone")
	if err != nil {
		return slo.Window{}, err
	}
	if zv, ok := cf["timeZone"]; ok {
		if w.Location, err = timeZone(zv); err != nil {
			return slo.Window{}, err
		}
	}
	if sv, ok := cf["startTime"]; ok {
		if err := startTime(sv, w); err != nil {
			return slo.Window{}, err
		}
	}
	return w, nil
}

// timeZone reads an IANA zone name; "" and "Local" are not zones (they
// would make the window depend on the machine).
func timeZone(zv node) (*time.Location, error) {
	z, err := zv.str()
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(z)
	if err != nil || z == "" || z == "Local" {
		return nil, zv.errorf("%q is not an IANA time zone", z)
	}
	return loc, nil
}

// startTimeLayouts are the forms a calendar startTime takes in real
// documents: the spec's "2020-01-21 12:30:00", an ISO 8601 local time, a
// date.
var startTimeLayouts = []string{time.DateTime, "2006-01-02T15:04:05", time.DateOnly}

// startTime reads the calendar's startTime. slo's periods are fixed (weeks
// start on Monday, months on the 1st, at local midnight), so a startTime
// elsewhere (the spec's own example, 2020-01-21 12:30:00) is accepted with
// a warning that the periods stay on those boundaries.
func startTime(sv node, w slo.Window) error {
	s, err := sv.str()
	if err != nil {
		return err
	}
	loc := w.Location
	if loc == nil {
		loc = time.UTC
	}
	var st time.Time
	for _, layout := range startTimeLayouts {
		if st, err = time.ParseInLocation(layout, s, loc); err == nil {
			break
		}
	}
	if err != nil {
		return sv.errorf("%q is not a time like 2022-01-01 00:00:00", s)
	}
	if !periodStart(w.Calendar, st) {
		sv.warn("%q is not the start of a calendar %s in %s; periods start at local midnight, on Monday, the 1st, or a quarter's 1st, and are used as they are", s, w.Calendar, loc)
	}
	return nil
}

// periodStart reports whether t, in its own location, is where a period of
// unit u starts: local midnight (as time.Date normalizes it on a day
// without one) of a Monday, a month's 1st, or a quarter's 1st.
// TestPeriodStartAgreesWithSLO holds it to slo's own period boundaries.
func periodStart(u slo.CalendarUnit, t time.Time) bool {
	y, m, d := t.Date()
	if !t.Equal(time.Date(y, m, d, 0, 0, 0, 0, t.Location())) {
		return false
	}
	switch u {
	case slo.CalendarWeek:
		return t.Weekday() == time.Monday
	case slo.CalendarMonth:
		return d == 1
	case slo.CalendarQuarter:
		return d == 1 && (m-1)%3 == 0
	}
	return false
}
