package main

import (
	"math/big"
	"regexp"
	"strings"
)

// This file ports the metric definitions of ../shared/loghub/logscore.py
// (GA, FGA, PA, FTA and the template normalisation) exactly: counts are
// integers, ratios are big.Rat, and each value is rounded to a float64
// once, as logscore.py does with Fraction, so the two agree to the bit.
// The CI check 60-log-benchmark.sh compares them to 1e-9.

// score is one dataset's result.
type score struct {
	Dataset          string  `json:"dataset"`
	Lines            int     `json:"lines"`
	GA               float64 `json:"GA"`
	FGA              float64 `json:"FGA"`
	PA               float64 `json:"PA"`
	FTA              float64 `json:"FTA"`
	GTGroups         int     `json:"gt_groups"`
	PredGroups       int     `json:"pred_groups"`
	CorrectGroups    int     `json:"correct_groups"`
	CorrectTemplates int     `json:"correct_templates"`
	GALines          int     `json:"ga_lines"`
	PALines          int     `json:"pa_lines"`
	LinesPerSec      float64 `json:"lines_per_sec,omitempty"`
	LinesPerCPUSec   float64 `json:"lines_per_cpu_sec,omitempty"`

	exact [4]*big.Rat // GA, FGA, PA, FTA
}

var wildcardRun = regexp.MustCompile(`<\*>(?: ?<\*>)+`)

// normalise is logscore.py's norm: whitespace runs become one space, ends
// trimmed (Python's str.split splits on the same ASCII whitespace plus
// \x1c-\x1f and Unicode spaces; strings.Fields covers Unicode spaces, and
// isPySpace adds \x1c-\x1f), then runs of wildcards collapse to one.
func normalise(t string) string {
	t = strings.Join(strings.FieldsFunc(t, isPySpace), " ")
	return wildcardRun.ReplaceAllString(t, "<*>")
}

func isPySpace(r rune) bool {
	switch {
	case r >= 0x1c && r <= 0x1f:
		return true
	case r == ' ', r == '\t', r == '\n', r == '\v', r == '\f', r == '\r', r == 0x85, r == 0xa0:
		return true
	case r == 0x1680, r >= 0x2000 && r <= 0x200a, r == 0x2028, r == 0x2029, r == 0x202f, r == 0x205f, r == 0x3000:
		return true
	}
	return false
}

// f1 is 2PR/(P+R) for P = c/p and R = c/g, which is 2c/(p+g) (0 when c is
// 0), as an exact fraction.
func f1(c, p, g int) *big.Rat {
	if c == 0 {
		return new(big.Rat)
	}
	return big.NewRat(int64(2*c), int64(p+g))
}

// scoreDataset scores predictions against the ground truth; both map
// LineId to template and must have the same keys.
func scoreDataset(name string, gt, pred map[int]string) score {
	gtGroups := map[string][]int{}
	predGroups := map[string][]int{}
	for id, t := range gt {
		gtGroups[t] = append(gtGroups[t], id)
	}
	for id, t := range pred {
		predGroups[t] = append(predGroups[t], id)
	}
	norm := map[string]string{}
	nz := func(t string) string {
		v, ok := norm[t]
		if !ok {
			v = normalise(t)
			norm[t] = v
		}
		return v
	}
	s := score{Dataset: name, Lines: len(gt), GTGroups: len(gtGroups), PredGroups: len(predGroups)}
	for tpl, members := range predGroups {
		gtTpl := gt[members[0]]
		if !sameSet(gtGroups[gtTpl], members, gt, gtTpl) {
			continue
		}
		s.CorrectGroups++
		s.GALines += len(members)
		if nz(tpl) == nz(gtTpl) {
			s.CorrectTemplates++
		}
	}
	for id, g := range gt {
		if nz(pred[id]) == nz(g) {
			s.PALines++
		}
	}
	n := int64(s.Lines)
	s.exact = [4]*big.Rat{
		big.NewRat(int64(s.GALines), n),
		f1(s.CorrectGroups, s.PredGroups, s.GTGroups),
		big.NewRat(int64(s.PALines), n),
		f1(s.CorrectTemplates, s.PredGroups, s.GTGroups),
	}
	s.GA, _ = s.exact[0].Float64()
	s.FGA, _ = s.exact[1].Float64()
	s.PA, _ = s.exact[2].Float64()
	s.FTA, _ = s.exact[3].Float64()
	return s
}

// sameSet reports whether the predicted group members equals the
// ground-truth group: same size and every member has that ground truth.
func sameSet(gtMembers, members []int, gt map[int]string, gtTpl string) bool {
	if len(gtMembers) != len(members) {
		return false
	}
	for _, id := range members {
		if gt[id] != gtTpl {
			return false
		}
	}
	return true
}

// average is the unweighted mean of each metric, exact, rounded once.
func average(rs []score) [4]float64 {
	var out [4]float64
	if len(rs) == 0 {
		return out
	}
	for i := range out {
		sum := new(big.Rat)
		for _, r := range rs {
			sum.Add(sum, r.exact[i])
		}
		sum.Quo(sum, big.NewRat(int64(len(rs)), 1))
		out[i], _ = sum.Float64()
	}
	return out
}
