package availability

import (
	"time"

	"github.com/nines-sre/nines/synthetic"
)

// SyntheticStatus is one synthetic check of AddSynthetic in Statusz: its
// last runs and the steps of the most recent one. It is a plain value.
type SyntheticStatus struct {
	// Name is the check's name (its health check is "synthetic." + Name).
	Name string `json:"name"`
	// Runs are the check's last runs, oldest first (at most 10, what the
	// Runner keeps); empty before the first run.
	Runs []SyntheticRunStatus `json:"runs"`
	// Steps are the steps of the most recent run, in order; empty before
	// the first run and for a run abandoned at its timeout.
	Steps []SyntheticStepStatus `json:"steps"`
}

// SyntheticRunStatus is one run of a synthetic check. It is a plain value.
type SyntheticRunStatus struct {
	Start time.Time `json:"start"`
	// Outcome is "pass", "degraded", "fail" or "timeout".
	Outcome         string  `json:"outcome"`
	DurationSeconds float64 `json:"duration_seconds"`
	// Failure is the run's first failure (synthetic.Result.Err), secrets
	// already replaced by "***"; "reason withheld" without details, empty
	// on a pass.
	Failure string `json:"failure,omitempty"`
}

// SyntheticStepStatus is one step of a synthetic check's most recent run.
// It is a plain value.
type SyntheticStepStatus struct {
	Name string `json:"name"`
	// Outcome is "pass", "degraded", "fail" or "timeout".
	Outcome string `json:"outcome"`
	// Status is the final response's status code, 0 without a response.
	Status int `json:"status"`
	// Code is a call step's code (a gRPC step's "OK", "UNAVAILABLE",
	// "SERVING"...); absent for HTTP steps.
	Code            string  `json:"code,omitempty"`
	DurationSeconds float64 `json:"duration_seconds"`
	// Phases split the step's time as blackbox_exporter does.
	Phases PhaseSeconds `json:"phases"`
	// Failures describe the failed assertions, secrets already replaced
	// by "***"; each "reason withheld" without details.
	Failures []string `json:"failures"`
}

// PhaseSeconds are the phases of an HTTP exchange (synthetic.Phases), in
// seconds; a phase that did not happen (a reused connection) is 0.
type PhaseSeconds struct {
	ResolveSeconds    float64 `json:"resolve_seconds"`
	ConnectSeconds    float64 `json:"connect_seconds"`
	TLSSeconds        float64 `json:"tls_seconds"`
	ProcessingSeconds float64 `json:"processing_seconds"`
	TransferSeconds   float64 `json:"transfer_seconds"`
}

// syntheticStatus reports the checks of every Runner of AddSynthetic, in
// the order added, each check in its Runner's order; nil without one.
func (m *Monitor) syntheticStatus() []SyntheticStatus {
	var out []SyntheticStatus
	for _, r := range m.hist.syntheticRunners() {
		for _, c := range r.Checks() {
			out = append(out, checkStatus(c.Name, r.Last(c.Name)))
		}
	}
	return out
}

func checkStatus(name string, runs []synthetic.Result) SyntheticStatus {
	st := SyntheticStatus{Name: name, Runs: make([]SyntheticRunStatus, 0, len(runs)), Steps: []SyntheticStepStatus{}}
	for _, r := range runs {
		st.Runs = append(st.Runs, SyntheticRunStatus{Start: r.Start, Outcome: r.Outcome.String(),
			DurationSeconds: roundSeconds(r.Duration), Failure: r.Err()})
	}
	if len(runs) == 0 {
		return st
	}
	for _, s := range runs[len(runs)-1].Steps {
		step := SyntheticStepStatus{Name: s.Name, Outcome: s.Outcome.String(), Status: s.Status, Code: s.Code,
			DurationSeconds: roundSeconds(s.Duration), Phases: phaseSeconds(s.Phases),
			Failures: append([]string{}, s.Failures...)}
		st.Steps = append(st.Steps, step)
	}
	return st
}

func phaseSeconds(p synthetic.Phases) PhaseSeconds {
	return PhaseSeconds{ResolveSeconds: roundSeconds(p.Resolve), ConnectSeconds: roundSeconds(p.Connect),
		TLSSeconds: roundSeconds(p.TLS), ProcessingSeconds: roundSeconds(p.Processing), TransferSeconds: roundSeconds(p.Transfer)}
}

func roundSeconds(d time.Duration) float64 { return round(d.Seconds()) }

// withholdSynthetic blanks the failure texts, which name hosts and the
// values asserted on.
func (st *Statusz) withholdSynthetic() {
	for i := range st.Synthetic {
		c := &st.Synthetic[i]
		for j := range c.Runs {
			if c.Runs[j].Failure != "" {
				c.Runs[j].Failure = reasonWithheld
			}
		}
		for j := range c.Steps {
			for k := range c.Steps[j].Failures {
				c.Steps[j].Failures[k] = reasonWithheld
			}
		}
	}
}
