package remediate

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzAuditJSONLines: the reader and verifier never panic on any input,
// and whatever they accept re-encodes to lines that verify the same way.
func FuzzAuditJSONLines(f *testing.F) {
	var buf bytes.Buffer
	e, err := NewEngine(Config{Policies: []Policy{{Name: "p", Action: &recordingAction{}, Cooldown: time.Minute}}}, quietAudit(), WithAuditWriter(&buf))
	if err != nil {
		f.Fatal(err)
	}
	for i := range 3 {
		e.HandleAt(f.Context(), engT0.Add(time.Duration(i)*time.Second), Signal{Source: "db", Attributes: map[string]string{"k": "v"}})
	}
	f.Add(buf.Bytes())
	lines := strings.SplitAfter(buf.String(), "\n")
	f.Add([]byte(lines[1] + lines[0]))
	f.Add([]byte(strings.Replace(buf.String(), "rate_limited", "executed", 1)))
	f.Add([]byte(`{"seq":0}`))
	f.Add([]byte("\n\n{}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, err := ReadRecords(bytes.NewReader(data))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "remediate: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		verr := Verify(recs)
		if verr == nil && len(recs) > 0 && recs[0].Seq != 1 {
			verr = &VerifyError{} // VerifyJSONLines also wants a complete log
		}
		if verr != nil && !errors.Is(verr, ErrAuditTampered) {
			t.Fatalf("Verify error %v does not wrap ErrAuditTampered", verr)
		}
		var again bytes.Buffer
		for _, r := range recs {
			b, err := json.Marshal(r)
			if err != nil {
				return // e.g. a time JSON can decode but not encode; Verify reported it
			}
			again.Write(append(b, '\n'))
		}
		verr2 := VerifyJSONLines(&again)
		if (verr == nil) != (verr2 == nil) {
			t.Fatalf("Verify = %v but after a round trip %v", verr, verr2)
		}
	})
}

// FuzzSignalRecord: every signal has one canonical audit encoding that
// survives a JSON round trip, so VerifyJSONLines accepts what the engine
// wrote, whatever the signal held.
func FuzzSignalRecord(f *testing.F) {
	f.Add("db", "pod-1", "fail", "k", "v", 0.5, int64(0), uint8(1), uint8(2))
	f.Add("\xff", strings.Repeat("€", 100), "", "", "\x00", 1e308, int64(-1<<62), uint8(9), uint8(9))
	f.Fuzz(func(t *testing.T, source, target, state, key, value string, v float64, unixNano int64, kind, severity uint8) {
		s := Signal{
			Kind: SignalKind(kind), Source: source, Target: target, State: state, Severity: Severity(severity),
			Value: v, Time: time.Unix(0, unixNano).Add(time.Duration(unixNano) * 1000),
			Attributes: map[string]string{key: value, value: key},
		}
		rec := recordSignal(s)
		for _, str := range []string{rec.Source, rec.Target, rec.State} {
			if len(str) > MaxSignalString {
				t.Fatalf("string of %d bytes kept", len(str))
			}
		}
		checkCanonical(t, Record{Seq: 1, PrevHash: genesisHash, Target: boundString(target, MaxSignalString), Signal: rec, Time: canonicalTime(s.Time)})
	})
}
