package remediate

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.opentelemetry.io/otel/attribute"

	"github.com/nines-sre/nines/internal/metrictest"
)

const testToken = "s3cret-token-for-tests"

// sinkFunc is a Submitter for tests.
type sinkFunc func(Signal) bool

func (f sinkFunc) Submit(s Signal) bool { return f(s) }

// collected is a Submitter that keeps what it is given.
type collected struct {
	mu      sync.Mutex
	signals []Signal
}

func (c *collected) Submit(s Signal) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.signals = append(c.signals, s)
	return true
}

func (c *collected) states() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, len(c.signals))
	for i, s := range c.signals {
		out[i] = s.Source + "/" + s.State
	}
	return out
}

func mustReceiver(t testing.TB, sink Submitter, opts ...ReceiverOption) *Receiver {
	t.Helper()
	rc, err := NewReceiver(sink, append([]ReceiverOption{WithBearerToken(testToken)}, opts...)...)
	if err != nil {
		t.Fatalf("NewReceiver: %v", err)
	}
	return rc
}

// amMessage builds a version-4 message of one group.
func amMessage(group string, alerts ...AlertmanagerAlert) []byte {
	status := alertResolved
	for _, a := range alerts {
		if a.Firing() {
			status = alertFiring
		}
	}
	b, err := json.Marshal(AlertmanagerMessage{Version: "4", GroupKey: group, Status: status, Receiver: "nines", Alerts: alerts})
	if err != nil {
		panic(err)
	}
	return b
}

// sloAlert is a generated-rules alert for objective name.
func sloAlert(name, status string, startsAt time.Time) AlertmanagerAlert {
	a := AlertmanagerAlert{
		Status:   status,
		Labels:   map[string]string{"alertname": "SLOErrorBudgetBurn", "slo_name": name, "severity": "page", "slo_window": "1h", "slo_short_window": "5m"},
		StartsAt: startsAt,
	}
	if status == alertResolved {
		a.EndsAt = startsAt.Add(10 * time.Minute)
	}
	a.Fingerprint = labelsFingerprint(a.Labels)
	return a
}

func post(t testing.TB, h http.Handler, body []byte, auth string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/alertmanager", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func TestReceiverParsesAlertmanagerPayload(t *testing.T) {
	data, err := os.ReadFile("testdata/alertmanager-firing.json")
	if err != nil {
		t.Fatal(err)
	}
	m, err := ParseAlertmanagerMessage(data)
	if err != nil {
		t.Fatal(err)
	}
	got := SignalFromAlertmanager(m, m.Alerts[0])
	want := Signal{
		Kind: SignalSLOAlert, Source: "http.server:GET /checkout", State: "firing", Severity: SeverityCritical,
		Phase: PhaseFiring, Incident: "alertmanager:8a3f0c5b1e2d4f67",
		Time: time.Date(2026, 3, 1, 12, 0, 0, 123e6, time.UTC),
		Attributes: map[string]string{
			"origin": "alertmanager", "fingerprint": "8a3f0c5b1e2d4f67", "group_key": `{}:{alertname="SLOErrorBudgetBurn"}`,
			"tier": "page", "window": "1h",
			"label.alertname": "SLOErrorBudgetBurn", "label.severity": "page", "label.slo_name": "http.server:GET /checkout",
			"label.slo_short_window": "5m", "label.slo_window": "1h",
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("signal (-want +got):\n%s", diff)
	}
}

func TestSignalFromAlertmanagerOtherAlerts(t *testing.T) {
	t0 := engT0
	a := AlertmanagerAlert{Status: alertResolved, Labels: map[string]string{"alertname": "DiskFull", "severity": "warning"},
		StartsAt: t0, EndsAt: t0.Add(time.Hour), Fingerprint: "f"}
	s := SignalFromAlertmanager(AlertmanagerMessage{GroupKey: "g"}, a)
	if s.Kind != SignalCustom || s.Source != "DiskFull" || s.State != "resolved" || s.Phase != PhaseResolved || s.Incident != "alertmanager:f" ||
		s.Severity != SeverityWarning || !s.Time.Equal(t0.Add(time.Hour)) {
		t.Errorf("signal = %+v, want a custom warning DiskFull resolved at EndsAt", s)
	}
	if _, ok := s.Attributes["tier"]; ok {
		t.Errorf("a non-SLO alert has a tier attribute: %v", s.Attributes)
	}
	for label, want := range map[string]Severity{"critical": SeverityCritical, "ticket": SeverityWarning, "": SeverityInfo, "high": SeverityInfo} {
		if got := alertSeverity(label); got != want {
			t.Errorf("alertSeverity(%q) = %v, want %v", label, got, want)
		}
	}
}

func TestParseAlertmanagerMessageErrorsNameTheField(t *testing.T) {
	ok := sloAlert("a", alertFiring, engT0)
	noLabels := ok
	noLabels.Labels = nil
	badStatus := ok
	badStatus.Status = "pending"
	many := make([]AlertmanagerAlert, MaxAlertmanagerAlerts+1)
	for i := range many {
		many[i] = ok
	}
	tests := []struct {
		name string
		body []byte
		want string
	}{
		{"not json", []byte(`{"version":`), "unexpected EOF"},
		{"trailing", append(amMessage("g", ok), []byte(`{}`)...), "data after the JSON object"},
		{"version", []byte(strings.Replace(string(amMessage("g", ok)), `"version":"4"`, `"version":"3"`, 1)), `version = "3": must be "4"`},
		{"group", amMessage("", ok), `groupKey = "": must not be empty`},
		{"status", []byte(strings.Replace(string(amMessage("g", ok)), `"status":"firing","receiver"`, `"status":"x","receiver"`, 1)), `status = "x"`},
		{"no alerts", amMessage("g"), "alerts = \"[]\": must not be empty"},
		{"too many", amMessage("g", many...), "alerts = 1001: more than 1000 alerts"},
		{"alert status", amMessage("g", ok, badStatus), `alerts[1].status = "pending": must be firing or resolved`},
		{"labels", amMessage("g", noLabels), `alerts[0].labels = "{}": must not be empty`},
		{"wrong type", []byte(`{"version":"4","groupKey":"g","status":"firing","alerts":[{"status":"firing","labels":{"a":1}}]}`), "alerts.labels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseAlertmanagerMessage(tt.body)
			if !errors.Is(err, ErrAlertmanagerPayload) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want ErrAlertmanagerPayload containing %q", err, tt.want)
			}
		})
	}
}

func TestParseAlertmanagerMessageFillsFingerprint(t *testing.T) {
	a := sloAlert("a", alertFiring, engT0)
	a.Fingerprint = ""
	m, err := ParseAlertmanagerMessage(amMessage("g", a))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.Alerts[0].Fingerprint, labelsFingerprint(a.Labels); got != want || len(got) != 16 {
		t.Errorf("fingerprint %q, want %q", got, want)
	}
	b := sloAlert("b", alertFiring, engT0)
	if labelsFingerprint(a.Labels) == labelsFingerprint(b.Labels) {
		t.Error("two label sets share a fingerprint")
	}
}

func TestReceiverRejects(t *testing.T) {
	mp := metrictest.NewProvider(t)
	sink := &collected{}
	rc := mustReceiver(t, sink, WithReceiverMeterProvider(mp), WithMaxBodyBytes(2048))
	valid := amMessage("g", sloAlert("a", alertFiring, engT0))
	big := amMessage("g", sloAlert(strings.Repeat("x", 4096), alertFiring, engT0))
	tests := []struct {
		name   string
		method string
		body   []byte
		auth   string
		chunk  bool
		status int
		want   string
	}{
		{"get", http.MethodGet, nil, "Bearer " + testToken, false, 405, "POST only"},
		{"no credentials", http.MethodPost, valid, "", false, 401, "unauthorized"},
		{"wrong token", http.MethodPost, valid, "Bearer " + testToken + "x", false, 401, "unauthorized"},
		{"prefix of token", http.MethodPost, valid, "Bearer " + testToken[:5], false, 401, "unauthorized"},
		{"basic instead", http.MethodPost, valid, "Basic dXNlcjpzM2NyZXQ=", false, 401, "unauthorized"},
		{"too large announced", http.MethodPost, big, "Bearer " + testToken, false, 413, "larger than 2048 bytes"},
		{"too large chunked", http.MethodPost, big, "Bearer " + testToken, true, 413, "larger than 2048 bytes"},
		{"bad payload", http.MethodPost, []byte(`{"version":"3"}`), "bearer " + testToken, false, 400, `version = "3"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, "/", strings.NewReader(string(tt.body)))
			if tt.chunk {
				req.ContentLength = -1
			}
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			w := httptest.NewRecorder()
			rc.ServeHTTP(w, req)
			if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.want) {
				t.Errorf("answer %d %q, want %d containing %q", w.Code, w.Body.String(), tt.status, tt.want)
			}
			if tt.status == 401 && w.Header().Get("WWW-Authenticate") != `Bearer realm="nines"` {
				t.Errorf("WWW-Authenticate = %q", w.Header().Get("WWW-Authenticate"))
			}
		})
	}
	if len(sink.signals) != 0 {
		t.Errorf("rejected requests submitted %v", sink.states())
	}
	c := mp.Collect(t)
	metrictest.Golden(t, c.Lines(), `
		remediation.webhook.requests counter "" {remediation.webhook.outcome=bad_request} 1
		remediation.webhook.requests counter "" {remediation.webhook.outcome=method_not_allowed} 1
		remediation.webhook.requests counter "" {remediation.webhook.outcome=too_large} 2
		remediation.webhook.requests counter "" {remediation.webhook.outcome=unauthorized} 4
	`)
}

func TestReceiverBasicAuth(t *testing.T) {
	sink := &collected{}
	rc, err := NewReceiver(sink, WithBasicAuth("alertmanager", "pw-123"))
	if err != nil {
		t.Fatal(err)
	}
	body := amMessage("g", sloAlert("a", alertFiring, engT0))
	for _, tc := range []struct {
		user, pw string
		want     int
	}{{"alertmanager", "pw-123", 200}, {"alertmanager", "pw-12", 401}, {"other", "pw-123", 401}, {"", "", 401}} {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(string(body)))
		if tc.user != "" {
			req.SetBasicAuth(tc.user, tc.pw)
		}
		w := httptest.NewRecorder()
		rc.ServeHTTP(w, req)
		if w.Code != tc.want {
			t.Errorf("basic %q:%q: %d, want %d", tc.user, tc.pw, w.Code, tc.want)
		}
	}
	if len(sink.signals) != 1 {
		t.Errorf("submitted %v, want one signal", sink.states())
	}
}

func TestNewReceiverValidates(t *testing.T) {
	sink := &collected{}
	tests := []struct {
		name string
		sink Submitter
		opts []ReceiverOption
		want string
	}{
		{"no auth", sink, nil, `auth = "none"`},
		{"two auths", sink, []ReceiverOption{WithBearerToken("a"), WithBasicAuth("u", "p")}, "auth = 2"},
		{"empty token", sink, []ReceiverOption{WithBearerToken("")}, `WithBearerToken = ""`},
		{"empty password", sink, []ReceiverOption{WithBasicAuth("u", "")}, `WithBasicAuth = ""`},
		{"small body", sink, []ReceiverOption{WithBearerToken("a"), WithMaxBodyBytes(10)}, "WithMaxBodyBytes = 10"},
		{"huge body", sink, []ReceiverOption{WithBearerToken("a"), WithMaxBodyBytes(1 << 40)}, "WithMaxBodyBytes = 1099511627776"},
		{"nil sink", nil, []ReceiverOption{WithBearerToken("a")}, "sink = <nil>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc, err := NewReceiver(tt.sink, tt.opts...)
			if rc != nil || !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewReceiver = %v, %v; want ErrInvalidConfig containing %q", rc, err, tt.want)
			}
		})
	}
	if _, err := NewReceiver(sink, nil, WithBearerToken("a"), nil); err != nil {
		t.Errorf("nil options: %v", err)
	}
}

// One incident as Alertmanager delivers it: the first notification, its
// re-sends at group_interval and repeat_interval, an HA peer's copy, the
// resolution and its re-send, then a new incident of the same alert.
func TestReceiverDeduplicates(t *testing.T) {
	mp := metrictest.NewProvider(t)
	sink := &collected{}
	rc := mustReceiver(t, sink, WithReceiverMeterProvider(mp))
	now := engT0
	rc.now = func() time.Time { return now }
	auth := "Bearer " + testToken
	a, b := sloAlert("a", alertFiring, engT0), sloAlert("b", alertFiring, engT0.Add(time.Minute))
	steps := []struct {
		body       []byte
		submitted  int
		duplicates int
	}{
		{amMessage("g", a), 1, 0},
		{amMessage("g", a), 0, 1},    // HA peer
		{amMessage("g", a, b), 1, 1}, // group_interval: b joins
		{amMessage("g2", a), 1, 0},   // another group's route: its own stream
		{amMessage("g", sloAlert("a", alertResolved, engT0), b), 1, 1},
		{amMessage("g", sloAlert("a", alertResolved, engT0), b), 0, 2},
		{amMessage("g", sloAlert("a", alertFiring, engT0.Add(time.Hour)), b), 1, 1}, // fires again
	}
	for i, st := range steps {
		now = now.Add(time.Minute)
		w := post(t, rc, st.body, auth)
		var got receiverReply
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != 200 {
			t.Fatalf("step %d: %d %q", i, w.Code, w.Body.String())
		}
		if got.Submitted != st.submitted || got.Duplicates != st.duplicates {
			t.Errorf("step %d: %+v, want %d submitted, %d duplicates", i, got, st.submitted, st.duplicates)
		}
	}
	want := []string{"a/firing", "b/firing", "a/firing", "a/resolved", "a/firing"}
	if diff := cmp.Diff(want, sink.states()); diff != "" {
		t.Errorf("signals (-want +got):\n%s", diff)
	}
	c := mp.Collect(t)
	if p, _ := c.Point("remediation.webhook.alerts", attribute.String("remediation.webhook.outcome", "duplicate")); p.Value != 6 {
		t.Errorf("duplicates counted %v, want 6", p.Value)
	}
	if p, _ := c.Point("remediation.webhook.requests", attribute.String("remediation.webhook.outcome", "accepted")); p.Value != float64(len(steps)) {
		t.Errorf("accepted requests %v, want %d", p.Value, len(steps))
	}
}

// A full engine queue answers 503 so that Alertmanager retries; the retry
// hands on what was dropped, and only that.
func TestReceiverRetriesWhatWasDropped(t *testing.T) {
	var mu sync.Mutex
	var got []string
	full := true
	sink := sinkFunc(func(s Signal) bool {
		mu.Lock()
		defer mu.Unlock()
		if full && s.Source == "b" {
			return false
		}
		got = append(got, s.Source)
		return true
	})
	rc := mustReceiver(t, sink)
	body := amMessage("g", sloAlert("a", alertFiring, engT0), sloAlert("b", alertFiring, engT0))
	w := post(t, rc, body, "Bearer "+testToken)
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
		t.Fatalf("full queue: %d %q, want 503 with Retry-After", w.Code, w.Body.String())
	}
	mu.Lock()
	full = false
	mu.Unlock()
	if w := post(t, rc, body, "Bearer "+testToken); w.Code != 200 {
		t.Fatalf("retry: %d %q", w.Code, w.Body.String())
	}
	if diff := cmp.Diff([]string{"a", "b"}, got); diff != "" {
		t.Errorf("submitted (-want +got):\n%s", diff)
	}
}

func TestDedupBounded(t *testing.T) {
	var d dedup
	for i := range dedupCapacity + 10 {
		d.observe(dedupKey{"g", string(rune(i))}, true, engT0, engT0.Add(time.Duration(i)*time.Millisecond))
	}
	if n := d.len(); n != dedupCapacity {
		t.Errorf("%d alerts remembered, want the capacity %d", n, dedupCapacity)
	}
	// The oldest were evicted: the first is new again, the last is not.
	if isNew, _, _ := d.observe(dedupKey{"g", string(rune(0))}, true, engT0, engT0.Add(time.Minute)); !isNew {
		t.Error("the oldest alert was kept past the capacity")
	}
	last := dedupKey{"g", string(rune(dedupCapacity + 9))}
	if isNew, _, _ := d.observe(last, true, engT0, engT0.Add(time.Minute)); isNew {
		t.Error("the newest alert was forgotten")
	}
	// Past the TTL everything is forgotten.
	d.observe(dedupKey{"h", "x"}, true, engT0, engT0.Add(dedupTTL+2*time.Minute))
	if n := d.len(); n != 1 {
		t.Errorf("%d alerts remembered after the TTL, want 1", n)
	}
}

// Through a real engine: the fleet alert is decided by the same policy as
// the local one and audited with its origin; Alertmanager's re-send decides
// nothing; its resolution reverts the action.
func TestReceiverThroughEngine(t *testing.T) {
	var mu sync.Mutex
	var calls []string
	note := func(what string) func(context.Context, string, Signal) error {
		return func(_ context.Context, target string, _ Signal) error {
			mu.Lock()
			defer mu.Unlock()
			calls = append(calls, what+" "+target)
			return nil
		}
	}
	e := mustEngine(t, Config{Policies: []Policy{{
		Name: "shed-on-page", Action: ReversibleFunc("shed", note("shed"), note("unshed")),
		When: Match{Kinds: []SignalKind{SignalSLOAlert}, Predicate: func(s Signal) bool {
			return s.Severity == SeverityCritical
		}},
		Target: func(Signal) string { return "self" },
	}}})
	rc := mustReceiver(t, e)
	if err := e.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	auth := "Bearer " + testToken
	post(t, rc, amMessage("g", sloAlert("checkout", alertFiring, engT0)), auth)
	post(t, rc, amMessage("g", sloAlert("checkout", alertFiring, engT0)), auth)
	post(t, rc, amMessage("g", sloAlert("checkout", alertResolved, engT0)), auth)
	if err := e.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	recs := e.Records()
	if diff := cmp.Diff([]string{"executed", "reverted/resolved"}, recordOutcomes(recs)); diff != "" {
		t.Fatalf("audit (-want +got):\n%s\n%+v", diff, recs)
	}
	if diff := cmp.Diff([]string{"shed self", "unshed self"}, calls); diff != "" {
		t.Errorf("action calls (-want +got):\n%s", diff)
	}
	for _, r := range recs {
		if r.Target != "self" || r.Signal.Source != "checkout" || r.Signal.Attributes["origin"] != "alertmanager" {
			t.Errorf("record %+v does not say the signal came from Alertmanager's checkout alert", r)
		}
	}
}

// A panicking Submitter leaves the alert undelivered: the retry hands it on.
func TestReceiverSubmitterPanics(t *testing.T) {
	panics := true
	var got int
	rc := mustReceiver(t, sinkFunc(func(Signal) bool {
		if panics {
			panic("sink down")
		}
		got++
		return true
	}))
	body := amMessage("g", sloAlert("a", alertFiring, engT0))
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the Submitter's panic was swallowed")
			}
		}()
		post(t, rc, body, "Bearer "+testToken)
	}()
	panics = false
	if w := post(t, rc, body, "Bearer "+testToken); w.Code != 200 || got != 1 {
		t.Errorf("retry after a panic: %d %q, %d signals; want the alert handed on", w.Code, w.Body.String(), got)
	}
}
