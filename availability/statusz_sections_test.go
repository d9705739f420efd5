package availability

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"strings"
	"testing"
	"time"

	"github.com/nines-sre/nines/logpattern"
	"github.com/nines-sre/nines/remediate/eject"
	"github.com/nines-sre/nines/synthetic"
)

// shopSecret is the synthetic check's credential: it must never reach
// /statusz, with or without details.
const shopSecret = "hunter2-bearer-token"

// phasedTransport answers a synthetic check's requests without a network,
// firing the httptrace hooks as a fresh TLS connection would and moving the
// clock between them: resolve 2ms, connect 3ms, tls 4ms, processing 20ms,
// transfer 1ms. Its /checkout echoes the Authorization header back, so an
// assertion on it quotes the credential.
type phasedTransport struct {
	clk          *fakeClock
	failCheckout bool
}

func (p *phasedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	tr := httptrace.ContextClientTrace(req.Context())
	tr.GetConn(req.URL.Host)
	tr.DNSStart(httptrace.DNSStartInfo{Host: req.URL.Hostname()})
	p.clk.Add(2 * time.Millisecond)
	tr.DNSDone(httptrace.DNSDoneInfo{})
	tr.ConnectStart("tcp", "192.0.2.1:443")
	p.clk.Add(3 * time.Millisecond)
	tr.ConnectDone("tcp", "192.0.2.1:443", nil)
	tr.TLSHandshakeStart()
	p.clk.Add(4 * time.Millisecond)
	tr.TLSHandshakeDone(tls.ConnectionState{}, nil)
	tr.GotConn(httptrace.GotConnInfo{})
	p.clk.Add(20 * time.Millisecond)
	tr.GotFirstResponseByte()
	resp := &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Request: req,
		Body: &slowBody{clk: p.clk, r: strings.NewReader(`{"ok":true}`)}}
	if req.URL.Path == "/checkout" {
		resp.Header.Set("X-Echo", req.Header.Get("Authorization"))
		if p.failCheckout {
			resp.Header.Set("X-Payment", "declined")
		} else {
			resp.Header.Set("X-Payment", "paid")
		}
	}
	return resp, nil
}

// slowBody takes 1ms of the clock to read.
type slowBody struct {
	clk  *fakeClock
	r    io.Reader
	read bool
}

func (b *slowBody) Read(p []byte) (int, error) {
	if !b.read {
		b.read = true
		b.clk.Add(time.Millisecond)
	}
	return b.r.Read(p)
}
func (b *slowBody) Close() error { return nil }

// shopCheck logs in, searches and checks out; checkout asserts the
// payment header (hard) and the echoed credential (soft, so that its
// failure message quotes the secret, which synthetic redacts).
func shopCheck() synthetic.Check {
	auth := map[string]string{"Authorization": "Bearer ${token}"}
	return synthetic.Check{Name: "shop", Interval: time.Minute, Vars: map[string]string{"token": "env:NINES_TEST_SHOP_TOKEN"},
		Steps: []synthetic.Step{
			{Name: "login", Method: "POST", URL: "https://shop.test/login", Header: auth, Assert: []synthetic.Assertion{{Status: 200}}},
			{Name: "search", URL: "https://shop.test/search?q=tea", Header: auth, Assert: []synthetic.Assertion{{JSONPath: "$.ok", Value: "true"}}},
			{Name: "checkout", Method: "POST", URL: "https://shop.test/checkout", Header: auth, Assert: []synthetic.Assertion{
				{Header: "X-Echo", Value: "Basic", Soft: true},
				{Header: "X-Payment", Value: "paid"},
			}},
		}}
}

// sectionsScenario builds a Monitor with every optional section in use: a
// synthetic check run three times (the third fails at checkout), a log
// miner with a busy template, a burst and a template new after its
// warm-up, and a dependency of ten replicas one of which fails one call
// in five and is ejected.
func sectionsScenario(t *testing.T) (*Monitor, *fakeClock) {
	t.Helper()
	t.Setenv("NINES_TEST_SHOP_TOKEN", shopSecret)
	var backends []string
	for i := range 10 {
		backends = append(backends, fmt.Sprintf("10.1.0.%d:8080", 10+i))
	}
	stats, err := eject.NewStats(eject.StatsConfig{})
	if err != nil {
		t.Fatal(err)
	}
	ej, det, engine := ejectingPeers(t, stats, backends, time.Minute)
	miner, err := logpattern.New(logpattern.WithWarmup(200))
	if err != nil {
		t.Fatal(err)
	}
	m, _, clk := newTestMonitor(t, WithEngine(engine), WithPeerDetectors(det), WithLogMiner(miner),
		WithDetectorStep(10*time.Second))

	shop := &phasedTransport{clk: clk}
	runner, err := synthetic.NewRunner([]synthetic.Check{shopCheck()}, synthetic.WithTransport(shop),
		synthetic.WithClock(clk.Now), synthetic.WithMeterProvider(nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.AddSynthetic(runner); err != nil {
		t.Fatal(err)
	}

	base := &replicaBase{n: map[string]int{}, failEvery: map[string]int{"10.1.0.14:8080": 5}}
	bal, err := eject.NewBalancer(eject.BalancerConfig{Ejector: ej, Stats: stats, Base: base, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: m.RoundTripper(bal)}
	ctx := context.Background()
	for step := 1; step <= 30; step++ {
		for range 100 {
			resp, err := client.Get("http://inventory/items")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
		for j := range 5 + step%3 {
			miner.Observe(fmt.Sprintf("GET /items/%d 200 in %dms", step*10+j, 3+j))
		}
		if step%3 == 0 {
			miner.Observe(fmt.Sprintf("upstream timeout after %dms talking to 10.0.0.%d", 500+step, step%9))
		}
		if step%10 == 0 {
			shop.failCheckout = step == 30
			if _, err := runner.Run(ctx, "shop"); err != nil {
				t.Fatal(err)
			}
		}
		if step == 30 {
			for j := range 60 {
				miner.Observe(fmt.Sprintf("upstream timeout after %dms talking to 10.0.0.%d", 900+j, j%9))
			}
			miner.Observe("card of customer alice@example.com declined by the issuer")
		}
		m.TickAt(clk.Add(10 * time.Second))
	}
	if !ej.Ejected("10.1.0.14:8080") {
		t.Fatal("the failing replica is not ejected")
	}
	return m, clk
}

// The JSON schema of the sections, locked by a golden file: the check's
// three runs with their step phases, the miner's counters, top templates,
// the new one and the burst, the replicas with the ejected one.
func TestStatuszSectionsGolden(t *testing.T) {
	m, _ := sectionsScenario(t)
	rec := get(t, m.Handler(), "127.0.0.1:1", "/statusz?format=json")
	var st Statusz
	if err := json.Unmarshal(rec.Body.Bytes(), &st); err != nil {
		t.Fatalf("decoding /statusz: %v", err)
	}
	// Endpoint latencies are measured by the real clock.
	for i := range st.Endpoints {
		st.Endpoints[i].P99Seconds = 0
	}
	out, _ := json.MarshalIndent(struct {
		Synthetic []SyntheticStatus `json:"synthetic"`
		Logs      *LogsStatus       `json:"logs"`
		Peers     []PeerGroupStatus `json:"peers"`
	}{st.Synthetic, st.Logs, st.Peers}, "", "  ")
	if strings.Contains(string(out), "null") {
		t.Errorf("a section has a null: lists are [], optional fields left out")
	}
	golden(t, "statusz_sections.golden.json", string(out)+"\n")
}

// Each step of the latest run shows with its outcome and every phase's
// time and bar; the runs, the replicas and the templates show in their
// sections, in page order.
func TestStatusPageSections(t *testing.T) {
	m, _ := sectionsScenario(t)
	body := get(t, m.Handler(), "[::1]:1", "/statusz", browserAccept).Body.String()
	containsInOrder(t, body,
		`id="dependencies"`,
		`id="peers"`, "<h3>inventory <small>10 replicas · 1 outlier · 1 ejected of at most 1</small></h3>",
		`<tr class="replica failing"><td>10.1.0.14:8080</td>`, "ejected until ",
		`id="health"`,
		`id="synthetic"`, `<h3>shop <span class="failing">fail</span></h3>`,
		`<tr class="step"><td>login</td><td class="ok">pass</td><td>200</td><td>30ms</td>`,
		`<i class="resolve" style="width:`, `<i class="processing" style="width:66.6%" title="processing 20ms">`,
		"2ms / 3ms / 4ms / 20ms / 1ms",
		`<tr class="step"><td>checkout</td><td class="failing">fail</td>`,
		`header X-Payment = &#34;declined&#34;, want it to contain &#34;paid&#34;`,
		`<tr class="run"><td>`, `<td class="failing">fail</td><td>90ms</td><td class="wrap">step checkout: header X-Echo`,
		`id="anomalies"`,
		`id="logs"`, "<div>truncated lines<b>0</b></div>", "Busiest in the last 10s",
		`<tr class="template"><td><code>`, "<code>upstream timeout after &lt;*&gt; talking to &lt;*&gt;</code>",
		`<tr class="template-anomaly failing">`,
		`<h3>New templates</h3>`,
		`<tr class="new-template"><td>10:04:50</td><td><code>3aed312a79ce0338</code></td><td><code>card of customer alice@example.com declined by the issuer</code>`,
		`id="remediation"`,
	)
	if n := strings.Count(body, `<tr class="run">`); n != 3 {
		t.Errorf("%d runs shown, want 3", n)
	}
	if strings.Contains(body, shopSecret) {
		t.Error("the synthetic check's credential is on the page")
	}
	// The health table shows the check's outcome changes, not their
	// reasons (the synthetic section does, to clients allowed details).
	if !strings.Contains(body, "<td>synthetic.shop</td>") || !strings.Contains(body, "10:04:50 fail · ") {
		t.Error("the health table lacks the synthetic check's change to fail")
	}
}

// Without details the failure messages and the template texts are
// withheld from the page and the JSON; IDs, counts and timings are not.
func TestStatuszSectionsWithoutDetails(t *testing.T) {
	m, _ := sectionsScenario(t)
	h := m.Handler(WithAuthorizer(func(*http.Request) (bool, bool) { return true, false }))
	page := get(t, h, "203.0.113.9:1", "/statusz", browserAccept).Body.String()
	doc := get(t, h, "203.0.113.9:1", "/statusz?format=json").Body.String()
	for name, body := range map[string]string{"page": page, "JSON": doc} {
		for _, hidden := range []string{shopSecret, "X-Payment", "X-Echo", "upstream timeout", "alice@example.com", "GET /items"} {
			if strings.Contains(body, hidden) {
				t.Errorf("%s without details shows %q", name, hidden)
			}
		}
		if !strings.Contains(body, reasonWithheld) {
			t.Errorf("%s without details does not say a reason is withheld", name)
		}
	}
	for _, want := range []string{"2ms / 3ms / 4ms / 20ms / 1ms", `<tr class="template"><td><code>`, `<tr class="new-template">`,
		"10.1.0.14:8080", "(log template texts too)"} {
		if !strings.Contains(page, want) {
			t.Errorf("page without details lacks %q", want)
		}
	}
	var st Statusz
	if err := json.Unmarshal([]byte(doc), &st); err != nil {
		t.Fatal(err)
	}
	if st.Logs == nil || len(st.Logs.Top) == 0 || len(st.Logs.New) != 1 || st.Logs.New[0].ID == "" {
		t.Fatalf("logs without details: %+v, want the templates' IDs", st.Logs)
	}
	if f := st.Synthetic[0].Steps[2].Failures; len(f) != 2 || f[0] != reasonWithheld {
		t.Errorf("checkout failures %q, want two, withheld", f)
	}
}

// With details the credential is still never shown: synthetic redacted
// it from the failure that quotes it.
func TestStatuszSectionsRedactSecret(t *testing.T) {
	m, _ := sectionsScenario(t)
	doc := get(t, m.Handler(), "127.0.0.1:1", "/statusz?format=json").Body.String()
	if strings.Contains(doc, shopSecret) {
		t.Fatal("the credential is in /statusz")
	}
	if !strings.Contains(doc, `header X-Echo = \"Bearer ***\"`) {
		t.Errorf("the failure quoting the credential is missing or not redacted:\n%s", doc)
	}
}

// Without the features their sections are left out of the JSON and the
// page.
func TestStatuszSectionsOmitted(t *testing.T) {
	m, _, _ := newTestMonitor(t)
	doc := get(t, m.Handler(), "127.0.0.1:1", "/statusz?format=json").Body.String()
	for _, key := range []string{`"synthetic"`, `"logs"`, `"peers"`} {
		if strings.Contains(doc, key) {
			t.Errorf("JSON of a Monitor without the feature has %s", key)
		}
	}
	page := get(t, m.Handler(), "127.0.0.1:1", "/statusz", browserAccept).Body.String()
	for _, id := range []string{`id="synthetic"`, `id="logs"`, `id="peers"`} {
		if strings.Contains(page, id) {
			t.Errorf("page of a Monitor without the feature has %s", id)
		}
	}
}
