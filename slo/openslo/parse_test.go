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
	got, _, err := Parse(data)
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

// thresholdDoc is an SLO with an inline thresholdMetric indicator and the
// one objective given.
func thresholdDoc(objective string) string {
	return "apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: s}\nspec:\n  indicator:\n    metadata: {name: i}\n    spec:\n      thresholdMetric: {metricSource: {type: x}}\n  timeWindow: [{duration: 30d}]\n  objectives: [" + objective + "]\n"
}

func sloDoc(spec string) string {
	return "apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: s}\nspec:\n" + spec + sliDoc
}

const okSpec = "  indicatorRef: errs\n  timeWindow: [{duration: 30d, isRolling: true}]\n"

func TestParseErrorsNameTheField(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"version", "apiVersion: openslo/v2\nkind: SLO\n", "apiVersion: must be openslo/v1"},
		{"kind", "apiVersion: openslo/v1\nkind: Dashboard\n", "document 0: kind: kind \"Dashboard\" is not supported"},
		{"unknown field", sloDoc(okSpec + "  objectives: [{target: 0.9}]\n  alertPolicy: []\n"), "document 0: spec.alertPolicy: unsupported field"},
		{"alert policies not a list", sloDoc(okSpec + "  objectives: [{target: 0.9}]\n  alertPolicies: page\n"), "spec.alertPolicies: must be a list"},
		{"threshold without op", thresholdDoc("{target: 0.9}"), "spec.objectives[0]: a thresholdMetric objective requires op and value"},
		{"threshold lower bound", thresholdDoc("{target: 0.9, op: gte, value: 0.3}"), "spec.objectives[0].op: \"gte\": only an upper bound on latency"},
		{"threshold value", thresholdDoc("{target: 0.9, op: lte, value: fast}"), "spec.objectives[0].value: \"fast\" is neither seconds nor a duration"},
		{"threshold zero", thresholdDoc("{target: 0.9, op: lte, value: 0}"), "spec.objectives[0].value: \"0\": a latency threshold must be positive"},
		{"op on ratio", sloDoc(okSpec + "  objectives: [{target: 0.9, op: lte, value: 1}]\n"), "spec.objectives[0]: op and value apply to a thresholdMetric indicator only"},
		{"both metrics", "apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: s}\nspec:\n  indicator:\n    metadata: {name: i}\n    spec:\n      thresholdMetric: {metricSource: {type: x}}\n      ratioMetric: {}\n  timeWindow: [{duration: 30d}]\n  objectives: [{target: 0.9}]\n",
			"spec.indicator.spec: exactly one of ratioMetric and thresholdMetric"},
		{"second document", sloDoc(okSpec+"  objectives: [{target: 0.9}]\n") + "---\n" + strings.Replace(sloDoc(okSpec+"  objectives: [{target: 2}]\n"), sliDoc, "", 1),
			"document 2: spec.objectives[0].target: 2"},
		{"sli document", "apiVersion: openslo/v1\nkind: Service\nmetadata: {name: x}\n---\n" + strings.Replace(sliDoc, "bad: {metricSource: {type: x}}", "bad: {metricSource: {tipe: x}}", 1) + "---\n" + strings.Replace(sloDoc(okSpec+"  objectives: [{target: 0.9}]\n"), sliDoc, "", 1),
			"document 2: SLI errs.spec.ratioMetric.bad.metricSource.tipe: unsupported field"},
		{"raw ratio", "apiVersion: openslo/v1\nkind: SLI\nmetadata: {name: errs}\nspec:\n  ratioMetric: {rawType: success, raw: {metricSource: {type: x}}}\n---\n" + strings.Replace(sloDoc(okSpec+"  objectives: [{target: 0.9}]\n"), sliDoc, "", 1),
			"SLI errs.spec.ratioMetric.rawType: unsupported field"},
		{"missing ref", strings.Replace(sloDoc(okSpec+"  objectives: [{target: 0.9}]\n"), "name: errs", "name: other", 1), "spec.indicatorRef: no kind: SLI named \"errs\""},
		{"target", sloDoc(okSpec + "  objectives: [{target: 1.5}]\n"), "spec.objectives[0].target: 1.5"},
		{"both targets", sloDoc(okSpec + "  objectives: [{target: 0.9, targetPercent: 90}]\n"), "spec.objectives[0]: exactly one of target and targetPercent"},
		{"composite", sloDoc(okSpec + "  objectives: [{target: 0.9, compositeWeight: 1}]\n"), "spec.objectives[0].compositeWeight: composite SLOs are not supported"},
		{"composite v1", "apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: c}\nspec:\n  timeWindow: [{duration: 30d}]\n  objectives:\n    - {target: 0.9, indicatorRef: errs}\n" + sliDoc,
			"document 0: spec.objectives[0].indicatorRef: composite SLOs are not supported"},
		{"ratio timeslices", sloDoc(okSpec + "  budgetingMethod: RatioTimeslices\n  objectives: [{target: 0.9}]\n"), "spec.budgetingMethod: budgeting method \"RatioTimeslices\""},
		{"slice window", sloDoc(okSpec + "  budgetingMethod: Timeslices\n  objectives: [{target: 0.9, timeSliceTarget: 0.9, timeSliceWindow: 7m}]\n"), "spec.objectives[0].timeSliceWindow: slo: "},
		{"rolling month", sloDoc("  indicatorRef: errs\n  timeWindow: [{duration: 1M, isRolling: true}]\n  objectives: [{target: 0.9}]\n"), "spec.timeWindow[0].duration: \"1M\": a rolling window"},
		{"calendar 2w", sloDoc("  indicatorRef: errs\n  timeWindow: [{duration: 2w, isRolling: false, calendar: {timeZone: UTC}}]\n  objectives: [{target: 0.9}]\n"), "spec.timeWindow[0].duration: \"2w\": a calendar window"},
		{"zone", sloDoc("  indicatorRef: errs\n  timeWindow: [{duration: 1M, calendar: {timeZone: Mars/Olympus}}]\n  objectives: [{target: 0.9}]\n"), "spec.timeWindow[0].calendar.timeZone: \"Mars/Olympus\""},
		{"start", sloDoc("  indicatorRef: errs\n  timeWindow: [{duration: 1M, calendar: {startTime: \"next monday\"}}]\n  objectives: [{target: 0.9}]\n"), "spec.timeWindow[0].calendar.startTime: \"next monday\" is not a time"},
		{"two windows", sloDoc("  indicatorRef: errs\n  timeWindow: [{duration: 1d}, {duration: 2d}]\n  objectives: [{target: 0.9}]\n"), "spec.timeWindow: exactly one time window"},
		{"no objectives", sloDoc(okSpec + "  objectives: []\n"), "spec.objectives: at least one objective"},
		{"yaml", "a: [", "openslo: document 0: "},
		{"duplicate names", sloDoc(okSpec+"  objectives: [{target: 0.9}]\n") + "\n---\n" + strings.Replace(sloDoc(okSpec+"  objectives: [{target: 0.9}]\n"), sliDoc, "", 1), "objective name \"s:0\" used twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Parse([]byte(tc.doc))
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
	doc := sloDoc(okSpec+"  objectives: [{target: 0.9}]\n") + "# " + strings.Repeat("x", defaultMaxBytes) + "\n"
	objs, _, err := Parse([]byte(doc))
	if err == nil || !strings.HasPrefix(err.Error(), "openslo: ") || !strings.Contains(err.Error(), "limit (WithMaxBytes)") {
		t.Fatalf("Parse of %d bytes = %d objectives, %v; want an error about the limit", len(doc), len(objs), err)
	}
	if objs, _, err := Parse([]byte(doc), WithMaxBytes(len(doc))); err != nil || len(objs) != 1 {
		t.Errorf("WithMaxBytes(%d): %d objectives, %v; want the document's one", len(doc), len(objs), err)
	}
	for _, n := range []int{0, maxMaxBytes + 1} {
		if _, _, err := Parse([]byte(doc), WithMaxBytes(n)); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("WithMaxBytes(%d): %v, want ErrInvalidConfig", n, err)
		}
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
	f.Add(thresholdDoc("{target: 0.9, op: lte, value: 250ms}"))
	f.Add("apiVersion: openslo/v1\nkind: AlertPolicy\nmetadata: {name: a}\n---\n---\n" + sloDoc(okSpec+"  objectives: [&o {target: 0.9}, *o]\n  alertPolicies: []\n"))
	f.Fuzz(func(t *testing.T, doc string) {
		objs, warnings, err := Parse([]byte(doc))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "openslo: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		for _, w := range warnings {
			if w.Document < 0 || !strings.HasPrefix(w.String(), "openslo: document ") {
				t.Fatalf("warning %+v", w)
			}
		}
		for _, o := range objs {
			if err := o.Validate(); err != nil {
				t.Fatalf("Parse returned an invalid objective: %v", err)
			}
		}
		// What Parse returns, Export writes and Parse reads back.
		data, err := Export(objs)
		if err != nil {
			t.Fatalf("Export of parsed objectives: %v", err)
		}
		again, _, err := Parse(data, WithMaxBytes(maxMaxBytes))
		if err != nil {
			t.Fatalf("Parse(Export): %v\n%s", err, data)
		}
		if len(again) != len(objs) {
			t.Fatalf("round trip: %d objectives, want %d", len(again), len(objs))
		}
		for i := range objs {
			if again[i].Name != objs[i].Name || again[i].Target != objs[i].Target || again[i].Window.Period() != objs[i].Window.Period() {
				t.Fatalf("round trip changed objective %d: %+v -> %+v", i, objs[i], again[i])
			}
		}
	})
}
