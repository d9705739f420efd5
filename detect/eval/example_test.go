package eval_test

import (
	"fmt"
	"time"

	"github.com/nines-sre/nines/detect/eval"
)

// A 100-row stream with one anomaly window over rows 50..59, scored for a
// detector that fires at row 52 and, falsely, at row 80.
func Example() {
	start := time.Date(2014, 4, 10, 0, 0, 0, 0, time.UTC)
	ts := make([]time.Time, 100)
	for i := range ts {
		ts[i] = start.Add(time.Duration(i) * time.Minute)
	}
	f, err := eval.NewFile("demo/stream.csv", ts, nil, []eval.Window{{Start: ts[50], End: ts[59]}})
	if err != nil {
		fmt.Println(err)
		return
	}
	corpus, _ := eval.NewCorpus(f)
	scores := make([]float64, 100)
	scores[52], scores[80] = 0.9, 0.6
	for _, p := range eval.Profiles() {
		r, err := corpus.Evaluate(eval.Scores{"demo/stream.csv": scores}, p)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%-18s threshold %.1f  NAB %.2f\n", p.Name, r.Threshold, r.Normalized)
	}
	// Output:
	// standard           threshold 0.9  NAB 98.86
	// reward_low_FP_rate threshold 0.9  NAB 98.86
	// reward_low_FN_rate threshold 0.9  NAB 99.24
}
