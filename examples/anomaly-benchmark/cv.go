package main

import (
	"path"
	"slices"

	"github.com/nines-sre/nines/detect/eval"
)

// A corpus-wide swept threshold has seen every file it is scored on, so the
// swept score flatters a detector whose scores were tuned on that corpus.
// The cross-validated score asks instead how well the threshold (and,
// through the engineer who compares runs, any parameter) transfers: the
// corpus is split into folds, each fold is scored at the threshold swept
// on the other folds only, and the held-out raw scores are summed and
// normalised as NAB normalises the whole corpus. A change that raises the
// swept score but lowers this one fitted the corpus, not the problem.

// foldsByCategory holds out one NAB category (the data directory's first
// path element) at a time: the question is whether the score carries over
// to a kind of stream never seen.
func foldsByCategory(c *eval.Corpus) [][]*eval.File {
	var folds [][]*eval.File
	index := map[string]int{}
	for _, f := range c.Files {
		cat := path.Dir(f.Path)
		k, ok := index[cat]
		if !ok {
			k = len(folds)
			index[cat] = k
			folds = append(folds, nil)
		}
		folds[k] = append(folds[k], f)
	}
	return folds
}

// foldsByStream deals the files, in path order, round-robin into k folds,
// so every fold mixes categories.
func foldsByStream(c *eval.Corpus, k int) [][]*eval.File {
	folds := make([][]*eval.File, k)
	for i, f := range c.Files {
		folds[i%k] = append(folds[i%k], f)
	}
	return folds
}

// crossValidate returns the normalised NAB score of s under p when every
// fold is scored at the threshold swept on the other folds, or nil when
// there are fewer than 2 non-empty folds.
func crossValidate(c *eval.Corpus, s eval.Scores, p eval.Profile, folds [][]*eval.File) (*float64, error) {
	folds = slices.DeleteFunc(folds, func(f []*eval.File) bool { return len(f) == 0 })
	if len(folds) < 2 {
		return nil, nil
	}
	raw := 0.0
	var whole eval.Result
	for k, held := range folds {
		var train []*eval.File
		for j, f := range folds {
			if j != k {
				train = append(train, f...)
			}
		}
		tc, err := eval.NewCorpus(train...)
		if err != nil {
			return nil, err
		}
		thr, err := tc.Sweep(s, p)
		if err != nil {
			return nil, err
		}
		// Scoring the whole corpus at thr gives the held-out files' raw
		// scores (a file's score depends only on its own rows) and the
		// whole corpus's normalisation.
		whole, err = c.ScoreAt(s, p, thr)
		if err != nil {
			return nil, err
		}
		inFold := map[string]bool{}
		for _, f := range held {
			inFold[f.Path] = true
		}
		for i, f := range c.Files {
			if inFold[f.Path] {
				raw += whole.PerFile[i]
			}
		}
	}
	if whole.Perfect == whole.Null {
		return nil, eval.ErrNoWindows
	}
	cv := 100 * (raw - whole.Null) / (whole.Perfect - whole.Null)
	return &cv, nil
}
