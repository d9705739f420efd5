package slo

import "strconv"

// String returns "page" or "ticket", the slo.alert.severity attribute
// value; other values print as "severity(N)".
func (s Severity) String() string {
	switch s {
	case SeverityPage:
		return "page"
	case SeverityTicket:
		return "ticket"
	}
	return "severity(" + strconv.Itoa(int(s)) + ")"
}

// String returns "none", "week", "month" or "quarter".
func (u CalendarUnit) String() string {
	switch u {
	case CalendarNone:
		return "none"
	case CalendarWeek:
		return "week"
	case CalendarMonth:
		return "month"
	case CalendarQuarter:
		return "quarter"
	}
	return "calendar(" + strconv.Itoa(int(u)) + ")"
}

// String returns "occurrences" or "timeslices".
func (b Budgeting) String() string {
	switch b {
	case Occurrences:
		return "occurrences"
	case Timeslices:
		return "timeslices"
	}
	return "budgeting(" + strconv.Itoa(int(b)) + ")"
}
