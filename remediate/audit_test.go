package remediate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math"
	"strings"
	"testing"
	"time"
)

// auditFixture runs a few decisions and returns the engine and its JSON
// lines.
func auditFixture(t *testing.T, capacity int) (*Engine, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	e := mustEngine(t, Config{AuditCapacity: capacity, Policies: []Policy{
		{Name: "p", Action: &recordingAction{}, Cooldown: time.Minute, When: Match{Kinds: []SignalKind{SignalAnomaly}}},
	}}, WithAuditWriter(&buf))
	for i := range 5 {
		handleOne(t, e, engT0.Add(time.Duration(i)*20*time.Second), Signal{
			Kind: SignalAnomaly, Source: "latency_p99", Value: float64(i) / 4,
			Attributes: map[string]string{"detector": "ewma"},
		})
	}
	return e, &buf
}

func TestAuditChainVerifies(t *testing.T) {
	e, buf := auditFixture(t, 0)
	recs := e.Records()
	if err := Verify(recs); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if recs[0].PrevHash != genesisHash || recs[0].Seq != 1 {
		t.Errorf("first record seq %d prev %s", recs[0].Seq, recs[0].PrevHash)
	}
	seq, head := e.AuditHead()
	if seq != 5 || head != recs[4].Hash {
		t.Errorf("AuditHead = %d %s, want 5 %s", seq, head, recs[4].Hash)
	}
	// The JSON lines read back are the same records and verify too.
	if n := strings.Count(buf.String(), "\n"); n != 5 {
		t.Fatalf("%d JSON lines, want 5", n)
	}
	back, err := ReadRecords(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("ReadRecords: %v", err)
	}
	for i := range back {
		if back[i].Hash != recs[i].Hash || !back[i].Time.Equal(recs[i].Time) || back[i].Signal.Attributes["detector"] != "ewma" {
			t.Errorf("record %d read back as %+v, want %+v", i, back[i], recs[i])
		}
	}
	if err := VerifyJSONLines(bytes.NewReader(buf.Bytes())); err != nil {
		t.Errorf("VerifyJSONLines: %v", err)
	}
}

// Each kind of tampering is caught at the first record where it shows.
func TestAuditTamperingIsPinpointed(t *testing.T) {
	e, _ := auditFixture(t, 0)
	tests := []struct {
		name      string
		tamper    func([]Record) []Record
		wantIndex int
		wantText  string
	}{
		{"outcome changed", func(r []Record) []Record { r[2].Outcome = OutcomeExecuted; return r }, 2, "altered"},
		{"signal changed", func(r []Record) []Record { r[3].Signal.Value = 99; return r }, 3, "altered"},
		{"attribute added", func(r []Record) []Record { r[1].Signal.Attributes["x"] = "y"; return r }, 1, "altered"},
		{"hash recomputed", func(r []Record) []Record {
			r[1].Target = "other"
			r[1].Hash, _ = hashRecord(r[1])
			return r
		}, 2, "prev_hash"},
		{"record removed", func(r []Record) []Record { return append(r[:2], r[3:]...) }, 2, "removed or reordered"},
		{"records swapped", func(r []Record) []Record { r[3], r[4] = r[4], r[3]; return r }, 3, "removed or reordered"},
		{"genesis replaced", func(r []Record) []Record {
			r[0].PrevHash = strings.Repeat("1", 64)
			r[0].Hash, _ = hashRecord(r[0])
			return r
		}, 0, "genesis"},
		{"last record altered", func(r []Record) []Record { r[4].Time = r[4].Time.Add(time.Second); return r }, 4, "altered"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(tt.tamper(e.Records()))
			var ve *VerifyError
			if !errors.As(err, &ve) || !errors.Is(err, ErrAuditTampered) {
				t.Fatalf("Verify = %v, want a *VerifyError", err)
			}
			if ve.Index != tt.wantIndex || !strings.Contains(ve.Problem, tt.wantText) {
				t.Errorf("Verify = %v, want index %d mentioning %q", err, tt.wantIndex, tt.wantText)
			}
		})
	}
}

func TestAuditTamperedJSONLine(t *testing.T) {
	_, buf := auditFixture(t, 0)
	lines := strings.SplitAfter(buf.String(), "\n")
	tampered := strings.Replace(lines[2], `"outcome":"rate_limited"`, `"outcome":"executed"`, 1)
	if tampered == lines[2] {
		t.Fatalf("fixture line 3 is not rate limited: %s", lines[2])
	}
	lines[2] = tampered
	err := VerifyJSONLines(strings.NewReader(strings.Join(lines, "")))
	var ve *VerifyError
	if !errors.As(err, &ve) || ve.Index != 2 || ve.Seq != 3 {
		t.Fatalf("VerifyJSONLines = %v, want record 2 (seq 3)", err)
	}
	for _, bad := range []string{
		`{"seq":1,"unknown":true}`,
		`{"seq":1} {"seq":2}`,
		`{"seq":1,"outcome":"exploded"}`,
		`not json`,
	} {
		if _, err := ReadRecords(strings.NewReader("\n" + bad + "\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
			t.Errorf("ReadRecords(%q) = %v, want an error naming line 2", bad, err)
		}
	}
}

// Once the ring wraps it keeps the newest records, which still verify.
func TestAuditRingIsBounded(t *testing.T) {
	e, buf := auditFixture(t, 3)
	recs := e.Records()
	if len(recs) != 3 || recs[0].Seq != 3 || recs[2].Seq != 5 {
		t.Fatalf("ring holds %d records from seq %d", len(recs), recs[0].Seq)
	}
	if err := Verify(recs); err != nil {
		t.Errorf("Verify(ring) = %v", err)
	}
	if strings.Count(buf.String(), "\n") != 5 {
		t.Errorf("the writer must still get every record")
	}
	recs[0].Signal.Attributes["detector"] = "changed"
	if err := Verify(e.Records()); err != nil {
		t.Errorf("changing a copy changed the ring: %v", err)
	}
}

type failingAuditWriter struct{ n int }

func (w *failingAuditWriter) Write(p []byte) (int, error) { w.n++; return 0, errors.New("disk full") }

func TestAuditWriteErrorsAreCountedNotFatal(t *testing.T) {
	w := &failingAuditWriter{}
	var logBuf bytes.Buffer
	e, err := NewEngine(Config{Policies: []Policy{{Name: "p", Action: &recordingAction{}}}},
		WithAuditWriter(w), WithAuditLogger(slog.New(slog.NewJSONHandler(&logBuf, nil))))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if d := handleOne(t, e, engT0, Signal{Source: "x"}); d.Outcome != OutcomeExecuted {
			t.Fatalf("decision %d: %+v", i, d)
		}
	}
	if w.n != 3 || e.AuditWriteErrors() != 3 {
		t.Errorf("writes %d, errors counted %d; want 3 and 3", w.n, e.AuditWriteErrors())
	}
	if n := strings.Count(logBuf.String(), "audit write failed"); n != 3 {
		t.Errorf("%d write failures logged, want 3", n)
	}
}

// One line per record: executed and reverted at info, a skip at debug, a
// failure at error; no hash in the line.
func TestAuditIsLogged(t *testing.T) {
	var logBuf bytes.Buffer
	undoErr := errors.New("nope")
	var fail bool
	act := ReversibleFunc("shed", func(context.Context, string, Signal) error { return nil },
		func(context.Context, string, Signal) error {
			if fail {
				return undoErr
			}
			return nil
		})
	e, err := NewEngine(Config{Policies: []Policy{
		{Name: "p", Action: act, Cooldown: time.Minute},
		{Name: "q", Action: Func("page", func(context.Context, string, Signal) error { return nil }), Cooldown: time.Hour},
	}}, WithAuditLogger(slog.New(slog.NewJSONHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	if err != nil {
		t.Fatal(err)
	}
	fire := Signal{Source: "db", Phase: PhaseFiring, Severity: SeverityCritical}
	e.HandleAt(context.Background(), engT0, fire)                                                          // p executed, q executed
	e.HandleAt(context.Background(), engT0.Add(2*time.Minute), Signal{Source: "db", Phase: PhaseResolved}) // p reverted
	e.HandleAt(context.Background(), engT0.Add(3*time.Minute), fire)                                       // p executed, q rate limited
	fail = true
	e.HandleAt(context.Background(), engT0.Add(5*time.Minute), Signal{Source: "db", Phase: PhaseResolved}) // p's undo fails
	var entries []map[string]any
	dec := json.NewDecoder(&logBuf)
	for {
		var m map[string]any
		if err := dec.Decode(&m); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, m)
	}
	want := []struct{ level, msg, policy, reason string }{
		{"INFO", "remediation executed", "p", ""},
		{"INFO", "remediation executed", "q", ""},
		{"INFO", "remediation reverted", "p", "resolved"},
		{"INFO", "remediation executed", "p", ""},
		{"DEBUG", "remediation rate_limited", "q", "cooldown"},
		{"ERROR", "remediation failed revert", "p", "action_error"},
	}
	if len(entries) != len(want) {
		t.Fatalf("%d log entries, want %d: %v", len(entries), len(want), entries)
	}
	for i, w := range want {
		m := entries[i]
		reason, _ := m["reason"].(string)
		if m["level"] != w.level || m["msg"] != w.msg || m["policy"] != w.policy || reason != w.reason || m["target"] != "db" {
			t.Errorf("log entry %d = %v, want %+v", i, m, w)
		}
		if _, ok := m["hash"]; ok {
			t.Errorf("log entry %d has the hash: %v", i, m)
		}
	}
	if irr, _ := entries[1]["irreversible"].(bool); !irr {
		t.Errorf("the Func's entry does not say irreversible: %v", entries[1])
	}
}

// Every signal, however odd, has one canonical encoding: a record survives
// a JSON round trip with the same hash.
func TestAuditRecordIsCanonical(t *testing.T) {
	attrs := map[string]string{}
	for i := range 20 {
		attrs[strings.Repeat("k", i+1)] = "v"
	}
	attrs[strings.Repeat("é", 200)+"a"] = "1"
	attrs[strings.Repeat("é", 200)+"b"] = "2" // equal to the one above once truncated
	signals := []Signal{
		{},
		{Value: math.NaN(), Time: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Value: math.Inf(-1), Source: "\xff\xfe<&>", State: strings.Repeat("€", 200)},
		{Time: time.Date(2026, 1, 1, 0, 0, 0, 1, time.FixedZone("X", 3600)), Attributes: attrs},
	}
	for i, s := range signals {
		rec := recordSignal(s)
		if len(rec.Attributes) > MaxSignalAttributes {
			t.Errorf("signal %d: %d attributes kept", i, len(rec.Attributes))
		}
		checkCanonical(t, Record{Seq: 1, PrevHash: genesisHash, Signal: rec})
	}
}

func checkCanonical(t *testing.T, r Record) {
	t.Helper()
	var err error
	if r.Hash, err = hashRecord(r); err != nil {
		t.Fatalf("hashRecord: %v", err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ReadRecords(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("ReadRecords(%s): %v", b, err)
	}
	if err := Verify(back); err != nil {
		t.Fatalf("round trip of %s: %v", b, err)
	}
}

func TestVerifyErrorMessage(t *testing.T) {
	err := error(&VerifyError{Index: 2, Seq: 7, Problem: "hash does not match"})
	if got, want := err.Error(), "remediate: audit record 2 (seq 7): hash does not match"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, ErrAuditTampered) {
		t.Error("VerifyError must wrap ErrAuditTampered")
	}
	if err := Verify([]Record{{Seq: 0}}); err == nil {
		t.Error("a record with sequence 0 verified")
	}
	if err := VerifyJSONLines(strings.NewReader("{")); err == nil || errors.Is(err, ErrAuditTampered) {
		t.Errorf("VerifyJSONLines(bad JSON) = %v, want a read error", err)
	}
}

// Handle reads the wall clock; it decides like HandleAt.
func TestHandleUsesTheClock(t *testing.T) {
	e := mustEngine(t, Config{Policies: []Policy{{Name: "p", Action: &recordingAction{}}}})
	before := time.Now()
	ds := e.Handle(context.Background(), Signal{Source: "x"})
	if len(ds) != 1 || ds[0].Outcome != OutcomeExecuted {
		t.Fatalf("decisions %+v", ds)
	}
	if rt := e.Records()[0].Time; rt.Before(before.Round(0).UTC()) || rt.Location() != time.UTC {
		t.Errorf("record time %v, want UTC at or after %v", rt, before)
	}
}

// Removing the first lines of a complete JSON log leaves a chain that
// Verify (and VerifyHead, whose end still matches) accept; VerifyJSONLines
// must not.
func TestVerifyJSONLinesDetectsRemovedFirstLines(t *testing.T) {
	_, buf := auditFixture(t, 0)
	lines := strings.SplitAfter(buf.String(), "\n")
	if len(lines) < 3 {
		t.Fatalf("fixture has %d lines", len(lines))
	}
	cut := strings.Join(lines[2:], "")
	err := VerifyJSONLines(strings.NewReader(cut))
	var ve *VerifyError
	if !errors.As(err, &ve) || ve.Index != 0 || ve.Seq != 3 || !strings.Contains(ve.Problem, "not 1") {
		t.Fatalf("VerifyJSONLines(first two lines removed) = %v, want record 0 (seq 3) flagged", err)
	}
	if err := VerifyJSONLines(strings.NewReader(buf.String())); err != nil {
		t.Errorf("VerifyJSONLines(intact) = %v", err)
	}
}

// A log cut short or rewritten with fresh hashes verifies on its own, but
// not against the head kept elsewhere.
func TestVerifyHeadDetectsTruncationAndRewrites(t *testing.T) {
	e, _ := auditFixture(t, 0)
	seq, head := e.AuditHead()
	recs := e.Records()
	if err := VerifyHead(recs, seq, head); err != nil {
		t.Fatalf("VerifyHead(intact) = %v", err)
	}
	cut := recs[:3]
	if err := Verify(cut); err != nil {
		t.Fatalf("Verify(cut) = %v; a cut chain is consistent on its own", err)
	}
	var ve *VerifyError
	if err := VerifyHead(cut, seq, head); !errors.As(err, &ve) || ve.Index != 2 || !strings.Contains(ve.Problem, "cut off") {
		t.Errorf("VerifyHead(cut) = %v, want record 2 flagged", err)
	}
	rewritten := e.Records()
	rewritten[4].Outcome = OutcomeDenied
	rewritten[4].Hash, _ = hashRecord(rewritten[4])
	if err := Verify(rewritten); err != nil {
		t.Fatalf("Verify(rewritten tail) = %v", err)
	}
	if err := VerifyHead(rewritten, seq, head); !errors.As(err, &ve) || ve.Index != 4 {
		t.Errorf("VerifyHead(rewritten) = %v, want record 4 flagged", err)
	}
	if err := VerifyHead(nil, 0, genesisHash); err != nil {
		t.Errorf("VerifyHead(empty, 0) = %v", err)
	}
	if err := VerifyHead(nil, 1, head); err == nil {
		t.Error("VerifyHead(empty, 1) = nil")
	}
}
