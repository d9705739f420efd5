package availability

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nines-sre/nines/detect"
	"github.com/nines-sre/nines/remediate/breaker"
	"github.com/nines-sre/nines/remediate/eject"
)

// spreadDialer stands for a name that resolves to many addresses: each
// new connection to "inventory.internal" goes to the next backend.
type spreadDialer struct {
	backends []string
	next     atomic.Uint64
}

func (d *spreadDialer) dial(ctx context.Context, network, _ string) (net.Conn, error) {
	addr := d.backends[d.next.Add(1)%uint64(len(d.backends))]
	var nd net.Dialer
	return nd.DialContext(ctx, network, addr)
}

func newReplicaStats(t testing.TB) *eject.Stats {
	t.Helper()
	s, err := eject.NewStats(eject.StatsConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func replicaSteps(s *eject.Stats) map[string]eject.ReplicaStep {
	out := map[string]eject.ReplicaStep{}
	for _, st := range s.Step(nil) {
		out[st.Replica] = st
	}
	return out
}

// Three replicas behind one name on real connections: each call is
// recorded under the connection's remote address, the failing replica's
// calls as bad, whether the caller closes the body, reads it to the end
// without closing it, or has not touched it yet when the call is counted.
func TestRoundTripperAttributesReplicas(t *testing.T) {
	var backends []string
	for i := range 3 {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if i == 2 {
				w.WriteHeader(http.StatusServiceUnavailable)
			}
			_, _ = io.WriteString(w, "ok")
		}))
		t.Cleanup(srv.Close)
		backends = append(backends, strings.TrimPrefix(srv.URL, "http://"))
	}
	d := &spreadDialer{backends: backends}
	// A connection per request, so that the dialer spreads them.
	base := &http.Transport{DialContext: d.dial, DisableKeepAlives: true}
	t.Cleanup(base.CloseIdleConnections)
	stats := newReplicaStats(t)
	m, _, _ := newTestMonitor(t, WithDependencies(Dependency{Name: "inventory", Hosts: []string{"inventory.internal"}, Replicas: stats}))
	client := &http.Client{Transport: m.RoundTripper(base)}
	var unread []io.ReadCloser
	for i := range 30 {
		resp, err := client.Get("http://inventory.internal/x")
		if err != nil {
			t.Fatal(err)
		}
		switch i % 3 {
		case 0:
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		case 1: // read to the end, never closed
			_, _ = io.Copy(io.Discard, resp.Body)
		case 2: // not read yet
			unread = append(unread, resp.Body)
		}
	}
	got := replicaSteps(stats)
	for _, u := range unread {
		u.Close()
	}
	if len(got) != 3 {
		t.Fatalf("replicas %v, want the three backends", got)
	}
	for i, b := range backends {
		want := uint64(0)
		if i == 2 {
			want = 10
		}
		if s := got[b]; s.Calls != 10 || s.Bad != want {
			t.Errorf("%s: %d calls, %d bad; want 10 and %d", b, s.Calls, s.Bad, want)
		}
	}
	if e := m.Endpoint(ClientEndpoint, "inventory"); e.requests() != 30 {
		t.Errorf("dependency counted %d requests, want 30", e.requests())
	}
	if n := stats.Unattributed(); n != 0 {
		t.Errorf("Unattributed = %d, want 0", n)
	}
}

// A call that fails before a connection is chosen has no replica: it is
// counted as unattributed (and bad for the dependency); own traffic is
// recorded nowhere.
func TestRoundTripperReplicaUnattributedAndOwnTraffic(t *testing.T) {
	refuse := func(context.Context, string, string) (net.Conn, error) { return nil, errors.New("connection refused") }
	base := &http.Transport{DialContext: refuse}
	stats := newReplicaStats(t)
	m, _, _ := newTestMonitor(t, WithDependencies(Dependency{Name: "inventory", Hosts: []string{"inventory.internal"}, Replicas: stats}))
	rt := m.RoundTripper(base)
	req, _ := http.NewRequest(http.MethodGet, "http://inventory.internal/", nil)
	if _, err := rt.RoundTrip(req); err == nil {
		t.Fatal("dial refused: no error")
	}
	if n := stats.Unattributed(); n != 1 {
		t.Fatalf("Unattributed = %d, want 1", n)
	}
	if e := m.Endpoint(ClientEndpoint, "inventory"); e.bad.Load() != 1 {
		t.Fatalf("dependency bad = %d, want 1", e.bad.Load())
	}

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	own := m.RoundTripper(&http.Transport{DialContext: (&spreadDialer{backends: []string{strings.TrimPrefix(srv.URL, "http://")}}).dial})
	req, _ = http.NewRequestWithContext(OwnTraffic(context.Background()), http.MethodGet, "http://inventory.internal/", nil)
	resp, err := own.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	own.(*clientTransport).base.(*http.Transport).CloseIdleConnections()
	if got := replicaSteps(stats); len(got) != 0 || stats.Unattributed() != 1 {
		t.Fatalf("own traffic recorded: %v, unattributed %d", got, stats.Unattributed())
	}
}

// A caller that traces its own requests keeps its hooks, and the call is
// still attributed; the request's own context values reach the base.
func TestRoundTripperReplicaComposesCallerTrace(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	backend := strings.TrimPrefix(srv.URL, "http://")
	base := &http.Transport{DialContext: (&spreadDialer{backends: []string{backend}}).dial}
	defer base.CloseIdleConnections()
	stats := newReplicaStats(t)
	m, _, _ := newTestMonitor(t, WithDependencies(Dependency{Name: "inventory", Hosts: []string{"inventory.internal"}, Replicas: stats}))
	type key struct{}
	var callerSaw, valueSeen bool
	check := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		valueSeen = r.Context().Value(key{}) == "v"
		return base.RoundTrip(r)
	})
	ctx := context.WithValue(context.Background(), key{}, "v")
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { callerSaw = true }})
	for _, c := range []context.Context{ctx, context.WithValue(context.Background(), key{}, "v")} {
		req, _ := http.NewRequestWithContext(c, http.MethodGet, "http://inventory.internal/", nil)
		resp, err := m.RoundTripper(check).RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if !valueSeen {
			t.Error("the request's context value did not reach the base transport")
		}
	}
	if !callerSaw {
		t.Error("the caller's GotConn was not called")
	}
	if s := replicaSteps(stats)[backend]; s.Calls != 2 {
		t.Fatalf("%s: %d calls, want 2 (traced and untraced)", backend, s.Calls)
	}
}

func TestDependencyReplicasValidation(t *testing.T) {
	stats := newReplicaStats(t)
	_, err := New(WithDependencies(Dependency{Name: "a", Replicas: stats}, Dependency{Name: "b", Replicas: stats}))
	if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), "WithDependencies[1].Replicas") {
		t.Fatalf("shared Stats: %v, want ErrInvalidConfig naming WithDependencies[1].Replicas", err)
	}
	m, _, _ := newTestMonitor(t, WithDependencies(Dependency{Name: "a", Replicas: stats}, Dependency{Name: "b"}))
	if m.DependencyReplicas("a") != stats || m.DependencyReplicas("b") != nil || m.DependencyReplicas("zz") != nil {
		t.Fatal("DependencyReplicas does not return each dependency's Stats")
	}
}

// fakeConn is a connection whose remote address is fixed; the base
// transport below reports it to the request's trace like net/http does.
type fakeConn struct {
	net.Conn
	remote net.Addr
}

func (c fakeConn) RemoteAddr() net.Addr { return c.remote }

// tracingBase answers every request at once after telling its trace, as
// Transport.getConn does, which connection it got. It allocates nothing.
func tracingBase(resp *http.Response, conn net.Conn) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if tr := httptrace.ContextClientTrace(r.Context()); tr != nil && tr.GotConn != nil {
			tr.GotConn(httptrace.GotConnInfo{Conn: conn, Reused: true})
		}
		return resp, nil
	})
}

// TestRoundTripperReplicaAllocs pins the per-replica statistics' cost in
// allocations: the two the attribution needs (the request copy that
// carries the traced context, and that context; see replicaAttribution),
// nothing for the trace, the address or the Stats.
func TestRoundTripperReplicaAllocs(t *testing.T) {
	stats := newReplicaStats(t)
	m, _, _ := newTestMonitor(t, WithRouteObjectives(RouteObjectives{Availability: 0.999, Latency: time.Second}),
		WithClientBreakers(neverTrips),
		WithDependencies(Dependency{Name: "plain", Hosts: []string{"plain.internal"}},
			Dependency{Name: "replicas", Hosts: []string{"replicas.internal"}, Replicas: stats}))
	conn := fakeConn{remote: &net.TCPAddr{IP: net.IPv4(10, 0, 0, 7), Port: 80}}
	for _, status := range []int{200, 503} {
		rt := m.RoundTripper(tracingBase(&http.Response{StatusCode: status, Body: http.NoBody}, conn))
		allocs := map[string]float64{}
		for _, host := range []string{"plain", "replicas"} {
			req := httptest.NewRequest("GET", "http://"+host+".internal/x", nil)
			if _, err := rt.RoundTrip(req); err != nil {
				t.Fatal(err)
			}
			allocs[host] = testing.AllocsPerRun(500, func() { _, _ = rt.RoundTrip(req) })
		}
		t.Logf("status %d: allocs per round trip %v", status, allocs)
		if allocs["plain"] != 0 || allocs["replicas"] > 2 {
			t.Errorf("status %d: %v allocs per round trip, want 0 without Replicas and at most 2 with", status, allocs)
		}
	}
	got := replicaSteps(stats)["10.0.0.7:80"]
	if got.Calls < 1000 || got.Bad*2 != got.Calls {
		t.Fatalf("10.0.0.7:80 = %+v, want every call recorded, half bad", got)
	}
}

// BenchmarkRoundTripReplicas: the RoundTripper around a base that answers
// at once (its own work only), without and with Replicas, in one run;
// loopback adds a real server on 127.0.0.1 (keep-alive connections).
func BenchmarkRoundTripReplicas(b *testing.B) {
	conn := fakeConn{remote: &net.TCPAddr{IP: net.IPv4(10, 0, 0, 7), Port: 80}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok") }))
	defer srv.Close()
	real := &http.Transport{DialContext: (&spreadDialer{backends: []string{strings.TrimPrefix(srv.URL, "http://")}}).dial}
	defer real.CloseIdleConnections()
	for _, base := range []struct {
		name string
		rt   http.RoundTripper
	}{{"base=instant", tracingBase(&http.Response{StatusCode: 200, Body: http.NoBody}, conn)}, {"base=loopback", real}} {
		for _, replicas := range []bool{false, true} {
			b.Run(fmt.Sprintf("%s/replicas=%v", base.name, replicas), func(b *testing.B) {
				dep := Dependency{Name: "inventory", Hosts: []string{"inventory.internal"}}
				if replicas {
					dep.Replicas = newReplicaStats(b)
				}
				m, _, _ := newTestMonitor(b, WithDependencies(dep), WithClientBreakers(neverTrips))
				rt := m.RoundTripper(base.rt)
				req := httptest.NewRequest("GET", "http://inventory.internal/x", nil)
				b.ReportAllocs()
				for b.Loop() {
					resp, err := rt.RoundTrip(req)
					if err != nil {
						b.Fatal(err)
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			})
		}
	}
}

// 10,000 distinct remote addresses through the RoundTripper: the Stats
// stays at its bound, the rest is counted as overflow, and every call
// still counts for the dependency.
func TestRoundTripperReplicaManyAddresses(t *testing.T) {
	stats, err := eject.NewStats(eject.StatsConfig{MaxReplicas: 64})
	if err != nil {
		t.Fatal(err)
	}
	m, _, _ := newTestMonitor(t, WithDependencies(Dependency{Name: "inventory", Hosts: []string{"inventory.internal"}, Replicas: stats}))
	var i int
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		i++
		conn := fakeConn{remote: &net.TCPAddr{IP: net.IPv4(10, 3, byte(i/256), byte(i%256)), Port: 80}}
		return tracingBase(&http.Response{StatusCode: 200, Body: http.NoBody}, conn).RoundTrip(r)
	})
	rt := m.RoundTripper(base)
	req := httptest.NewRequest("GET", "http://inventory.internal/", nil)
	for range 10000 {
		if _, err := rt.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
	}
	if stats.Len() != 64 || stats.Overflow() != 10000-64 {
		t.Fatalf("Len %d Overflow %d, want 64 and %d", stats.Len(), stats.Overflow(), 10000-64)
	}
	if e := m.Endpoint(ClientEndpoint, "inventory"); e.requests() != 10000 {
		t.Fatalf("dependency counted %d requests, want 10000", e.requests())
	}
}

// spreadBase stands for a transport over one name with ten addresses: it
// serves each request from the next address, reports that connection to
// the trace, and answers 500 to one request in failEvery[i] of replica i.
type spreadBase struct {
	n         int
	failEvery map[int]int
	count     map[int]int
}

func (b *spreadBase) RoundTrip(r *http.Request) (*http.Response, error) {
	i := b.n % 10
	b.n++
	b.count[i]++
	code := http.StatusOK
	if k := b.failEvery[i]; k > 0 && b.count[i]%k == 0 {
		code = http.StatusInternalServerError
	}
	conn := fakeConn{remote: &net.TCPAddr{IP: net.IPv4(10, 4, 0, byte(i)), Port: 80}}
	return tracingBase(&http.Response{StatusCode: code, Body: http.NoBody}, conn).RoundTrip(r)
}

// End to end through the remote-address path: one sick replica out of
// ten is an outlier on the Monitor's timeline after Persistence steps;
// all ten sick at once are no peer outlier (the median moves with them)
// and the dependency's breaker is what opens.
func TestMonitorPeerDetectorsByRemoteAddress(t *testing.T) {
	for _, tc := range []struct {
		name      string
		failEvery map[int]int
		want      []string
		breaker   bool // whether the breaker opens
	}{
		{"one sick", map[int]int{4: 5}, []string{"replica 10.4.0.4:80 deviates from its peers on error_ratio (z 8.0)"}, false},
		{"all sick", map[int]int{0: 1, 1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1, 9: 1}, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stats := newReplicaStats(t)
			// The in-memory base answers in well under a microsecond
			// of real time, all noise: latency must be a second off
			// the median to count here.
			det, err := eject.NewDetector(eject.DetectorConfig{Dependency: "inventory", Stats: stats,
				Latency: detect.PeerConfig{MinDeviation: 1}})
			if err != nil {
				t.Fatal(err)
			}
			m, _, clk := newTestMonitor(t, WithPeerDetectors(det),
				// The breaker opens in the fourth step: three full steps of
				// every replica failing are judged first.
				WithClientBreakers(breaker.Config{ConsecutiveFailures: 700, OpenTimeout: time.Hour}),
				WithDependencies(Dependency{Name: "inventory", Hosts: []string{"inventory.internal"}, Replicas: stats}))
			var log eventLog
			defer m.OnEvent(log.add)()
			client := &http.Client{Transport: m.RoundTripper(&spreadBase{failEvery: tc.failEvery, count: map[int]int{}})}
			opened := false
			for range 5 {
				for range 200 {
					resp, err := client.Get("http://inventory.internal/items")
					if err != nil {
						opened = opened || errors.Is(err, breaker.ErrOpen)
						continue
					}
					resp.Body.Close()
				}
				m.TickAt(clk.Add(time.Second))
			}
			var got []string
			for _, e := range log.ofKind(EventPeer) {
				got = append(got, e.Message)
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") || opened != tc.breaker {
				t.Fatalf("peer events %q, breaker opened %v; want %q and %v", got, opened, tc.want, tc.breaker)
			}
		})
	}
}
