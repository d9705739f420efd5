package metrictest

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// Golden compares got (Lines or Schema) with want, one line per line of
// want; leading and trailing blanks of each line and blank lines are
// ignored, so want can be an indented raw string.
func Golden(t testing.TB, got []string, want string) {
	t.Helper()
	var w []string
	for l := range strings.Lines(want) {
		if l = strings.TrimSpace(l); l != "" {
			w = append(w, l)
		}
	}
	if !slices.Equal(got, w) {
		t.Errorf("metrics differ\n--- got\n%s\n--- want\n%s", strings.Join(got, "\n"), strings.Join(w, "\n"))
	}
}

// GoldenFile compares got with the file at path, or writes it there first
// when update is set (the caller's -update flag: the kit defines no flag,
// so it cannot clash with a package's own).
func GoldenFile(t testing.TB, path string, got []string, update bool) {
	t.Helper()
	text := strings.Join(got, "\n") + "\n"
	if update {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
			return
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
		return
	}
	if text != string(want) {
		t.Errorf("metrics differ from %s (run with -update after a deliberate schema change)\n--- got\n%s--- want\n%s", path, text, want)
	}
}
