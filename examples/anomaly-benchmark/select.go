package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/nines-sre/nines/detect/eval"
)

// The cross-validated scores of a run hold out the threshold only: the
// detector's parameters were chosen by whoever compared runs on the whole
// corpus. -select holds out that choice too. Given the score directories
// of earlier runs (each an -out/<detector> written with one parameter
// setting), it prints each candidate's figures and then the nested
// cross-validated score: every fold is scored with the candidate that was
// best on the other folds, at that candidate's threshold swept there. A
// setting that beats the current one under plain cross-validation but not
// nested is a choice fitted to the corpus. With -smooth K the directories
// are an ordered grid of one parameter, and each fold picks the setting
// whose mean over itself and K neighbours on either side was best on the
// other folds (see pick in cv.go).

// selectCandidates loads every directory in the comma-separated list dirs
// and prints the comparison to w.
func selectCandidates(corpus *eval.Corpus, source map[string]string, dirs string, smooth int, w io.Writer) error {
	var names []string
	var cands []eval.Scores
	for _, d := range strings.Split(dirs, ",") {
		if d = strings.TrimSpace(d); d == "" {
			continue
		}
		s, err := corpus.LoadScores(d)
		if err != nil {
			return fmt.Errorf("-select %s: %w", d, err)
		}
		names, cands = append(names, d), append(cands, s)
	}
	if len(cands) == 0 {
		return fmt.Errorf("-select %q: no score directory", dirs)
	}
	byCat, byStream := foldsByCategory(corpus), foldsByStream(corpus, 5, source)
	for _, p := range eval.Profiles() {
		fmt.Fprintf(w, "%s\n  %-4s %10s %10s %10s  %s\n", p.Name, "#", "sweep", "cv_cat", "cv_stream", "scores")
		for i, s := range cands {
			r, err := corpus.Evaluate(s, p)
			if err != nil {
				return err
			}
			cat, err := crossValidate(corpus, s, p, byCat)
			if err != nil {
				return err
			}
			stream, err := crossValidate(corpus, s, p, byStream)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "  %-4d %10.4f %10s %10s  %s\n", i, r.Normalized, optional(cat), optional(stream), names[i])
		}
		cat, catPicks, err := nestedCV(corpus, cands, p, byCat, smooth)
		if err != nil {
			return err
		}
		stream, streamPicks, err := nestedCV(corpus, cands, p, byStream, smooth)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  nested %19s %10s  (picks by category %v, by stream %v)\n", optional(cat), optional(stream), catPicks, streamPicks)
	}
	return nil
}
