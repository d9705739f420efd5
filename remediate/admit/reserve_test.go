package admit

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

// A class that reaches its reserve is over its rate: ErrRateLimited,
// counted under reason rate, in the global bucket and in a key's; never
// ErrShed (reason priority), which only SetLevel gives. The reserve
// fields' docs say so, since callers map the two errors to 429 and 503.
func TestShedderReserveIsRateLimit(t *testing.T) {
	tests := []struct {
		name     string
		c        ShedderConfig
		p        Priority
		field    string // the ShedderConfig field whose reserve p reaches
		admitted int    // of a full bucket of 100 tokens, at one instant
	}{
		{"normal at the global critical reserve", ShedderConfig{Rate: 100}, Normal, "CriticalReserve", 90},
		{"sheddable at the global normal reserve", ShedderConfig{Rate: 100}, Sheddable, "NormalReserve", 80},
		{"normal at a key's critical reserve", ShedderConfig{PerKeyRate: 100}, Normal, "CriticalReserve", 90},
		{"sheddable at a key's normal reserve", ShedderConfig{PerKeyRate: 100}, Sheddable, "NormalReserve", 80},
	}
	docs := reserveFieldDocs(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sh := newTestShedder(t, tt.c)
			n := 0
			var err error
			for ; n < 1000; n++ {
				if err = sh.AllowAt(guardT0, "tenant", tt.p); err != nil {
					break
				}
			}
			if n != tt.admitted || !errors.Is(err, ErrRateLimited) {
				t.Fatalf("admitted %d, then %v; want %d, then ErrRateLimited", n, err, tt.admitted)
			}
			if st := sh.Stats(); st.RateRejections != 1 || st.PriorityRejections != 0 {
				t.Errorf("stats %+v, want one rate rejection and no priority one", st)
			}
			if err := sh.AllowAt(guardT0, "tenant", Critical); err != nil {
				t.Errorf("critical traffic in the reserve: %v", err)
			}
			doc := docs[tt.field]
			for _, want := range []string{"ErrRateLimited", "reason rate", "429"} {
				if !strings.Contains(doc, want) {
					t.Errorf("%s doc does not say %q:\n%s", tt.field, want, doc)
				}
			}
			if strings.Contains(doc, "shed (reason priority)") {
				t.Errorf("%s doc says the reserve sheds by priority:\n%s", tt.field, doc)
			}
		})
	}
}

// reserveFieldDocs returns the doc comments of ShedderConfig's fields, by
// name, each on one line.
func reserveFieldDocs(t *testing.T) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "shedder_config.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok || ts.Name.Name != "ShedderConfig" {
			return true
		}
		for _, fld := range ts.Type.(*ast.StructType).Fields.List {
			for _, name := range fld.Names {
				docs[name.Name] = strings.Join(strings.Fields(fld.Doc.Text()), " ")
			}
		}
		return false
	})
	return docs
}
