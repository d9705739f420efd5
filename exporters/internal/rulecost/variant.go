package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"time"
)

// variant is one rule set on its own Prometheus and copy of the TSDB.
type variant struct {
	name   string
	rules  []byte
	base   string
	cmd    *exec.Cmd
	group  []float64            // seconds, one per sampled evaluation
	nrules int                  // in the group
	rule   map[string][]float64 // by rule name and window
}

func (v *variant) start(ctx context.Context, c config, tsdb string) error {
	dir := filepath.Join(c.dir, v.name)
	data := filepath.Join(dir, "data")
	if err := copyTree(tsdb, data); err != nil {
		return err
	}
	rules := filepath.Join(dir, "rules.yml")
	if err := os.WriteFile(rules, v.rules, 0o644); err != nil {
		return err
	}
	conf := filepath.Join(dir, "prometheus.yml")
	text := fmt.Sprintf("global:\n  evaluation_interval: %v\nrule_files: [%q]\n", c.eval, rules)
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		return err
	}
	addr, err := freePort()
	if err != nil {
		return err
	}
	log, err := os.Create(filepath.Join(dir, "prometheus.log"))
	if err != nil {
		return err
	}
	v.base = "http://" + addr
	v.cmd = exec.CommandContext(ctx, c.prometheus, "--config.file="+conf, "--storage.tsdb.path="+data,
		"--storage.tsdb.retention.time=400d", "--web.listen-address="+addr)
	v.cmd.Stdout, v.cmd.Stderr = log, log
	if err := v.cmd.Start(); err != nil {
		return err
	}
	return waitReady(ctx, v.base)
}

func (v *variant) stop() {
	if v.cmd != nil && v.cmd.Process != nil {
		_ = v.cmd.Process.Kill()
		_ = v.cmd.Wait()
	}
}

// sample reads /api/v1/rules until it holds c.samples evaluations after
// the first three (cold caches), one sample per evaluation.
func (v *variant) sample(ctx context.Context, c config) error {
	client := &http.Client{Timeout: 10 * time.Second}
	v.rule = map[string][]float64{}
	var last string
	seen := 0
	for len(v.group) < c.samples {
		g, err := v.read(ctx, client)
		if err != nil {
			return err
		}
		if g != nil && g.LastEvaluation != last && g.EvaluationTime > 0 {
			last = g.LastEvaluation
			if seen++; seen > 3 {
				v.group = append(v.group, g.EvaluationTime)
				v.nrules = len(g.Rules)
				for _, r := range g.Rules {
					key := r.Name + " " + r.Labels["slo_window"] + r.Labels["long_window"]
					v.rule[key] = append(v.rule[key], r.EvaluationTime)
				}
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: %d samples of %d: %w", v.name, len(v.group), c.samples, ctx.Err())
		case <-time.After(c.eval / 3):
		}
	}
	return nil
}

type group struct {
	Name           string  `json:"name"`
	EvaluationTime float64 `json:"evaluationTime"`
	LastEvaluation string  `json:"lastEvaluation"`
	Rules          []struct {
		Name           string            `json:"name"`
		Labels         map[string]string `json:"labels"`
		EvaluationTime float64           `json:"evaluationTime"`
	} `json:"rules"`
}

// read returns the objective's group from /api/v1/rules (nil before its
// first evaluation).
func (v *variant) read(ctx context.Context, client *http.Client) (*group, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, v.base+"/api/v1/rules", nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var doc struct {
		Data struct {
			Groups []group `json:"groups"`
		} `json:"data"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 8<<20)).Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s /api/v1/rules: %w", v.name, err)
	}
	for i := range doc.Data.Groups {
		if doc.Data.Groups[i].Name == "nines-slo-"+objective {
			return &doc.Data.Groups[i], nil
		}
	}
	return nil, nil
}

func (v *variant) report(w io.Writer) {
	lo, med, hi := stats(v.group)
	fmt.Fprintf(w, "%s: %d rules, %d evaluations: group evaluationTime min %.1f ms, median %.1f ms, max %.1f ms\n",
		v.name, v.nrules, len(v.group), lo*1e3, med*1e3, hi*1e3)
	type kv struct {
		k   string
		med float64
	}
	var rules []kv
	for k, s := range v.rule {
		_, m, _ := stats(s)
		rules = append(rules, kv{k, m})
	}
	sort.Slice(rules, func(i, j int) bool { return rules[i].med > rules[j].med })
	for _, r := range rules[:min(6, len(rules))] {
		fmt.Fprintf(w, "  median %6.2f ms  %s\n", r.med*1e3, r.k)
	}
}

// stats returns the min, median and max of s.
func stats(s []float64) (lo, med, hi float64) {
	if len(s) == 0 {
		return 0, 0, 0
	}
	s = slices.Sorted(slices.Values(s))
	med = s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return s[0], med, s[len(s)-1]
}

// copyTree copies the directory src to dst.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}
