package main

import (
	"strings"
	"testing"
	"time"
)

// TestODConfigApplied checks that grpc-go is registered and parses the
// config to the values given, so the comparison never runs on defaults.
func TestODConfigApplied(t *testing.T) {
	cfg := benchConfig{interval: 1500 * time.Millisecond, baseEjection: 20 * time.Second, maxEjection: 200 * time.Second,
		maxEjectedPercent: 30, minCalls: 7, failurePercent: 15}
	for _, sr := range []bool{true, false} {
		got, err := checkOD(odConfig(cfg, sr))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`"interval":"1.500s"`, `"baseEjectionTime":"20s"`, `"maxEjectionTime":"200s"`, `"maxEjectionPercent":30`,
			`"failurePercentageEjection":{"threshold":15,"enforcementPercentage":100,"minimumHosts":5,"requestVolume":7}`, `"round_robin"`} {
			if !strings.Contains(got, want) {
				t.Errorf("success rate %v: parsed %s, want %s in it", sr, got, want)
			}
		}
		if hasSR := strings.Contains(got, `"successRateEjection":{"stdevFactor":1900,"enforcementPercentage":100,"minimumHosts":5,"requestVolume":7}`); hasSR != sr {
			t.Errorf("success rate %v: parsed %s", sr, got)
		}
	}
}

func TestCheckODRejectsABadConfig(t *testing.T) {
	sc := strings.Replace(odConfig(benchConfig{interval: time.Second, maxEjectedPercent: 10}, false), `"interval":"1s"`, `"interval":1`, 1)
	if _, err := checkOD(sc); err == nil {
		t.Fatalf("checkOD accepted a numeric interval: %s", sc)
	}
}
