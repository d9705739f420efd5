package logpattern

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func feed(m *Miner, lines ...string) {
	for _, l := range lines {
		m.Observe(l)
	}
}

var snapLines = []string{
	"session opened for user alice@corp from 10.0.0.1 port 22",
	"session opened for user bob@corp from 10.0.0.2 port 2222",
	"login ok user=alice mode=fast via web",
	"login ok user=bob mode=fast via web",
	"disk full on /dev/sda1",
}

func TestSnapshotRoundTrip(t *testing.T) {
	a := mustNew(t)
	feed(a, snapLines...)
	var buf bytes.Buffer
	if err := a.WriteSnapshot(&buf); err != nil {
		t.Fatal(err)
	}
	b := mustNew(t)
	b.Observe("something else entirely")
	if err := b.ReadSnapshot(bytes.NewReader(buf.Bytes())); err != nil {
		t.Fatal(err)
	}
	ta, tb := a.Templates(nil), b.Templates(nil)
	if len(ta) != len(tb) {
		t.Fatalf("templates %v vs %v", ta, tb)
	}
	for i := range ta {
		if ta[i] != tb[i] {
			t.Fatalf("template %d: %+v vs %+v", i, ta[i], tb[i])
		}
	}
	// the restored miner keeps matching: same IDs, nothing new
	for _, l := range []string{"session opened for user carol@corp from 10.0.0.3 port 1", "login ok user=dan mode=fast via web"} {
		ra, rb := a.Observe(l), b.Observe(l)
		if ra.ID != rb.ID || rb.Created {
			t.Fatalf("%q: %+v vs %+v", l, ra, rb)
		}
	}
}

func TestSnapshotRejectsBadInputUntouched(t *testing.T) {
	a := mustNew(t)
	feed(a, snapLines...)
	var buf bytes.Buffer
	if err := a.WriteSnapshot(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 0x40
	badMagic := bytes.Clone(good)
	badMagic[0] = 'X'
	inputs := map[string][]byte{
		"empty":     nil,
		"truncated": good[:len(good)-5],
		"flipped":   flipped,
		"magic":     badMagic,
		"header":    good[:10],
	}
	for name, in := range inputs {
		b := mustNew(t)
		b.Observe("the one line before")
		before := b.Templates(nil)
		err := b.ReadSnapshot(bytes.NewReader(in))
		if !errors.Is(err, ErrSnapshot) {
			t.Errorf("%s: err = %v", name, err)
		}
		after := b.Templates(nil)
		if len(after) != 1 || after[0] != before[0] || b.Stats().Lines != 1 {
			t.Errorf("%s: state changed: %+v", name, after)
		}
	}
	other := mustNew(t, WithDepth(1))
	if err := other.ReadSnapshot(bytes.NewReader(good)); !errors.Is(err, ErrSnapshot) {
		t.Errorf("other depth: err = %v", err)
	}
}

func TestSnapshotBeyondMaxTemplates(t *testing.T) {
	a := mustNew(t)
	feed(a, "a one", "b one two", "c one two three")
	var buf bytes.Buffer
	if err := a.WriteSnapshot(&buf); err != nil {
		t.Fatal(err)
	}
	b := mustNew(t, WithMaxTemplates(2))
	if err := b.ReadSnapshot(&buf); err != nil {
		t.Fatal(err)
	}
	if st := b.Stats(); st.Templates != 2 || st.Evicted != 1 {
		t.Fatalf("stats %+v", st)
	}
	if _, ok := b.Lookup(hashString("a one")); ok {
		t.Fatal("the least recently seen template was kept")
	}
}

func TestSaveLoadFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "miner.snap")
	a := mustNew(t)
	feed(a, snapLines...)
	if err := a.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	feed(a, "one more kind of line here")
	if err := a.SaveFile(path); err != nil { // replaces the file
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("temporary files left: %v", entries)
	}
	b := mustNew(t)
	if err := b.LoadFile(path); err != nil {
		t.Fatal(err)
	}
	if b.Stats().Templates != a.Stats().Templates {
		t.Fatalf("restored %d templates, want %d", b.Stats().Templates, a.Stats().Templates)
	}
	if err := b.LoadFile(filepath.Join(dir, "missing")); err == nil {
		t.Fatal("loading a missing file succeeded")
	}
}
