package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// With a state directory, a restarted service restores its SLOs (/statusz
// counts the history) while its exported counter starts again from what the
// new process counted: a counter reset Prometheus handles, never the
// restored history exported a second time.
func TestStateSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	const name = "route:GET:status.code:availability"
	first := serveOnce(t, dir, []int{200, 200, 200, 500})
	if first.good != 3 || first.bad != 1 || first.exportedGood != 3 || first.exportedBad != 1 {
		t.Fatalf("first run: %+v, want 3 good, 1 bad, all exported", first)
	}
	second := serveOnce(t, dir, []int{200, 500})
	if second.good != 4 || second.bad != 2 {
		t.Errorf("after the restart /statusz %s good, bad = %d, %d; want 4, 2 (3+1 restored, 1+1 new)", name, second.good, second.bad)
	}
	if second.exportedGood != 1 || second.exportedBad != 1 {
		t.Errorf("after the restart slo_events_total good, bad = %v, %v; want 1, 1 (this process's own)", second.exportedGood, second.exportedBad)
	}
}

type runCounts struct {
	good, bad                 uint64
	exportedGood, exportedBad float64
}

// serveOnce runs the service with state dir, sends GET /status/{code} for
// each code, reads the /status/{code} availability objective from /statusz
// and /metrics, and stops the service (which saves the state).
func serveOnce(t *testing.T, dir string, codes []int) runCounts {
	t.Helper()
	appLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	opsLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	app, ops := "http://"+appLn.Addr().String(), "http://"+opsLn.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, 10*time.Millisecond, dir, appLn, opsLn) }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}
	defer stop()

	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	get := func(url string) string {
		t.Helper()
		resp, err := client.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	for _, code := range codes {
		get(fmt.Sprintf("%s/status/%d", app, code))
	}
	var st struct {
		SLOs []struct {
			Name      string
			Good, Bad uint64
		}
	}
	if err := json.Unmarshal([]byte(get(ops+"/statusz")), &st); err != nil {
		t.Fatal(err)
	}
	var c runCounts
	for _, s := range st.SLOs {
		if s.Name == "route:GET:status.code:availability" {
			c.good, c.bad = s.Good, s.Bad
		}
	}
	metrics := get(ops + "/metrics")
	c.exportedGood = exported(t, metrics, "good")
	c.exportedBad = exported(t, metrics, "bad")
	stop()
	return c
}

// exported reads the /status/{code} availability objective's
// slo_events_total of outcome from a Prometheus exposition.
func exported(t *testing.T, metrics, outcome string) float64 {
	t.Helper()
	re := regexp.MustCompile(`(?m)^slo_events_total\{[^}]*slo_name="route:GET:status.code:availability"[^}]*slo_outcome="` + outcome + `"[^}]*\} (\S+)`)
	m := re.FindStringSubmatch(metrics)
	if m == nil {
		return 0
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
