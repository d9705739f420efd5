package runapp

import (
	"fmt"
	"os"

	"github.com/nines-sre/nines/exporters"
	"github.com/nines-sre/nines/slo"
)

// WriteRules writes the Prometheus recording and alert rules of objs (a
// Monitor's Objectives) to path, as the -rules flag asks: the rules exist
// before the service serves, because its routes and dependencies are
// declared at construction.
func WriteRules(path string, objs []slo.Objective) error {
	if len(objs) == 0 {
		return fmt.Errorf("-rules %s: no objective to write rules for", path)
	}
	rules, err := exporters.PrometheusRules(objs)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, rules, 0o644); err != nil {
		return fmt.Errorf("-rules: %w", err)
	}
	return nil
}
