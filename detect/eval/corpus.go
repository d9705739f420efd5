package eval

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
)

// Corpus is a set of labelled data files, in the order the scorer visits
// them (sorted by path). Build it with [LoadCorpus] or [NewCorpus]; it is
// immutable afterwards and safe for concurrent use. Most callers want
// [Corpus.Evaluate].
type Corpus struct {
	// Files are sorted by Path.
	Files []*File
}

// NewCorpus returns a corpus of the given files, sorted by path. Paths must
// be unique.
func NewCorpus(files ...*File) (*Corpus, error) {
	fs := slices.Clone(files)
	slices.SortFunc(fs, func(a, b *File) int {
		switch {
		case a.Path < b.Path:
			return -1
		case a.Path > b.Path:
			return 1
		}
		return 0
	})
	for k := 1; k < len(fs); k++ {
		if fs[k].Path == fs[k-1].Path {
			return nil, fmt.Errorf("eval: file %s given twice", fs[k].Path)
		}
	}
	return &Corpus{Files: fs}, nil
}

// LoadOption configures [LoadCorpus].
type LoadOption interface{ apply(*loadConfig) }

type loadConfig struct{ skipMissing bool }

type skipMissing struct{}

func (skipMissing) apply(c *loadConfig) { c.skipMissing = true }

// SkipMissing makes LoadCorpus leave out labelled files that are absent
// from the data directory, so any subset of a corpus can be scored (the
// normalisation then counts only the files present). Without it a missing
// file is an error, as in nabscore.py.
func SkipMissing() LoadOption { return skipMissing{} }

// ErrNoFiles reports a corpus with no data file.
var ErrNoFiles = errors.New("eval: no labelled data file found")

// LoadCorpus reads every file named in labels from dataDir
// (dataDir/<category>/<file>.csv). Data files without a labels entry are
// ignored, as NAB does.
func LoadCorpus(dataDir string, labels Labels, opts ...LoadOption) (*Corpus, error) {
	var cfg loadConfig
	for _, o := range opts {
		o.apply(&cfg)
	}
	names := make([]string, 0, len(labels))
	for rel := range labels {
		names = append(names, rel)
	}
	slices.Sort(names)
	files := make([]*File, 0, len(names))
	for _, rel := range names {
		p := filepath.Join(dataDir, filepath.FromSlash(rel))
		fh, err := os.Open(p)
		if err != nil {
			if cfg.skipMissing && errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return nil, fmt.Errorf("eval: labels mention %s but: %w", rel, err)
		}
		s, err := ReadSeries(fh, p)
		fh.Close()
		if err != nil {
			return nil, err
		}
		f, err := NewFile(rel, s.Timestamps, s.Values, labels[rel])
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%w in %s", ErrNoFiles, dataDir)
	}
	return &Corpus{Files: files}, nil
}

// WindowCounts returns the number of windows in the corpus and the number
// of those holding at least one scored (non-probationary) row.
func (c *Corpus) WindowCounts() (total, scored int) {
	for _, f := range c.Files {
		total += len(f.Windows)
		scored += f.scoredWindows()
	}
	return total, scored
}

// Rows returns the number of rows in the corpus.
func (c *Corpus) Rows() int {
	n := 0
	for _, f := range c.Files {
		n += len(f.Timestamps)
	}
	return n
}

// Scores maps a file's Path to one anomaly score per row, in row order.
type Scores map[string][]float64

// ErrScoresMissing reports a corpus file without scores, or with the wrong
// number of rows.
var ErrScoresMissing = errors.New("eval: scores do not match the corpus")

// check verifies that scores cover every file with one finite score in
// [0, 1] per row.
func (c *Corpus) check(s Scores) error {
	for _, f := range c.Files {
		x, ok := s[f.Path]
		if !ok {
			return fmt.Errorf("%w: no scores for %s", ErrScoresMissing, f.Path)
		}
		if len(x) != len(f.Timestamps) {
			return fmt.Errorf("%w: %s has %d scores, data file has %d rows", ErrScoresMissing, f.Path, len(x), len(f.Timestamps))
		}
		for i, v := range x {
			if err := checkScore(v); err != nil {
				return fmt.Errorf("eval: %s row %d: %w", f.Path, i+2, err)
			}
		}
	}
	return nil
}

// LoadScores reads one output CSV per corpus file from dir, at
// dir/<category>/<file>.csv or else dir/<file>.csv, as nabscore.py --scores
// does. Each file must have one row per data row with the same timestamp.
func (c *Corpus) LoadScores(dir string) (Scores, error) {
	out := make(Scores, len(c.Files))
	for _, f := range c.Files {
		cands := []string{filepath.Join(dir, filepath.FromSlash(f.Path)), filepath.Join(dir, path.Base(f.Path))}
		var fh *os.File
		var err error
		for _, p := range cands {
			if fh, err = os.Open(p); err == nil {
				break
			}
		}
		if fh == nil {
			return nil, fmt.Errorf("%w: no scores file for %s (looked for %s): %w", ErrScoresMissing, f.Path, cands, err)
		}
		rows, err := ReadScores(fh, fh.Name())
		fh.Close()
		if err != nil {
			return nil, err
		}
		if len(rows.Scores) != len(f.Timestamps) {
			return nil, fmt.Errorf("%w: %s has %d rows, data file %s has %d", ErrScoresMissing, fh.Name(), len(rows.Scores), f.Path, len(f.Timestamps))
		}
		for i, t := range rows.Timestamps {
			if !t.Equal(f.Timestamps[i]) {
				return nil, fmt.Errorf("eval: %s row %d: timestamp %s != data timestamp %s", fh.Name(), i+2, t, f.Timestamps[i])
			}
		}
		out[f.Path] = rows.Scores
	}
	return out, nil
}
