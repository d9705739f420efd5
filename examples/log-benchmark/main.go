// Command log-benchmark mines every dataset of a Loghub-2k style corpus
// with the logpattern package and scores the templates with a Go port of
// the corpus' scorer logscore.py (GA, FGA, PA, FTA).
//
// Usage:
//
//	go run ./examples/log-benchmark -corpus ../shared/loghub -out /tmp/logpred \
//	    [-json FILE] [-loo]
//
// The corpus holds data/<DS>/<DS>_2k.log,
// data/<DS>/<DS>_2k.log_structured_corrected.csv and formats.json. Every
// dataset found is mined with a fresh miner and the same settings (the
// package defaults: one parameter set, no per-dataset expressions). The
// message of each line is cut out of the raw line with the dataset's
// log_format; without one, the Content column is read. For each dataset
// it writes -out/<DS>.csv (LineId,EventTemplate: the final text of the
// line's template) and prints GA, FGA, PA, FTA and lines per second (the
// Observe calls only, one goroutine, fresh miners: the best run by the
// wall clock, and all runs by process CPU time, which a shared machine
// does not inflate). Check
// the files independently with
//
//	python3 ../shared/loghub/logscore.py --data ../shared/loghub/data --pred /tmp/logpred
//
// -json writes the scores in logscore.py's --json shape; -loo also runs a
// leave-one-dataset-out check of the settings: for each dataset it picks
// from a small grid the setting with the best mean score on the other
// datasets and scores the held-out dataset with it.
package main

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/nines-sre/nines/logpattern"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "log-benchmark:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("log-benchmark", flag.ContinueOnError)
	corpus := fs.String("corpus", "", "corpus directory (data/<DS>/..., formats.json)")
	out := fs.String("out", "", "directory for the <DS>.csv predictions")
	jsonPath := fs.String("json", "", "write the scores as JSON to this file")
	loo := fs.Bool("loo", false, "also run the leave-one-dataset-out check of the settings")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *corpus == "" || *out == "" {
		return fmt.Errorf("-corpus and -out are required")
	}
	names, err := listDatasets(filepath.Join(*corpus, "data"))
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return fmt.Errorf("no data/<DS>/<DS>%s under %s", gtSuffix, *corpus)
	}
	formats, err := readFormats(filepath.Join(*corpus, "formats.json"))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	var sets []dataset
	for _, n := range names {
		ds, err := loadDataset(*corpus, n, formats)
		if err != nil {
			return err
		}
		sets = append(sets, ds)
	}
	var results []score
	for _, ds := range sets {
		pred, err := mine(ds, nil)
		if err != nil {
			return err
		}
		if err := writePredictions(filepath.Join(*out, ds.name+".csv"), ds, pred); err != nil {
			return err
		}
		s := scoreDataset(ds.name, ds.gt, pred)
		s.LinesPerSec, s.LinesPerCPUSec = throughput(ds.messages)
		results = append(results, s)
	}
	printTable(stdout, "logpattern defaults, one parameter set", results)
	if *jsonPath != "" {
		if err := writeJSON(*jsonPath, results); err != nil {
			return err
		}
	}
	if *loo {
		return leaveOneOut(stdout, sets)
	}
	return nil
}

// mine runs a fresh miner over the dataset and returns each ground-truth
// line's final template text.
func mine(ds dataset, opts []logpattern.Option) (map[int]string, error) {
	m, err := logpattern.New(opts...)
	if err != nil {
		return nil, err
	}
	ids := make([]logpattern.ID, len(ds.messages))
	last := map[logpattern.ID]string{}
	for i, msg := range ds.messages {
		r := m.Observe(msg)
		ids[i] = r.ID
		last[r.ID] = r.Template
	}
	pred := make(map[int]string, len(ds.gt))
	for id := range ds.gt {
		tid := ids[id-1]
		text, ok := m.Lookup(tid)
		if !ok {
			text = last[tid] // evicted: its last text
		}
		pred[id] = text
	}
	return pred, nil
}

// throughput mines msgs with fresh miners for at least 200 ms and returns
// the best run's lines per wall-clock second and the lines per CPU second
// over all runs (Observe calls only, one goroutine).
func throughput(msgs []string) (wall, cpu float64) {
	var total time.Duration
	lines := 0
	c0 := cpuTime()
	for runs := 0; runs < 5 || total < 200*time.Millisecond; runs++ {
		m, _ := logpattern.New()
		start := time.Now()
		for _, msg := range msgs {
			m.Observe(msg)
		}
		d := time.Since(start)
		total += d
		lines += len(msgs)
		wall = max(wall, float64(len(msgs))/d.Seconds())
	}
	if c := cpuTime() - c0; c > 0 {
		cpu = float64(lines) / c.Seconds()
	}
	return wall, cpu
}

func writePredictions(path string, ds dataset, pred map[int]string) error {
	ids := make([]int, 0, len(pred))
	for id := range pred {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	_ = w.Write([]string{"LineId", "EventTemplate"})
	for _, id := range ids {
		_ = w.Write([]string{strconv.Itoa(id), pred[id]})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func printTable(w io.Writer, title string, rs []score) {
	fmt.Fprintf(w, "%s\n%-10s %6s %7s %7s %7s %7s %12s %12s\n", title, "dataset", "lines", "GA", "FGA", "PA", "FTA", "lines/s", "lines/cpu-s")
	var lps, cps float64
	for _, r := range rs {
		fmt.Fprintf(w, "%-10s %6d %7.4f %7.4f %7.4f %7.4f %12.0f %12.0f\n", r.Dataset, r.Lines, r.GA, r.FGA, r.PA, r.FTA, r.LinesPerSec, r.LinesPerCPUSec)
		lps += r.LinesPerSec
		cps += r.LinesPerCPUSec
	}
	avg := average(rs)
	n := float64(len(rs))
	fmt.Fprintf(w, "%-10s %6s %7.4f %7.4f %7.4f %7.4f %12.0f %12.0f\n", "average", "", avg[0], avg[1], avg[2], avg[3], lps/n, cps/n)
	fmt.Fprintln(w, "(lines/s: best fresh-miner run by the wall clock; lines/cpu-s: all runs by process CPU time; mining only)")
}

func writeJSON(path string, rs []score) error {
	avg := average(rs)
	lines := 0
	for _, r := range rs {
		lines += r.Lines
	}
	doc := map[string]any{
		"datasets": rs,
		"average":  map[string]any{"datasets": len(rs), "lines": lines, "GA": avg[0], "FGA": avg[1], "PA": avg[2], "FTA": avg[3]},
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
