package openslo

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nines-sre/nines/slo"
)

const day = 24 * time.Hour

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestParse(t *testing.T) {
	data, err := os.ReadFile("testdata/openslo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	berlin := zone(t, "Europe/Berlin")
	want := []slo.Objective{
		{Name: "checkout-availability:Good_responses", Target: 0.999, Window: slo.Window{Rolling: 28 * day}},
		{Name: "checkout-availability:1", Target: 0.99, Window: slo.Window{Rolling: 28 * day}},
		{Name: "search-latency:0", Target: 0.995, Window: slo.Window{Calendar: slo.CalendarMonth, Location: berlin},
			Budgeting: slo.Timeslices, Timeslice: slo.Timeslice{Duration: 5 * time.Minute, Target: 0.9}},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b *time.Location) bool { return a.String() == b.String() })); diff != "" {
		t.Errorf("objectives (-want +got):\n%s", diff)
	}
	for _, o := range got {
		if _, err := slo.New(o); err != nil {
			t.Errorf("slo.New(%s): %v", o.Name, err)
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

func sloDoc(spec string) string {
	return "apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: s}\nspec:\n" + spec + sliDoc
}

const okSpec = "  indicatorRef: errs\n  timeWindow: [{duration: 30d, isRolling: true}]\n"

func TestParseErrorsNameTheField(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"version", "apiVersion: openslo/v2\nkind: SLO\n", "apiVersion: must be openslo/v1"},
		{"kind", "apiVersion: openslo/v1\nkind: AlertPolicy\n", "kind: kind \"AlertPolicy\" is not supported"},
		{"unknown field", sloDoc(okSpec + "  objectives: [{target: 0.9}]\n  alertPolicies: []\n"), "spec.alertPolicies: unsupported field"},
		{"threshold", "apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: s}\nspec:\n  indicator:\n    metadata: {name: i}\n    spec:\n      thresholdMetric: {metricSource: {type: x}}\n  timeWindow: [{duration: 30d}]\n  objectives: [{target: 0.9}]\n",
			"spec.indicator.spec.thresholdMetric: unsupported field"},
		{"raw ratio", "apiVersion: openslo/v1\nkind: SLI\nmetadata: {name: errs}\nspec:\n  ratioMetric: {rawType: success, raw: {metricSource: {type: x}}}\n---\n" + strings.Replace(sloDoc(okSpec+"  objectives: [{target: 0.9}]\n"), sliDoc, "", 1),
			"SLI errs.spec.ratioMetric.rawType: unsupported field"},
		{"missing ref", strings.Replace(sloDoc(okSpec+"  objectives: [{target: 0.9}]\n"), "name: errs", "name: other", 1), "spec.indicatorRef: no kind: SLI named \"errs\""},
		{"target", sloDoc(okSpec + "  objectives: [{target: 1.5}]\n"), "spec.objectives[0].target: 1.5"},
		{"both targets", sloDoc(okSpec + "  objectives: [{target: 0.9, targetPercent: 90}]\n"), "spec.objectives[0]: exactly one of target and targetPercent"},
		{"composite", sloDoc(okSpec + "  objectives: [{target: 0.9, compositeWeight: 1}]\n"), "spec.objectives[0].compositeWeight: unsupported field"},
		{"ratio timeslices", sloDoc(okSpec + "  budgetingMethod: RatioTimeslices\n  objectives: [{target: 0.9}]\n"), "spec.budgetingMethod: budgeting method \"RatioTimeslices\""},
		{"slice window", sloDoc(okSpec + "  budgetingMethod: Timeslices\n  objectives: [{target: 0.9, timeSliceTarget: 0.9, timeSliceWindow: 7m}]\n"), "spec.objectives[0].timeSliceWindow: slo: "},
		{"rolling month", sloDoc("  indicatorRef: errs\n  timeWindow: [{duration: 1M, isRolling: true}]\n  objectives: [{target: 0.9}]\n"), "spec.timeWindow[0].duration: \"1M\": a rolling window"},
		{"calendar 2w", sloDoc("  indicatorRef: errs\n  timeWindow: [{duration: 2w, isRolling: false, calendar: {timeZone: UTC}}]\n  objectives: [{target: 0.9}]\n"), "spec.timeWindow[0].duration: \"2w\": a calendar window"},
		{"zone", sloDoc("  indicatorRef: errs\n  timeWindow: [{duration: 1M, calendar: {timeZone: Mars/Olympus}}]\n  objectives: [{target: 0.9}]\n"), "spec.timeWindow[0].calendar.timeZone: \"Mars/Olympus\""},
		{"start", sloDoc("  indicatorRef: errs\n  timeWindow: [{duration: 1M, calendar: {startTime: \"2024-01-15 00:00:00\"}}]\n  objectives: [{target: 0.9}]\n"), "spec.timeWindow[0].calendar.startTime: \"2024-01-15 00:00:00\" is not the start of a calendar month"},
		{"two windows", sloDoc("  indicatorRef: errs\n  timeWindow: [{duration: 1d}, {duration: 2d}]\n  objectives: [{target: 0.9}]\n"), "spec.timeWindow: exactly one time window"},
		{"no objectives", sloDoc(okSpec + "  objectives: []\n"), "spec.objectives: at least one objective"},
		{"yaml", "a: [", "openslo: document 0: "},
		{"duplicate names", sloDoc(okSpec+"  objectives: [{target: 0.9}]\n") + "\n---\n" + strings.Replace(sloDoc(okSpec+"  objectives: [{target: 0.9}]\n"), sliDoc, "", 1), "objective name \"s:0\" used twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.doc))
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "openslo: ") {
				t.Errorf("error %q, want it to contain %q", err, tc.want)
			}
			if tc.name != "yaml" && !errors.Is(err, ErrUnsupported) {
				t.Errorf("error %v does not wrap ErrUnsupported", err)
			}
		})
	}
}

// An input past the size limit is an error: cutting it would silently
// drop the documents after the limit.
func TestParseRejectsOversizedInput(t *testing.T) {
	doc := sloDoc(okSpec+"  objectives: [{target: 0.9}]\n") + "# " + strings.Repeat("x", maxSize) + "\n"
	objs, err := Parse([]byte(doc))
	if err == nil || !strings.HasPrefix(err.Error(), "openslo: ") || !strings.Contains(err.Error(), "limit") {
		t.Fatalf("Parse of %d bytes = %d objectives, %v; want an error about the limit", len(doc), len(objs), err)
	}
}

func FuzzParse(f *testing.F) {
	seed, err := os.ReadFile("testdata/openslo.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(seed))
	f.Add(sloDoc(okSpec + "  objectives: [{target: 0.9}]\n"))
	f.Add("a: &a [*a]")
	f.Fuzz(func(t *testing.T, doc string) {
		objs, err := Parse([]byte(doc))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "openslo: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		for _, o := range objs {
			if err := o.Validate(); err != nil {
				t.Fatalf("Parse returned an invalid objective: %v", err)
			}
		}
	})
}
