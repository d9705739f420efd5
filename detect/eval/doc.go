// Package eval scores anomaly detectors the way the Numenta Anomaly
// Benchmark (NAB v1.1) does, so the detectors in package detect can be
// measured on NAB-layout corpora without Python. It agrees with the
// independent scorer nabscore.py to floating-point rounding.
//
// # Scoring rules
//
// A corpus is a set of data files (data/<category>/<file>.csv with a
// timestamp and a value column) and labels: per file, anomaly windows given
// by their first and last timestamps. A detector writes one score in [0, 1]
// per row. Then, per profile ([Standard], [RewardLowFPRate],
// [RewardLowFNRate]):
//
//   - the first min(floor(0.15*n), 750) rows of an n-row file are a
//     probationary period and are not scored ([ProbationRows]);
//   - a row whose score is at or above the threshold is a detection;
//   - in each window only the earliest detection counts: TP weight times
//     NAB's scaled sigmoid of its position, 1 at the window's first row,
//     near 0 at its last;
//   - each detection outside windows costs FP weight times the sigmoid of
//     its distance after the last window that ended (or the full weight
//     before the first window);
//   - each window with a scored row but no detection costs the FN weight;
//   - one threshold per profile is chosen over the whole corpus to maximise
//     the summed raw score ([Corpus.Sweep]);
//   - the raw score is normalised to 100*(raw-null)/(perfect-null), where
//     null detects nothing and perfect detects every window at its start.
//
// # Usage
//
// Load a corpus with [LoadLabels] and [LoadCorpus], stream a detector over
// it with [Corpus.Run] (a fresh detector per file, NAB's rules) or read
// another tool's output with [Corpus.LoadScores], then call
// [Corpus.Evaluate] for the swept score, [Corpus.DefaultThreshold] for the
// score at the detector's own threshold (exactly the rows with
// Result.Anomaly set are detections) or [Corpus.ScoreAt] for a fixed
// threshold. The command examples/anomaly-benchmark runs every detector
// this way.
//
// # Compatibility
//
// Files are visited in path order and the sweep sorts stably, so the running
// sums are the ones nabscore.py forms; the check in .ci/checks/30-nab.sh
// compares the two on the development corpus within 0.01 points. Timestamps
// accept what Python's datetime.fromisoformat accepts for NAB files (see
// [ParseTimestamp]); values are parsed with strconv.ParseFloat.
//
// # Performance
//
// Loading precomputes each row's window and reward, so scoring at a
// threshold is one pass over the rows and the sweep is one sort of the
// scored rows (O(n log n)); the 180k-row development corpus scores in
// milliseconds. This package is for offline evaluation, not hot paths.
//
// # Cardinality
//
// eval exports no metrics. Memory is proportional to the corpus: about 40
// bytes per row plus the scores.
package eval
