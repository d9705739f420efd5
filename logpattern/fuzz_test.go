package logpattern

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzObserve(f *testing.F) {
	for _, s := range []string{
		"connected to 10.0.0.1:8080 in 35ms",
		"user=alice id=42 ok",
		"a\x00b\x00c 12",
		"\xff\xfe invalid \xc3",
		"<*> typed <*>:<*>",
		"",
		"x=,=,(((",
	} {
		f.Add(s, "user=bob id=7 ok")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		m, err := New(WithMaxTemplates(4), WithMaxLineBytes(64))
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range []string{a, b, a} {
			r := m.Observe(line)
			text, ok := m.Lookup(r.ID)
			if !ok || text != r.Template {
				t.Fatalf("Observe(%q) = %+v, Lookup = %q %v", line, r, text, ok)
			}
			if _, ok := m.Params(nil, r.ID, line); !ok {
				t.Fatalf("Params rejected the line just mined: %q under %q", line, r.Template)
			}
			if len(r.Template) > 3*64 {
				t.Fatalf("template of %d bytes from a 64-byte cap", len(r.Template))
			}
		}
		if st := m.Stats(); st.Templates > 4 || st.Lines != 3 {
			t.Fatalf("stats %+v", st)
		}
	})
}

func FuzzReadSnapshot(f *testing.F) {
	m, _ := New()
	feed(m, snapLines...)
	var buf bytes.Buffer
	_ = m.WriteSnapshot(&buf)
	f.Add(buf.Bytes())
	f.Add([]byte("NLPSNAP1\x00\x00\x00\x05hello"))
	f.Fuzz(func(t *testing.T, in []byte) {
		m, err := New(WithMaxTemplates(8))
		if err != nil {
			t.Fatal(err)
		}
		m.Observe("the line before")
		if err := m.ReadSnapshot(bytes.NewReader(in)); err != nil {
			if got := m.Templates(nil); len(got) != 1 || got[0].Text != "the line before" {
				t.Fatalf("rejected snapshot changed the state: %+v", got)
			}
			return
		}
		if m.Stats().Templates > 8 {
			t.Fatalf("restored beyond the bound: %+v", m.Stats())
		}
		m.Observe("a line after the restore")
	})
}

func TestBadInput(t *testing.T) {
	m := mustNew(t, WithMaxTemplates(16))
	huge := strings.Repeat("word 12 ", 1<<17) // 1 MiB
	r := m.Observe(huge)
	if len(r.Template) > 2*DefaultMaxLineBytes {
		t.Fatalf("template of %d bytes", len(r.Template))
	}
	m.Observe("nul\x00bytes\x00inside 42")
	r = m.Observe("invalid \xff\xfe utf8 \xc3")
	if !strings.Contains(r.Template, "\xff") {
		t.Fatalf("invalid bytes are kept as text: %q", r.Template)
	}
	m.Observe(strings.Repeat("é", DefaultMaxLineBytes)) // cut inside a rune
	r = m.Observe(strings.Repeat("w ", MaxTokens+10))   // short, but too many words
	if strings.Count(r.Template, " ")+1 != MaxTokens {
		t.Fatalf("%d tokens kept", strings.Count(r.Template, " ")+1)
	}
	st := m.Stats()
	if st.Truncated != 3 || st.Lines != 5 {
		t.Fatalf("stats %+v", st)
	}
	for _, tp := range m.Templates(nil) {
		if strings.HasPrefix(tp.Text, "é") && !utf8.ValidString(tp.Text) {
			t.Fatalf("cut inside a rune: %q", tp.Text[len(tp.Text)-4:])
		}
	}
}

// word writes n in base 26 as letters, so each n is a distinct token with
// no digit (not masked).
func word(buf []byte, n int) []byte {
	buf = append(buf, "evt"...)
	for {
		buf = append(buf, byte('a'+n%26))
		n /= 26
		if n == 0 {
			return buf
		}
	}
}

func TestMillionDistinctTemplatesBounded(t *testing.T) {
	const n, max = 1_000_000, 1000
	m := mustNew(t, WithMaxTemplates(max))
	var buf []byte
	var ms runtime.MemStats
	heap := func() uint64 {
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	var mid uint64
	for i := 0; i < n; i++ {
		buf = word(buf[:0], i)
		m.Observe(string(buf))
		if i == n/10 {
			mid = heap()
		}
	}
	end := heap()
	st := m.Stats()
	if st.Templates != max || st.Evicted != n-max || st.Overflow != n-max || st.Created != n {
		t.Fatalf("stats %+v", st)
	}
	// the heap does not grow with the stream: from 10% to 100% of it,
	// within 8 MiB (the exact-match cache is cleared when it fills)
	if end > mid+8<<20 {
		t.Fatalf("heap grew from %d to %d bytes", mid, end)
	}
}
