package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The service answers its routes, measures them (the SLO counts in
// /statusz and the Prometheus exposition on /metrics move), and stops
// cleanly when its context ends.
func TestServiceSmoke(t *testing.T) {
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
	go func() { done <- run(ctx, appLn, opsLn) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}()

	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	get := func(url string) (int, string) {
		t.Helper()
		resp, err := client.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	for _, c := range []struct {
		path string
		code int
		body string
	}{
		{"/hello", 200, "hello\n"},
		{"/items/42", 200, `{"id":"42"}` + "\n"},
		{"/status/503", 503, ""},
		{"/status/200", 200, ""},
		{"/status/99", 400, "code must be 200 to 599\n"},
	} {
		if code, body := get(app + c.path); code != c.code || body != c.body {
			t.Errorf("GET %s = %d %q, want %d %q", c.path, code, body, c.code, c.body)
		}
	}
	if code, _ := get(ops + "/readyz"); code != 200 {
		t.Errorf("GET /readyz = %d, want 200", code)
	}

	code, body := get(ops + "/statusz")
	var st struct {
		SLOs []struct {
			Name      string
			Good, Bad uint64
		}
	}
	if err := json.Unmarshal([]byte(body), &st); code != 200 || err != nil {
		t.Fatalf("GET /statusz = %d, %v: %s", code, err, body)
	}
	counts := map[string][2]uint64{}
	for _, s := range st.SLOs {
		counts[s.Name] = [2]uint64{s.Good, s.Bad}
	}
	if got, want := counts["route:GET__status__code_:availability"], [2]uint64{2, 1}; got != want {
		t.Errorf("/status/{code} availability good, bad = %v, want %v (all: %v)", got, want, counts)
	}
	if got, want := counts["route:GET__hello:availability"], [2]uint64{1, 0}; got != want {
		t.Errorf("/hello availability good, bad = %v, want %v (all: %v)", got, want, counts)
	}

	code, body = get(ops + "/metrics")
	if want := `slo_events_total{`; code != 200 || !strings.Contains(body, want) {
		t.Errorf("GET /metrics = %d without %q:\n%.2000s", code, want, body)
	}
}
