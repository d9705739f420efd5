package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	// Re-executed by TestCommand: run the command itself.
	if os.Getenv("HTTPSERVICE_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	goleak.VerifyTestMain(m)
}

// TestCommand runs the command as a user would, briefly, with its flags.
func TestCommand(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-addr", "127.0.0.1:0", "-ops", "127.0.0.1:0", "-duration", "200ms", "-drain", "10ms")
	cmd.Env = append(os.Environ(), "HTTPSERVICE_MAIN=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("httpservice: %v\n%s", err, out.String())
	}
	if !strings.HasPrefix(out.String(), "serving http://127.0.0.1:") {
		t.Errorf("output %q", out.String())
	}
	bad := exec.Command(os.Args[0], "-addr", "127.0.0.1:0", "-ops", "not an address")
	bad.Env = cmd.Env
	if outb, err := bad.CombinedOutput(); err == nil || !strings.HasPrefix(string(outb), "httpservice: listen on not an address") {
		t.Errorf("a bad -ops: %v, %q; want exit 1 with a message", err, outb)
	}
}

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
	go func() { done <- run(ctx, 10*time.Millisecond, "", appLn, opsLn) }()
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
	if got, want := counts["route:GET:status.code:availability"], [2]uint64{2, 1}; got != want {
		t.Errorf("/status/{code} availability good, bad = %v, want %v (all: %v)", got, want, counts)
	}
	if got, want := counts["route:GET:hello:availability"], [2]uint64{1, 0}; got != want {
		t.Errorf("/hello availability good, bad = %v, want %v (all: %v)", got, want, counts)
	}

	code, body = get(ops + "/metrics")
	if want := `slo_events_total{`; code != 200 || !strings.Contains(body, want) {
		t.Errorf("GET /metrics = %d without %q:\n%.2000s", code, want, body)
	}
}

// -rules writes the Prometheus rules of every declared route, before any
// traffic, and exits.
func TestCommandWritesRules(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	cmd := exec.Command(os.Args[0], "-rules", path)
	cmd.Env = append(os.Environ(), "HTTPSERVICE_MAIN=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("httpservice -rules: %v\n%s", err, out)
	}
	rules, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range patterns {
		for _, kind := range []string{"availability", "latency"} {
			id := strings.NewReplacer(" /", ":", "/", ".", "{", "", "}", "").Replace(p)
			if want := "slo_name: route:" + id + ":" + kind; !strings.Contains(string(rules), want) {
				t.Errorf("rules lack %q:\n%.1000s", want, rules)
			}
		}
	}
	bad := exec.Command(os.Args[0], "-rules", filepath.Join(t.TempDir(), "missing", "rules.yaml"))
	bad.Env = cmd.Env
	if out, err := bad.CombinedOutput(); err == nil || !strings.HasPrefix(string(out), "httpservice: -rules") {
		t.Errorf("-rules into a missing directory: %v, %q; want exit 1 with a message", err, out)
	}
}
