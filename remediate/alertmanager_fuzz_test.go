package remediate

import (
	"encoding/json"
	"errors"
	"os"
	"testing"
)

// FuzzParseAlertmanagerMessage: any body either parses into a message that
// satisfies every documented invariant and survives a JSON round trip, or
// fails with ErrAlertmanagerPayload; it never panics.
func FuzzParseAlertmanagerMessage(f *testing.F) {
	if data, err := os.ReadFile("testdata/alertmanager-firing.json"); err == nil {
		f.Add(data)
	}
	f.Add(amMessage("g", sloAlert("a", alertFiring, engT0), sloAlert("b", alertResolved, engT0)))
	f.Add([]byte(`{"version":"4","groupKey":"g","status":"resolved","alerts":[{"status":"resolved","labels":{"x":""}}]}`))
	f.Add([]byte(`{"version":"4"} {}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseAlertmanagerMessage(data)
		if err != nil {
			if !errors.Is(err, ErrAlertmanagerPayload) {
				t.Fatalf("error %v does not wrap ErrAlertmanagerPayload", err)
			}
			return
		}
		if m.Version != "4" || m.GroupKey == "" || len(m.Alerts) == 0 || len(m.Alerts) > MaxAlertmanagerAlerts {
			t.Fatalf("accepted an invalid message: %+v", m)
		}
		for _, a := range m.Alerts {
			if a.Fingerprint == "" || len(a.Labels) == 0 || (a.Status != alertFiring && a.Status != alertResolved) {
				t.Fatalf("accepted an invalid alert: %+v", a)
			}
			s := SignalFromAlertmanager(m, a)
			if (s.Phase == PhaseFiring) != a.Firing() || s.Incident != "alertmanager:"+a.Fingerprint || s.Attributes["origin"] != "alertmanager" {
				t.Fatalf("signal %+v from alert %+v", s, a)
			}
		}
		again, err := json.Marshal(m)
		if err != nil {
			return // a time outside JSON's years cannot be re-encoded; nothing to compare
		}
		m2, err := ParseAlertmanagerMessage(again)
		if err != nil {
			t.Fatalf("re-encoded message does not parse: %v", err)
		}
		if len(m2.Alerts) != len(m.Alerts) || m2.GroupKey != m.GroupKey {
			t.Fatalf("round trip changed the message: %+v -> %+v", m, m2)
		}
		for i := range m.Alerts {
			if m2.Alerts[i].Fingerprint != m.Alerts[i].Fingerprint || !m2.Alerts[i].StartsAt.Equal(m.Alerts[i].StartsAt) {
				t.Fatalf("round trip changed alert %d", i)
			}
		}
	})
}
