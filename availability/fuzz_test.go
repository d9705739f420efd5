package availability

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/nines-sre/nines/slo"
)

// FuzzMethodIndex: a method keeps its own http.request.method value exactly
// when it is one of the known methods (case-sensitive); anything else is
// methodOther ("_OTHER").
func FuzzMethodIndex(f *testing.F) {
	for _, s := range []string{"GET", "get", "BREW", "", "PATCH", "GET ", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, m string) {
		i := methodIndex(m)
		if i == methodOther {
			for _, k := range httpMethods {
				if m == k {
					t.Fatalf("known method %q mapped to _OTHER", m)
				}
			}
			return
		}
		if i < 0 || i > methodOther || httpMethods[i] != m {
			t.Fatalf("methodIndex(%q) = %d", m, i)
		}
	})
}

func FuzzEndpointNames(f *testing.F) {
	for _, s := range []string{"GET /users/{id}", "/pkg.Svc/Method", "", "example.com/", "héllo wörld", strings.Repeat("x", 300)} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, name string, client bool) {
		kind := ServerEndpoint
		if client {
			kind = ClientEndpoint
		}
		var ids idSet
		id := ids.unique(kind, name)
		if again := ids.unique(kind, name); again == id {
			t.Fatalf("ID %q handed out twice", id)
		}
		// The longest ID is the spelling plus "-9999" (idSet).
		base := kind.prefix() + ":" + spellID(name) + "-9999"
		for _, o := range (RouteObjectives{Availability: 0.99, Latency: time.Second}).objectives(base) {
			if err := o.Validate(); err != nil {
				t.Fatalf("name %q of endpoint %q: %v", o.Name, name, err)
			}
		}
		if r := httpRoute(name); r != "" && (!strings.HasPrefix(r, "/") || !strings.HasSuffix(name, r)) {
			t.Fatalf("httpRoute(%q) = %q", name, r)
		}
	})
}

func FuzzRouteObjectives(f *testing.F) {
	f.Add(0.999, int64(time.Second), 0.99, int64(0))
	f.Add(1.0, int64(-1), 0.0, int64(time.Hour))
	f.Add(math.NaN(), int64(0), math.Inf(1), int64(-5))
	f.Fuzz(func(t *testing.T, avail float64, lat int64, latTarget float64, rolling int64) {
		o := RouteObjectives{Availability: avail, Latency: time.Duration(lat), LatencyTarget: latTarget,
			Window: slo.Window{Rolling: time.Duration(rolling)}}
		if err := o.validate("RouteObjectives"); err != nil {
			if !strings.HasPrefix(err.Error(), "availability: ") {
				t.Fatalf("error %q lacks the package prefix", err)
			}
			return
		}
		for _, obj := range o.objectives("route:x") {
			if _, err := slo.New(obj); err != nil {
				t.Fatalf("validated objectives %+v rejected by slo.New: %v", o, err)
			}
		}
	})
}
