package availability

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/nines-sre/nines/remediate/admit"
)

// killChildEnv names the state directory of a child process that the kill
// test starts from this test binary (see TestMain).
const killChildEnv = "NINES_STATEDIR_KILL_CHILD"

const (
	killRoutes     = 4 // 8 objectives: availability and latency each
	killObjectives = 2 * killRoutes
)

var killRouteObjectives = RouteObjectives{Availability: 0.999, Latency: 100 * time.Millisecond}

// stateChild is the child process: a Monitor saving every objective every
// MinStateSaveInterval, serving requests until it is killed. It prints
// what Start restored, then the number of saves so far every 20 rounds of
// requests.
func stateChild(dir string) {
	time.AfterFunc(2*time.Minute, func() { os.Exit(3) }) // never outlive a parent that died
	m, err := New(WithMeterProvider(noop.NewMeterProvider()), WithDrainDelay(0), WithLogger(discardLogger),
		WithRouteObjectives(killRouteObjectives),
		WithStateDir(StateDir{Path: dir, SaveInterval: MinStateSaveInterval}))
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	var eps []*Endpoint
	for i := range killRoutes {
		eps = append(eps, m.Endpoint(ServerEndpoint, fmt.Sprintf("GET /r%d", i)))
	}
	if err := m.Start(context.Background()); err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	st := m.Statusz().State
	fmt.Printf("restored %d empty %d rejected %d events %d\n", st.Restored, st.Empty, st.Rejected, allEvents(m))
	for n := 0; ; n++ {
		for i, e := range eps {
			c, err := e.Admit(admit.Normal)
			if err == nil {
				c.Done(i == n%killRoutes)
			}
		}
		if n%20 == 0 {
			fmt.Println("saves", m.state.statusz().Saves)
		}
	}
}

func allEvents(m *Monitor) uint64 {
	var n uint64
	for _, s := range m.SLOs().Objectives() {
		g, b := s.Events()
		n += g + b
	}
	return n
}

// SIGKILL during the periodic save, again and again: every restart
// restores the last good snapshots (no snapshot refused, no event count
// going back), and killed saves never leave more than one temporary file
// (they used to leave one each, 15 after 30 kills).
func TestStateDirSurvivesSIGKILL(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	var last uint64
	kills, midSave := 0, 0
	for kills < 30 || (midSave < 3 && kills < 200) {
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), killChildEnv+"="+dir)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string)
		go func() {
			defer close(lines)
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			_, _ = io.Copy(io.Discard, out)
		}()
		next := func() string {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("kill %d: the child ended: %v", kills, cmd.Wait())
				}
				return l
			case <-time.After(time.Minute): // a hung child, not a timing assertion
				_ = cmd.Process.Kill()
				t.Fatalf("kill %d: the child printed nothing for a minute", kills)
			}
			return ""
		}
		var restored, empty, rejected int
		var events uint64
		first := next()
		if _, err := fmt.Sscanf(first, "restored %d empty %d rejected %d events %d", &restored, &empty, &rejected, &events); err != nil {
			t.Fatalf("kill %d: child said %q", kills, first)
		}
		if rejected != 0 || restored+empty != killObjectives || events < last {
			t.Fatalf("kill %d: child restored %d, %d empty, %d refused, %d events (the last child restored %d)",
				kills, restored, empty, rejected, events, last)
		}
		last = events
		// Kill at a random point of the save cycle: after the first few
		// saves, a random number of rounds of requests later.
		saves := 1 + rng.IntN(3)
		for {
			var n int
			if _, err := fmt.Sscanf(next(), "saves %d", &n); err != nil {
				t.Fatal(err)
			}
			if n >= saves {
				break
			}
		}
		for range rng.IntN(20) {
			next()
		}
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		for range lines {
		}
		kills++
		switch tmps := tempFiles(t, dir); {
		case len(tmps) > 1:
			t.Fatalf("kill %d left %d temporary files: %q", kills, len(tmps), tmps)
		case len(tmps) == 1:
			midSave++
		}
	}
	t.Logf("%d kills, %d during a save; the last child restored %d events", kills, midSave, last)
	if midSave == 0 {
		t.Fatalf("none of %d kills landed during a save: the test exercised nothing", kills)
	}

	// A clean start restores every objective from the last good snapshots,
	// and its first save leaves no temporary file.
	m, err := New(WithMeterProvider(noop.NewMeterProvider()), WithDrainDelay(0), WithLogger(discardLogger),
		WithRouteObjectives(killRouteObjectives), WithStateDir(StateDir{Path: dir, SaveInterval: MaxStateSaveInterval}))
	if err != nil {
		t.Fatal(err)
	}
	for i := range killRoutes {
		m.Endpoint(ServerEndpoint, fmt.Sprintf("GET /r%d", i))
	}
	if err := m.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Shutdown(context.Background())
	if st := m.Statusz().State; st.Restored != killObjectives || st.Rejected != 0 {
		t.Fatalf("after the kills: %+v, want all %d restored", st, killObjectives)
	}
	if n := allEvents(m); n < last || n == 0 {
		t.Fatalf("restored %d events, the last child %d", n, last)
	}
	if err := m.SaveState(); err != nil {
		t.Fatal(err)
	}
	if tmps := tempFiles(t, dir); len(tmps) != 0 {
		t.Errorf("temporary files after a clean save: %q", tmps)
	}
	if n := len(dirNames(t, dir)); n != killObjectives {
		t.Errorf("%d files in the state directory, want the %d snapshots", n, killObjectives)
	}
}

func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for _, name := range dirNames(t, dir) {
		if strings.Contains(name, ".tmp") {
			out = append(out, name)
		}
	}
	return out
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, filepath.Base(e.Name()))
	}
	return out
}
