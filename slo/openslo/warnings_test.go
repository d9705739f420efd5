package openslo

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nines-sre/nines/slo"
)

// The specification's own documents: the alerting kinds and an SLO's
// alertPolicies are skipped with a warning each, the calendar example's
// startTime is accepted with one, and a thresholdMetric upper bound is a
// latency objective.
func TestParseSpecDocuments(t *testing.T) {
	data, err := os.ReadFile("testdata/spec-alerting.yaml")
	if err != nil {
		t.Fatal(err)
	}
	objs, warnings, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	want := []slo.Objective{
		{Name: "foo-slo:Foo_Total_Errors", Target: 0.98, Window: slo.Window{Calendar: slo.CalendarMonth, Location: zone(t, "America/New_York")}},
		{Name: "mr-telemetry-app-latency:Good", Target: 0.98, Window: slo.Window{Rolling: 28 * day}, Latency: 250 * time.Millisecond},
	}
	if diff := cmp.Diff(want, objs, cmp.Comparer(func(a, b *time.Location) bool { return a.String() == b.String() })); diff != "" {
		t.Errorf("objectives (-want +got):\n%s", diff)
	}
	var got []string
	for _, w := range warnings {
		got = append(got, w.String())
	}
	wantWarnings := []string{
		"openslo: document 0: (document): kind AlertNotificationTarget skipped: notification targets are not imported: route alerts with Alertmanager",
		"openslo: document 1: (document): kind AlertCondition skipped: alert conditions are not imported: objectives alert with slo.DefaultTiers",
		"openslo: document 2: (document): kind AlertPolicy skipped: alert policies are not imported: objectives alert with slo.DefaultTiers",
		"openslo: document 3: spec.alertPolicies: alert policies skipped: objectives alert with slo.DefaultTiers",
		`openslo: document 3: spec.timeWindow[0].calendar.startTime: "2020-01-21 12:30:00" is not the start of a calendar month in America/New_York; periods start at local midnight, on Monday, the 1st, or a quarter's 1st, and are used as they are`,
	}
	if diff := cmp.Diff(wantWarnings, got); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	for _, o := range objs {
		if _, err := slo.New(o); err != nil {
			t.Errorf("slo.New(%s): %v", o.Name, err)
		}
	}
}

func TestParseThresholdValues(t *testing.T) {
	for value, want := range map[string]time.Duration{"0.3": 300 * time.Millisecond, "2": 2 * time.Second, "250ms": 250 * time.Millisecond, "1.5s": 1500 * time.Millisecond} {
		for _, op := range []string{"lte", "lt"} {
			objs, _, err := Parse([]byte(thresholdDoc("{target: 0.99, op: " + op + ", value: " + value + "}")))
			if err != nil || len(objs) != 1 || objs[0].Latency != want {
				t.Errorf("op %s value %s: %+v, %v; want latency %v", op, value, objs, err, want)
			}
		}
	}
}

// A calendar startTime on a period boundary gives no warning, in any of the
// forms documents use.
func TestParseStartTimeForms(t *testing.T) {
	for _, st := range []string{`"2024-01-01 00:00:00"`, "2024-01-01T00:00:00", "2024-01-01"} {
		doc := sloDoc("  indicatorRef: errs\n  timeWindow: [{duration: 1M, calendar: {startTime: " + st + "}}]\n  objectives: [{target: 0.9}]\n")
		objs, warnings, err := Parse([]byte(doc))
		if err != nil || len(objs) != 1 || len(warnings) != 0 {
			t.Errorf("startTime %s: %d objectives, warnings %v, %v; want one objective and no warning", st, len(objs), warnings, err)
		}
	}
}

// A few bytes per alias used to stand for a whole objective: a 7.7 MiB
// input made 2.7 million of them (2.6 GB). The objectives and the aliases
// of one input are bounded, and counted before anything is built.
func TestParseBoundsExpansion(t *testing.T) {
	var b strings.Builder
	b.WriteString(strings.Replace(sloDoc(okSpec+"  objectives: [&o {target: 0.9}"), sliDoc, "", 1))
	for range 20000 {
		b.WriteString(", *o")
	}
	b.WriteString("]\n" + sliDoc)
	_, _, err := Parse([]byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "document 0: spec.objectives: more than 10000 objectives in the input") {
		t.Errorf("20001 aliased objectives: %v, want the objective limit", err)
	}
	if _, _, err := Parse([]byte(b.String()), WithMaxObjectives(30000)); err == nil || !strings.Contains(err.Error(), "more than 10000 aliases followed") {
		t.Errorf("20001 aliases under a higher objective limit: %v, want the alias limit", err)
	}
	small := sloDoc(okSpec + "  objectives: [{target: 0.9}, {target: 0.8}, {target: 0.7}]\n")
	if _, _, err := Parse([]byte(small), WithMaxObjectives(2)); err == nil || !strings.Contains(err.Error(), "more than 2 objectives") {
		t.Errorf("3 objectives with a limit of 2: %v", err)
	}
	if objs, _, err := Parse([]byte(small), WithMaxObjectives(3)); err != nil || len(objs) != 3 {
		t.Errorf("3 objectives with a limit of 3: %d, %v", len(objs), err)
	}
	// Across documents too.
	two := small + "---\n" + strings.Replace(strings.Replace(small, "name: s}", "name: t}", 1), sliDoc, "", 1)
	if _, _, err := Parse([]byte(two), WithMaxObjectives(5)); err == nil || !strings.Contains(err.Error(), "document 2: spec.objectives: more than 5 objectives") {
		t.Errorf("6 objectives in two documents with a limit of 5: %v", err)
	}
	if _, _, err := Parse([]byte(small), WithMaxObjectives(0)); err == nil || !strings.Contains(err.Error(), "WithMaxObjectives = 0") {
		t.Errorf("WithMaxObjectives(0): %v, want an invalid-config error", err)
	}
}
