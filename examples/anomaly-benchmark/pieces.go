package main

import (
	"fmt"
	"path"
	"strings"

	"github.com/nines-sre/nines/detect/eval"
)

// Short streams. Most of the development corpus's files hold about 4,000
// rows, while NAB's other files include short ones (about 1,500 to 2,500
// rows). A detector learns its stream as it goes, so how it behaves in a
// stream's first thousand rows weighs more there. -pieces N asks that
// question of any corpus: every file is cut into consecutive pieces of
// about N rows, each scored as NAB scores a file (a fresh detector, its own
// probation), with the windows it holds. Nothing is read beyond the corpus
// given.

// minPieceRows is the shortest piece -pieces accepts: with NAB's 15%
// probation, fewer rows leave too little to score.
const minPieceRows = 200

// cutPieces returns the files of c cut into pieces of about n rows, and
// each piece's source file. A cut never falls inside a window (the piece
// runs on to the window's end) and a remainder shorter than n/2 joins the
// piece before it. Piece k of cat/name.csv is cat/name_p<k>.csv. n is at
// least minPieceRows (config.resolve checks it).
func cutPieces(c *eval.Corpus, n int) (*eval.Corpus, map[string]string, error) {
	var files []*eval.File
	source := map[string]string{}
	for _, f := range c.Files {
		rows := len(f.Timestamps)
		base := strings.TrimSuffix(f.Path, path.Ext(f.Path))
		for k, start := 0, 0; start < rows; k++ {
			end := min(rows, start+n) // exclusive
			for _, w := range f.Windows {
				if w.Start < end && end <= w.End {
					end = w.End + 1
				}
			}
			if rows-end < n/2 {
				end = rows
			}
			var wins []eval.Window
			for _, w := range f.Windows {
				if w.Start >= start && w.End < end {
					wins = append(wins, eval.Window{Start: f.Timestamps[w.Start], End: f.Timestamps[w.End]})
				}
			}
			var values []float64
			if f.Values != nil {
				values = f.Values[start:end]
			}
			p := fmt.Sprintf("%s_p%d.csv", base, k)
			piece, err := eval.NewFile(p, f.Timestamps[start:end], values, wins)
			if err != nil {
				return nil, nil, err
			}
			files = append(files, piece)
			source[p] = f.Path
			start = end
		}
	}
	pc, err := eval.NewCorpus(files...)
	return pc, source, err
}
