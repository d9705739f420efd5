package logpattern

import (
	"bytes"
	"context"
	"io"
	"log"
	"log/slog"
	"strings"
	"testing"
)

func TestHandlerMinesMessages(t *testing.T) {
	m := mustNew(t)
	var out bytes.Buffer
	logger := slog.New(m.Handler(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelInfo})))
	logger.Info("payment accepted", "id", 17)
	logger.Info("payment accepted", "id", 18)
	logger.Debug("not enabled, not mined")
	logger.With("svc", "api").WithGroup("g").Info("payment accepted")
	if st := m.Stats(); st.Lines != 3 || st.Templates != 1 {
		t.Fatalf("stats %+v", st)
	}
	if strings.Count(out.String(), "payment accepted") != 3 {
		t.Fatalf("wrapped handler output: %s", out.String())
	}
}

func TestHandlerStringAttrs(t *testing.T) {
	m := mustNew(t)
	h := m.Handler(slog.NewTextHandler(io.Discard, nil), WithStringAttrs("user"))
	logger := slog.New(h)
	logger.Info("login", "user", "alice", "n", 3, "other", "x")
	got := m.Templates(nil)
	if len(got) != 1 || got[0].Text != "login user=alice" {
		t.Fatalf("templates %+v", got)
	}
	m2 := mustNew(t)
	slog.New(m2.Handler(slog.NewTextHandler(io.Discard, nil), WithStringAttrs())).Info("login", "user", "bob", "n", 3, "other", "x")
	if got := m2.Templates(nil); len(got) != 1 || got[0].Text != "login user=bob other=x" {
		t.Fatalf("templates %+v", got)
	}
}

func TestHandlerAllocs(t *testing.T) {
	m := mustNew(t)
	h := m.Handler(slog.DiscardHandler)
	r := slog.NewRecord(testInstant, slog.LevelInfo, "cache refreshed", 0)
	ctx := context.Background()
	_ = h.Handle(ctx, r)
	if a := testing.AllocsPerRun(100, func() { _ = h.Handle(ctx, r) }); a != 0 {
		t.Fatalf("%v allocs per record", a)
	}
}

func TestLineWriter(t *testing.T) {
	m := mustNew(t, WithMaxLineBytes(32))
	w := m.Writer()
	lg := log.New(w, "", 0)
	lg.Print("worker 1 started")
	lg.Print("worker 2 started")
	_, _ = w.Write([]byte("partial li"))
	_, _ = w.Write([]byte("ne\r\nsecond\n"))
	long := strings.Repeat("x", 100) + "\nafter long\n"
	_, _ = w.Write([]byte(long))
	w.Flush()
	var texts []string
	for _, tp := range m.Templates(nil) {
		texts = append(texts, tp.Text)
	}
	st := m.Stats()
	if st.Lines != 6 || st.Truncated != 1 {
		t.Fatalf("stats %+v, templates %q", st, texts)
	}
	joined := strings.Join(texts, "|")
	for _, want := range []string{"worker <*> started", "partial line", "second", "after long"} {
		if !strings.Contains(joined, want) {
			t.Errorf("missing %q in %q", want, texts)
		}
	}
}
