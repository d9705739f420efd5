package availability

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nines-sre/nines/remediate/eject"
)

// replicaBase answers for ten backends; the ones in failEvery answer 500
// to one request in that many.
type replicaBase struct {
	mu        sync.Mutex
	n         map[string]int
	failEvery map[string]int
}

func (b *replicaBase) RoundTrip(req *http.Request) (*http.Response, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	h := req.URL.Host
	b.n[h]++
	code := http.StatusOK
	if k := b.failEvery[h]; k > 0 && b.n[h]%k == 0 {
		code = http.StatusInternalServerError
	}
	return &http.Response{StatusCode: code, Body: http.NoBody, Request: req}, nil
}

// A replica failing one request in five is found by the Monitor's tick,
// shows on the timeline, is ejected by the engine (the Balancer stops
// sending to it), and returns when its ejection time is over.
func TestMonitorPeerDetectors(t *testing.T) {
	var backends []string
	for i := range 10 {
		backends = append(backends, fmt.Sprintf("127.0.0.1:%d", 9000+i))
	}
	stats, err := eject.NewStats(eject.StatsConfig{})
	if err != nil {
		t.Fatal(err)
	}
	ej, det, engine := ejectingPeers(t, stats, backends, 10*time.Second)
	m, _, clk := newTestMonitor(t, WithEngine(engine), WithPeerDetectors(det))
	var log eventLog
	defer m.OnEvent(log.add)()

	base := &replicaBase{n: map[string]int{}, failEvery: map[string]int{"127.0.0.1:9004": 5}}
	bal, err := eject.NewBalancer(eject.BalancerConfig{Ejector: ej, Stats: stats, Base: base, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: m.RoundTripper(bal)}
	ejectedAt := -1
	for step := 1; step <= 15; step++ {
		for range 200 {
			resp, err := client.Get("http://inventory/items")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
		m.TickAt(clk.Add(time.Second))
		if ejectedAt < 0 && ej.Ejected("127.0.0.1:9004") {
			ejectedAt = step
		}
	}
	if ejectedAt != 3 {
		t.Fatalf("ejected at step %d, want 3 (Persistence)", ejectedAt)
	}
	var got []string
	for _, e := range log.events {
		if e.Kind == EventPeer || e.Kind == EventRemediation {
			got = append(got, e.Kind.String()+" "+e.Subject+": "+e.Message)
		}
	}
	want := []string{
		"peer peer:inventory: replica 127.0.0.1:9004 deviates from its peers on error_ratio (z 8.0)",
		`remediation eject-peer-outliers: eject-peer-outliers: eject on "127.0.0.1:9004": executed`,
		"peer peer:inventory: replica 127.0.0.1:9004 returns on probation: its ejection time is over",
		`remediation eject-peer-outliers: eject-peer-outliers: eject on "127.0.0.1:9004": reverted (resolved)`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("timeline:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestWithPeerDetectorsNil(t *testing.T) {
	if _, err := New(WithPeerDetectors(nil)); !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), "WithPeerDetectors[0]") {
		t.Fatalf("New(WithPeerDetectors(nil)) = %v, want ErrInvalidConfig naming WithPeerDetectors[0]", err)
	}
}
