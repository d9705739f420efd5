package config_test

import (
	"errors"
	"testing"

	"github.com/nines-sre/nines/internal/config"
)

func TestSentinel(t *testing.T) {
	health := config.New("health")
	slo := config.New("slo")
	err := config.Error(health, "Check.Interval", "-1s", "must be positive")
	if got, want := err.Error(), `health: invalid config: Check.Interval = "-1s": must be positive`; got != want {
		t.Fatalf("message %q, want %q", got, want)
	}
	if !errors.Is(err, health) || !errors.Is(err, config.ErrInvalid) || errors.Is(err, slo) {
		t.Fatal("errors.Is does not match the package sentinel and ErrInvalid only")
	}
	err = config.Error(slo, "Target", 1.5, "must be in (0, 1)")
	if got, want := err.Error(), "slo: invalid config: Target = 1.5: must be in (0, 1)"; got != want {
		t.Fatalf("message %q, want %q", got, want)
	}
	if got, want := config.Errorf(slo, "%d objectives share the name %q", 2, "x").Error(), `slo: invalid config: 2 objectives share the name "x"`; got != want {
		t.Fatalf("Errorf message %q, want %q", got, want)
	}
}
