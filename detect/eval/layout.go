package eval

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrNoCorpus reports a directory that holds no corpus in a layout
// [FindNAB] knows.
var ErrNoCorpus = errors.New("eval: no NAB corpus")

// FindNAB returns the data directory and labels file of the corpus rooted
// at dir, in either layout:
//
//   - a checkout of github.com/numenta/NAB: dir/data/<category>/<file>.csv
//     and dir/labels/combined_windows.json;
//   - the development copy this repository is measured on
//     (../shared/nab beside the clone): dir/data and dir/labels.json.
//
// The error wraps [ErrNoCorpus] and names every path it looked for.
func FindNAB(dir string) (data, labels string, err error) {
	data = filepath.Join(dir, "data")
	if st, err := os.Stat(data); err != nil || !st.IsDir() {
		return "", "", fmt.Errorf("%w at %s: no directory %s (want a numenta/NAB checkout or a copy with data/ and labels.json)", ErrNoCorpus, dir, data)
	}
	tried := []string{filepath.Join(dir, "labels", "combined_windows.json"), filepath.Join(dir, "labels.json")}
	for _, l := range tried {
		if st, err := os.Stat(l); err == nil && !st.IsDir() {
			return data, l, nil
		}
	}
	return "", "", fmt.Errorf("%w at %s: neither %s nor %s exists", ErrNoCorpus, dir, tried[0], tried[1])
}
