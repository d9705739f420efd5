package eval

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFindNAB finds both layouts and names the missing paths otherwise.
func TestFindNAB(t *testing.T) {
	for _, labels := range []string{"labels/combined_windows.json", "labels.json"} {
		dir := t.TempDir()
		for _, p := range []string{"data/cat/a.csv", labels} {
			full := filepath.Join(dir, filepath.FromSlash(p))
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(full, []byte("{}"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		data, l, err := FindNAB(dir)
		if err != nil || data != filepath.Join(dir, "data") || l != filepath.Join(dir, filepath.FromSlash(labels)) {
			t.Errorf("%s layout: FindNAB = %q, %q, %v", labels, data, l, err)
		}
	}
	dir := t.TempDir()
	_, _, err := FindNAB(dir)
	if !errors.Is(err, ErrNoCorpus) || !strings.Contains(err.Error(), filepath.Join(dir, "data")) {
		t.Errorf("empty dir: %v, want ErrNoCorpus naming %s", err, filepath.Join(dir, "data"))
	}
	if err := os.Mkdir(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, _, err = FindNAB(dir)
	if !errors.Is(err, ErrNoCorpus) || !strings.Contains(err.Error(), "combined_windows.json") || !strings.Contains(err.Error(), "labels.json") {
		t.Errorf("no labels: %v, want both label paths named", err)
	}
}
