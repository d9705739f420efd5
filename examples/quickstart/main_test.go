package main

import (
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

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

// The demo runs end to end, falls back to a free port when its address is
// busy, drains and stops cleanly.
func TestQuickstartRuns(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	var out syncBuffer
	if err := run(time.Second, busy.Addr().String(), &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{
		"is busy",
		"check  goroutines unknown -> pass",
		"-> draining",
		"/livez -> 200",
		"stopped cleanly",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

func TestQuickstartRejectsBadDuration(t *testing.T) {
	if err := run(0, "127.0.0.1:0", &syncBuffer{}); err == nil {
		t.Fatal("run accepted a zero duration")
	}
}
