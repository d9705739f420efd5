package slo

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseOpenSLO(t *testing.T) {
	f, err := os.Open("testdata/openslo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := ParseOpenSLO(f)
	if err != nil {
		t.Fatal(err)
	}
	berlin := zone(t, "Europe/Berlin")
	want := []Objective{
		{Name: "checkout-availability:Good_responses", Target: 0.999, Window: Window{Rolling: 28 * day}},
		{Name: "checkout-availability:1", Target: 0.99, Window: Window{Rolling: 28 * day}},
		{Name: "search-latency:0", Target: 0.995, Window: Window{Calendar: CalendarMonth, Location: berlin},
			Budgeting: Timeslices, Timeslice: Timeslice{Duration: 5 * time.Minute, Target: 0.9}},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b *time.Location) bool { return a.String() == b.String() })); diff != "" {
		t.Errorf("objectives (-want +got):\n%s", diff)
	}
	for _, o := range got {
		if _, err := New(o); err != nil {
			t.Errorf("New(%s): %v", o.Name, err)
		}
	}
}

const sliDoc = `
---
apiVersion: openslo/v1
kind: SLI
metadata: {name: errs}
spec:
  ratioMetric:
    bad: {metricSource: {type: x}}
    total: {metricSource: {type: x}}
`

func slo(spec string) string {
	return "apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: s}\nspec:\n" + spec + sliDoc
}

const okSpec = "  indicatorRef: errs\n  timeWindow: [{duration: 30d, isRolling: true}]\n"

func TestParseOpenSLOErrorsNameTheField(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"version", "apiVersion: openslo/v2\nkind: SLO\n", "apiVersion: must be openslo/v1"},
		{"kind", "apiVersion: openslo/v1\nkind: AlertPolicy\n", "kind: kind \"AlertPolicy\" is not supported"},
		{"unknown field", slo(okSpec + "  objectives: [{target: 0.9}]\n  alertPolicies: []\n"), "spec.alertPolicies: unsupported field"},
		{"threshold", "apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: s}\nspec:\n  indicator:\n    metadata: {name: i}\n    spec:\n      thresholdMetric: {metricSource: {type: x}}\n  timeWindow: [{duration: 30d}]\n  objectives: [{target: 0.9}]\n",
			"spec.indicator.spec.thresholdMetric: unsupported field"},
		{"raw ratio", "apiVersion: openslo/v1\nkind: SLI\nmetadata: {name: errs}\nspec:\n  ratioMetric: {rawType: success, raw: {metricSource: {type: x}}}\n---\n" + strings.Replace(slo(okSpec+"  objectives: [{target: 0.9}]\n"), sliDoc, "", 1),
			"SLI errs.spec.ratioMetric.rawType: unsupported field"},
		{"missing ref", strings.Replace(slo(okSpec+"  objectives: [{target: 0.9}]\n"), "name: errs", "name: other", 1), "spec.indicatorRef: no kind: SLI named \"errs\""},
		{"target", slo(okSpec + "  objectives: [{target: 1.5}]\n"), "spec.objectives[0].target: 1.5"},
		{"both targets", slo(okSpec + "  objectives: [{target: 0.9, targetPercent: 90}]\n"), "spec.objectives[0]: exactly one of target and targetPercent"},
		{"composite", slo(okSpec + "  objectives: [{target: 0.9, compositeWeight: 1}]\n"), "spec.objectives[0].compositeWeight: unsupported field"},
		{"ratio timeslices", slo(okSpec + "  budgetingMethod: RatioTimeslices\n  objectives: [{target: 0.9}]\n"), "spec.budgetingMethod: budgeting method \"RatioTimeslices\""},
		{"slice window", slo(okSpec + "  budgetingMethod: Timeslices\n  objectives: [{target: 0.9, timeSliceTarget: 0.9, timeSliceWindow: 7m}]\n"), "spec.objectives[0].timeSliceWindow: slo: invalid objective: Timeslice.Duration 7m0s"},
		{"rolling month", slo("  indicatorRef: errs\n  timeWindow: [{duration: 1M, isRolling: true}]\n  objectives: [{target: 0.9}]\n"), "spec.timeWindow[0].duration: \"1M\": a rolling window"},
		{"calendar 2w", slo("  indicatorRef: errs\n  timeWindow: [{duration: 2w, isRolling: false, calendar: {timeZone: UTC}}]\n  objectives: [{target: 0.9}]\n"), "spec.timeWindow[0].duration: \"2w\": a calendar window"},
		{"zone", slo("  indicatorRef: errs\n  timeWindow: [{duration: 1M, calendar: {timeZone: Mars/Olympus}}]\n  objectives: [{target: 0.9}]\n"), "spec.timeWindow[0].calendar.timeZone: \"Mars/Olympus\""},
		{"start", slo("  indicatorRef: errs\n  timeWindow: [{duration: 1M, calendar: {startTime: \"2024-01-15 00:00:00\"}}]\n  objectives: [{target: 0.9}]\n"), "spec.timeWindow[0].calendar.startTime: \"2024-01-15 00:00:00\" is not the start of a calendar month"},
		{"two windows", slo("  indicatorRef: errs\n  timeWindow: [{duration: 1d}, {duration: 2d}]\n  objectives: [{target: 0.9}]\n"), "spec.timeWindow: exactly one time window"},
		{"no objectives", slo(okSpec + "  objectives: []\n"), "spec.objectives: at least one objective"},
		{"yaml", "a: [", "slo: openslo: "},
		{"duplicate names", slo(okSpec+"  objectives: [{target: 0.9}]\n") + "\n---\n" + strings.Replace(slo(okSpec+"  objectives: [{target: 0.9}]\n"), sliDoc, "", 1), "objective name \"s:0\" used twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseOpenSLO(strings.NewReader(tc.doc))
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "slo: openslo: ") {
				t.Errorf("error %q, want it to contain %q", err, tc.want)
			}
			if tc.name != "yaml" && !errors.Is(err, ErrUnsupportedOpenSLO) {
				t.Errorf("error %v does not wrap ErrUnsupportedOpenSLO", err)
			}
		})
	}
}

// An input past the size limit is an error: cutting it would silently
// drop the documents after the limit.
func TestParseOpenSLORejectsOversizedInput(t *testing.T) {
	doc := slo(okSpec+"  objectives: [{target: 0.9}]\n") + "# " + strings.Repeat("x", maxOpenSLO) + "\n"
	objs, err := ParseOpenSLO(strings.NewReader(doc))
	if err == nil || !strings.HasPrefix(err.Error(), "slo: openslo: ") {
		t.Fatalf("ParseOpenSLO of %d bytes = %d objectives, %v; want a prefixed error", len(doc), len(objs), err)
	}
}

func FuzzOpenSLO(f *testing.F) {
	seed, err := os.ReadFile("testdata/openslo.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(seed))
	f.Add(slo(okSpec + "  objectives: [{target: 0.9}]\n"))
	f.Add("a: &a [*a]")
	f.Fuzz(func(t *testing.T, doc string) {
		objs, err := ParseOpenSLO(strings.NewReader(doc))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "slo: openslo: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		for _, o := range objs {
			if err := o.Validate(); err != nil {
				t.Fatalf("ParseOpenSLO returned an invalid objective: %v", err)
			}
		}
	})
}
