package exporters

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/nines-sre/nines/exporters/internal/samples"
)

var update = flag.Bool("update", false, "rewrite testdata/rules.yml from the generator")

// TestPrometheusRulesGolden keeps testdata/rules.yml (what the promtool test
// next to it loads when run locally) identical to the generator's output.
// After an intended change: go test ./exporters -run Golden -update.
func TestPrometheusRulesGolden(t *testing.T) {
	got, err := PrometheusRules(samples.Objectives())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "rules.yml")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("generated rules differ from %s; rerun with -update if intended.\ngot:\n%s", path, got)
	}
}
