package remediate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// ErrAuditTampered is wrapped by the *VerifyError that Verify returns.
var ErrAuditTampered = errors.New("remediate: audit chain broken")

// MaxAuditLine bounds one JSON line read by ReadRecords.
const MaxAuditLine = 1 << 20

// VerifyError pinpoints the first record at which an audit chain breaks.
type VerifyError struct {
	// Index is the position of the record in the slice given to Verify
	// (for ReadRecords input, the line number minus one, blank lines
	// aside).
	Index int
	// Seq is that record's sequence number as written.
	Seq uint64
	// Problem says what is wrong.
	Problem string
}

func (e *VerifyError) Error() string {
	return fmt.Sprintf("remediate: audit record %d (seq %d): %s", e.Index, e.Seq, e.Problem)
}

// Unwrap returns ErrAuditTampered.
func (e *VerifyError) Unwrap() error { return ErrAuditTampered }

// Verify checks that records form an unbroken chain, oldest first, and
// returns nil or a *VerifyError naming the first record that fails. Each
// record's Hash must match its content; each record after the first must
// follow its predecessor (Seq+1, PrevHash equal to the predecessor's Hash);
// a chain that starts at Seq 1 must start from the genesis hash.
//
// The first record anchors the chain: a slice cut from the middle (as the
// bounded ring returns once it has wrapped) verifies, and so does a chain
// whose tail was cut off or which was rewritten wholesale with fresh hashes.
// To detect those, keep the head (Engine.AuditHead) somewhere the writer of
// the log cannot change, and check with VerifyHead.
//
// A record whose own hash is right but whose PrevHash does not match means
// that this record or the one before it was altered (with its hash
// recomputed) or that a record in between was removed.
func Verify(records []Record) error {
	for i, r := range records {
		fail := func(format string, args ...any) error {
			return &VerifyError{Index: i, Seq: r.Seq, Problem: fmt.Sprintf(format, args...)}
		}
		want, err := hashRecord(r)
		if err != nil {
			return fail("cannot encode: %v", err)
		}
		if r.Hash != want {
			return fail("hash %.16s… does not match its content (%.16s…): the record was altered", r.Hash, want)
		}
		if i == 0 {
			if r.Seq == 0 {
				return fail("sequence number 0: records start at 1")
			}
			if r.Seq == 1 && r.PrevHash != genesisHash {
				return fail("first record does not start from the genesis hash")
			}
			continue
		}
		prev := records[i-1]
		if r.Seq != prev.Seq+1 {
			return fail("sequence %d follows %d: records were removed or reordered", r.Seq, prev.Seq)
		}
		if r.PrevHash != prev.Hash {
			return fail("prev_hash does not match the hash of the record before: it or this record was altered")
		}
	}
	return nil
}

// VerifyHead is Verify plus a check of the chain's end against a head kept
// elsewhere (Engine.AuditHead, stored where the log's writer cannot change
// it): it also detects a log whose tail was cut off or which was rewritten
// wholesale with fresh hashes. An empty chain matches only the head of an
// engine that has recorded nothing (seq 0). Like Verify, it accepts a chain
// that starts after seq 1 (the ring once it has wrapped), so it cannot tell
// a log whose first records were removed: for a complete log, also check
// that records[0].Seq is 1, as VerifyJSONLines does.
func VerifyHead(records []Record, seq uint64, hash string) error {
	if err := Verify(records); err != nil {
		return err
	}
	if len(records) == 0 {
		if seq != 0 {
			return &VerifyError{Index: 0, Seq: 0, Problem: fmt.Sprintf("no records, but the head is at seq %d", seq)}
		}
		return nil
	}
	last := len(records) - 1
	if r := records[last]; r.Seq != seq || r.Hash != hash {
		return &VerifyError{Index: last, Seq: r.Seq, Problem: fmt.Sprintf(
			"chain ends at seq %d hash %.16s…, the head is seq %d hash %.16s…: records were cut off or rewritten", r.Seq, r.Hash, seq, hash)}
	}
	return nil
}

// ReadRecords reads audit records written as JSON lines (one record per
// line, as the engine writes them to its io.Writer), skipping blank lines.
// It rejects unknown fields, trailing data and lines longer than
// MaxAuditLine, naming the line.
func ReadRecords(r io.Reader) ([]Record, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), MaxAuditLine)
	var out []Record
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		var rec Record
		if err := dec.Decode(&rec); err != nil {
			return out, fmt.Errorf("remediate: audit line %d: %w", line, err)
		}
		if dec.More() {
			return out, fmt.Errorf("remediate: audit line %d: trailing data after the record", line)
		}
		out = append(out, rec)
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("remediate: reading audit: %w", err)
	}
	return out, nil
}

// VerifyJSONLines reads a complete audit log (as the engine writes it to
// its io.Writer, from the first record on) with ReadRecords and checks it
// with Verify. Unlike Verify, it also requires the log to start at seq 1
// from the genesis hash, so that removing its first lines is detected; a
// log whose tail was cut off still needs VerifyHead.
func VerifyJSONLines(r io.Reader) error {
	recs, err := ReadRecords(r)
	if err != nil {
		return err
	}
	if err := Verify(recs); err != nil {
		return err
	}
	if len(recs) > 0 && recs[0].Seq != 1 {
		return &VerifyError{Index: 0, Seq: recs[0].Seq, Problem: fmt.Sprintf(
			"the log starts at seq %d, not 1: its first records were removed", recs[0].Seq)}
	}
	return nil
}
