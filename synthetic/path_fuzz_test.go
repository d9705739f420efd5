package synthetic

import (
	"encoding/json"
	"testing"
)

func TestPath(t *testing.T) {
	var doc any
	if err := json.Unmarshal([]byte(`{"a":{"b":[10,{"c":"x"}]},"k.y":true}`), &doc); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]string{
		"$.a.b[0]": "10", "a.b.0": "10", "$.a.b[1].c": "x", "a.b.1.c": "x", `$["k.y"]`: "true", "$.a.b": `[10,{"c":"x"}]`,
	} {
		pp, err := parsePath(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		v, ok := pp.lookup(doc)
		if !ok || text(v) != want {
			t.Errorf("%s = %q %v, want %q", p, text(v), ok, want)
		}
	}
	for _, p := range []string{"$.a.b[2]", "$.z", "$.a.b.c", "a.b[0].c"} {
		pp, err := parsePath(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if v, ok := pp.lookup(doc); ok {
			t.Errorf("%s found %v", p, v)
		}
	}
	for _, p := range []string{"", "$..a", "$.a[", "$.a[-1]", "$.a[x]", "$a"} {
		if _, err := parsePath(p); err == nil {
			t.Errorf("%q parsed", p)
		}
	}
}

func FuzzPath(f *testing.F) {
	for _, s := range []string{"$.a.b[0]", "a.0", `$["x"]`, "$..", "[", "$.a[99999999999999999999]"} {
		f.Add(s, `{"a":{"b":[1]}}`)
	}
	f.Fuzz(func(t *testing.T, p, doc string) {
		pp, err := parsePath(p)
		if err != nil {
			return
		}
		var d any
		if json.Unmarshal([]byte(doc), &d) == nil {
			pp.lookup(d)
		}
	})
}
