package slo

import "time"

// Objective describes one service level objective. It is a plain value:
// build it as a literal and pass it to New, which validates it.
//
// The zero value is not a valid objective: Name, Target and Window are
// required.
type Objective struct {
	// Name identifies the objective; it becomes the slo.name metric
	// attribute. Required: 1 to 128 characters of [A-Za-z0-9_.:-].
	Name string
	// Target is the fraction of good events (or good slices) required,
	// 0 < Target < 1, for example 0.999.
	Target float64
	// Window is the compliance period: Rolling or Calendar. Required.
	Window Window
	// Latency, when positive, makes this a latency objective: an event is
	// good when its latency is at most Latency (counted exactly at record
	// time). Zero means a request objective: the caller says good or bad.
	Latency time.Duration
	// Budgeting is the budgeting method. Zero means Occurrences.
	Budgeting Budgeting
	// Timeslice configures Timeslices budgeting; ignored for Occurrences.
	Timeslice Timeslice
	// Tiers are the multiwindow multi-burn-rate alert tiers. Nil means
	// DefaultTiers: the SRE Workbook set derived from the window's period.
	Tiers []Tier
}

// Window is a compliance period: rolling (the last Rolling duration) or
// calendar (the current Calendar unit in Location). Exactly one of Rolling
// and Calendar is set.
type Window struct {
	// Rolling is the length of a rolling window, for example 30 days.
	Rolling time.Duration
	// Calendar is the unit of a calendar window.
	Calendar CalendarUnit
	// Location is the time zone of a calendar window; nil means UTC.
	Location *time.Location
}

// CalendarUnit is the unit of a calendar window. The zero value means none
// (a rolling window).
type CalendarUnit uint8

const (
	// CalendarNone is a rolling window (Window.Rolling).
	CalendarNone CalendarUnit = iota
	// CalendarWeek runs from Monday 00:00 to Monday 00:00 (ISO 8601).
	CalendarWeek
	// CalendarMonth runs from the 1st 00:00 to the next month's 1st.
	CalendarMonth
	// CalendarQuarter runs from January, April, July or October 1st 00:00
	// to the next quarter's first day.
	CalendarQuarter
)

// Budgeting is an error-budget method. The zero value is Occurrences.
type Budgeting uint8

const (
	// Occurrences counts good and bad events.
	Occurrences Budgeting = iota
	// Timeslices counts good and bad time slices: a slice is good when its
	// good ratio meets Timeslice.Target.
	Timeslices
)

// Timeslice configures Timeslices budgeting.
type Timeslice struct {
	// Duration of one slice. Zero means one minute.
	Duration time.Duration
	// Target is the good ratio a slice must meet to be good,
	// 0 < Target <= 1. Zero means the objective's Target.
	Target float64
}

// Severity is how urgent an alert tier is.
type Severity uint8

const (
	// SeverityPage is an alert for a person to act on now (the SRE
	// Workbook's fast-burn tiers).
	SeverityPage Severity = iota
	// SeverityTicket is an alert for working hours (the slow-burn tiers).
	SeverityTicket
)

// Tier is one multiwindow burn-rate alert: it fires when the burn rates of
// both Long and Short windows exceed BudgetPercent/100 x period / Long.
type Tier struct {
	// Severity is the tier's urgency, carried by its alerts.
	Severity Severity
	// BudgetPercent is the share of the period's error budget that
	// spending at this rate for the whole Long window would consume, for
	// example 2 for the 1h page tier of a 30-day objective.
	BudgetPercent float64
	// Long and Short are the two windows; Short confirms that the burn is
	// still going on, so the alert resolves quickly after recovery.
	Long, Short time.Duration
	// MinEvents is the low-traffic guard: the tier fires only when each of
	// its windows holds at least this many events. Zero means the derived
	// default, the smallest count at which one bad event alone cannot push
	// a window over the threshold (see Tier.MinEventCount); 1 turns the
	// guard off.
	MinEvents uint64
}
