package slo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// ErrUnsupportedOpenSLO is wrapped by every ParseOpenSLO error about the
// documents' content (as opposed to reading them); the message names the
// field path.
var ErrUnsupportedOpenSLO = errors.New("slo: openslo: unsupported or invalid document")

// maxOpenSLO bounds how much ParseOpenSLO reads; a longer input is an
// error, never silently cut.
const maxOpenSLO = 8 << 20

// ParseOpenSLO reads a stream of OpenSLO v1 YAML documents and returns one
// Objective per objective of every kind: SLO document, in stream order.
//
// Supported: an SLO's indicator inline or as indicatorRef to a kind: SLI
// document in the same stream, with a ratioMetric of good/total or
// bad/total (the metric sources are accepted and ignored: events are
// recorded in process); timeWindow rolling (durations in m, h, d or w) or
// calendar (1w, 1M or 1Q starting on a week, month or quarter boundary, in
// calendar.timeZone); budgetingMethod Occurrences or Timeslices (with
// timeSliceTarget and timeSliceWindow); target or targetPercent. Service
// and DataSource documents are skipped. Everything else (thresholdMetric,
// raw ratios, RatioTimeslices, alertPolicies, composite objectives,
// other kinds) is an error wrapping ErrUnsupportedOpenSLO that names the
// field path.
//
// Names: each objective is named "<metadata.name>:<displayName>", or
// "<metadata.name>:<index>" (0-based) when it has no displayName, with
// characters outside [A-Za-z0-9_.:-] replaced by "_". Adding an objective
// to an SLO never renames the others.
// Alert tiers are DefaultTiers.
func ParseOpenSLO(r io.Reader) ([]Objective, error) {
	// Read it whole first: a LimitReader alone would cut a longer stream
	// silently, dropping every document past the limit.
	data, err := io.ReadAll(io.LimitReader(r, maxOpenSLO+1))
	if err != nil {
		return nil, fmt.Errorf("slo: openslo: reading: %w", err)
	}
	if len(data) > maxOpenSLO {
		return nil, fmt.Errorf("slo: openslo: input larger than %d bytes", maxOpenSLO)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	slis := map[string]ynode{}
	var slos []ynode
	for i := 0; ; i++ {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("slo: openslo: document %d: %w", i, err)
		}
		if len(doc.Content) == 0 {
			continue
		}
		root := ynode{doc.Content[0], ""}
		f, err := root.fields("apiVersion", "kind", "metadata", "spec")
		if err != nil {
			return nil, err
		}
		if v, err := required(f, root, "apiVersion"); err != nil {
			return nil, err
		} else if s, err := v.str(); err != nil || s != "openslo/v1" {
			return nil, v.errorf("must be openslo/v1")
		}
		kv, err := required(f, root, "kind")
		if err != nil {
			return nil, err
		}
		kind, err := kv.str()
		if err != nil {
			return nil, err
		}
		switch kind {
		case "SLO":
			slos = append(slos, root)
		case "SLI":
			name, err := metadataName(f, root)
			if err != nil {
				return nil, err
			}
			if _, dup := slis[name]; dup {
				return nil, kv.errorf("SLI %q defined twice", name)
			}
			slis[name] = root
		case "Service", "DataSource":
		default:
			return nil, kv.errorf("kind %q is not supported", kind)
		}
	}
	var out []Objective
	seen := map[string]bool{}
	for _, doc := range slos {
		objs, err := sloObjectives(doc, slis)
		if err != nil {
			return nil, err
		}
		for _, o := range objs {
			if seen[o.Name] {
				return nil, fmt.Errorf("%w: objective name %q used twice", ErrUnsupportedOpenSLO, o.Name)
			}
			seen[o.Name] = true
			out = append(out, o)
		}
	}
	return out, nil
}

func required(f map[string]ynode, parent ynode, key string) (ynode, error) {
	v, ok := f[key]
	if !ok {
		p := key
		if parent.path != "" {
			p = parent.path + "." + key
		}
		return ynode{nil, p}, ynode{nil, p}.errorf("required")
	}
	return v, nil
}

func metadataName(f map[string]ynode, root ynode) (string, error) {
	md, err := required(f, root, "metadata")
	if err != nil {
		return "", err
	}
	mf, err := md.fields("name", "displayName", "labels", "annotations")
	if err != nil {
		return "", err
	}
	nv, err := required(mf, md, "name")
	if err != nil {
		return "", err
	}
	name, err := nv.str()
	if err == nil && name == "" {
		err = nv.errorf("must not be empty")
	}
	return name, err
}

func sloObjectives(doc ynode, slis map[string]ynode) ([]Objective, error) {
	f, _ := doc.fields("apiVersion", "kind", "metadata", "spec")
	name, err := metadataName(f, doc)
	if err != nil {
		return nil, err
	}
	spec, err := required(f, doc, "spec")
	if err != nil {
		return nil, err
	}
	sf, err := spec.fields("description", "service", "indicator", "indicatorRef", "timeWindow", "budgetingMethod", "objectives")
	if err != nil {
		return nil, err
	}
	if err := sloIndicator(sf, spec, slis); err != nil {
		return nil, err
	}
	tw, err := required(sf, spec, "timeWindow")
	if err != nil {
		return nil, err
	}
	window, err := parseTimeWindow(tw)
	if err != nil {
		return nil, err
	}
	budgeting := Occurrences
	if bv, ok := sf["budgetingMethod"]; ok {
		b, err := bv.str()
		if err != nil {
			return nil, err
		}
		switch b {
		case "Occurrences":
		case "Timeslices":
			budgeting = Timeslices
		default:
			return nil, bv.errorf("budgeting method %q is not supported (Occurrences or Timeslices)", b)
		}
	}
	ov, err := required(sf, spec, "objectives")
	if err != nil {
		return nil, err
	}
	items, err := ov.items()
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, ov.errorf("at least one objective is required")
	}
	var out []Objective
	for i, item := range items {
		o := Objective{Name: name, Window: window, Budgeting: budgeting}
		display, err := parseObjective(item, &o)
		if err != nil {
			return nil, err
		}
		suffix := display
		if suffix == "" {
			suffix = strconv.Itoa(i)
		}
		o.Name = sanitizeName(name + ":" + suffix)
		if err := o.Validate(); err != nil {
			return nil, item.errorf("%v", err)
		}
		out = append(out, o)
	}
	return out, nil
}

func sanitizeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == ':' || r == '-' {
			return r
		}
		return '_'
	}, s)
}

func sloIndicator(sf map[string]ynode, spec ynode, slis map[string]ynode) error {
	inline, hasInline := sf["indicator"]
	ref, hasRef := sf["indicatorRef"]
	switch {
	case hasInline == hasRef:
		return spec.errorf("exactly one of indicator and indicatorRef is required")
	case hasInline:
		f, err := inline.fields("metadata", "spec")
		if err != nil {
			return err
		}
		if _, err := metadataName(f, inline); err != nil {
			return err
		}
		s, err := required(f, inline, "spec")
		if err != nil {
			return err
		}
		return parseSLISpec(s)
	}
	name, err := ref.str()
	if err != nil {
		return err
	}
	doc, ok := slis[name]
	if !ok {
		return ref.errorf("no kind: SLI named %q in the stream", name)
	}
	f, _ := doc.fields("apiVersion", "kind", "metadata", "spec")
	s, err := required(f, ynode{doc.n, "SLI " + name}, "spec")
	if err != nil {
		return err
	}
	s.path = "SLI " + name + ".spec"
	return parseSLISpec(s)
}

// parseSLISpec accepts a ratioMetric of good/total or bad/total.
func parseSLISpec(spec ynode) error {
	f, err := spec.fields("description", "ratioMetric")
	if err != nil {
		return err
	}
	rm, err := required(f, spec, "ratioMetric")
	if err != nil {
		return err
	}
	rf, err := rm.fields("counter", "good", "bad", "total")
	if err != nil {
		return err
	}
	if c, ok := rf["counter"]; ok {
		if _, err := c.boolean(); err != nil {
			return err
		}
	}
	_, good := rf["good"]
	_, bad := rf["bad"]
	if good == bad {
		return rm.errorf("exactly one of good and bad is required")
	}
	if _, err := required(rf, rm, "total"); err != nil {
		return err
	}
	for _, k := range []string{"good", "bad", "total"} {
		v, ok := rf[k]
		if !ok {
			continue
		}
		mf, err := v.fields("metricSource")
		if err != nil {
			return err
		}
		ms, err := required(mf, v, "metricSource")
		if err != nil {
			return err
		}
		if _, err := ms.fields("metricSourceRef", "type", "spec"); err != nil {
			return err
		}
	}
	return nil
}

var shorthand = regexp.MustCompile(`^([1-9][0-9]{0,5})([mhdwMQY])$`)

func parseTimeWindow(tw ynode) (Window, error) {
	items, err := tw.items()
	if err != nil {
		return Window{}, err
	}
	if len(items) != 1 {
		return Window{}, tw.errorf("exactly one time window is required, got %d", len(items))
	}
	item := items[0]
	f, err := item.fields("duration", "isRolling", "calendar")
	if err != nil {
		return Window{}, err
	}
	dv, err := required(f, item, "duration")
	if err != nil {
		return Window{}, err
	}
	ds, err := dv.str()
	if err != nil {
		return Window{}, err
	}
	m := shorthand.FindStringSubmatch(ds)
	if m == nil {
		return Window{}, dv.errorf("%q is not a duration shorthand like 28d, 4w or 1M", ds)
	}
	n, _ := strconv.Atoi(m[1])
	cal, hasCal := f["calendar"]
	rolling := !hasCal
	if rv, ok := f["isRolling"]; ok {
		if rolling, err = rv.boolean(); err != nil {
			return Window{}, err
		}
	}
	if rolling {
		if hasCal {
			return Window{}, cal.errorf("a rolling window has no calendar")
		}
		unit := map[string]time.Duration{"m": time.Minute, "h": time.Hour, "d": 24 * time.Hour, "w": 7 * 24 * time.Hour}[m[2]]
		if unit == 0 {
			return Window{}, dv.errorf("%q: a rolling window is measured in m, h, d or w", ds)
		}
		w := Window{Rolling: time.Duration(n) * unit}
		if err := w.validate(); err != nil {
			return Window{}, dv.errorf("%v", err)
		}
		return w, nil
	}
	unit := map[string]CalendarUnit{"1w": CalendarWeek, "1M": CalendarMonth, "1Q": CalendarQuarter}[ds]
	if unit == CalendarNone {
		return Window{}, dv.errorf("%q: a calendar window is 1w, 1M or 1Q", ds)
	}
	if !hasCal {
		return Window{}, item.errorf("calendar: required when isRolling is false")
	}
	w := Window{Calendar: unit}
	cf, err := cal.fields("startTime", "timeZone")
	if err != nil {
		return Window{}, err
	}
	if zv, ok := cf["timeZone"]; ok {
		z, err := zv.str()
		if err != nil {
			return Window{}, err
		}
		if w.Location, err = time.LoadLocation(z); err != nil || z == "" || z == "Local" {
			return Window{}, zv.errorf("%q is not an IANA time zone", z)
		}
	}
	if sv, ok := cf["startTime"]; ok {
		s, err := sv.str()
		if err != nil {
			return Window{}, err
		}
		loc := w.Location
		if loc == nil {
			loc = time.UTC
		}
		st, err := time.ParseInLocation(time.DateTime, s, loc)
		if err != nil {
			return Window{}, sv.errorf("%q is not a time like 2022-01-01 00:00:00", s)
		}
		if start, _ := w.bounds(st); !start.Equal(st) {
			return Window{}, sv.errorf("%q is not the start of a calendar %s (periods start at local midnight, on Monday, the 1st, or a quarter's 1st)", s, unit)
		}
	}
	return w, nil
}

func parseObjective(item ynode, o *Objective) (display string, err error) {
	f, err := item.fields("displayName", "target", "targetPercent", "timeSliceTarget", "timeSliceWindow")
	if err != nil {
		return "", err
	}
	if dv, ok := f["displayName"]; ok {
		if display, err = dv.str(); err != nil {
			return "", err
		}
	}
	tv, hasT := f["target"]
	pv, hasP := f["targetPercent"]
	switch {
	case hasT == hasP:
		return "", item.errorf("exactly one of target and targetPercent is required")
	case hasT:
		if o.Target, err = tv.float(); err != nil {
			return "", err
		}
		if !(o.Target > 0 && o.Target < 1) {
			return "", tv.errorf("%v: must be 0 < target < 1", o.Target)
		}
	default:
		p, err := pv.float()
		if err != nil {
			return "", err
		}
		if !(p > 0 && p < 100) {
			return "", pv.errorf("%v: must be 0 < targetPercent < 100", p)
		}
		o.Target = p / 100
	}
	sv, hasST := f["timeSliceTarget"]
	wv, hasSW := f["timeSliceWindow"]
	if o.Budgeting != Timeslices {
		if hasST || hasSW {
			return "", item.errorf("timeSliceTarget and timeSliceWindow apply to Timeslices budgeting only")
		}
		return display, nil
	}
	if !hasST || !hasSW {
		return "", item.errorf("Timeslices budgeting requires timeSliceTarget and timeSliceWindow")
	}
	if o.Timeslice.Target, err = sv.float(); err != nil {
		return "", err
	}
	if !(o.Timeslice.Target > 0 && o.Timeslice.Target <= 1) {
		return "", sv.errorf("%v: must be 0 < timeSliceTarget <= 1", o.Timeslice.Target)
	}
	ws, err := wv.str()
	if err != nil {
		return "", err
	}
	m := shorthand.FindStringSubmatch(ws)
	if m == nil || (m[2] != "m" && m[2] != "h") {
		return "", wv.errorf("%q: a time slice is whole minutes or hours, like 1m or 5m", ws)
	}
	n, _ := strconv.Atoi(m[1])
	o.Timeslice.Duration = time.Duration(n) * map[string]time.Duration{"m": time.Minute, "h": time.Hour}[m[2]]
	if err := o.Timeslice.validate(); err != nil {
		return "", wv.errorf("%v", err)
	}
	return display, nil
}
