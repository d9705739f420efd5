package availability

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nines-sre/nines/remediate"
	"github.com/nines-sre/nines/remediate/breaker"
)

// Declared routes and dependencies have their SLOs from New on, with the
// defaults or their override ("no SLO" included).
func TestDeclaredObjectives(t *testing.T) {
	m, _, _ := newTestMonitor(t,
		WithRouteObjectives(RouteObjectives{Availability: 0.999, Latency: 250 * time.Millisecond}),
		WithRoutes("GET /products/{id}", "GET /healthz", "POST /orders"),
		WithObjectivesFor("GET /healthz", RouteObjectives{}),
		WithObjectivesFor("POST /orders", RouteObjectives{Availability: 0.99}),
		WithObjectivesFor("inventory", RouteObjectives{Latency: time.Second, LatencyTarget: 0.95}),
		WithDependencies(Dependency{Name: "inventory", Hosts: []string{"inventory.internal"}}))
	var got []string
	for _, o := range m.Objectives() {
		got = append(got, o.Name)
		switch o.Name {
		case "route:POST:orders:availability":
			if o.Target != 0.99 {
				t.Errorf("%s target %v, want the override 0.99", o.Name, o.Target)
			}
		case "client:inventory:latency":
			if o.Target != 0.95 || o.Latency != time.Second {
				t.Errorf("%s: %v within %v, want the override 0.95 within 1s", o.Name, o.Target, o.Latency)
			}
		}
	}
	want := []string{"client:inventory:latency", "route:GET:products.id:availability", "route:GET:products.id:latency",
		"route:POST:orders:availability"}
	if !slices.Equal(got, want) {
		t.Fatalf("Objectives() = %q, want %q", got, want)
	}
	// The declared host's traffic is the dependency's; the breaker is
	// reachable by the dependency's name.
	client := &http.Client{Transport: m.RoundTripper(roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
	}))}
	resp, err := client.Get("http://Inventory.Internal/stock/1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if st := m.SLOs().Get("client:inventory:latency").Status(); st.Good != 1 {
		t.Errorf("dependency SLO counted %d good, want 1", st.Good)
	}
	if _, ok := m.Breaker("inventory"); !ok {
		t.Error("no breaker named inventory")
	}
	if _, ok := m.Breaker("inventory.internal"); ok {
		t.Error("a declared host has a breaker of its own")
	}
}

// A policy targets a dependency's breaker by the dependency's name.
func TestPolicyTargetsDependencyBreaker(t *testing.T) {
	var m *Monitor
	engine, err := remediate.NewEngine(remediate.Config{Policies: []remediate.Policy{{
		Name: "open-on-page",
		When: remediate.Match{Kinds: []remediate.SignalKind{remediate.SignalSLOAlert}},
		Target: func(s remediate.Signal) string {
			// "client:inventory:availability" is about "inventory".
			if rest, ok := strings.CutPrefix(s.Source, "client:"); ok {
				name, _, _ := strings.Cut(rest, ":")
				return name
			}
			return ""
		},
		Action: remediate.Func("breaker_forced_open", func(_ context.Context, target string, _ remediate.Signal) error {
			b, ok := m.Breaker(target)
			if !ok {
				return remediate.ErrUnknownTarget
			}
			b.SetMode(breaker.ModeForcedOpen)
			return nil
		}),
	}}}, remediate.WithAuditLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	m, _, clk := newTestMonitor(t, WithEngine(engine), WithRouteObjectives(RouteObjectives{Availability: 0.999}),
		WithDependencies(Dependency{Name: "inventory", Hosts: []string{"inventory.internal"}}),
		// The breaker stays closed while the SLO gathers enough events
		// for the low-traffic guard to let the page through.
		WithClientBreakers(breaker.Config{ConsecutiveFailures: 1000}))
	client := &http.Client{Transport: m.RoundTripper(roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 503, Body: http.NoBody, Request: r}, nil
	}))}
	for range 100 {
		clk.Add(time.Second)
		m.TickAt(clk.Now())
		if resp, err := client.Get("http://inventory.internal/"); err == nil {
			resp.Body.Close()
		}
	}
	clk.Add(time.Minute)
	m.TickAt(clk.Now())
	b, _ := m.Breaker("inventory")
	if b.Mode() != breaker.ModeForcedOpen {
		t.Fatalf("breaker mode %v, want forced open; audit %+v", b.Mode(), engine.Records())
	}
	if _, err := client.Get("http://inventory.internal/"); !errors.Is(err, breaker.ErrOpen) {
		t.Errorf("call through the forced-open breaker: %v, want breaker.ErrOpen", err)
	}
}

// Invalid declarations fail at New, naming the option and the value.
func TestDeclaredInvalid(t *testing.T) {
	for _, tc := range []struct {
		opts []Option
		want string
	}{
		{[]Option{WithRoutes("GET /a", "GET /a")}, `WithRoutes[1] = "GET /a"`},
		{[]Option{WithRoutes("GET a")}, `WithRoutes[0] = "GET a"`},
		{[]Option{WithDependencies(Dependency{})}, `WithDependencies[0].Name = ""`},
		{[]Option{WithDependencies(Dependency{Name: "in ventory"})}, `WithDependencies[0].Name = "in ventory"`},
		{[]Option{WithDependencies(Dependency{Name: "a"}, Dependency{Name: "a"})}, `WithDependencies[1].Name = "a"`},
		{[]Option{WithDependencies(Dependency{Name: "a", Hosts: []string{"h"}}, Dependency{Name: "b", Hosts: []string{"H"}})},
			`WithDependencies[1].Hosts[0] = "h"`},
		{[]Option{WithDependencies(Dependency{Name: "a", Hosts: []string{"http://h"}})}, `WithDependencies[0].Hosts[0] = "http://h"`},
		{[]Option{WithObjectivesFor("x", RouteObjectives{Availability: 2})}, `WithObjectivesFor("x").Availability = 2`},
		{[]Option{WithRoutes("GET /x"), WithObjectivesFor("GET /x", RouteObjectives{LatencyTarget: 0.9})},
			`WithObjectivesFor("GET /x").LatencyTarget = 0.9: is set without a Latency`},
		{[]Option{WithObjectivesFor("x", RouteObjectives{}), WithObjectivesFor("x", RouteObjectives{})}, `WithObjectivesFor = "x"`},
		{[]Option{WithMaxRoutes(1), WithRoutes("/a", "/b")}, "WithMaxRoutes = 1"},
	} {
		_, err := New(tc.opts...)
		if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New: %v, want ErrInvalidConfig naming %s", err, tc.want)
		}
	}
}

// A route declared twice, or in conflict with an earlier one, fails New
// with one line naming both WithRoutes indices and patterns, and none of
// net/http's "registered at" source lines. Other invalid patterns keep
// the mux's message.
func TestWithRoutesConflicts(t *testing.T) {
	const prefix = "availability: invalid config: "
	for _, tc := range []struct {
		name string
		opts []Option
		want string // the error after prefix, up to net/http's words; "" when valid
		how  string // net/http's words on how the patterns conflict, if any
	}{
		{"valid", []Option{WithRoutes("GET /x", "POST /x", "/x/", "GET /x/{id}", "HEAD /x")}, "", ""},
		{"exact duplicate", []Option{WithRoutes("GET /x", "GET /x")},
			`WithRoutes[1] = "GET /x": duplicates WithRoutes[0]`, ""},
		{"duplicate further on", []Option{WithRoutes("/a", "GET /b", "/a")},
			`WithRoutes[2] = "/a": duplicates WithRoutes[0]`, ""},
		{"duplicate across options", []Option{WithRoutes("GET /x"), WithRoutes("/y", "GET /x")},
			`WithRoutes[2] = "GET /x": duplicates WithRoutes[0]`, ""},
		{"same requests", []Option{WithRoutes("/c", "GET /x/{a}", "/d", "GET /x/{b}")},
			`WithRoutes[3] = "GET /x/{b}": conflicts with WithRoutes[1] = "GET /x/{a}": `, "matches the same requests as"},
		{"same requests, other spacing", []Option{WithRoutes("GET /x", "GET  /x")},
			`WithRoutes[1] = "GET  /x": conflicts with WithRoutes[0] = "GET /x": `, "matches the same requests as"},
		{"more methods, more specific path", []Option{WithRoutes("GET /a/{x}", "/a/b")},
			`WithRoutes[1] = "/a/b": conflicts with WithRoutes[0] = "GET /a/{x}": `, "more specific path"},
		{"overlapping paths", []Option{WithRoutes("/a/{x}", "/{y}/b")},
			`WithRoutes[1] = "/{y}/b": conflicts with WithRoutes[0] = "/a/{x}": `, "neither is more specific than the other"},
		{"invalid pattern", []Option{WithRoutes("/a", "GET a")},
			`WithRoutes[1] = "GET a": parsing "GET a": `, "host/path missing /"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := New(tc.opts...)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				_ = m.Shutdown(context.Background())
				return
			}
			if err == nil || !errors.Is(err, ErrInvalidConfig) {
				t.Fatalf("New: %v, want an error wrapping ErrInvalidConfig", err)
			}
			msg := err.Error()
			if rest, ok := strings.CutPrefix(msg, prefix+tc.want); !ok || tc.how == "" && rest != "" || !strings.Contains(rest, tc.how) {
				t.Errorf("New: %s\nwant %s%s%s", msg, prefix, tc.want, tc.how)
			}
			if strings.Contains(msg, "\n") || strings.Contains(msg, "registered at") || strings.Contains(msg, ".go:") {
				t.Errorf("error is not one line free of source locations: %q", msg)
			}
		})
	}
}
