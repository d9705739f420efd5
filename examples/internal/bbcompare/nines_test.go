package main

import (
	"context"
	"testing"
)

// The harness without blackbox_exporter: each case, probed by nines
// through the target, has the outcome the comparison expects of both
// probers (a redirect followed on a second connection, the 500 a failure,
// the CA trusted, the host name found). Timings are not asserted.
func TestNinesSideOutcomes(t *testing.T) {
	tg, err := startTarget()
	if err != nil {
		t.Fatal(err)
	}
	defer tg.close()
	cases := tg.cases()
	p, err := newNinesProber(cases, tg.roots)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]outcome{
		"plain":    {success: true, status: 200, conns: 1},
		"tls":      {success: true, status: 200, conns: 1},
		"tls-slow": {success: true, status: 200, conns: 1},
		"slow":     {success: true, status: 200, conns: 1},
		"redirect": {success: true, status: 200, redirects: 1, conns: 2},
		"error":    {success: false, status: 500, conns: 1},
		"hostname": {success: true, status: 200, conns: 1},
	}
	if len(cases) != len(want) {
		t.Fatalf("%d cases, want %d", len(cases), len(want))
	}
	for _, c := range cases {
		before := tg.conns.Load()
		o, err := p.probe(context.Background(), c.name)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		o.conns = int(tg.conns.Load() - before)
		if o.outcome != want[c.name] {
			t.Errorf("%s: outcome %v, want %v", c.name, o.outcome, want[c.name])
		}
	}
}
