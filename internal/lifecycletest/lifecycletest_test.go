package lifecycletest_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/nines-sre/nines/internal/lifecycle"
	"github.com/nines-sre/nines/internal/lifecycletest"
	"github.com/nines-sre/nines/internal/listeners"
)

// ticker is a conforming component: one background goroutine, run by a
// lifecycle.Lifecycle, that signals beats until Shutdown. The flaws make
// it break one rule each, to show that the kit catches it.
type ticker struct {
	lc      lifecycle.Lifecycle
	beat    chan struct{}
	stopped chan struct{} // closed when the goroutine returns
	flaw    string

	mu      sync.Mutex
	started bool // Start was called (flaw "restartable")
	shut    bool // Shutdown returned (flaw "shutdown-once")
}

func newTicker(flaw string) *ticker {
	return &ticker{beat: make(chan struct{}), stopped: make(chan struct{}), flaw: flaw}
}

func (c *ticker) Start(ctx context.Context) error {
	if c.flaw == "restartable" {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.started {
			return nil // should be ErrStarted
		}
		c.started = true
	}
	var startDone <-chan struct{} // nil: never ready
	if c.flaw == "stops-with-start-ctx" {
		startDone = ctx.Done()
	}
	err := c.lc.Start(ctx, func(context.Context) error {
		c.lc.Go(func(run context.Context) {
			defer close(c.stopped)
			for {
				select {
				case c.beat <- struct{}{}:
				case <-run.Done():
					return
				case <-startDone:
					return
				}
			}
		})
		return nil
	})
	if c.flaw == "restartable" && errors.Is(err, lifecycle.ErrStarted) {
		return nil
	}
	return err
}

func (c *ticker) Shutdown(ctx context.Context) error {
	if c.flaw == "shutdown-once" {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.shut {
			return errors.New("already shut down") // should be idempotent
		}
		c.shut = true
	}
	return c.lc.Shutdown(ctx, nil)
}

func alive(_ *testing.T, c *ticker) bool {
	select {
	case <-c.beat:
		return true
	case <-c.stopped:
		return false
	}
}

func runKit(t *testing.T, flaw string) {
	lifecycletest.Run(t, func(*testing.T) *ticker { return newTicker(flaw) }, alive)
}

// list is a listener list with optional flaws.
type list struct {
	l    listeners.List[struct{}]
	flaw string
}

func (l *list) add(fn func()) func() {
	remove := l.l.Add(func(struct{}) { fn() })
	if l.flaw == "remove-does-nothing" {
		return func() {}
	}
	return remove
}

func runListenersKit(t *testing.T, flaw string) {
	l := &list{flaw: flaw}
	lifecycletest.Listeners(t, l.add, func() { l.l.Emit(struct{}{}) }, func() {})
}

func TestRunPassesAConformingComponent(t *testing.T) { runKit(t, "") }

func TestListenersPassesAConformingList(t *testing.T) { runListenersKit(t, "") }

// TestKitCatchesFlaws runs the kit on a flawed component in a child
// process (the kit fails the *testing.T it is given) and checks that it
// fails there, naming the broken rule.
func TestKitCatchesFlaws(t *testing.T) {
	if flaw := os.Getenv("LIFECYCLETEST_FLAW"); flaw != "" {
		if flaw == "remove-does-nothing" {
			runListenersKit(t, flaw)
		} else {
			runKit(t, flaw)
		}
		return
	}
	for flaw, want := range map[string]string{
		"stops-with-start-ctx": "only Shutdown may stop it",
		"restartable":          "want ErrStarted",
		"shutdown-once":        "already shut down",
		"remove-does-nothing":  "removed listener called again",
	} {
		t.Run(flaw, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestKitCatchesFlaws$", "-test.count=1")
			cmd.Env = append(os.Environ(), "LIFECYCLETEST_FLAW="+flaw)
			out, err := cmd.CombinedOutput()
			if err == nil || !strings.Contains(string(out), want) {
				t.Errorf("the kit on a component whose flaw is %s: %v, output lacks %q:\n%s", flaw, err, want, out)
			}
		})
	}
}
