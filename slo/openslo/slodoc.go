package openslo

import (
	"strconv"

	"github.com/nines-sre/nines/slo"
)

// sloFields are the fields of an SLO document's spec.
var sloFields = []string{"description", "service", "indicator", "indicatorRef", "timeWindow", "budgetingMethod", "objectives"}

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
	if err := indicator(sf, spec, slis); err != nil {
		return nil, err
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
	return objectives(sf, spec, base)
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

// objectives reads spec.objectives: one slo.Objective per item, each a
// copy of base with its target, slice settings and name.
func objectives(sf map[string]node, spec node, base slo.Objective) ([]slo.Objective, error) {
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
	out := make([]slo.Objective, 0, len(items))
	for i, item := range items {
		o := base
		display, err := objective(item, &o)
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
