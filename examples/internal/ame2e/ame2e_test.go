package main

import (
	"os"
	"path/filepath"
	"testing"

	"go.uber.org/goleak"
	"go.yaml.in/yaml/v3"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The Alertmanager route and the checker select the fast page by its
// labels (severity="page", long_window="1h"); the generated rules must still
// carry them, or the e2e would wait for an alert that is never routed.
// This fails here, in seconds, rather than in the five-minute check.
func TestRulesCarryThePagedTierLabels(t *testing.T) {
	out := filepath.Join(t.TempDir(), "rules.yml")
	if err := rules([]string{"-o", out}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Groups []struct {
			Rules []struct {
				Alert  string            `yaml:"alert"`
				Expr   string            `yaml:"expr"`
				For    string            `yaml:"for"`
				Labels map[string]string `yaml:"labels"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	paged := 0
	for _, g := range file.Groups {
		for _, r := range g.Rules {
			if r.Alert != "SLOErrorBudgetBurn" || r.Labels["severity"] != "page" {
				continue
			}
			if r.Labels["slo_name"] != objective.Name {
				t.Errorf("page alert without slo_name=%s: %v", objective.Name, r.Labels)
			}
			if r.Labels["long_window"] == pagedTier {
				paged++
				if r.For != "" && r.For != "0s" {
					t.Errorf("paged tier has for: %s; the check expects none", r.For)
				}
			}
		}
	}
	if paged != 1 {
		t.Errorf("%d page alerts of the %s tier, want 1:\n%s", paged, pagedTier, data)
	}
}
