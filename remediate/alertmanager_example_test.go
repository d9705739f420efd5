package remediate_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/nines-sre/nines/remediate"
)

// A replica mounts a Receiver on its operational port; Alertmanager's
// webhook_configs point at it with the same bearer token
// (http_config: {authorization: {credentials: ...}}). The fleet's
// SLOErrorBudgetBurn alert then drives the replica's own policy, and
// Alertmanager's re-send of the same notification is a duplicate.
func ExampleReceiver() {
	engine, _ := remediate.NewEngine(remediate.Config{Policies: []remediate.Policy{{
		Name: "shed-on-fleet-page",
		When: remediate.Match{Kinds: []remediate.SignalKind{remediate.SignalSLOAlert}, Predicate: func(s remediate.Signal) bool {
			return s.Severity == remediate.SeverityCritical
		}},
		Action: remediate.Func("shed", func(_ context.Context, target string, s remediate.Signal) error {
			fmt.Printf("shedding on %s for %s (%s)\n", target, s.Source, s.Attributes["origin"])
			return nil
		}),
		Target: func(remediate.Signal) string { return "self" },
	}}}, remediate.WithAuditLogger(slog.New(slog.DiscardHandler)))
	receiver, err := remediate.NewReceiver(engine, remediate.WithBearerToken("token-from-a-secret"))
	if err != nil {
		fmt.Println(err)
		return
	}
	body := `{"version":"4","groupKey":"{}:{alertname=\"SLOErrorBudgetBurn\"}","status":"firing","receiver":"nines",
	  "alerts":[{"status":"firing","labels":{"alertname":"SLOErrorBudgetBurn","slo_name":"checkout","severity":"page"},
	  "startsAt":"2026-03-01T12:00:00Z","fingerprint":"8a3f0c5b1e2d4f67"}]}`
	for range 2 {
		req := httptest.NewRequest(http.MethodPost, "/alertmanager", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer token-from-a-secret")
		w := httptest.NewRecorder()
		receiver.ServeHTTP(w, req)
		fmt.Print(w.Code, " ", w.Body.String())
	}
	// Submitted signals wait for the engine's goroutine; Shutdown lets it
	// decide what is queued.
	_ = engine.Start(context.Background())
	_ = engine.Shutdown(context.Background())
	for _, r := range engine.Records() {
		fmt.Println(r.Policy, r.Outcome, r.Target)
	}
	// Output:
	// 200 {"submitted":1,"duplicates":0}
	// 200 {"submitted":0,"duplicates":1}
	// shedding on self for checkout (alertmanager)
	// shed-on-fleet-page executed self
}
