package main

import (
	"math"
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

// foldsByStream deals the streams, in path order, round-robin into k
// folds, so every fold mixes categories. A stream is a file or, for a
// corpus cut by -pieces, every piece of one source file (source maps a
// piece to it; nil when not cut): pieces of one stream share its habits,
// so they are held out together.
func foldsByStream(c *eval.Corpus, k int, source map[string]string) [][]*eval.File {
	folds := make([][]*eval.File, k)
	index := map[string]int{}
	for _, f := range c.Files {
		s, ok := source[f.Path]
		if !ok {
			s = f.Path
		}
		i, seen := index[s]
		if !seen {
			i = len(index)
			index[s] = i
		}
		folds[i%k] = append(folds[i%k], f)
	}
	return folds
}

// crossValidate returns the normalised NAB score of s under p when every
// fold is scored at the threshold swept on the other folds, or nil when
// there are fewer than 2 non-empty folds.
func crossValidate(c *eval.Corpus, s eval.Scores, p eval.Profile, folds [][]*eval.File) (*float64, error) {
	cv, _, err := nestedCV(c, []eval.Scores{s}, p, folds, 0)
	return cv, err
}

// nestedCV is crossValidate with a choice among candidates (the scores of
// the same detector under different parameters): for each fold, the
// candidate with the best swept raw score on the other folds (the first on
// a tie; with smooth > 0, see pick) is chosen, and the fold is scored with that candidate at its
// threshold swept on the other folds. A parameter picked on the whole
// corpus sees every file it is scored on, as a swept threshold does; this
// score does not. It returns the score and each fold's pick, or nil when
// there are fewer than 2 non-empty folds.
func nestedCV(c *eval.Corpus, cands []eval.Scores, p eval.Profile, folds [][]*eval.File, smooth int) (*float64, []int, error) {
	folds = slices.DeleteFunc(folds, func(f []*eval.File) bool { return len(f) == 0 })
	if len(folds) < 2 || len(cands) == 0 {
		return nil, nil, nil
	}
	raw := 0.0
	picks := make([]int, len(folds))
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
			return nil, nil, err
		}
		rs := make([]eval.Result, len(cands))
		for i, s := range cands {
			if rs[i], err = tc.Evaluate(s, p); err != nil {
				return nil, nil, err
			}
		}
		picks[k] = pick(rs, smooth)
		thr := rs[picks[k]].Threshold
		// Scoring the whole corpus at thr gives the held-out files' raw
		// scores (a file's score depends only on its own rows) and the
		// whole corpus's normalisation.
		whole, err = c.ScoreAt(cands[picks[k]], p, thr)
		if err != nil {
			return nil, nil, err
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
		return nil, nil, eval.ErrNoWindows
	}
	cv := 100 * (raw - whole.Null) / (whole.Perfect - whole.Null)
	return &cv, picks, nil
}

// pick returns the index of the best of the swept results rs, the first on
// a tie. With smooth > 0 the candidates are an ordered grid of one
// parameter and each is judged by the mean raw score of itself and up to
// smooth neighbours on either side: where the score is a noisy function of
// the parameter, the best single setting is often a lucky one beside a
// cliff, and the middle of a plateau holds up better on held-out files.
func pick(rs []eval.Result, smooth int) int {
	best, bestMean := 0, math.Inf(-1)
	for i := range rs {
		lo, hi := max(0, i-smooth), min(len(rs)-1, i+smooth)
		sum := 0.0
		for _, r := range rs[lo : hi+1] {
			sum += r.Raw
		}
		if m := sum / float64(hi-lo+1); m > bestMean {
			best, bestMean = i, m
		}
	}
	return best
}
