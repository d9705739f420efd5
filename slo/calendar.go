package slo

import "time"

// bounds returns the calendar period [start, end) containing t, in the
// window's Location. Boundaries are local midnights computed with
// time.Date, so a period that spans a DST change is an hour shorter or
// longer than its nominal length, and it resets exactly at local midnight.
// Weeks start on Monday (ISO 8601).
func (w Window) bounds(t time.Time) (start, end time.Time) {
	loc := w.Location
	if loc == nil {
		loc = time.UTC
	}
	lt := t.In(loc)
	y, m, d := lt.Date()
	switch w.Calendar {
	case CalendarWeek:
		back := (int(lt.Weekday()) + 6) % 7 // days since Monday
		start = time.Date(y, m, d-back, 0, 0, 0, 0, loc)
		end = time.Date(y, m, d-back+7, 0, 0, 0, 0, loc)
	case CalendarQuarter:
		q := (m-1)/3*3 + 1
		start = time.Date(y, q, 1, 0, 0, 0, 0, loc)
		end = time.Date(y, q+3, 1, 0, 0, 0, 0, loc)
	default:
		start = time.Date(y, m, 1, 0, 0, 0, 0, loc)
		end = time.Date(y, m+1, 1, 0, 0, 0, 0, loc)
	}
	return start, end
}

// maxPeriod is the longest actual period the window can have, which sizes
// the hourly ring: a DST change can add an hour.
func (w Window) maxPeriod() time.Duration {
	switch w.Calendar {
	case CalendarWeek:
		return 7*24*time.Hour + time.Hour
	case CalendarMonth:
		return 31*24*time.Hour + time.Hour
	case CalendarQuarter:
		return 92*24*time.Hour + time.Hour
	}
	return w.Rolling
}

// floorDiv and floorMod are integer division and modulo rounding toward
// negative infinity, so times before 1970 map to buckets like any other.
func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 {
	return a - floorDiv(a, b)*b
}

// unixMinute is the minute number of t since the Unix epoch.
func unixMinute(t time.Time) int64 { return floorDiv(t.Unix(), 60) }

func minuteTime(m int64) time.Time { return time.Unix(m*60, 0) }
