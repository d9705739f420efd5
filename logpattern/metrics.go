package logpattern

import (
	"context"
	"slices"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

const scope = "github.com/nines-sre/nines/logpattern"

// seriesState is one granted log.template.id series: acc is its
// cumulative value, seen the template's count when last read.
type seriesState struct {
	acc, seen uint64
	attrs     metric.MeasurementOption
}

func (m *Miner) registerMetrics(mp metric.MeterProvider) error {
	meter := mp.Meter(scope)
	records, err := meter.Int64ObservableCounter("log.template.records",
		metric.WithDescription("Log records mined, by template (the top templates by ID, then other)."))
	if err != nil {
		return err
	}
	count, err := meter.Int64ObservableGauge("log.template.count",
		metric.WithDescription("Templates currently known."))
	if err != nil {
		return err
	}
	m.seriesSt = map[ID]*seriesState{}
	other := metric.WithAttributeSet(attribute.NewSet(attribute.String("log.template.id", "other")))
	reg, err := meter.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		m.mu.Lock()
		defer m.mu.Unlock()
		m.grantSeries()
		var granted uint64
		for id, s := range m.seriesSt {
			if t := m.byID[id]; t != nil {
				if t.count >= s.seen {
					s.acc += t.count - s.seen
				} else { // a new template under the same ID
					s.acc += t.count
				}
				s.seen = t.count
			}
			granted += s.acc
			o.ObserveInt64(records, int64(s.acc), s.attrs)
		}
		o.ObserveInt64(records, int64(m.stats.Lines-min(granted, m.stats.Lines)), other)
		o.ObserveInt64(count, int64(len(m.byID)))
		return nil
	}, records, count)
	if err != nil {
		return err
	}
	m.metricReg = reg
	return nil
}

// grantSeries gives free series slots to the templates with the most
// lines. A granted series keeps its ID for the miner's life (so every
// series is a monotonic counter starting at its grant), which bounds the
// series at WithTopTemplates plus "other".
func (m *Miner) grantSeries() {
	free := m.cfg.topN - len(m.seriesSt)
	if free <= 0 {
		return
	}
	var cands []*template
	for _, t := range m.byID {
		if m.seriesSt[t.id] == nil && t.count > 0 {
			cands = append(cands, t)
		}
	}
	slices.SortFunc(cands, func(a, b *template) int {
		if a.count != b.count {
			if a.count > b.count {
				return -1
			}
			return 1
		}
		if a.id < b.id {
			return -1
		}
		return 1
	})
	for _, t := range cands[:min(free, len(cands))] {
		// lines before the grant stay under "other"
		m.seriesSt[t.id] = &seriesState{seen: t.count,
			attrs: metric.WithAttributeSet(attribute.NewSet(attribute.String("log.template.id", t.id.String())))}
	}
}
