package availability

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/nines-sre/nines/remediate"
)

// A fleet alert posted to the Monitor's receiver is decided by the
// Monitor's engine and shows on its timeline, alert and decision alike;
// its resolution reverts the action.
func TestAlertmanagerReceiverThroughMonitor(t *testing.T) {
	var mu sync.Mutex
	var acted []string
	engine, err := remediate.NewEngine(remediate.Config{Policies: []remediate.Policy{{
		Name: "fleet-page",
		When: remediate.Match{Kinds: []remediate.SignalKind{remediate.SignalSLOAlert},
			Predicate: func(s remediate.Signal) bool { return s.State == "firing" }},
		Action: remediate.ReversibleFunc("note", func(_ context.Context, target string, _ remediate.Signal) error {
			mu.Lock()
			defer mu.Unlock()
			acted = append(acted, target)
			return nil
		}, func(_ context.Context, target string, _ remediate.Signal) error {
			mu.Lock()
			defer mu.Unlock()
			acted = append(acted, "undo "+target)
			return nil
		}),
	}}}, remediate.WithAuditLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(WithEngine(engine))
	if err != nil {
		t.Fatal(err)
	}
	var events []string
	m.OnEvent(func(e Event) {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, e.Kind.String()+": "+e.Message)
	})
	rc, err := m.AlertmanagerReceiver(remediate.WithBearerToken("t0ken"))
	if err != nil {
		t.Fatal(err)
	}
	const alert = `{"version":"4","groupKey":"g","status":"STATUS","alerts":[{"status":"STATUS",
		"labels":{"alertname":"SLOErrorBudgetBurn","slo_name":"checkout","severity":"page"},"startsAt":"2026-03-01T12:00:00Z"}]}`
	for _, status := range []string{"firing", "resolved"} {
		req := httptest.NewRequest(http.MethodPost, "/alertmanager", strings.NewReader(strings.ReplaceAll(alert, "STATUS", status)))
		req.Header.Set("Authorization", "Bearer t0ken")
		w := httptest.NewRecorder()
		// Before Start the signal is decided, and the timeline delivered,
		// on this goroutine.
		rc.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", status, w.Code, w.Body.String())
		}
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{
		"slo_alert: fleet page alert checkout firing (alertmanager)", `remediation: fleet-page: note on "checkout": executed`,
		"slo_alert: fleet page alert checkout resolved (alertmanager)", `remediation: fleet-page: note on "checkout": reverted (resolved)`,
	}
	if strings.Join(events, "\n") != strings.Join(want, "\n") || strings.Join(acted, ",") != "checkout,undo checkout" {
		t.Errorf("events %q, acted %v; want %q, the action and its undo on checkout", events, acted, want)
	}
}

func TestAlertmanagerReceiverNeedsEngine(t *testing.T) {
	m, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.AlertmanagerReceiver(remediate.WithBearerToken("x")); !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), "WithEngine") {
		t.Errorf("without an engine: %v, want ErrInvalidConfig naming WithEngine", err)
	}
	engine, _ := remediate.NewEngine(remediate.Config{})
	m, _ = New(WithEngine(engine))
	if _, err := m.AlertmanagerReceiver(); !errors.Is(err, remediate.ErrInvalidConfig) {
		t.Errorf("without credentials: %v, want remediate.ErrInvalidConfig", err)
	}
}
