package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// alertsMatch accepts the tiers the exact definition fires and no other,
// and catches both a false alert (the 1h/5m page the restored history
// counted twice would keep) and a missing one.
func TestAlertsMatch(t *testing.T) {
	// The e2e's final counts: 738 good, 108 bad at 99%: burn 12.77, so
	// 1h/5m (14.4) is quiet and the other three tiers fire.
	replicas := []sloStatus{
		{Name: "x", Target: 0.99, Good: 347, Bad: 77},
		{Name: "x", Target: 0.99, Good: 391, Bad: 31},
	}
	for _, c := range []struct {
		name    string
		tiers   []string
		wantErr string
	}{
		{"exact", []string{"6h/30m", "1d/2h", "3d/6h"}, ""},
		{"false page", []string{"1h/5m", "6h/30m", "1d/2h", "3d/6h"}, "[1h/5m]"},
		{"missing ticket", []string{"6h/30m", "1d/2h"}, "[3d/6h]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var result []string
			for _, tier := range c.tiers {
				long, short, _ := strings.Cut(tier, "/")
				result = append(result, fmt.Sprintf(`{"metric":{"alertname":"SLOErrorBudgetBurn","long_window":%q,"short_window":%q},"value":[1,"1"]}`, long, short))
			}
			body := `{"status":"success","data":{"resultType":"vector","result":[` + strings.Join(result, ",") + `]}}`
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = w.Write([]byte(body))
			}))
			defer srv.Close()
			err := alertsMatch(context.Background(), promClient{base: srv.URL, client: srv.Client()}, "x", replicas)
			switch {
			case c.wantErr == "" && err != nil:
				t.Errorf("alertsMatch: %v, want nil", err)
			case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
				t.Errorf("alertsMatch: %v, want an error naming %s", err, c.wantErr)
			}
		})
	}
}
