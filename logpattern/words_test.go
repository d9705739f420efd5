package logpattern

import (
	"bytes"
	"fmt"
	"testing"
)

// A different plain word at one position names another event: states stay
// apart while fewer than wordVariants of them are seen.
func TestDifferentWordsStayApart(t *testing.T) {
	m := mustNew(t)
	states := []string{"started", "stopped", "paused", "resumed"}
	ids := map[ID]string{}
	for _, s := range states {
		for i := 0; i < 3; i++ {
			r := m.Observe(fmt.Sprintf("[job: %d] worker %s by scheduler", 100+i, s))
			if r.Template != "[job: <*>] worker "+s+" by scheduler" {
				t.Fatalf("%s: template %q", s, r.Template)
			}
			ids[r.ID] = s
		}
	}
	if len(ids) != len(states) {
		t.Fatalf("%d templates for %d states: %v", len(ids), len(states), ids)
	}
	// a restored miner keeps telling words apart
	m3 := mustNew(t)
	for _, s := range states[:3] {
		m3.Observe("[job: 1] worker " + s + " by scheduler")
	}
	var buf bytes.Buffer
	if err := m3.WriteSnapshot(&buf); err != nil {
		t.Fatal(err)
	}
	m2 := mustNew(t)
	if err := m2.ReadSnapshot(&buf); err != nil {
		t.Fatal(err)
	}
	if r := m2.Observe("[job: 7] worker " + states[3] + " by scheduler"); !r.Created {
		t.Fatalf("restored miner joined a new state: %+v", r)
	}
	// a differing token that is not a plain word is still a value
	a := m.Observe("backup of vol.a1 done in 3 steps")
	b := m.Observe("backup of vol.b7 done in 4 steps")
	if a.ID != b.ID || b.Template != "backup of vol.<*> done in <*> steps" {
		t.Fatalf("%+v / %+v", a, b)
	}
}

// Names come in open sets: the wordVariants-th different word at the same
// position turns it into a variable in every sibling, and the siblings
// other than the busiest are retired: their lines go to the busiest.
func TestManyDifferentWordsBecomeVariable(t *testing.T) {
	m := mustNew(t)
	var evs []Event
	m.OnEvent(func(e Event) { evs = append(evs, e) })
	users := []string{"root", "admin", "guest", "oracle", "backup", "deploy"}
	line := func(u string) string { return "failed password for " + u + " from 10.1.2.3 port 4242" }
	var ids []ID
	for i, u := range users[:wordVariants-1] {
		for k := 0; k <= i; k++ { // later users have more lines: the last is the busiest
			ids = append(ids, m.Observe(line(u)).ID)
		}
	}
	busiest := ids[len(ids)-1]
	if got := m.Stats().Templates; got != wordVariants-1 {
		t.Fatalf("%d templates before the merge, want %d", got, wordVariants-1)
	}
	evs = nil
	r := m.Observe(line(users[wordVariants-1]))
	want := "failed password for <*> from <*> port <*>"
	if r.ID != busiest || r.Template != want || r.Created {
		t.Fatalf("merging line: %+v, want ID %v", r, busiest)
	}
	if len(evs) != wordVariants-1 {
		t.Fatalf("%d events, want a change per sibling: %+v", len(evs), evs)
	}
	for _, e := range evs {
		if e.Kind != TemplateChanged || e.Template != want {
			t.Fatalf("event %+v", e)
		}
	}
	for _, u := range users {
		if got := m.Observe(line(u)); got.ID != busiest || got.Changed || got.Created {
			t.Fatalf("%s after the merge: %+v", u, got)
		}
	}
	for _, id := range ids { // retired templates keep their ID and the new text
		if text, ok := m.Lookup(id); !ok || text != want {
			t.Fatalf("Lookup(%v) = %q, %v", id, text, ok)
		}
	}

	// a restored miner routes the retired users' lines to the same template
	var buf bytes.Buffer
	if err := m.WriteSnapshot(&buf); err != nil {
		t.Fatal(err)
	}
	m2 := mustNew(t)
	if err := m2.ReadSnapshot(&buf); err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if got := m2.Observe(line(u)); got.ID != busiest {
			t.Fatalf("%s after restore: %+v, want ID %v", u, got, busiest)
		}
	}
}

// A word with a single digit is a name ("eth0", "wlan1"), so two of them
// differ like plain words.
func TestWordWithDigitIsAWord(t *testing.T) {
	m := mustNew(t)
	a := m.Observe("link up on eth0 after 3 retries")
	b := m.Observe("link up on wlan1 after 5 retries")
	if a.ID == b.ID {
		t.Fatalf("interfaces joined: %+v / %+v", a, b)
	}
	// words that differ in their digits only are instances of one name
	c := m.Observe("link up on eth1 after 4 retries")
	if c.ID != a.ID || c.Template != "link up on <*> after <*> retries" {
		t.Fatalf("eth0 and eth1 apart: %+v / %+v", a, c)
	}
}

// key=value tokens of the same key agree in structure: lines whose values
// differ in several of them still join.
func TestSameKeyValuesJoin(t *testing.T) {
	m := mustNew(t)
	a := m.Observe(`grant lock=1, mode=shared, tag="audio", owner=mixer, ws=none`)
	b := m.Observe(`grant lock=2, mode=shared, tag="radio", owner=phone, ws=[x]`)
	if b.ID != a.ID || b.Template != `grant lock=<*>, mode=shared, tag="<*>", owner=<*>, ws=<*>` {
		t.Fatalf("%+v / %+v", a, b)
	}
	// different keys do not
	c := m.Observe(`grant lock=3, mode=shared, kind="radio", user=phone, ws=[x]`)
	if c.ID == a.ID {
		t.Fatalf("different keys joined: %+v", c)
	}
}
