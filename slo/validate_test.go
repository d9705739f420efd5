package slo

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

func TestValidateNamesFieldAndValue(t *testing.T) {
	ok := Objective{Name: "api", Target: 0.999, Window: Window{Rolling: 30 * day}}
	tests := []struct {
		name   string
		mutate func(*Objective)
		want   string // substring: field and value
	}{
		{"empty name", func(o *Objective) { o.Name = "" }, `Name = ""`},
		{"bad name", func(o *Objective) { o.Name = "a b" }, `Name = "a b"`},
		{"target 1", func(o *Objective) { o.Target = 1 }, "Target = 1"},
		{"target 0", func(o *Objective) { o.Target = 0 }, "Target = 0"},
		{"target NaN", func(o *Objective) { o.Target = math.NaN() }, "Target = NaN"},
		{"no window", func(o *Objective) { o.Window = Window{} }, "Window"},
		{"both", func(o *Objective) { o.Window.Calendar = CalendarMonth }, "Window.Rolling = 720h0m0s"},
		{"short rolling", func(o *Objective) { o.Window.Rolling = time.Minute }, "Window.Rolling = 1m0s"},
		{"odd rolling", func(o *Objective) { o.Window.Rolling = time.Hour + time.Second }, "Window.Rolling = 1h0m1s"},
		{"loc on rolling", func(o *Objective) { o.Window.Location = time.UTC }, "Window.Location = UTC"},
		{"bad unit", func(o *Objective) { o.Window = Window{Calendar: 9} }, "Window.Calendar = 9"},
		{"latency", func(o *Objective) { o.Latency = -1 }, "Latency = -1ns"},
		{"budgeting", func(o *Objective) { o.Budgeting = 7 }, "Budgeting = 7"},
		{"slice 7m", func(o *Objective) { o.Budgeting = Timeslices; o.Timeslice.Duration = 7 * time.Minute }, "Timeslice.Duration = 7m0s"},
		{"slice target", func(o *Objective) { o.Budgeting = Timeslices; o.Timeslice.Target = 1.5 }, "Timeslice.Target = 1.5"},
		{"tier severity", func(o *Objective) {
			o.Tiers = []Tier{{Severity: 5, BudgetPercent: 2, Long: time.Hour, Short: time.Minute}}
		}, "Tiers[0].Severity = 5"},
		{"tier percent", func(o *Objective) { o.Tiers = []Tier{{BudgetPercent: 0, Long: time.Hour, Short: time.Minute}} }, "Tiers[0].BudgetPercent = 0"},
		{"tier short", func(o *Objective) { o.Tiers = []Tier{{BudgetPercent: 2, Long: time.Hour, Short: time.Second}} }, "Tiers[0].Short = 1s"},
		{"tier long", func(o *Objective) { o.Tiers = []Tier{{BudgetPercent: 2, Long: 4 * day, Short: time.Hour}} }, "Tiers[0].Long = 96h0m0s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := ok
			tc.mutate(&o)
			_, err := New(o)
			if !errors.Is(err, ErrInvalidConfig) {
				t.Fatalf("New(%+v) error = %v, want ErrInvalidConfig", o, err)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "slo: invalid config: ") {
				t.Errorf("error %q does not name %q", err, tc.want)
			}
		})
	}
	if _, err := New(ok); err != nil {
		t.Fatalf("valid objective rejected: %v", err)
	}
}

func FuzzNewObjective(f *testing.F) {
	f.Add("api", 0.999, int64(30*day), uint8(0), int64(0), uint8(0), int64(0), 0.0, 2.0, int64(time.Hour), int64(5*time.Minute))
	f.Add("q", 0.99, int64(0), uint8(3), int64(time.Second), uint8(1), int64(5*time.Minute), 0.9, 200.0, int64(0), int64(-1))
	f.Fuzz(func(t *testing.T, name string, target float64, rolling int64, cal uint8, lat int64, budg uint8, slice int64, sliceTarget, pct float64, long, short int64) {
		o := Objective{Name: name, Target: target, Window: Window{Rolling: time.Duration(rolling), Calendar: CalendarUnit(cal)},
			Latency: time.Duration(lat), Budgeting: Budgeting(budg), Timeslice: Timeslice{time.Duration(slice), sliceTarget},
			Tiers: []Tier{{SeverityPage, pct, time.Duration(long), time.Duration(short), 0}}}
		s, err := New(o, WithClock(func() time.Time { return time.Unix(1e9, 0) }))
		if err != nil {
			if !errors.Is(err, ErrInvalidConfig) || !strings.HasPrefix(err.Error(), "slo: ") {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		s.RecordAt(time.Unix(1e9, 0), false)
		st := s.StatusAt(time.Unix(1e9+90, 0))
		if math.IsNaN(st.BudgetRemaining) || math.IsInf(st.BudgetRemaining, 0) {
			t.Fatalf("budget %v", st.BudgetRemaining)
		}
	})
}
