package logpattern

import (
	"slices"
	"testing"
)

// A list of values is one parameter whatever its length; shorter runs keep
// their positions.
func TestValueRunIsOneToken(t *testing.T) {
	m := mustNew(t)
	a := m.Observe("probe found channels 1 6 11 36 40 on radio")
	b := m.Observe("probe found channels 1 6 on radio")
	c := m.Observe("probe found channels 1 6 11 36 40 44 48 52 56 60 64 on radio")
	if a.Template != "probe found channels <*> on radio" || c.ID != a.ID || c.Created {
		t.Fatalf("%+v / %+v", a, c)
	}
	if b.ID == a.ID || b.Template != "probe found channels <*> <*> on radio" {
		t.Fatalf("a run shorter than %d joined or lost its positions: %+v", minRun, b)
	}
	got, ok := m.Params(nil, a.ID, "probe found channels 2 7 12 on radio")
	if want := []string{"2 7 12"}; !ok || !slices.Equal(got, want) {
		t.Fatalf("Params = %q, %v; want %q", got, ok, want)
	}
	got, ok = m.Params(nil, b.ID, "probe found channels 2 7 on radio")
	if want := []string{"2", "7"}; !ok || !slices.Equal(got, want) {
		t.Fatalf("Params = %q, %v; want %q", got, ok, want)
	}
}
