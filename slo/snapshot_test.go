package slo

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// stream records 6 events a minute (one every 10 s, one in 300 bad) in
// [from, to).
func stream(s *SLO, from, to time.Time) {
	for t := from; t.Before(to); t = t.Add(10 * time.Second) {
		s.RecordAt(t, t.Unix()%3000 != 0)
	}
}

func snapshotBytes(t testing.TB, s *SLO) []byte {
	t.Helper()
	var b bytes.Buffer
	if _, err := s.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// After a restart from the last snapshot the budget differs from an
// uninterrupted run by at most the events recorded between the snapshot
// and the crash, which are within one minute bucket.
func TestSnapshotRestartDiffersByAtMostOneBucket(t *testing.T) {
	for _, downtime := range []time.Duration{10 * time.Minute, 4 * day} {
		t.Run(downtime.String(), func(t *testing.T) {
			uninterrupted := mustNew(t, api(0.999, 30*day), t0)
			crashed := mustNew(t, api(0.999, 30*day), t0)
			snapAt := t0.Add(5*day + 30*time.Second) // mid-minute
			crashAt := snapAt.Add(25 * time.Second)
			stream(uninterrupted, t0, crashAt)
			stream(crashed, t0, snapAt)
			snap := snapshotBytes(t, crashed)
			stream(crashed, snapAt, crashAt) // lost with the crash

			restartAt := crashAt.Add(downtime)
			restarted := mustNew(t, api(0.999, 30*day), restartAt)
			if _, err := restarted.ReadFrom(bytes.NewReader(snap)); err != nil {
				t.Fatal(err)
			}
			end := restartAt.Add(2 * time.Hour)
			stream(uninterrupted, restartAt, end)
			stream(restarted, restartAt, end)

			a, b := uninterrupted.StatusAt(end), restarted.StatusAt(end)
			lostG, lostB := uint64(0), uint64(0)
			for tt := snapAt; tt.Before(crashAt); tt = tt.Add(10 * time.Second) {
				if tt.Unix()%3000 != 0 {
					lostG++
				} else {
					lostB++
				}
			}
			if a.Period.Good-b.Period.Good != lostG || a.Period.Bad-b.Period.Bad != lostB || lostG+lostB > 6 {
				t.Errorf("period %d/%d vs restarted %d/%d; want a difference of the %d/%d lost events (≤ one minute)",
					a.Period.Good, a.Period.Bad, b.Period.Good, b.Period.Bad, lostG, lostB)
			}
			if a.Good-b.Good != lostG || a.Bad-b.Bad != lostB {
				t.Errorf("cumulative events differ by %d/%d, want %d/%d", a.Good-b.Good, a.Bad-b.Bad, lostG, lostB)
			}
			if d := math.Abs(a.BudgetRemaining - b.BudgetRemaining); d > 1e-3 {
				t.Errorf("budget %v vs %v after restart", a.BudgetRemaining, b.BudgetRemaining)
			}
		})
	}
}

func TestSnapshotRoundTripIsIdentical(t *testing.T) {
	o := Objective{Name: "ts", Target: 0.99, Window: Window{Calendar: CalendarMonth}, Budgeting: Timeslices,
		Timeslice: Timeslice{Duration: 5 * time.Minute}}
	a := mustNew(t, o, t0)
	stream(a, t0, t0.Add(4*day+17*time.Minute))
	snap := snapshotBytes(t, a)
	// b restores at the minute of a's last event: a's clock, so that
	// nothing ages out between the two.
	b := mustNew(t, o, t0.Add(4*day+17*time.Minute-10*time.Second))
	if _, err := b.ReadFrom(bytes.NewReader(snap)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(snapshotBytes(t, b), snap) {
		t.Error("restored state writes a different snapshot")
	}
	at := t0.Add(4*day + 17*time.Minute)
	sa, sb := a.StatusAt(at), b.StatusAt(at)
	if sa.Period != sb.Period || sa.BudgetRemaining != sb.BudgetRemaining || sa.Good != sb.Good {
		t.Errorf("status differs after round trip:\n%+v\n%+v", sa.Period, sb.Period)
	}
}

func TestBadSnapshotsLeaveStateUntouched(t *testing.T) {
	src := mustNew(t, api(0.999, 30*day), t0)
	stream(src, t0, t0.Add(time.Hour))
	good := snapshotBytes(t, src)

	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 0x40
	version := bytes.Clone(good)
	version[len(snapshotMagic)] = 9
	binary.LittleEndian.PutUint32(version[len(version)-4:], crc32.Checksum(version[:len(version)-4], castagnoli))
	other := snapshotBytes(t, mustNew(t, api(0.999, 28*day), t0))

	cases := map[string][]byte{
		"empty":       nil,
		"truncated":   good[:len(good)-100],
		"header only": good[:20],
		"flipped bit": flipped,
		"version":     version,
		"foreign":     []byte("PK\x03\x04 this is a zip file, not a snapshot at all"),
		"other slo":   other,
		"trailing":    append(bytes.Clone(good), 0),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			dst := mustNew(t, api(0.999, 30*day), t0)
			dst.RecordAt(t0, false)
			before := snapshotBytes(t, dst)
			if _, err := dst.ReadFrom(bytes.NewReader(data)); !errors.Is(err, ErrBadSnapshot) {
				t.Fatalf("ReadFrom: %v, want ErrBadSnapshot", err)
			}
			if !bytes.Equal(before, snapshotBytes(t, dst)) {
				t.Error("a rejected snapshot changed the state")
			}
		})
	}
}

func TestSaveFileIsAtomicAndLoadFileRestores(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "api.slo")
	a := mustNew(t, api(0.999, 30*day), t0)
	stream(a, t0, t0.Add(time.Hour))
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := a.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries after SaveFile, want only the snapshot", len(entries))
	}
	b := mustNew(t, api(0.999, 30*day), t0.Add(time.Hour))
	if err := b.LoadFile(path); err != nil {
		t.Fatal(err)
	}
	if g, _ := b.Events(); g == 0 {
		t.Error("LoadFile restored nothing")
	}
	if err := a.SaveFile(filepath.Join(dir, "missing", "x")); err == nil {
		t.Error("SaveFile into a missing directory succeeded")
	}
	if err := b.LoadFile(filepath.Join(dir, "nope")); err == nil {
		t.Error("LoadFile of a missing file succeeded")
	}
}

// FuzzSnapshotDecode feeds raw bytes, and a valid snapshot patched at an
// offset (optionally with its checksum fixed, so the decoder's checks past
// the checksum are reached), to ReadFrom. Inputs stay small so the fuzzer
// can minimize them.
func FuzzSnapshotDecode(f *testing.F) {
	seed := mustNew(f, api(0.999, 30*day), t0)
	stream(seed, t0, t0.Add(2*time.Hour))
	valid := snapshotBytes(f, seed)
	f.Add([]byte{}, uint32(0), false, uint32(0))
	f.Add([]byte(snapshotMagic+"\x01\x00"), uint32(0), false, uint32(0))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, uint32(len(snapshotMagic)+2+14), true, uint32(0))
	f.Add([]byte{1}, uint32(len(valid)-10), true, uint32(len(valid)-3))
	f.Fuzz(func(t *testing.T, patch []byte, off uint32, fixSum bool, cut uint32) {
		data := bytes.Clone(valid)
		copy(data[int(off)%len(data):], patch)
		if cut != 0 {
			data = data[:int(cut)%len(data)]
		}
		if fixSum && len(data) >= 4 {
			binary.LittleEndian.PutUint32(data[len(data)-4:], crc32.Checksum(data[:len(data)-4], castagnoli))
		}
		for _, input := range [][]byte{patch, data} {
			s := mustNew(t, api(0.999, 30*day), t0.Add(2*time.Hour)) // the seed's clock
			before := snapshotBytes(t, s)
			if _, err := s.ReadFrom(bytes.NewReader(input)); err != nil {
				if !errors.Is(err, ErrBadSnapshot) {
					t.Fatalf("error %v does not wrap ErrBadSnapshot", err)
				}
				if !bytes.Equal(before, snapshotBytes(t, s)) {
					t.Fatal("a rejected snapshot changed the state")
				}
				continue
			}
			st := s.StatusAt(t0.Add(3 * time.Hour))
			if math.IsNaN(st.BudgetRemaining) || math.IsInf(st.BudgetRemaining, 0) {
				t.Fatalf("budget %v after restore", st.BudgetRemaining)
			}
		}
	})
}

// A SaveFile that fails at the rename leaves what was at path and no
// temporary file behind.
func TestSaveFileFailureLeavesNoTrace(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "api.slo")
	if err := os.Mkdir(path, 0o700); err != nil { // rename of a file onto a directory fails
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(path, "keep"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := mustNew(t, api(0.999, 30*day), t0)
	if err := s.SaveFile(path); err == nil || !strings.HasPrefix(err.Error(), "slo: ") {
		t.Fatalf("SaveFile onto a directory = %v, want a prefixed error", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || !entries[0].IsDir() {
		t.Errorf("directory holds %d entries after a failed SaveFile, want only the original", len(entries))
	}
	if _, err := os.Stat(filepath.Join(path, "keep")); err != nil {
		t.Errorf("the original at path was disturbed: %v", err)
	}
}
