package openslo

import (
	"strconv"

	"github.com/nines-sre/nines/slo"
)

// sloFields are the fields of an SLO document's spec.
var sloFields = []string{"description", "service", "indicator", "indicatorRef", "timeWindow", "budgetingMethod", "objectives", "alertPolicies"}

// compositeFields are the fields that make an objective part of a
// composite SLO (OpenSLO v1's objectives with their own indicator and a
// weight).
var compositeFields = []string{"compositeWeight", "indicator", "indicatorRef"}

// sloObjectives returns the objectives of one kind: SLO document.
func sloObjectives(doc node, slis map[string]node) ([]slo.Objective, error) {
	f, _ := doc.fields(topFields...) // checked by stream.add
	name, err := metadataName(f, doc)
	if err != nil {
		return nil, err
	}
	spec, err := required(f, doc, "spec")
	if err != nil {
		return nil, err
	}
	sf, err := spec.fields(sloFields...)
	if err != nil {
		return nil, err
	}
	items, err := objectiveItems(sf, spec)
	if err != nil {
		return nil, err
	}
	if err := composite(items); err != nil {
		return nil, err
	}
	kind, err := indicator(sf, spec, slis)
	if err != nil {
		return nil, err
	}
	if ap, ok := sf["alertPolicies"]; ok {
		if _, err := ap.items(); err != nil {
			return nil, err
		}
		ap.warn("alert policies skipped: objectives alert with slo.DefaultTiers")
	}
	tw, err := required(sf, spec, "timeWindow")
	if err != nil {
		return nil, err
	}
	window, err := timeWindow(tw)
	if err != nil {
		return nil, err
	}
	budgeting, err := budgetingMethod(sf)
	if err != nil {
		return nil, err
	}
	base := slo.Objective{Name: name, Window: window, Budgeting: budgeting}
	objs, err := objectives(items, base, kind)
	if err != nil {
		return nil, err
	}
	return objs, exactName(f, objs)
}

// exactName applies the NameAnnotation (written by Export) to the
// document's one objective; on an SLO of several objectives it is ignored
// with a warning, as it cannot name them all.
func exactName(f map[string]node, objs []slo.Objective) error {
	nv, name, ok, err := annotatedName(f)
	if !ok || err != nil {
		return err
	}
	if len(objs) != 1 {
		nv.warn("ignored: the SLO has %d objectives and the annotation names one", len(objs))
		return nil
	}
	o := objs[0]
	o.Name = name
	if err := o.Validate(); err != nil {
		return nv.errorf("%v", err)
	}
	objs[0].Name = name
	return nil
}

// composite reports a composite SLO: one whose objectives carry their own
// indicator or a compositeWeight. nines computes each objective on its
// own, so it says so rather than "unsupported field".
func composite(items []node) error {
	for _, item := range items {
		n, err := item.resolved()
		if err != nil {
			return err
		}
		if n == nil {
			continue
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			for _, k := range compositeFields {
				if n.Content[i].Value == k {
					return item.child(n.Content[i+1], k).errorf("composite SLOs are not supported: each objective needs the SLO's own indicator, and nines computes each on its own")
				}
			}
		}
	}
	return nil
}

// budgetingMethod reads spec.budgetingMethod; absent means Occurrences.
func budgetingMethod(sf map[string]node) (slo.Budgeting, error) {
	bv, ok := sf["budgetingMethod"]
	if !ok {
		return slo.Occurrences, nil
	}
	b, err := bv.str()
	if err != nil {
		return 0, err
	}
	switch b {
	case "Occurrences":
		return slo.Occurrences, nil
	case "Timeslices":
		return slo.Timeslices, nil
	}
	return 0, bv.errorf("budgeting method %q is not supported (Occurrences or Timeslices)", b)
}

// objectiveItems returns the items of spec.objectives, charged to the
// input's objective budget. They are counted before anything is built from
// them: a list of a million one-alias items fails here, not after a
// million objectives.
func objectiveItems(sf map[string]node, spec node) ([]node, error) {
	ov, err := required(sf, spec, "objectives")
	if err != nil {
		return nil, err
	}
	n, err := ov.resolved()
	if err != nil {
		return nil, err
	}
	if n != nil && len(n.Content) > ov.ps.objectives {
		return nil, ov.errorf("more than %d objectives in the input (WithMaxObjectives)", ov.ps.maxObjs)
	}
	items, err := ov.items()
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, ov.errorf("at least one objective is required")
	}
	ov.ps.objectives -= len(items)
	return items, nil
}

// objectives reads spec.objectives: one slo.Objective per item, each a
// copy of base with its target, slice settings, latency threshold and name.
func objectives(items []node, base slo.Objective, kind metricKind) ([]slo.Objective, error) {
	out := make([]slo.Objective, 0, len(items))
	for i, item := range items {
		o := base
		display, err := objective(item, &o, kind)
		if err != nil {
			return nil, err
		}
		if display == "" {
			display = strconv.Itoa(i)
		}
		o.Name = objectiveName(base.Name, display)
		if err := o.Validate(); err != nil {
			return nil, item.errorf("%v", err)
		}
		out = append(out, o)
	}
	return out, nil
}
