package main

import (
	"context"
	"flag"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	// Re-executed by TestCommandRejectsBadFlags: run the command itself.
	if os.Getenv("QUICKSTART_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	goleak.VerifyTestMain(m)
}

// The command reads its flags: a -rate out of range, a -duration too
// short, or a negative -drain, exits 1 with a message naming the flag.
func TestCommandRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-rate", "0"}, {"-duration", "1s"}, {"-drain", "-1s"}} {
		cmd := exec.Command(os.Args[0], args...)
		cmd.Env = append(os.Environ(), "QUICKSTART_MAIN=1")
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.HasPrefix(string(out), "quickstart: "+args[0]) {
			t.Errorf("quickstart %v: %v, %q; want exit 1 naming %s", args, err, out, args[0])
		}
	}
}

// -drain sets the drain delay, 0 included; without it the drain is one
// SLO minute, duration/60, whatever -duration is.
func TestDrainFlag(t *testing.T) {
	for _, c := range []struct {
		args []string
		want time.Duration
	}{
		{nil, time.Second},
		{[]string{"-duration", "20s"}, 20 * time.Second / 60},
		{[]string{"-drain", "5s"}, 5 * time.Second},
		{[]string{"-duration", "20s", "-drain", "0"}, 0},
	} {
		cfg, _, err := parseFlags(flag.NewFlagSet("quickstart", flag.ContinueOnError), c.args)
		if err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		if got := cfg.drainDelay(); got != c.want || cfg.validate() != nil {
			t.Errorf("%v: drain %v (validate: %v), want %v", c.args, got, cfg.validate(), c.want)
		}
	}
	for _, args := range [][]string{{"-drain", "-1ms"}, {"-drain", "11m"}} {
		cfg, _, err := parseFlags(flag.NewFlagSet("quickstart", flag.ContinueOnError), args)
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		if err := cfg.validate(); err == nil || !strings.HasPrefix(err.Error(), "-drain ") {
			t.Errorf("%v: validate %v, want an error naming -drain", args, err)
		}
	}
}

// syncBuffer is a goroutine-safe strings.Builder.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A short run tells the whole story: the fault makes health flip, the
// breaker open, a page alert fire, a dry-run and an executed remediation
// and shedding; the fix brings recovery. The shop's address is busy, so the
// demo falls back to a free port.
//
// Every line asserted is one the demo's script waits for (milestones.go):
// none depends on how fast the machine runs the demo. Anomalies are not
// asserted: the detectors get one point per SLO minute, sixty in the demo's
// SLO hour, fewer than they learn from before they judge, so whether any
// shows is not part of the story.
func TestQuickstartTellsTheStory(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	var out syncBuffer
	cfg := config{duration: 4 * time.Second, addr: busy.Addr().String(), ops: "127.0.0.1:0", rate: 400}
	if err := run(context.Background(), cfg, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	got := out.String()
	t.Logf("timeline:\n%s", got)
	for _, want := range []string{
		"is busy; using",
		"SLO clock runs 900x",
		"FAULT     inventory starts answering 503",
		"HEALTH    group ready: pass -> fail",
		"HEALTH    group ready: fail -> pass",
		"closed -> open",
		"half_open -> closed",
		"ALERT     page alert route:GET:products.id:availability firing",
		"availability resolved",
		`drain-on-inventory-down: drain on "self": dry_run`,
		`trial-shed-below-critical: shed_below_critical on "shop": dry_run`,
		`shed-on-page: shed_below_normal on "shop": executed`,
		// reverted when the page eases or after its 20 SLO minutes,
		// whichever comes first on this machine
		`shed-on-page: shed_below_normal on "shop": reverted (`,
		"SHED      shedder: shedding requests",
		"FAULT     inventory fixed",
		"/readyz -> 503",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("timeline lacks %q", want)
		}
	}
	// The timeline reads clearly: no Go map syntax, no exponents, the
	// dependency by its name.
	for _, bad := range []string{"map[", "e+0", "e-0", "client:127.0.0.1"} {
		if strings.Contains(got, bad) {
			t.Errorf("timeline contains %q", bad)
		}
	}
	// Things happen in order: nothing breaks before the fault, and the
	// breaker closes after the fix.
	fault, fix := strings.Index(got, "inventory starts answering"), strings.Index(got, "inventory fixed")
	// (On an overloaded machine latency alerts and health timeouts may
	// come first, rightly: only the breaker's order is certain.)
	for _, after := range []string{"closed -> open", "availability firing"} {
		if i := strings.Index(got, after); i >= 0 && i < fault {
			t.Errorf("%q before the fault", after)
		}
	}
	if i := strings.Index(got, "half_open -> closed"); i >= 0 && i < fix {
		t.Errorf("the breaker closed before the fix")
	}
	// The dry run comes before the executed action of the same signal.
	if i, j := strings.Index(got, "shed_below_critical"), strings.Index(got, "shed_below_normal"); i > j {
		t.Errorf("the trial policy's dry run comes after the live policy")
	}
}

// An interrupted run (Ctrl-C) stops early, still reports and shuts down
// cleanly, withdrawing readiness for the drain it was given: every step of the shutdown finishes within its bound, so run
// returns no error, however slow the machine. The interrupt comes long
// before the fault is due (a fifth of the minute), so the story stops
// before it: nothing of it is told after the interrupt.
func TestQuickstartStopsOnInterrupt(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	var out syncBuffer
	cfg := config{duration: time.Minute, addr: "127.0.0.1:0", ops: "127.0.0.1:0", rate: 20, drain: 20 * time.Millisecond, drainSet: true}
	if err := run(ctx, cfg, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{"STOP      interrupted", "TRAFFIC   total", "readiness withdrawn for 20ms", "/readyz -> 503"} {
		if !strings.Contains(got, want) {
			t.Errorf("timeline lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "FAULT ") {
		t.Errorf("the story went on after the interrupt:\n%s", got)
	}
}

func TestQuickstartRejectsBadFlags(t *testing.T) {
	for _, cfg := range []config{
		{duration: time.Second, rate: 10},
		{duration: time.Minute, rate: 0},
		{duration: time.Minute, rate: 5000},
	} {
		if err := run(context.Background(), cfg, &syncBuffer{}); err == nil {
			t.Errorf("run accepted %+v", cfg)
		}
	}
}

// -rules writes the Prometheus rules of every route and of the inventory
// dependency, and exits without running the demo.
func TestCommandWritesRules(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	cmd := exec.Command(os.Args[0], "-rules", path)
	cmd.Env = append(os.Environ(), "QUICKSTART_MAIN=1")
	if out, err := cmd.CombinedOutput(); err != nil || len(out) != 0 {
		t.Fatalf("quickstart -rules: %v, %q", err, out)
	}
	rules, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"slo_name: route:GET:products.id:availability", "slo_name: route:GET:recommendations:latency",
		"slo_name: client:inventory:availability", "slo_name: client:inventory:latency"} {
		if !strings.Contains(string(rules), want) {
			t.Errorf("rules lack %q", want)
		}
	}
}
