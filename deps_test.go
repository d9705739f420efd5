package nines_test

import (
	"os/exec"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestDependencyDirection enforces DESIGN.md's rule: health, slo and detect
// are leaves, remediate may import them, availability imports all four, and
// only exporters (besides tests and examples) may import the OTel SDK.
// gRPC stays in the grpc sub-packages so a service that does not use gRPC
// does not link it.
func TestDependencyDirection(t *testing.T) {
	const mod = "github.com/nines-sre/nines/"
	sdk := "go.opentelemetry.io/otel/sdk"
	grpc := "google.golang.org/grpc"
	rules := []struct {
		pkg       string
		mayImport []string // nines packages allowed, besides internal/...
		forbidden []string // import-path prefixes never allowed
	}{
		{"health", nil, []string{sdk, grpc}},
		{"slo", nil, []string{sdk, grpc}},
		{"detect", nil, []string{sdk, grpc}},
		{"remediate", []string{"health", "slo", "detect"}, []string{sdk, grpc}},
		{"availability", []string{"health", "slo", "detect", "remediate"}, []string{sdk, grpc}},
	}
	for _, r := range rules {
		out, err := exec.Command("go", "list", "-deps", "./"+r.pkg).CombinedOutput()
		if err != nil {
			if strings.Contains(string(out), "no Go files") || strings.Contains(string(out), "cannot find package") || strings.Contains(string(out), "directory not found") {
				continue // the package does not exist yet
			}
			t.Fatalf("go list ./%s: %v\n%s", r.pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, f := range r.forbidden {
				if dep == f || strings.HasPrefix(dep, f+"/") {
					t.Errorf("%s imports %s (forbidden by DESIGN.md)", r.pkg, dep)
				}
			}
			rest, ok := strings.CutPrefix(dep, mod)
			if !ok || rest == r.pkg || strings.HasPrefix(rest, "internal/") || strings.HasPrefix(rest, r.pkg+"/internal/") {
				continue
			}
			allowed := false
			for _, a := range r.mayImport {
				if rest == a {
					allowed = true
				}
			}
			if !allowed {
				t.Errorf("%s imports %s%s: against the dependency direction in DESIGN.md", r.pkg, mod, rest)
			}
		}
	}
}
