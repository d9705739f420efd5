package nines_test

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const mod = "github.com/nines-sre/nines/"

// pkgDep is one package in a `go list -deps` closure.
type pkgDep struct {
	path     string
	standard bool
}

// trackSources stats every Go file and go.mod of the module. go test
// caches a passing result keyed on the files a test opens or stats, and it
// cannot see what the go list child process reads: without this, a new
// import in a checked package would be hidden by a cached pass.
func trackSources(t *testing.T) {
	t.Helper()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "bench") {
			return filepath.SkipDir
		}
		if !d.IsDir() && (strings.HasSuffix(path, ".go") || d.Name() == "go.mod" || d.Name() == "go.sum") {
			_, err = os.Stat(path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// listDeps returns the packages the named packages link (tests excluded),
// or ok=false when one of them does not exist (yet): the floors name
// packages that the layout plans before they are written.
func listDeps(t *testing.T, pkgs ...string) (deps []pkgDep, ok bool) {
	t.Helper()
	args := append([]string{"list", "-deps", "-f", "{{.ImportPath}} {{.Standard}}"}, pkgs...)
	out, err := exec.Command("go", args...).CombinedOutput()
	if err != nil {
		for _, missing := range []string{"no Go files", "cannot find package", "directory not found"} {
			if strings.Contains(string(out), missing) {
				return nil, false
			}
		}
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	for line := range strings.Lines(string(out)) {
		path, std, _ := strings.Cut(strings.TrimSpace(line), " ")
		deps = append(deps, pkgDep{path, std == "true"})
	}
	return deps, true
}

// closure is the set of non-standard packages that roots link.
func closure(t *testing.T, roots ...string) map[string]bool {
	t.Helper()
	deps, ok := listDeps(t, roots...)
	if !ok {
		t.Fatalf("go list %v: not found", roots)
	}
	set := map[string]bool{}
	for _, d := range deps {
		if !d.standard {
			set[d.path] = true
		}
	}
	return set
}

func union(sets ...map[string]bool) map[string]bool {
	u := map[string]bool{}
	for _, s := range sets {
		for k := range s {
			u[k] = true
		}
	}
	return u
}

// ninesPackage returns the path of dep inside this module, or ok=false for
// a package of another module.
func ninesPackage(dep string) (rel string, ok bool) {
	return strings.CutPrefix(dep, mod)
}

// TestDependencyDirection enforces the floors of DESIGN.md. The leaves
// (health, slo, detect, logpattern, remediate/breaker, remediate/admit)
// link only the standard library, the OpenTelemetry API (otel, attribute,
// metric and what those link, never the SDK), the module's internal/
// packages and, for breaker and admit, the one library each wraps.
// remediate and synthetic may import the leaves, availability all of them;
// none links a third-party package the leaves may not.
func TestDependencyDirection(t *testing.T) {
	trackSources(t)
	api := closure(t, "go.opentelemetry.io/otel", "go.opentelemetry.io/otel/attribute",
		"go.opentelemetry.io/otel/metric", "go.opentelemetry.io/otel/metric/noop",
		"go.opentelemetry.io/otel/metric/embedded")
	gobreaker := closure(t, "github.com/sony/gobreaker/v2")
	rate := closure(t, "golang.org/x/time/rate")
	leaves := []string{"health", "slo", "detect", "logpattern", "remediate/breaker", "remediate/admit"}
	upper := union(api, gobreaker, rate)
	rules := []struct {
		pkg        string
		mayImport  []string        // nines packages allowed, besides internal/...
		thirdParty map[string]bool // non-standard packages allowed
		planned    bool            // in DESIGN.md's layout, not written yet
	}{
		{"health", nil, api, false},
		{"slo", nil, api, false},
		{"detect", nil, api, false},
		{"logpattern", nil, api, false},
		{"remediate/breaker", nil, union(api, gobreaker), false},
		{"remediate/admit", nil, union(api, rate), false},
		{"remediate", leaves, upper, false},
		{"synthetic", leaves, upper, false},
		// remediate/eject is an action of remediate's with the peer
		// detector of detect: it sits beside remediate, under availability.
		{"remediate/eject", append(slices.Clone(leaves), "remediate"), upper, false},
		{"availability", append(slices.Clone(leaves), "remediate", "remediate/eject", "synthetic"), upper, false},
	}
	for _, r := range rules {
		deps, ok := listDeps(t, "./"+r.pkg)
		if !ok {
			// Only a planned package may be missing: a written one that
			// moved or was renamed would otherwise escape its floor.
			if !r.planned {
				t.Errorf("%s does not exist: the floors in DESIGN.md name it", r.pkg)
			}
			continue
		}
		var outside []string
		for _, d := range deps {
			rel, nines := ninesPackage(d.path)
			switch {
			case d.standard:
			case !nines && !r.thirdParty[d.path]:
				outside = append(outside, d.path)
			case !nines:
			case rel == r.pkg || strings.HasPrefix(rel, "internal/") || strings.HasPrefix(rel, r.pkg+"/internal/"):
			case !slices.Contains(r.mayImport, rel):
				t.Errorf("%s imports %s: against the dependency direction in DESIGN.md", r.pkg, d.path)
			}
		}
		if len(outside) > 0 {
			t.Errorf("%s links %d third-party packages outside its floor in DESIGN.md (a leaf: the standard library, the OTel API, internal/, and breaker's gobreaker or admit's x/time/rate), such as %s",
				r.pkg, len(outside), strings.Join(outside[:min(3, len(outside))], ", "))
		}
	}
}

// TestFootprint keeps heavy dependencies in the sub-packages that need
// them: exporters links no OTLP and no gRPC (they are in exporters/otlp),
// slo no YAML (slo/openslo), and a Prometheus-only service binary links
// neither gRPC nor OTLP.
func TestFootprint(t *testing.T) {
	trackSources(t)
	grpc := "google.golang.org/grpc"
	otlp := "go.opentelemetry.io/otel/exporters/otlp"
	yaml := "go.yaml.in/yaml"
	rules := []struct {
		pkg       string
		mayImport []string // nines packages allowed, besides internal/...; nil: any
		forbidden []string // import-path prefixes never linked
	}{
		{"exporters", []string{"slo"}, []string{grpc, otlp}},
		{"slo", nil, []string{yaml}},
		{"synthetic", nil, []string{yaml, grpc}},
		// Each heavy dependency of synthetic in its own sub-package: a
		// service reading YAML checks links no gRPC, a gRPC prober no YAML.
		{"synthetic/yamlcheck", nil, []string{grpc}},
		{"synthetic/grpccheck", nil, []string{yaml}},
		{"examples/httpservice", nil, []string{grpc, otlp}},
	}
	for _, r := range rules {
		deps, ok := listDeps(t, "./"+r.pkg)
		if !ok {
			t.Fatalf("%s does not exist", r.pkg)
		}
		linked := map[string]bool{} // forbidden prefix -> seen
		for _, d := range deps {
			for _, f := range r.forbidden {
				if d.path == f || strings.HasPrefix(d.path, f+"/") {
					if !linked[f] {
						t.Errorf("%s links %s (kept out of it by DESIGN.md)", r.pkg, d.path)
					}
					linked[f] = true
				}
			}
			rel, nines := ninesPackage(d.path)
			if !nines || r.mayImport == nil || rel == r.pkg || strings.HasPrefix(rel, "internal/") || strings.HasPrefix(rel, r.pkg+"/internal/") {
				continue
			}
			if !slices.Contains(r.mayImport, rel) {
				t.Errorf("%s imports %s: against the dependency direction in DESIGN.md", r.pkg, d.path)
			}
		}
	}
}
