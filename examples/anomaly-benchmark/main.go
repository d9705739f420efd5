// Command anomaly-benchmark runs the detect package's detectors
// (detect.Catalog, the default ensemble first) over a corpus in the Numenta Anomaly Benchmark layout and scores them with
// detect/eval, NAB's rules:
//
//   - streaming: each point is scored when it arrives, with no look-ahead;
//   - one parameter set for every file (each detector's defaults);
//   - a fresh detector per file;
//   - the first 15% of each file (at most 750 rows) is not scored;
//   - one threshold per profile over the whole corpus (the sweep).
//
// Usage:
//
//	go run ./examples/anomaly-benchmark [-nab DIR] [-out DIR] [-detector NAME] \
//	    [-threshold-from-detector=false] [-threshold X] [-json FILE] [-baselines] [-pieces N]
//	go run ./examples/anomaly-benchmark [-nab DIR] [-pieces N] -select DIR,DIR... [-smooth K]
//
// The corpus is found, in order, from -data and -labels (both given), from
// -nab, from the NAB_DIR environment variable, or at ../shared/nab. DIR is
// either a checkout of numenta/NAB (git clone
// https://github.com/numenta/NAB; it holds data/<category>/<file>.csv and
// labels/combined_windows.json) or a copy laid out as data/ and
// labels.json, such as the 35-file development corpus in ../shared/nab; a
// missing corpus is an error naming the paths looked for. -out defaults to
// a new temporary directory, printed first.
//
// For every detector it writes -out/<detector>/<category>/<file>.csv
// (timestamp,anomaly_score: Result.Score per row) and
// -out/<detector>.anomaly/<category>/<file>.csv (anomaly_score 1 where
// Result.Anomaly was set, else 0), and prints per profile:
//
//   - sweep: the NAB score at the corpus-wide swept threshold;
//   - default: the NAB score at the detector's own default threshold, that
//     is with exactly the rows whose Result.Anomaly is true counted as
//     detections (the .anomaly files scored at threshold 1). This is what a
//     production user gets;
//   - fixed: with -threshold X, the score with Score >= X as detections;
//
// and the throughput in points per second (ObserveAt calls only, one
// goroutine, excluding I/O and scoring).
//
// With -select it runs no detector: it compares the score directories of
// earlier runs, one per parameter setting (each an -out/<detector>, the
// current setting first), and adds the nested cross-validated score, in
// which each fold is scored with the setting best on the other folds (see
// select.go). Choose parameters by it, not by the swept score. With
// -smooth K the directories are an ordered grid of one parameter and each
// fold picks the setting whose mean with its K neighbours on either side
// was best on the other folds: the swept score is a noisy function of
// the parameters (see detect's doc), and a plateau's middle holds up
// better than a lone peak.
//
// With -pieces N every file is cut into pieces of about N rows (at least
// 200), each scored as a file: a fresh detector, its own probation, the
// windows it holds (see pieces.go). The cut never falls in a window; a
// remainder under N/2 rows joins the piece before it. The 5-fold
// cross-validation holds out all pieces of a file together. Scores are
// written per piece (<category>/<file>_p<k>.csv); nabscore.py cannot
// check them, as it reads whole data files, but the scoring code is the
// one CI checks against it. -select needs the same -pieces as the runs it
// compares.
//
// Labelled files missing from -data are left out, so any subset of a
// corpus can be scored; the normalisation counts only the files present.
// Check the outputs independently with
//
//	python3 ../shared/nab/nabscore.py --data DATA --labels LABELS \
//	    --scores OUT/<detector> --name <detector> [--threshold X]
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/nines-sre/nines/detect"
	"github.com/nines-sre/nines/detect/eval"
)

type config struct {
	nab, data, labels, out, detector, jsonOut string
	selectDirs                                string
	smooth, pieces                            int
	fromDetector, baselines                   bool
	threshold                                 float64
}

func main() {
	var c config
	flag.StringVar(&c.nab, "nab", os.Getenv("NAB_DIR"),
		"NAB corpus: a numenta/NAB checkout or a data/ + labels.json copy (default $NAB_DIR, else ../shared/nab)")
	flag.StringVar(&c.data, "data", "", "NAB data directory (data/<category>/<file>.csv); with -labels, overrides -nab")
	flag.StringVar(&c.labels, "labels", "", "NAB combined windows JSON; with -data, overrides -nab")
	flag.StringVar(&c.out, "out", "", "output directory for per-file score CSVs (default: a new temporary directory)")
	flag.StringVar(&c.detector, "detector", "", "run only this detector (default: all)")
	flag.BoolVar(&c.fromDetector, "threshold-from-detector", true,
		"also score at each detector's own default threshold (Result.Anomaly)")
	flag.Float64Var(&c.threshold, "threshold", -1, "also score at this fixed threshold on Score (negative: off)")
	flag.StringVar(&c.jsonOut, "json", "", "write all figures to this JSON file")
	flag.BoolVar(&c.baselines, "baselines", false, "also run NAB's null and random baselines")
	flag.StringVar(&c.selectDirs, "select", "",
		"compare the comma-separated score directories of earlier runs (-out/<detector>, the current setting first) with nested cross-validation; runs no detector")
	flag.IntVar(&c.smooth, "smooth", 0,
		"with -select: the directories are an ordered grid of one parameter; pick each fold's setting by its mean over itself and this many neighbours on either side")
	flag.IntVar(&c.pieces, "pieces", 0,
		"cut every file into pieces of about this many rows, each scored as a file (a fresh detector, its own probation): how the detectors do on short streams")
	flag.Parse()
	if err := c.resolve(); err != nil {
		fmt.Fprintln(os.Stderr, "anomaly-benchmark:", err)
		os.Exit(2)
	}
	if err := run(c, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "anomaly-benchmark:", err)
		os.Exit(1)
	}
}

// report holds one detector's figures; it is also the -json schema.
type report struct {
	Detector     string                    `json:"detector"`
	Points       int                       `json:"points"`
	PointsPerSec float64                   `json:"points_per_sec"`
	Profiles     map[string]profileFigures `json:"profiles"`
}

type profileFigures struct {
	SweepThreshold *float64 `json:"sweep_threshold"` // nil: detect nothing
	Sweep          float64  `json:"sweep"`
	// CVCategory and CVStream are cross-validated scores (see cv.go):
	// each NAB category, or each of 5 round-robin folds of files, scored
	// at the threshold swept on the rest.
	// Nil when the corpus has fewer than 2 categories or files.
	CVCategory *float64 `json:"cv_category,omitempty"`
	CVStream   *float64 `json:"cv_stream,omitempty"`
	Default    *float64 `json:"default,omitempty"`
	Fixed      *float64 `json:"fixed,omitempty"`
}

// resolve fills data and labels from -nab, NAB_DIR or ../shared/nab, and
// out with a temporary directory, unless given.
func (c *config) resolve() error {
	if c.pieces != 0 && c.pieces < minPieceRows {
		return fmt.Errorf("-pieces %d: want 0 (whole files) or at least %d rows a piece", c.pieces, minPieceRows)
	}
	if c.smooth < 0 {
		return fmt.Errorf("-smooth %d: want 0 or more neighbours", c.smooth)
	}
	if c.smooth > 0 && c.selectDirs == "" {
		return fmt.Errorf("-smooth %d needs -select (it changes how -select picks)", c.smooth)
	}
	if (c.data == "") != (c.labels == "") {
		return errors.New("-data and -labels go together; or give -nab DIR")
	}
	if c.data == "" {
		dir := c.nab
		if dir == "" {
			dir = filepath.Join("..", "shared", "nab")
		}
		var err error
		if c.data, c.labels, err = eval.FindNAB(dir); err != nil {
			return fmt.Errorf("%w\n\tpoint -nab (or NAB_DIR) at a checkout of https://github.com/numenta/NAB", err)
		}
	}
	if c.out == "" && c.selectDirs == "" { // -select writes nothing
		dir, err := os.MkdirTemp("", "nab-scores-")
		if err != nil {
			return err
		}
		c.out = dir
		fmt.Println("scores written under", dir)
	}
	return nil
}

func run(c config, w io.Writer) error {
	labels, err := eval.LoadLabels(c.labels)
	if err != nil {
		return err
	}
	corpus, err := eval.LoadCorpus(c.data, labels, eval.SkipMissing())
	if err != nil {
		return err
	}
	var source map[string]string
	if c.pieces > 0 {
		if corpus, source, err = cutPieces(corpus, c.pieces); err != nil {
			return err
		}
	}
	if c.selectDirs != "" {
		return selectCandidates(corpus, source, c.selectDirs, c.smooth, w)
	}
	all := detect.Catalog()
	if c.baselines {
		all = append(all, baselines()...)
	}
	var selected []detect.Factory
	for _, f := range all {
		if c.detector == "" || f.Name == c.detector {
			selected = append(selected, f)
		}
	}
	if len(selected) == 0 {
		return fmt.Errorf("no detector named %q", c.detector)
	}
	total, scored := corpus.WindowCounts()
	fmt.Fprintf(w, "corpus: %d files, %d rows, %d windows (%d scored)\n\n",
		len(corpus.Files), corpus.Rows(), total, scored)
	fmt.Fprintf(w, "%-16s %-20s %10s %10s %10s %10s %10s", "detector", "profile", "sweep_thr", "sweep", "cv_cat", "cv_stream", "default")
	if c.threshold >= 0 {
		fmt.Fprintf(w, " %10s", fmt.Sprintf("at_%g", c.threshold))
	}
	fmt.Fprintf(w, " %12s\n", "points/s")
	var reports []report
	for _, f := range selected {
		rep, err := benchmark(c, corpus, source, f)
		if err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
		printReport(w, c, rep)
		reports = append(reports, rep)
	}
	if c.jsonOut != "" {
		b, err := json.MarshalIndent(reports, "", " ")
		if err != nil {
			return err
		}
		return os.WriteFile(c.jsonOut, append(b, '\n'), 0o644)
	}
	return nil
}

// benchmark streams every file through a fresh detector, writes the
// outputs and scores them.
func benchmark(c config, corpus *eval.Corpus, source map[string]string, f detect.Factory) (report, error) {
	run, err := corpus.Run(f.New)
	if err != nil {
		return report{}, err
	}
	for _, file := range corpus.Files {
		if err := writeCSV(filepath.Join(c.out, f.Name), file, run.Scores[file.Path]); err != nil {
			return report{}, err
		}
		if err := writeCSV(filepath.Join(c.out, f.Name+".anomaly"), file, run.Flags[file.Path]); err != nil {
			return report{}, err
		}
	}
	rep := report{Detector: f.Name, Points: run.Points, PointsPerSec: run.PointsPerSecond(), Profiles: map[string]profileFigures{}}
	for _, p := range eval.Profiles() {
		var fig profileFigures
		r, err := corpus.Evaluate(run.Scores, p)
		if err != nil {
			return report{}, err
		}
		fig.Sweep = r.Normalized
		if fig.CVCategory, err = crossValidate(corpus, run.Scores, p, foldsByCategory(corpus)); err != nil {
			return report{}, err
		}
		if fig.CVStream, err = crossValidate(corpus, run.Scores, p, foldsByStream(corpus, 5, source)); err != nil {
			return report{}, err
		}
		if !math.IsInf(r.Threshold, 1) {
			fig.SweepThreshold = &r.Threshold
		}
		if c.fromDetector {
			if fig.Default, err = normalizedAt(corpus, run.Flags, p, 1); err != nil {
				return report{}, err
			}
		}
		if c.threshold >= 0 {
			if fig.Fixed, err = normalizedAt(corpus, run.Scores, p, c.threshold); err != nil {
				return report{}, err
			}
		}
		rep.Profiles[p.Name] = fig
	}
	return rep, nil
}

func normalizedAt(corpus *eval.Corpus, s eval.Scores, p eval.Profile, thr float64) (*float64, error) {
	r, err := corpus.ScoreAt(s, p, thr)
	if err != nil {
		return nil, err
	}
	return &r.Normalized, nil
}

func writeCSV(dir string, file *eval.File, scores []float64) error {
	p := filepath.Join(dir, filepath.FromSlash(file.Path))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	fh, err := os.Create(p)
	if err != nil {
		return err
	}
	if err := eval.WriteScores(fh, file.Timestamps, scores); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}

func printReport(w io.Writer, c config, rep report) {
	for _, p := range eval.Profiles() {
		fig := rep.Profiles[p.Name]
		thr := "none"
		if fig.SweepThreshold != nil {
			thr = fmt.Sprintf("%.6g", *fig.SweepThreshold)
		}
		fmt.Fprintf(w, "%-16s %-20s %10s %10.4f %10s %10s %10s", rep.Detector, p.Name, thr, fig.Sweep, optional(fig.CVCategory), optional(fig.CVStream), optional(fig.Default))
		if c.threshold >= 0 {
			fmt.Fprintf(w, " %10s", optional(fig.Fixed))
		}
		fmt.Fprintf(w, " %12.0f\n", rep.PointsPerSec)
	}
	fmt.Fprintln(w, strings.Repeat("-", 16))
}

func optional(x *float64) string {
	if x == nil {
		return "-"
	}
	return fmt.Sprintf("%.4f", *x)
}
