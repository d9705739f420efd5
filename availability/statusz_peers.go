package availability

import (
	"time"

	"github.com/nines-sre/nines/remediate/eject"
)

// PeerGroupStatus is one dependency of WithPeerDetectors in Statusz: its
// replicas compared with each other. It is a plain value.
type PeerGroupStatus struct {
	// Dependency is the detector's dependency (signals' Source "peer:" +
	// Dependency).
	Dependency string `json:"dependency"`
	// Ejecting is set when the detector has an Ejector; MaxEjected is
	// then how many replicas may be ejected at once (0 otherwise).
	Ejecting   bool `json:"ejecting"`
	MaxEjected int  `json:"max_ejected"`
	// Outliers and Ejected count the replicas flagged and ejected now.
	Outliers int `json:"outliers"`
	Ejected  int `json:"ejected"`
	// Replicas are the Ejector's replicas, those measured in the last
	// step and the outliers, sorted by name: bounded by the Ejector's
	// list and the Stats' MaxReplicas.
	Replicas []ReplicaStatus `json:"replicas"`
}

// ReplicaStatus is one replica of a PeerGroupStatus. It is a plain value.
type ReplicaStatus struct {
	Replica string `json:"replica"`
	// Measured is set when the replica had calls in the last step; Calls,
	// ErrorRatio and LatencySeconds (the Stats' quantile) are that
	// step's, 0 otherwise.
	Measured       bool    `json:"measured"`
	Calls          uint64  `json:"calls"`
	ErrorRatio     float64 `json:"error_ratio"`
	LatencySeconds float64 `json:"latency_seconds"`
	// Outlier is set while its incident fires; Metric is what it deviates
	// on: "error_ratio" or "latency".
	Outlier bool   `json:"outlier"`
	Metric  string `json:"metric,omitempty"`
	// Ejected is set while the Ejector keeps it out of rotation, until
	// EjectedUntil, its Ejections-th ejection in a row.
	Ejected      bool       `json:"ejected"`
	EjectedUntil *time.Time `json:"ejected_until,omitempty"`
	Ejections    int        `json:"ejections,omitempty"`
}

// peersStatus reports every peer detector, in the order given; nil
// without WithPeerDetectors.
func (m *Monitor) peersStatus() []PeerGroupStatus {
	var out []PeerGroupStatus
	for _, d := range m.cfg.peers {
		out = append(out, peerGroupStatus(d.View()))
	}
	return out
}

func peerGroupStatus(v eject.View) PeerGroupStatus {
	g := PeerGroupStatus{Dependency: v.Dependency, Ejecting: v.Ejecting, MaxEjected: v.MaxEjected,
		Replicas: make([]ReplicaStatus, 0, len(v.Replicas))}
	for _, r := range v.Replicas {
		rs := ReplicaStatus{Replica: r.Replica, Measured: r.Measured, Calls: r.Calls, ErrorRatio: round(r.ErrorRatio),
			LatencySeconds: round(r.Latency), Outlier: r.Outlier, Metric: r.Metric, Ejected: r.Ejected, Ejections: r.Ejections}
		if r.Ejected && !r.Until.IsZero() {
			until := r.Until
			rs.EjectedUntil = &until
		}
		if r.Outlier {
			g.Outliers++
		}
		if r.Ejected {
			g.Ejected++
		}
		g.Replicas = append(g.Replicas, rs)
	}
	return g
}
