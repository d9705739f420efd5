package main

import (
	"fmt"
	"io"
	"os"

	"github.com/nines-sre/nines/logpattern"
)

// setting is one point of the leave-one-out grid.
type setting struct {
	similarity float64
	depth      int
}

func (s setting) String() string { return fmt.Sprintf("sim=%.2f depth=%d", s.similarity, s.depth) }

func (s setting) options() []logpattern.Option {
	return []logpattern.Option{logpattern.WithSimilarity(s.similarity), logpattern.WithDepth(s.depth)}
}

var grid = func() []setting {
	var g []setting
	for _, d := range []int{1, 2} {
		for _, s := range []float64{0.4, 0.5, 0.6, 0.7, 0.8, 0.9} {
			g = append(g, setting{s, d})
		}
	}
	return g
}()

// leaveOneOut scores every setting of the grid on every dataset, then for
// each dataset picks the setting with the best mean of the four metrics
// over the other datasets and reports the held-out dataset's scores with
// it: an estimate of how the settings do on data they were not chosen on.
// With LOO_DEBUG set in the environment it also prints each setting's mean
// score per dataset.
func leaveOneOut(w io.Writer, sets []dataset) error {
	table := make([][]score, len(grid)) // [setting][dataset]
	for i, g := range grid {
		for _, ds := range sets {
			pred, err := mine(ds, g.options())
			if err != nil {
				return err
			}
			table[i] = append(table[i], scoreDataset(ds.name, ds.gt, pred))
		}
	}
	mean := func(s score) float64 { return (s.GA + s.FGA + s.PA + s.FTA) / 4 }
	var held []score
	fmt.Fprintf(w, "\nleave-one-dataset-out (grid of %d settings)\n", len(grid))
	for d := range sets {
		best, bestV := 0, -1.0
		for i := range grid {
			v := 0.0
			for e := range sets {
				if e != d {
					v += mean(table[i][e])
				}
			}
			if v > bestV {
				best, bestV = i, v
			}
		}
		s := table[best][d]
		fmt.Fprintf(w, "%-10s chosen %-20s GA %.4f FGA %.4f PA %.4f FTA %.4f\n", s.Dataset, grid[best], s.GA, s.FGA, s.PA, s.FTA)
		held = append(held, s)
	}
	if os.Getenv("LOO_DEBUG") != "" {
		for i, g := range grid {
			fmt.Fprintf(w, "%-20s", g)
			for d := range sets {
				fmt.Fprintf(w, " %s=%.3f", sets[d].name[:3], mean(table[i][d]))
			}
			fmt.Fprintln(w)
		}
	}
	avg := average(held)
	fmt.Fprintf(w, "%-10s %-27s GA %.4f FGA %.4f PA %.4f FTA %.4f\n", "held-out", "average", avg[0], avg[1], avg[2], avg[3])
	fmt.Fprintln(w, "\nall-in (each setting on every dataset)")
	for i, g := range grid {
		a := average(table[i])
		fmt.Fprintf(w, "%-20s GA %.4f FGA %.4f PA %.4f FTA %.4f\n", g, a[0], a[1], a[2], a[3])
	}
	return nil
}
