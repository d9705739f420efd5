package availgrpc

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestValidMethod(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"/pkg.Service/Method", true},
		{"/grpc.health.v1.Health/Check", true},
		{"/a/b", true},
		{"", false},
		{"/", false},
		{"//", false},
		{"/a/", false},
		{"//b", false},
		{"a/b/c", false},
		{"/a/b/c", false},
		{"/a b/c", false},
		{"/a/\x00", false},
		{"/a/\u00e9t\u00e9", false},
		{"/s/" + strings.Repeat("m", maxMethodLen-3), true},
		{"/s/" + strings.Repeat("m", maxMethodLen-2), false},
	}
	for _, tt := range tests {
		if ok := validMethod(tt.in); ok != tt.ok {
			t.Errorf("validMethod(%q) = %v, want %v", tt.in, ok, tt.ok)
		}
	}
}

func otherName(string) string { return "other" }

func TestMethodTableBounds(t *testing.T) {
	var made []string
	tab := newMethodTable(2, otherName, func(name string) string {
		made = append(made, name)
		return name
	})
	steps := []struct{ in, want string }{
		{"/s/A", "/s/A"},
		{"bad", "other"},
		{"/s/A", "/s/A"},
		{"/s/B", "/s/B"},
		{"/s/C", "other"}, // table full
		{"/s/B", "/s/B"},
	}
	for i, st := range steps {
		if got := tab.get(st.in); got != st.want {
			t.Errorf("step %d: get(%q) = %q, want %q", i, st.in, got, st.want)
		}
	}
	if tab.len() != 2 || fmt.Sprint(made) != "[/s/A /s/B]" {
		t.Errorf("table holds %d, values made for %v; want 2 and [/s/A /s/B]", tab.len(), made)
	}
	if n := testing.AllocsPerRun(100, func() { tab.get("/s/A"); tab.get("/s/C"); tab.get("x") }); n != 0 {
		t.Errorf("lookups allocate %v times, want 0", n)
	}
}

func TestMethodTableConcurrent(t *testing.T) {
	const max = 8
	tab := newMethodTable(max, func(string) int { return -1 }, func(name string) int { return len(name) })
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				name := fmt.Sprintf("/s/M%d", (i+g)%20)
				if v := tab.get(name); v != -1 && v != len(name) {
					t.Errorf("get(%q) = %d", name, v)
				}
			}
		}()
	}
	wg.Wait()
	if tab.len() != max {
		t.Errorf("table holds %d methods, want %d", tab.len(), max)
	}
}
