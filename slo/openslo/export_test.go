package openslo

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nines-sre/nines/slo"
)

// Export then Parse gives back the objectives, names included.
func TestExportRoundTrip(t *testing.T) {
	objs := []slo.Objective{
		{Name: "route:GET__hello:availability", Target: 0.999, Window: slo.Window{Rolling: 30 * day}},
		{Name: "route:GET__hello:latency", Target: 0.99, Window: slo.Window{Rolling: 28 * day}, Latency: 300 * time.Millisecond},
		{Name: "checkout", Target: 0.995, Window: slo.Window{Calendar: slo.CalendarMonth, Location: zone(t, "Europe/Berlin")}},
		{Name: "Checkout", Target: 0.9, Window: slo.Window{Calendar: slo.CalendarWeek}},
		{Name: "quarterly", Target: 0.95, Window: slo.Window{Calendar: slo.CalendarQuarter, Location: time.UTC}},
		{Name: "slices", Target: 0.99, Window: slo.Window{Rolling: 90 * time.Minute}, Budgeting: slo.Timeslices,
			Timeslice: slo.Timeslice{Duration: 5 * time.Minute, Target: 0.95}},
		{Name: "slices-default", Target: 0.99, Window: slo.Window{Rolling: 7 * day}, Budgeting: slo.Timeslices},
	}
	data, err := Export(objs)
	if err != nil {
		t.Fatal(err)
	}
	got, warnings, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse(Export): %v\n%s", err, data)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings %v", warnings)
	}
	want := slicesClone(objs)
	want[1].Latency = 0 // a latency objective exports as its event ratio
	want[3].Window.Location = time.UTC
	want[6].Timeslice = slo.Timeslice{Duration: time.Minute, Target: 0.99}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b *time.Location) bool { return a.String() == b.String() })); diff != "" {
		t.Errorf("round trip (-want +got):\n%s\n%s", diff, data)
	}
	for _, name := range []string{"name: route-get-hello-availability\n", "name: checkout\n", "name: checkout-2\n", "duration: 4w\n", "timeSliceWindow: 1m\n",
		`query: sum(slo_events_total{slo_name="checkout",slo_outcome="bad"})`} {
		if !strings.Contains(string(data), name) {
			t.Errorf("export lacks %q:\n%s", name, data)
		}
	}
}

func slicesClone(objs []slo.Objective) []slo.Objective { return append([]slo.Objective(nil), objs...) }

func TestExportErrors(t *testing.T) {
	if _, err := Export([]slo.Objective{{Name: "ok", Target: 0.9, Window: slo.Window{Rolling: day}}, {Name: "bad", Target: 2}}); !errors.Is(err, slo.ErrInvalidConfig) || !strings.Contains(err.Error(), "objective 1") {
		t.Errorf("invalid objective: %v, want slo.ErrInvalidConfig naming objective 1", err)
	}
	if _, err := Export(nil, WithEventsMetric("not a metric")); !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("bad metric name: %v, want ErrInvalidConfig", err)
	}
	data, err := Export([]slo.Objective{{Name: "x", Target: 0.9, Window: slo.Window{Rolling: day}}}, WithEventsMetric("app_slo_events_total"), nil)
	if err != nil || !strings.Contains(string(data), "sum(app_slo_events_total{") {
		t.Errorf("WithEventsMetric: %v\n%s", err, data)
	}
	if data, err := Export(nil); err != nil || len(data) != 0 {
		t.Errorf("no objectives: %q, %v", data, err)
	}
}

func TestNameAnnotation(t *testing.T) {
	doc := strings.Replace(sloDoc(okSpec+"  objectives: [{target: 0.9}]\n"), "metadata: {name: s}", "metadata: {name: s, annotations: {nines.objective/name: \"exact:Name\", other: x}}", 1)
	objs, _, err := Parse([]byte(doc))
	if err != nil || len(objs) != 1 || objs[0].Name != "exact:Name" {
		t.Errorf("annotated: %+v, %v", objs, err)
	}
	two := strings.Replace(doc, "[{target: 0.9}]", "[{target: 0.9}, {target: 0.8}]", 1)
	objs, warnings, err := Parse([]byte(two))
	if err != nil || len(objs) != 2 || objs[0].Name != "s:0" || len(warnings) != 1 || !strings.Contains(warnings[0].String(), "metadata.annotations.nines.objective/name: ignored") {
		t.Errorf("annotated with two objectives: %+v, %v, %v", objs, warnings, err)
	}
	invalid := strings.Replace(doc, `"exact:Name"`, `"has space"`, 1)
	if _, _, err := Parse([]byte(invalid)); !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "metadata.annotations.nines.objective/name: slo: invalid config: Name") {
		t.Errorf("invalid annotated name: %v", err)
	}
}
