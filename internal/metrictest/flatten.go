package metrictest

import (
	"fmt"
	"slices"
	"strings"

	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

func flatten(rm metricdata.ResourceMetrics) Collection {
	c := Collection{Raw: rm}
	for _, sm := range rm.ScopeMetrics {
		for _, md := range sm.Metrics {
			m := Metric{Scope: sm.Scope.Name, Name: md.Name, Description: md.Description, Unit: md.Unit}
			switch d := md.Data.(type) {
			case metricdata.Sum[int64]:
				m.Kind, m.Int = sumKind(d.IsMonotonic, d.Temporality), true
				for _, p := range d.DataPoints {
					m.Points = append(m.Points, Point{Attrs: p.Attributes, Value: float64(p.Value)})
				}
			case metricdata.Sum[float64]:
				m.Kind = sumKind(d.IsMonotonic, d.Temporality)
				for _, p := range d.DataPoints {
					m.Points = append(m.Points, Point{Attrs: p.Attributes, Value: p.Value})
				}
			case metricdata.Gauge[int64]:
				m.Kind, m.Int = Gauge, true
				for _, p := range d.DataPoints {
					m.Points = append(m.Points, Point{Attrs: p.Attributes, Value: float64(p.Value)})
				}
			case metricdata.Gauge[float64]:
				m.Kind = Gauge
				for _, p := range d.DataPoints {
					m.Points = append(m.Points, Point{Attrs: p.Attributes, Value: p.Value})
				}
			case metricdata.Histogram[float64]:
				m.Kind = withTemporality(Histogram, d.Temporality)
				for _, p := range d.DataPoints {
					m.Points = append(m.Points, Point{Attrs: p.Attributes, Value: p.Sum, Count: p.Count})
				}
			case metricdata.Histogram[int64]:
				m.Kind, m.Int = withTemporality(Histogram, d.Temporality), true
				for _, p := range d.DataPoints {
					m.Points = append(m.Points, Point{Attrs: p.Attributes, Value: float64(p.Sum), Count: p.Count})
				}
			default:
				m.Kind = fmt.Sprintf("unsupported %T", d)
			}
			slices.SortFunc(m.Points, func(a, b Point) int { return strings.Compare(attrs(a.Attrs), attrs(b.Attrs)) })
			c.Metrics = append(c.Metrics, m)
		}
	}
	slices.SortFunc(c.Metrics, func(a, b Metric) int {
		if n := strings.Compare(a.Scope, b.Scope); n != 0 {
			return n
		}
		return strings.Compare(a.Name, b.Name)
	})
	return c
}

func sumKind(monotonic bool, t metricdata.Temporality) string {
	if monotonic {
		return withTemporality(Counter, t)
	}
	return withTemporality(UpDown, t)
}

func withTemporality(kind string, t metricdata.Temporality) string {
	if t == metricdata.DeltaTemporality {
		return kind + " delta"
	}
	return kind
}
