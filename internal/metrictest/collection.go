package metrictest

import (
	"fmt"
	"slices"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// Kinds of instrument data, as they read in Lines and Schema.
const (
	Counter   = "counter"   // monotonic sum
	UpDown    = "updown"    // non-monotonic sum
	Gauge     = "gauge"     // last value
	Histogram = "histogram" // explicit-bucket histogram
)

// Collection is one collection, sorted by scope then metric name.
type Collection struct {
	Metrics []Metric
	Raw     metricdata.ResourceMetrics // for what the flattened form omits
}

// Metric is one instrument's data.
type Metric struct {
	Scope       string
	Name        string
	Description string
	Unit        string
	// Kind is Counter, UpDown, Gauge or Histogram, with " delta" appended
	// for delta temporality; other data types read "unsupported TYPE".
	Kind   string
	Int    bool    // the instrument records int64 values
	Points []Point // sorted by attributes
}

// Point is one data point. Value is the sum or gauge value, or a
// histogram's sum; Count is a histogram's count (0 otherwise).
type Point struct {
	Attrs attribute.Set
	Value float64
	Count uint64
}

// Metric returns the metric named name (in any scope).
func (c Collection) Metric(name string) (Metric, bool) {
	for _, m := range c.Metrics {
		if m.Name == name {
			return m, true
		}
	}
	return Metric{}, false
}

// Point returns the point of metric name whose attributes are exactly kvs.
func (c Collection) Point(name string, kvs ...attribute.KeyValue) (Point, bool) {
	m, ok := c.Metric(name)
	if !ok {
		return Point{}, false
	}
	want := attribute.NewSet(kvs...)
	for _, p := range m.Points {
		if p.Attrs.Equals(&want) {
			return p, true
		}
	}
	return Point{}, false
}

// Total returns the sum of Value over the points of metric name.
func (c Collection) Total(name string) float64 {
	m, _ := c.Metric(name)
	var total float64
	for _, p := range m.Points {
		total += p.Value
	}
	return total
}

// Scopes returns the instrumentation scope names present, sorted.
func (c Collection) Scopes() []string {
	var s []string
	for _, m := range c.Metrics {
		if len(s) == 0 || s[len(s)-1] != m.Scope {
			s = append(s, m.Scope)
		}
	}
	return s
}

// Lines renders every point as `NAME KIND "UNIT" {k=v,...} VALUE`, sorted;
// a histogram's VALUE reads "count=N sum=S". Floats print with %.6g so a
// golden does not hang on the last bits.
func (c Collection) Lines() []string {
	var lines []string
	for _, m := range c.Metrics {
		for _, p := range m.Points {
			lines = append(lines, fmt.Sprintf("%s %s %q %s %s", m.Name, m.Kind, m.Unit, attrs(p.Attrs), m.value(p)))
		}
	}
	slices.Sort(lines)
	return lines
}

// Schema renders every metric as `NAME KIND "UNIT" [KEY ...]`, sorted, with
// the union of the attribute keys of its points: the telemetry contract
// without the values.
func (c Collection) Schema() []string {
	var lines []string
	for _, m := range c.Metrics {
		var keys []string
		for _, p := range m.Points {
			for _, kv := range p.Attrs.ToSlice() {
				if !slices.Contains(keys, string(kv.Key)) {
					keys = append(keys, string(kv.Key))
				}
			}
		}
		slices.Sort(keys)
		lines = append(lines, fmt.Sprintf("%s %s %q [%s]", m.Name, m.Kind, m.Unit, strings.Join(keys, " ")))
	}
	slices.Sort(lines)
	return lines
}

func (m Metric) value(p Point) string {
	switch {
	case strings.HasPrefix(m.Kind, Histogram):
		return fmt.Sprintf("count=%d sum=%.6g", p.Count, p.Value)
	case m.Int:
		return fmt.Sprintf("%d", int64(p.Value))
	default:
		return fmt.Sprintf("%.6g", p.Value)
	}
}

func attrs(s attribute.Set) string {
	kvs := s.ToSlice()
	parts := make([]string, len(kvs))
	for i, kv := range kvs {
		parts[i] = string(kv.Key) + "=" + kv.Value.Emit()
	}
	return "{" + strings.Join(parts, ",") + "}"
}
