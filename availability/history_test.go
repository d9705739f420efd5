package availability

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

// The stated memory figures are those of the types: a change to either
// must update the figure the docs give.
func TestHistoryFixedMemory(t *testing.T) {
	if got := int(reflect.TypeFor[histSeries]().Size()); got != historyBytesPerSeries {
		t.Errorf("histSeries samples: %d bytes, stated %d", got, historyBytesPerSeries)
	}
	if got := 2 * int(reflect.TypeFor[histSeries]().Size()); got != historyBytesPerSLO {
		t.Errorf("SLO history samples: %d bytes, stated %d", got, historyBytesPerSLO)
	}
	if got := int(reflect.TypeFor[changeRing]().Size()); got != historyBytesPerSubject {
		t.Errorf("changeRing: %d bytes, stated %d", got, historyBytesPerSubject)
	}
	// The new log templates are one more ring, held by value.
	if f, ok := reflect.TypeFor[history]().FieldByName("newTemplates"); !ok || int(f.Type.Size()) != historyBytesPerSubject {
		t.Errorf("history.newTemplates: %v, want a changeRing of %d bytes", f.Type, historyBytesPerSubject)
	}
}

// A thousand new templates keep the last historyChanges, oldest first;
// other anomaly events are not new templates.
func TestHistoryNewTemplatesBounded(t *testing.T) {
	h := newHistory(time.Second)
	t0 := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	for i := range 1000 {
		h.event(Event{Time: t0.Add(time.Duration(i) * time.Second), Kind: EventAnomaly,
			Subject: fmt.Sprintf("%s%016x", LogTemplateSeries, i), Message: fmt.Sprintf("%s%s%016x: text", newTemplatePrefix, LogTemplateSeries, i)})
		h.event(Event{Time: t0, Kind: EventAnomaly, Subject: LogTemplateSeries + "0", Message: "log template rate anomaly on ..."})
	}
	got := h.newTemplatesSeen()
	if len(got) != historyChanges || got[0].state != fmt.Sprintf("%s%016x", LogTemplateSeries, 1000-historyChanges) ||
		!got[len(got)-1].at.Equal(t0.Add(999*time.Second)) {
		t.Fatalf("%d new templates, first %v, last %v", len(got), got[0], got[len(got)-1])
	}
}

// A day of one-second samples fits in historyPoints samples that still
// span the day, oldest first, evenly stepped.
func TestHistSeriesDownsamples(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	s := newHistSeries(time.Second, 24*time.Hour)
	for i := range 2 * 24 * 3600 {
		s.add(t0.Add(time.Duration(i)*time.Second), float64(i), 0)
	}
	pts := s.points()
	if len(pts) > historyPoints || len(pts) < historyPoints/2 {
		t.Fatalf("%d points, want between %d and %d", len(pts), historyPoints/2, historyPoints)
	}
	first, last := time.Unix(0, pts[0].t), time.Unix(0, pts[len(pts)-1].t)
	if span := last.Sub(first); span < 12*time.Hour || span > 24*time.Hour {
		t.Errorf("span %v, want half a day to a day", span)
	}
	if want := t0.Add(48*time.Hour - time.Hour); last.Before(want) {
		t.Errorf("last sample %v, want the last hour (after %v)", last, want)
	}
	for i := 1; i < len(pts); i++ {
		if pts[i].t <= pts[i-1].t || pts[i].v[0] <= pts[i-1].v[0] {
			t.Fatalf("sample %d not after sample %d", i, i-1)
		}
	}
}

// A series without span keeps the last historyPoints samples.
func TestHistSeriesKeepsRecent(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	s := newHistSeries(time.Second, 0)
	for i := range 1000 {
		s.add(t0.Add(time.Duration(i)*time.Second), float64(i), 0)
		s.add(t0.Add(time.Duration(i)*time.Second+time.Millisecond), -1, 0) // not due: dropped
	}
	pts := s.points()
	if len(pts) != historyPoints || pts[0].v[0] != float32(1000-historyPoints) || pts[len(pts)-1].v[0] != 999 {
		t.Fatalf("%d points from %v to %v, want %d from %d to 999", len(pts), pts[0].v[0], pts[len(pts)-1].v[0],
			historyPoints, 1000-historyPoints)
	}
}

func TestChangeRingOrder(t *testing.T) {
	var r changeRing
	t0 := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	for i := range historyChanges + 5 {
		r.add(stateChange{at: t0.Add(time.Duration(i) * time.Second), state: "s"})
	}
	v := r.values()
	if len(v) != historyChanges || !v[0].at.Equal(t0.Add(5*time.Second)) || !v[len(v)-1].at.Equal(t0.Add(time.Duration(historyChanges+4)*time.Second)) {
		t.Fatalf("%d changes from %v to %v", len(v), v[0].at, v[len(v)-1].at)
	}
}

// The scenario's breaker and health changes, series values and flags, and
// SLO samples reach the history through the tick and the timeline.
func TestHistoryFedByScenario(t *testing.T) {
	m, _ := scenario(t)
	if c := m.hist.changesOf("db"); len(c) == 0 || c[len(c)-1].state != "fail" {
		t.Errorf("db changes %v, want the last one fail", c)
	}
	pts := m.hist.seriesPoints("route:GET:fail:error_ratio")
	if len(pts) == 0 || pts[len(pts)-1].v[0] != 1 || pts[len(pts)-1].v[1] != 1 {
		t.Errorf("route:GET:fail:error_ratio samples %v, want the last one 1 and flagged", pts)
	}
	budget, burn := m.hist.sloPoints("route:GET:fail:availability")
	if len(budget) == 0 || len(burn) == 0 || burn[len(burn)-1].v[0] <= 1 {
		t.Errorf("SLO samples budget %v burn %v, want a burn rate above 1", budget, burn)
	}
}

// A change's state is the state it changes to, never the reason of a
// synthetic check's failure (a detail).
func TestChangeState(t *testing.T) {
	for _, c := range []struct{ msg, want string }{
		{"check db: pass -> fail", "fail"},
		{"breaker client:pay: closed -> half-open", "half-open"},
		{"synthetic check shop: timeout: run timed out after 30s", "timeout"},
		{"synthetic check shop: fail: step checkout: body does not match \"a -> b\"", "fail"},
		{"synthetic check shop passes again", "pass"},
		{"synthetic check shop: fail: step x: header Y = \"it passes again\", want it passes again", "fail"},
		{"synthetic check shop", "changed"},
		{"something else: secret=xyz", "changed"},
	} {
		if got := changeState(c.msg); got != c.want {
			t.Errorf("changeState(%q) = %q, want %q", c.msg, got, c.want)
		}
	}
}
