package logpattern

import (
	"fmt"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"

	"github.com/nines-sre/nines/internal/metrictest"
)

var testInstant = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func TestMetricsBoundedCardinality(t *testing.T) {
	p := metrictest.NewProvider(t)
	m := mustNew(t, WithMeterProvider(p), WithTopTemplates(2))
	defer m.Close()
	for i := 0; i < 5; i++ {
		m.Observe("hot path line number one")
	}
	for i := 0; i < 3; i++ {
		m.Observe("warm path line two")
	}
	for i := 0; i < 10; i++ {
		m.Observe(fmt.Sprintf("distinct%c event", 'a'+i)) // ten templates
	}
	c := p.Collect(t)
	met, ok := c.Metric("log.template.records")
	if !ok {
		t.Fatal("no log.template.records")
	}
	if len(met.Points) != 3 {
		t.Fatalf("%d series, want 2 + other: %v", len(met.Points), c.Lines())
	}
	// granted at the first collection: counts start there, the lines
	// before stay under other, so every series is monotonic
	if got := c.Total("log.template.records"); got != 18 {
		t.Fatalf("total %v, want 18", got)
	}
	m.Observe("hot path line number one")
	c = p.Collect(t)
	hot := hashString("hot path line number one").String()
	pt, ok := c.Point("log.template.records", attribute.String("log.template.id", hot))
	if !ok || pt.Value != 1 {
		t.Fatalf("hot series %+v %v: %v", pt, ok, c.Lines())
	}
	if got := c.Total("log.template.count"); got != 12 {
		t.Fatalf("log.template.count %v, want 12", got)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestMetricsGolden locks names, kinds, units and attributes (the root
// package documentation's telemetry schema: log.template.records,
// log.template.count).
func TestMetricsGolden(t *testing.T) {
	p := metrictest.NewProvider(t)
	m := mustNew(t, WithMeterProvider(p), WithTopTemplates(1))
	defer m.Close()
	m.Observe("disk full on sda")
	m.Observe("disk full on sda")
	p.Collect(t) // grants the one series to the disk template
	m.Observe("disk full on sda")
	m.Observe("fan 3 stopped")
	c := p.Collect(t)
	if got := c.Scopes(); len(got) != 1 || got[0] != "github.com/nines-sre/nines/logpattern" {
		t.Fatalf("scopes %q", got)
	}
	metrictest.Golden(t, c.Lines(), `
		log.template.count gauge "" {} 2
		log.template.records counter "" {log.template.id=`+hashString("disk full on sda").String()+`} 1
		log.template.records counter "" {log.template.id=other} 3
	`)
}
