package remediate

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Record is one audit record: one step of one decision. Records form an
// append-only chain: Hash is the SHA-256 of the record's canonical encoding
// (its JSON encoding with Hash empty, which includes PrevHash), and
// PrevHash is the Hash of the record before it, so changing, removing or
// reordering a record is detected by Verify.
//
// A Record is a plain value; the zero value is not part of any chain.
type Record struct {
	// Seq numbers records from 1, without gaps.
	Seq uint64 `json:"seq"`
	// Time is the decision time (the t given to HandleAt), in UTC.
	Time time.Time `json:"time"`
	// Policy, Action and Target say what was decided about.
	Policy string `json:"policy"`
	Action string `json:"action"`
	Target string `json:"target"`
	// Outcome and Reason say what became of it (see Decision).
	Outcome DecisionOutcome `json:"outcome"`
	Reason  string          `json:"reason,omitempty"`
	// Revert and Irreversible are as in Decision.
	Revert       bool `json:"revert,omitempty"`
	Irreversible bool `json:"irreversible,omitempty"`
	// Approver is who approved or refused, when an approval was asked.
	Approver string `json:"approver,omitempty"`
	// Error is the action's or approver's error text, truncated.
	Error string `json:"error,omitempty"`
	// Elapsed is how long the approval and the action took, by the
	// process clock; zero for decisions that called neither.
	Elapsed time.Duration `json:"elapsed_ns,omitempty"`
	// Signal is the triggering signal, bounded (see MaxSignalAttributes).
	Signal SignalRecord `json:"signal"`
	// PrevHash and Hash chain the records, in lower-case hex.
	PrevHash string `json:"prev_hash"`
	Hash     string `json:"hash"`
}

// SignalRecord is a Signal as the audit keeps it: strings truncated to
// MaxSignalString bytes and made valid UTF-8, at most MaxSignalAttributes
// attributes (the first in key order), a non-finite Value as 0 and a Time
// outside years 0-9999 as the zero time, so that every record has one
// canonical JSON encoding.
type SignalRecord struct {
	Kind       string            `json:"kind"`
	Source     string            `json:"source,omitempty"`
	Target     string            `json:"target,omitempty"`
	State      string            `json:"state,omitempty"`
	Phase      string            `json:"phase"`
	Incident   string            `json:"incident"`
	Severity   string            `json:"severity"`
	Value      float64           `json:"value"`
	Time       time.Time         `json:"time"`
	Attributes map[string]string `json:"attributes,omitempty"`
	// Dropped counts attributes beyond MaxSignalAttributes.
	Dropped int `json:"attributes_dropped,omitempty"`
}

// genesisHash is the PrevHash of record 1.
var genesisHash = strings.Repeat("0", 2*sha256.Size)

// maxErrorText bounds Record.Error.
const maxErrorText = 1024

func recordSignal(s Signal) SignalRecord {
	r := SignalRecord{
		Kind:     s.Kind.String(),
		Source:   boundString(s.Source, MaxSignalString),
		Target:   boundString(s.Target, MaxSignalString),
		State:    boundString(s.State, MaxSignalString),
		Phase:    s.Phase.String(),
		Incident: boundString(s.incident(), MaxSignalString),
		Severity: s.Severity.String(),
		Value:    s.Value,
		Time:     canonicalTime(s.Time),
	}
	if math.IsNaN(r.Value) || math.IsInf(r.Value, 0) {
		r.Value = 0
	}
	if len(s.Attributes) > 0 {
		keys := slices.Sorted(maps.Keys(s.Attributes))
		if len(keys) > MaxSignalAttributes {
			r.Dropped = len(keys) - MaxSignalAttributes
			keys = keys[:MaxSignalAttributes]
		}
		r.Attributes = make(map[string]string, len(keys))
		for _, k := range keys {
			// Two keys equal after truncation collapse into one: the
			// audit keeps the first in key order.
			bk := boundString(k, MaxSignalString)
			if _, dup := r.Attributes[bk]; dup {
				r.Dropped++
				continue
			}
			r.Attributes[bk] = boundString(s.Attributes[k], MaxSignalString)
		}
	}
	return r
}

// boundString truncates s to at most n bytes without splitting a rune and
// replaces invalid UTF-8, which JSON could not carry unchanged.
func boundString(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 {
		if r, size := utf8.DecodeLastRuneInString(s); r != utf8.RuneError || size > 1 {
			break
		}
		s = s[:len(s)-1] // drop the bytes of a rune the cut split
	}
	return s
}

// canonicalTime is t in UTC without its monotonic reading; a time JSON
// cannot encode (outside years 0-9999) becomes the zero time.
func canonicalTime(t time.Time) time.Time {
	t = t.Round(0).UTC()
	if y := t.Year(); y < 0 || y > 9999 {
		return time.Time{}
	}
	return t
}

// hashRecord returns the hex SHA-256 of r's canonical encoding.
func hashRecord(r Record) (string, error) {
	r.Hash = ""
	b, err := json.Marshal(r)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// cloneRecord copies r deeply enough that the caller cannot change the ring.
func cloneRecord(r Record) Record {
	r.Signal.Attributes = maps.Clone(r.Signal.Attributes)
	return r
}
