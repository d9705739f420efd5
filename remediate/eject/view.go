package eject

import (
	"slices"
	"strings"
	"time"
)

// View is a read-only snapshot of one dependency's replicas as its
// Detector (and its Ejector, when DetectorConfig.Ejector is set) see
// them: for a status page. It is a plain value.
type View struct {
	// Dependency is DetectorConfig.Dependency.
	Dependency string
	// Ejecting is set when the Detector has an Ejector; MaxEjected is
	// then Ejector.MaxEjected, 0 otherwise.
	Ejecting   bool
	MaxEjected int
	// Replicas are the replicas known to the Ejector, measured in the
	// last step, or outliers, sorted by name: at most the Ejector's list
	// plus StatsConfig.MaxReplicas.
	Replicas []ReplicaView
}

// ReplicaView is one replica in a [View].
type ReplicaView struct {
	Replica string
	// Measured is set when the replica had calls in the last step; Calls,
	// ErrorRatio and Latency (seconds, the Stats' quantile) are then that
	// step's, NaN-free (0 without calls).
	Measured   bool
	Calls      uint64
	ErrorRatio float64
	Latency    float64
	// Outlier is set while the replica's incident fires; Metric is what it
	// deviated on: "error_ratio", "latency" or a StatsConfig.Metrics
	// name.
	Outlier bool
	Metric  string
	// Ejected is set while the Ejector keeps it out of rotation, until
	// Until, its Ejections-th ejection in a row.
	Ejected   bool
	Until     time.Time
	Ejections int
}

// View returns the dependency's replicas now. It takes the Detector's
// lock, then the Ejector's, as StepAt does, and calls no user code.
func (d *Detector) View() View {
	v := View{Dependency: d.cfg.Dependency}
	byName := map[string]*ReplicaView{}
	at := func(name string) *ReplicaView {
		r := byName[name]
		if r == nil {
			r = &ReplicaView{Replica: name}
			byName[name] = r
		}
		return r
	}
	d.mu.Lock()
	for _, s := range d.steps {
		r := at(s.Replica)
		r.Measured, r.Calls = true, s.Calls
		if finite(s.ErrorRatio) {
			r.ErrorRatio = s.ErrorRatio
		}
		if finite(s.Latency) {
			r.Latency = s.Latency
		}
	}
	for name, st := range d.firing {
		r := at(name)
		r.Outlier, r.Metric = true, st.metric
	}
	d.mu.Unlock()
	if e := d.cfg.Ejector; e != nil {
		v.Ejecting, v.MaxEjected = true, e.maxEject
		e.mu.Lock()
		for _, name := range e.cfg.Replicas {
			s := e.byName[name]
			r := at(name)
			if s.out.Load() {
				r.Ejected, r.Until, r.Ejections = true, s.until, s.ejections
			}
		}
		e.mu.Unlock()
	}
	v.Replicas = make([]ReplicaView, 0, len(byName))
	for _, r := range byName {
		v.Replicas = append(v.Replicas, *r)
	}
	slices.SortFunc(v.Replicas, func(a, b ReplicaView) int { return strings.Compare(a.Replica, b.Replica) })
	return v
}
