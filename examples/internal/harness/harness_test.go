package harness

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestPorts(t *testing.T) {
	var out bytes.Buffer
	if err := Ports(&out, 3); err != nil {
		t.Fatal(err)
	}
	lines := strings.Fields(out.String())
	if len(lines) != 3 {
		t.Fatalf("Ports(3) wrote %q, want 3 ports", out.String())
	}
	seen := map[string]bool{}
	for _, l := range lines {
		p, err := strconv.Atoi(l)
		if err != nil || p <= 0 || p > 65535 {
			t.Fatalf("port %q is not a TCP port", l)
		}
		if seen[l] {
			t.Fatalf("port %s handed out twice in %q", l, out.String())
		}
		seen[l] = true
	}
	for _, n := range []int{0, -1, MaxPorts + 1} {
		if err := Ports(&out, n); err == nil || !strings.Contains(err.Error(), strconv.Itoa(n)) {
			t.Errorf("Ports(%d) = %v, want an error naming %d", n, err, n)
		}
	}
}

func TestWaitUntilReady(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) < 3 {
			http.Error(w, "starting", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	if err := Wait(context.Background(), srv.URL, time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := calls.Load(); got != 3 {
		t.Errorf("Wait returned after %d polls, want 3 (two 503s, then 200)", got)
	}
}

func TestWaitNamesURL(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "draining", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	// The context ends the wait, not the clock: the test does not depend
	// on how fast the machine polls.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Wait(ctx, srv.URL, time.Hour)
	if err == nil || !strings.Contains(err.Error(), srv.URL) {
		t.Fatalf("Wait on a cancelled context = %v, want an error naming %s", err, srv.URL)
	}
	if err := Get(context.Background(), http.DefaultClient, srv.URL, http.StatusOK); err == nil || !strings.Contains(err.Error(), "503") {
		t.Errorf("a poll answered 503 = %v, want an error naming the status", err)
	}
	if err := Wait(context.Background(), srv.URL, 0); err == nil || !strings.Contains(err.Error(), "timeout") {
		t.Errorf("Wait with timeout 0 = %v, want an error naming the timeout", err)
	}
}

func TestSplitList(t *testing.T) {
	for in, want := range map[string][]string{
		"":                 nil,
		" , ,":             nil,
		"a":                {"a"},
		" http://a:1 ,b,,": {"http://a:1", "b"},
	} {
		if got := SplitList(in); !cmp.Equal(got, want) {
			t.Errorf("SplitList(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCommands(t *testing.T) {
	var out bytes.Buffer
	if err := PortsCommand(&out, []string{"2"}); err != nil || len(strings.Fields(out.String())) != 2 {
		t.Errorf("ports 2 = %v, wrote %q; want two ports", err, out.String())
	}
	for _, args := range [][]string{nil, {"1", "2"}} {
		if err := PortsCommand(&out, args); !errors.Is(err, ErrUsage) {
			t.Errorf("ports %q = %v, want ErrUsage", args, err)
		}
		if err := WaitCommand(context.Background(), args[:len(args)/2]); !errors.Is(err, ErrUsage) {
			t.Errorf("wait %q = %v, want ErrUsage", args[:len(args)/2], err)
		}
	}
	if err := PortsCommand(&out, []string{"x"}); err == nil || !strings.Contains(err.Error(), `"x"`) {
		t.Errorf("ports x = %v, want an error naming x", err)
	}
	if err := WaitCommand(context.Background(), []string{"http://127.0.0.1:1/", "soon"}); err == nil || !strings.Contains(err.Error(), "soon") {
		t.Errorf("wait with timeout soon = %v, want an error naming it", err)
	}
}
