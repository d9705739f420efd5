package admit

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// guardCollect renders every data point as "name kind unit {attrs} value",
// sorted, so a golden test locks names, kinds, units and attributes.
func guardCollect(t *testing.T, r *sdkmetric.ManualReader) []string {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := r.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, sm := range rm.ScopeMetrics {
		if sm.Scope.Name != meterName {
			t.Errorf("scope %q, want %q", sm.Scope.Name, meterName)
		}
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Gauge[int64]:
				for _, p := range d.DataPoints {
					lines = append(lines, fmt.Sprintf("%s gauge %q %s %d", m.Name, m.Unit, guardAttrString(p.Attributes.ToSlice()), p.Value))
				}
			case metricdata.Sum[int64]:
				kind := "counter"
				if !d.IsMonotonic {
					kind = "updown"
				}
				for _, p := range d.DataPoints {
					lines = append(lines, fmt.Sprintf("%s %s %q %s %d", m.Name, kind, m.Unit, guardAttrString(p.Attributes.ToSlice()), p.Value))
				}
			default:
				t.Errorf("%s: unexpected data %T", m.Name, m.Data)
			}
		}
	}
	slices.Sort(lines)
	return lines
}

func guardAttrString(kvs []attribute.KeyValue) string {
	parts := make([]string, len(kvs))
	for i, kv := range kvs {
		parts[i] = string(kv.Key) + "=" + kv.Value.Emit()
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func guardCheckGolden(t *testing.T, got []string, want string) {
	t.Helper()
	w := strings.Split(strings.TrimSpace(want), "\n")
	for i := range w {
		w[i] = strings.TrimSpace(w[i])
	}
	if !slices.Equal(got, w) {
		t.Errorf("metrics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(w, "\n"))
	}
}
