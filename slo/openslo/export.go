package openslo

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/nines-sre/nines/internal/config"
	"github.com/nines-sre/nines/slo"
)

// NameAnnotation is the metadata annotation Export writes with the
// objective's own name, and Parse reads back: an SLO document with one
// objective and this annotation imports under exactly that name, so an
// exported objective keeps its slo.name (and its metric series) through an
// export and an import.
const NameAnnotation = "nines.objective/name"

// DefaultEventsMetric is the Prometheus name of the slo.events counter the
// exported indicators query, as exporters.DefaultEventsMetric says it (a
// copy: this package does not link the exporters).
const DefaultEventsMetric = "slo_events_total"

// ExportOption configures Export. It is sealed: only this package's export
// options make one, so a Parse Option does not compile here. Nil options
// are ignored.
type ExportOption interface {
	applyExport(*exportOptions)
}

type exportOptions struct {
	metric string
}

type exportOptionFunc func(*exportOptions)

func (f exportOptionFunc) applyExport(o *exportOptions) { f(o) }

// WithEventsMetric sets the Prometheus name of the slo.events counter the
// exported queries read. Unset means DefaultEventsMetric; set it when the
// metrics are exported under another name (a namespace prefix).
func WithEventsMetric(name string) ExportOption {
	return exportOptionFunc(func(o *exportOptions) { o.metric = name })
}

// The document shapes Export writes, in OpenSLO's field order.
type (
	exportDoc struct {
		APIVersion string         `yaml:"apiVersion"`
		Kind       string         `yaml:"kind"`
		Metadata   exportMetadata `yaml:"metadata"`
		Spec       exportSpec     `yaml:"spec"`
	}
	exportMetadata struct {
		Name        string            `yaml:"name"`
		DisplayName string            `yaml:"displayName,omitempty"`
		Annotations map[string]string `yaml:"annotations,omitempty"`
	}
	exportSpec struct {
		Description     string            `yaml:"description"`
		Indicator       exportIndicator   `yaml:"indicator"`
		TimeWindow      []exportWindow    `yaml:"timeWindow"`
		BudgetingMethod string            `yaml:"budgetingMethod"`
		Objectives      []exportObjective `yaml:"objectives"`
	}
	exportIndicator struct {
		Metadata exportMetadata `yaml:"metadata"`
		Spec     struct {
			RatioMetric struct {
				Counter bool         `yaml:"counter"`
				Bad     exportSource `yaml:"bad"`
				Total   exportSource `yaml:"total"`
			} `yaml:"ratioMetric"`
		} `yaml:"spec"`
	}
	exportSource struct {
		MetricSource struct {
			Type string `yaml:"type"`
			Spec struct {
				Query string `yaml:"query"`
			} `yaml:"spec"`
		} `yaml:"metricSource"`
	}
	exportWindow struct {
		Duration  string          `yaml:"duration"`
		IsRolling bool            `yaml:"isRolling"`
		Calendar  *exportCalendar `yaml:"calendar,omitempty"`
	}
	exportCalendar struct {
		StartTime string `yaml:"startTime"`
		TimeZone  string `yaml:"timeZone"`
	}
	exportObjective struct {
		DisplayName     string  `yaml:"displayName"`
		Target          float64 `yaml:"target"`
		TimeSliceTarget float64 `yaml:"timeSliceTarget,omitempty"`
		TimeSliceWindow string  `yaml:"timeSliceWindow,omitempty"`
	}
)

// calendarStart is a startTime that begins a period of every calendar unit:
// Monday 1 January 2024, the first day of a month and of a quarter.
const calendarStart = "2024-01-01 00:00:00"

// Export writes objs as a stream of OpenSLO v1 documents, one kind: SLO per
// objective, that Parse reads back into the same objectives (Tiers aside:
// OpenSLO has no burn-rate tiers, and Parse leaves them nil). Each
// indicator is a ratioMetric of bad over total events on the slo.events
// counter as Prometheus scrapes it, so tools that read OpenSLO (Pyrra,
// Sloth, vendors) compute the same SLI over the fleet; a latency objective
// is still such a ratio (its events are classified in process) and its
// threshold is in the description. metadata.name is the objective's name
// in the DNS-label form OpenSLO asks for, with a suffix when two would
// collide, and the NameAnnotation keeps the exact name. Each objective is
// validated first; an invalid one is an error wrapping slo.ErrInvalidConfig
// that names its index.
func Export(objs []slo.Objective, opts ...ExportOption) ([]byte, error) {
	o := exportOptions{metric: DefaultEventsMetric}
	for _, opt := range opts {
		if opt != nil {
			opt.applyExport(&o)
		}
	}
	if !validMetric(o.metric) {
		return nil, config.Error(ErrInvalidConfig, "WithEventsMetric", o.metric, "not a Prometheus metric name")
	}
	var buf bytes.Buffer
	used := map[string]int{}
	for i, obj := range objs {
		if err := obj.Validate(); err != nil {
			return nil, fmt.Errorf("openslo: objective %d: %w", i, err)
		}
		doc, err := exportObjectiveDoc(obj, o.metric, uniqueName(dnsLabel(obj.Name), used))
		if err != nil {
			return nil, fmt.Errorf("openslo: objective %d (%s): %w", i, obj.Name, err)
		}
		if i > 0 {
			buf.WriteString("---\n")
		}
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(doc); err != nil {
			return nil, fmt.Errorf("openslo: objective %d (%s): %w", i, obj.Name, err)
		}
		if err := enc.Close(); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

func exportObjectiveDoc(o slo.Objective, metric, name string) (exportDoc, error) {
	d := exportDoc{APIVersion: "openslo/v1", Kind: "SLO",
		Metadata: exportMetadata{Name: name, DisplayName: o.Name, Annotations: map[string]string{NameAnnotation: o.Name}}}
	d.Spec.Description = "Exported by nines: the share of good slo.events of " + o.Name
	if o.Latency > 0 {
		d.Spec.Description += fmt.Sprintf("; an event is good when its latency is at most %v", o.Latency)
	}
	d.Spec.Indicator.Metadata.Name = name + "-events"
	rm := &d.Spec.Indicator.Spec.RatioMetric
	rm.Counter = true
	sel := fmt.Sprintf("slo_name=%s", strconv.Quote(o.Name))
	rm.Bad.MetricSource.Type, rm.Bad.MetricSource.Spec.Query = "Prometheus", fmt.Sprintf("sum(%s{%s,slo_outcome=\"bad\"})", metric, sel)
	rm.Total.MetricSource.Type, rm.Total.MetricSource.Spec.Query = "Prometheus", fmt.Sprintf("sum(%s{%s})", metric, sel)
	w, err := exportWindowOf(o.Window)
	if err != nil {
		return d, err
	}
	d.Spec.TimeWindow = []exportWindow{w}
	obj := exportObjective{DisplayName: o.Name, Target: o.Target}
	d.Spec.BudgetingMethod = "Occurrences"
	if o.Budgeting == slo.Timeslices {
		d.Spec.BudgetingMethod = "Timeslices"
		ts := o.Timeslice
		if ts.Duration == 0 {
			ts.Duration = time.Minute
		}
		if ts.Target == 0 {
			ts.Target = o.Target
		}
		obj.TimeSliceTarget, obj.TimeSliceWindow = ts.Target, shorthandOf(ts.Duration)
	}
	d.Spec.Objectives = []exportObjective{obj}
	return d, nil
}

func exportWindowOf(w slo.Window) (exportWindow, error) {
	if w.Calendar == slo.CalendarNone {
		return exportWindow{Duration: shorthandOf(w.Rolling), IsRolling: true}, nil
	}
	for ds, u := range calendarUnits {
		if u == w.Calendar {
			zone := "UTC"
			if w.Location != nil {
				zone = w.Location.String()
			}
			if zone == "Local" {
				return exportWindow{}, fmt.Errorf("calendar window in time.Local: OpenSLO needs an IANA zone name")
			}
			return exportWindow{Duration: ds, Calendar: &exportCalendar{StartTime: calendarStart, TimeZone: zone}}, nil
		}
	}
	return exportWindow{}, fmt.Errorf("calendar unit %v has no OpenSLO duration", w.Calendar)
}

// shorthandOf writes a whole number of minutes (slo validates that rolling
// windows and slices are) in the largest unit that divides it.
func shorthandOf(d time.Duration) string {
	for _, u := range []struct {
		s string
		d time.Duration
	}{{"w", 7 * 24 * time.Hour}, {"d", 24 * time.Hour}, {"h", time.Hour}} {
		if d%u.d == 0 {
			return strconv.FormatInt(int64(d/u.d), 10) + u.s
		}
	}
	return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
}

// dnsLabel maps an objective name onto OpenSLO's metadata.name convention
// (RFC 1123 label: lower-case alphanumerics and '-', at most 63).
func dnsLabel(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimRight(b.String(), "-")
	if len(s) > 56 { // room for a "-N" suffix
		s = strings.TrimRight(s[:56], "-")
	}
	if s == "" {
		s = "slo"
	}
	return s
}

// uniqueName returns name, or name-2, name-3... when an earlier objective
// took it.
func uniqueName(name string, used map[string]int) string {
	used[name]++
	if n := used[name]; n > 1 {
		alt := fmt.Sprintf("%s-%d", name, n)
		return uniqueName(alt, used)
	}
	return name
}

func validMetric(name string) bool {
	if name == "" {
		return false
	}
	for i, r := range name {
		if !(r == '_' || r == ':' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
