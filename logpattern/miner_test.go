package logpattern

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func mustNew(t testing.TB, opts ...Option) *Miner {
	t.Helper()
	m, err := New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestGroupingAndEvolution(t *testing.T) {
	m := mustNew(t)
	a := m.Observe("session opened for user alice@corp from 10.0.0.1 port 22")
	if !a.Created || a.Template != "session opened for user alice@corp from <*> port <*>" {
		t.Fatalf("first: %+v", a)
	}
	b := m.Observe("session opened for user bob@corp from 10.0.0.2 port 2222")
	if b.ID != a.ID || !b.Changed || b.Template != "session opened for user <*> from <*> port <*>" {
		t.Fatalf("second: %+v (first ID %v)", b, a.ID)
	}
	c := m.Observe("session opened for user carol@corp from 10.9.9.9 port 1")
	if c.ID != a.ID || c.Changed || c.Created {
		t.Fatalf("third: %+v", c)
	}
	d := m.Observe("disk full on /dev/sda1")
	if d.ID == a.ID || !d.Created {
		t.Fatalf("other event joined: %+v", d)
	}
	if got := m.Stats(); got.Lines != 4 || got.Templates != 2 || got.Created != 2 {
		t.Fatalf("stats %+v", got)
	}
}

func TestAffixKeptOnMerge(t *testing.T) {
	m := mustNew(t)
	m.Observe("login ok user=alice mode=fast via web")
	r := m.Observe("login ok user=bob mode=fast via web")
	if r.Template != "login ok user=<*> mode=fast via web" {
		t.Fatalf("template %q", r.Template)
	}
	r = m.Observe("login ok user=carol mode=fast via web")
	if r.Changed {
		t.Fatalf("prefix slot should accept user=carol: %+v", r)
	}
}

func TestIDStableAcrossMiners(t *testing.T) {
	lines := []string{"cache miss for key k1", "worker 3 started", "cache miss for key k2"}
	var ids [2][]ID
	for i := range ids {
		m := mustNew(t)
		for _, l := range lines {
			ids[i] = append(ids[i], m.Observe(l).ID)
		}
	}
	if fmt.Sprint(ids[0]) != fmt.Sprint(ids[1]) {
		t.Fatalf("IDs differ between fresh miners: %v %v", ids[0], ids[1])
	}
	if ids[0][0] != hashString("cache miss for key k1") {
		t.Fatalf("ID %v is not the hash of the first masked text", ids[0][0])
	}
	if ids[0][2] != ids[0][0] {
		t.Fatal("ID changed as the template generalised")
	}
}

func TestEvictionIntoOverflow(t *testing.T) {
	var evicted []Event
	m := mustNew(t, WithMaxTemplates(2), WithListener(func(e Event) {
		if e.Kind == TemplateEvicted {
			evicted = append(evicted, e)
		}
	}))
	first := m.Observe("alpha one")
	m.Observe("alpha one")
	m.Observe("beta two three")
	m.Observe("gamma four five six")
	st := m.Stats()
	if st.Templates != 2 || st.Evicted != 1 || st.Overflow != 2 {
		t.Fatalf("stats %+v", st)
	}
	if len(evicted) != 1 || evicted[0].ID != first.ID {
		t.Fatalf("evicted %+v, want %v", evicted, first.ID)
	}
	if _, ok := m.Lookup(first.ID); ok {
		t.Fatal("evicted template still known")
	}
	counts := m.TakeCounts(nil)
	var total uint64
	for _, c := range counts {
		total += c.Lines
	}
	if counts[0].ID != OverflowID || counts[0].Lines != 2 || total != 4 {
		t.Fatalf("counts %+v", counts)
	}
}

func TestTruncation(t *testing.T) {
	m := mustNew(t, WithMaxLineBytes(16))
	r := m.Observe(strings.Repeat("é", 20)) // 40 bytes
	if len(r.Template) > 16 || !strings.HasPrefix(r.Template, "é") {
		t.Fatalf("template %q", r.Template)
	}
	if m.Stats().Truncated != 1 {
		t.Fatalf("stats %+v", m.Stats())
	}
}

func TestParams(t *testing.T) {
	m := mustNew(t)
	m.Observe("login ok user=alice from 10.0.0.1:22 in 5ms")
	r := m.Observe("login ok user=bob from 10.0.0.2:22 in 7ms")
	got, ok := m.Params(nil, r.ID, "login ok user=carol from 10.0.0.3:2222 in 9ms")
	want := []string{"carol", "10.0.0.3:2222", "9ms"}
	if !ok || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("Params = %q %v, want %q", got, ok, want)
	}
	if _, ok := m.Params(nil, r.ID, "too short"); ok {
		t.Fatal("Params accepted a line of another length")
	}
	if _, ok := m.Params(nil, 12345, "x"); ok {
		t.Fatal("Params accepted an unknown ID")
	}
}

func TestCountsAndNovel(t *testing.T) {
	var novel []string
	m := mustNew(t, WithWarmup(3), WithListener(func(e Event) {
		if e.Kind == TemplateCreated && e.Novel {
			novel = append(novel, e.Template)
		}
	}))
	hb := m.Observe("heartbeat seq 1").ID
	m.Observe("heartbeat seq 2")
	m.Observe("heartbeat seq 3")
	m.Observe("panic: nil map write") // fourth line: after the warm-up
	c := m.TakeCounts(nil)
	if len(c) != 3 {
		t.Fatalf("counts %+v", c)
	}
	for _, x := range c {
		if x.ID == hb && x.Lines != 3 {
			t.Fatalf("heartbeat counted %d", x.Lines)
		}
	}
	c = m.TakeCounts(c[:0])
	for _, x := range c {
		if x.Lines != 0 {
			t.Fatalf("second step not reset: %+v", c)
		}
	}
	if len(novel) != 1 || novel[0] != "panic: nil map write" {
		t.Fatalf("novel %q", novel)
	}
}

func TestInvalidConfig(t *testing.T) {
	for _, o := range []Option{WithSimilarity(0), WithSimilarity(1.5), WithDepth(-1), WithMaxTemplates(1),
		WithMaxLineBytes(3), WithWarmup(-1), WithTopTemplates(-1), WithListener(nil)} {
		_, err := New(o)
		if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), "With") {
			t.Errorf("err = %v", err)
		}
	}
}

func TestListenerPanicRecovered(t *testing.T) {
	m := mustNew(t, WithListener(func(Event) { panic("boom") }))
	m.Observe("a b c")
	if m.Stats().Lines != 1 {
		t.Fatal("line lost")
	}
}

func TestKnownTemplateAllocatesNothing(t *testing.T) {
	m := mustNew(t)
	lines := []string{
		"session opened for user alice@corp from 10.0.0.1 port 22",
		"session opened for user bob@corp from 10.0.0.2 port 2222",
		"cache miss key=k1 took 3ms",
	}
	for _, l := range lines {
		m.Observe(l)
	}
	i := 0
	allocs := testing.AllocsPerRun(1000, func() {
		m.Observe(lines[i%len(lines)])
		i++
	})
	if allocs != 0 {
		t.Fatalf("%v allocs per known line", allocs)
	}
	// a new value in a generalised slot goes through the bucket once (the
	// warm-up run of AllocsPerRun), then hits the exact cache
	allocs = testing.AllocsPerRun(100, func() {
		m.Observe("session opened for user dave@corp from 10.0.0.9 port 1")
	})
	if allocs != 0 {
		t.Fatalf("%v allocs per known line through the tree", allocs)
	}
}

func TestOneDifferingTokenJoinsAtHighSimilarity(t *testing.T) {
	m := mustNew(t, WithSimilarity(0.95))
	a := m.Observe("invalid user j.doe from 10.0.0.1 port 22")
	b := m.Observe("invalid user m.roe from 10.0.0.2 port 22")
	if b.ID != a.ID || b.Template != "invalid user <*> from <*> port <*>" {
		t.Fatalf("%+v / %+v", a, b)
	}
	c := m.Observe("invalid group staff from 10.0.0.2 port 22") // two words differ
	if c.ID == a.ID {
		t.Fatalf("two differing words joined: %+v", c)
	}
}

func TestDottedFirstWordDoesNotKey(t *testing.T) {
	m := mustNew(t)
	a := m.Observe("com.example.backup.daily: job deferred, start time is in 12 seconds")
	b := m.Observe("com.example.index.hourly: job deferred, start time is in 7 seconds")
	if b.ID != a.ID || b.Template != "com.example.<*>: job deferred, start time is in <*> seconds" {
		t.Fatalf("%+v / %+v", a, b)
	}
	// plain first words still key buckets: these do not join
	c := m.Observe("backup: job deferred, start time is in 7 seconds")
	d := m.Observe("restore: job deferred, start time is in 7 seconds")
	if c.ID == d.ID {
		t.Fatalf("different first words joined: %+v", d)
	}
}
