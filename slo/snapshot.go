package slo

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
)

// Snapshot format, version 1, little endian:
//
//	magic "NINESSLO" | version u16 | identity (name, window, budgeting) |
//	origin, cur, hourAlign, lastHour i64 | folded good, bad, dropped good,
//	bad u64 | pending slice i64, good, bad u64 | ring length u32, then
//	good, bad u32 per minute | hour count u32, then good, bad u64 per hour |
//	CRC-32C of everything before it, u32
//
// The identity must match the objective restoring it: the buckets mean
// nothing under another name, window or budgeting method. Target, Latency
// and Tiers may change between snapshot and restore.
const (
	snapshotMagic   = "NINESSLO"
	snapshotVersion = 1
	// maxSnapshot bounds what ReadFrom reads: a 366-day window's hours and
	// the ring are about 175 KiB.
	maxSnapshot = 1 << 20
	// maxMinute keeps restored clocks within ±2 million years, far from
	// int64 overflow in the bucket arithmetic.
	maxMinute = 1 << 40
)

// ErrBadSnapshot is wrapped by every error for a snapshot that is
// truncated, corrupted, of another format or version, or of another
// objective. The SLO is left untouched.
var ErrBadSnapshot = errors.New("slo: bad snapshot")

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func badSnapshot(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrBadSnapshot}, args...)...)
}

// identity is what a snapshot must agree with to be restored.
func (s *SLO) identity() []byte {
	var b bytes.Buffer
	loc := ""
	if s.obj.Window.Calendar != CalendarNone && s.obj.Window.Location != nil {
		loc = s.obj.Window.Location.String()
	}
	writeString(&b, s.obj.Name)
	binary.Write(&b, binary.LittleEndian, int64(s.obj.Window.Rolling))
	b.WriteByte(byte(s.obj.Window.Calendar))
	writeString(&b, loc)
	b.WriteByte(byte(s.obj.Budgeting))
	binary.Write(&b, binary.LittleEndian, s.sliceMin)
	sliceTarget := 0.0
	if s.sliceMin != 0 {
		sliceTarget = s.obj.Timeslice.Target
	}
	binary.Write(&b, binary.LittleEndian, math.Float64bits(sliceTarget))
	return b.Bytes()
}

func writeString(b *bytes.Buffer, s string) {
	binary.Write(b, binary.LittleEndian, uint16(len(s)))
	b.WriteString(s)
}

// snapshotState is the decoded, not yet installed, state.
type snapshotState struct {
	Origin, Cur, HourAlign, LastHour          int64
	FoldedGood, FoldedBad, DroppedG, DroppedB uint64
	PendSlice                                 int64
	PendGood, PendBad                         uint64
	ring                                      [ringMinutes][2]uint32
	hours                                     []hourBucket
}

// WriteTo writes a snapshot of the objective's buckets to w. Recording may
// continue meanwhile; each minute is read atomically.
func (s *SLO) WriteTo(w io.Writer) (int64, error) {
	le := binary.LittleEndian
	b := make([]byte, 0, 256+int(ringMinutes)*8+len(s.hours)*16)
	b = append(b, snapshotMagic...)
	b = le.AppendUint16(b, snapshotVersion)
	b = append(b, s.identity()...)
	s.mu.Lock()
	for _, v := range []int64{s.origin.Load(), s.cur.Load(), s.hourAlign, s.lastHour} {
		b = le.AppendUint64(b, uint64(v))
	}
	for _, v := range []uint64{s.foldedGood, s.foldedBad, s.droppedGood.Load(), s.droppedBad.Load(),
		uint64(s.pendSlice), s.pendGood, s.pendBad} {
		b = le.AppendUint64(b, v)
	}
	b = le.AppendUint32(b, uint32(ringMinutes))
	for i := range s.ring {
		b = le.AppendUint32(b, s.ring[i].good.Load())
		b = le.AppendUint32(b, s.ring[i].bad.Load())
	}
	b = le.AppendUint32(b, uint32(len(s.hours)))
	for _, h := range s.hours {
		b = le.AppendUint64(b, h.good)
		b = le.AppendUint64(b, h.bad)
	}
	s.mu.Unlock()
	b = le.AppendUint32(b, crc32.Checksum(b, castagnoli))
	n, err := w.Write(b)
	return int64(n), err
}

// ReadFrom restores a snapshot written by WriteTo, reading r to EOF. It
// replaces the buckets (so restore before recording) and then advances to
// the later of the snapshot's clock and the objective's, ageing out what
// the downtime expired. On any error the SLO is unchanged.
func (s *SLO) ReadFrom(r io.Reader) (int64, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxSnapshot+1))
	n := int64(len(data))
	if err != nil {
		return n, fmt.Errorf("slo: reading snapshot: %w", err)
	}
	if n > maxSnapshot {
		return n, badSnapshot("larger than %d bytes", maxSnapshot)
	}
	st, err := s.decode(data)
	if err != nil {
		return n, err
	}
	s.install(st)
	return n, nil
}

func (s *SLO) decode(data []byte) (*snapshotState, error) {
	if len(data) < len(snapshotMagic)+2+4 {
		return nil, badSnapshot("truncated: %d bytes", len(data))
	}
	if string(data[:len(snapshotMagic)]) != snapshotMagic {
		return nil, badSnapshot("not a nines SLO snapshot")
	}
	if v := binary.LittleEndian.Uint16(data[len(snapshotMagic):]); v != snapshotVersion {
		return nil, badSnapshot("unsupported version %d", v)
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	if crc32.Checksum(body, castagnoli) != sum {
		return nil, badSnapshot("checksum mismatch (truncated or corrupted)")
	}
	rd := bytes.NewReader(body[len(snapshotMagic)+2:])
	id := s.identity()
	got := make([]byte, len(id))
	if _, err := io.ReadFull(rd, got); err != nil || !bytes.Equal(got, id) {
		return nil, badSnapshot("written for another objective or configuration, not %q", s.obj.Name)
	}
	st := new(snapshotState)
	var ringLen, hourLen uint32
	fields := []any{&st.Origin, &st.Cur, &st.HourAlign, &st.LastHour,
		&st.FoldedGood, &st.FoldedBad, &st.DroppedG, &st.DroppedB,
		&st.PendSlice, &st.PendGood, &st.PendBad, &ringLen}
	for _, f := range fields {
		if err := binary.Read(rd, binary.LittleEndian, f); err != nil {
			return nil, badSnapshot("truncated header")
		}
	}
	if int64(ringLen) != ringMinutes {
		return nil, badSnapshot("ring of %d minutes, want %d", ringLen, ringMinutes)
	}
	if err := binary.Read(rd, binary.LittleEndian, &st.ring); err != nil {
		return nil, badSnapshot("truncated ring")
	}
	if err := binary.Read(rd, binary.LittleEndian, &hourLen); err != nil || int(hourLen) != len(s.hours) {
		return nil, badSnapshot("hour buckets: %d, want %d", hourLen, len(s.hours))
	}
	st.hours = make([]hourBucket, hourLen)
	for i := range st.hours {
		var h [2]uint64
		if err := binary.Read(rd, binary.LittleEndian, &h); err != nil {
			return nil, badSnapshot("truncated hour buckets")
		}
		st.hours[i] = hourBucket{h[0], h[1]}
	}
	if rd.Len() != 0 {
		return nil, badSnapshot("%d trailing bytes", rd.Len())
	}
	switch {
	case st.Cur < -maxMinute || st.Cur > maxMinute:
		return nil, badSnapshot("clock minute %d out of range", st.Cur)
	case st.Origin < -maxMinute*60 || st.Origin > maxMinute*60:
		return nil, badSnapshot("origin %d out of range", st.Origin)
	case st.HourAlign < 0 || st.HourAlign >= 60:
		return nil, badSnapshot("hour alignment %d out of range", st.HourAlign)
	case st.LastHour < -maxMinute || st.LastHour > maxMinute || st.PendSlice < -maxMinute || st.PendSlice > maxMinute:
		return nil, badSnapshot("bucket position out of range")
	}
	return st, nil
}

func (s *SLO) install(st *snapshotState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.rebaseExportLocked(s.eventsLocked())
	live := s.cur.Load()
	s.origin.Store(st.Origin)
	s.cur.Store(st.Cur)
	s.slot.Store(floorMod(st.Cur, ringMinutes))
	s.hourAlign, s.lastHour = st.HourAlign, st.LastHour
	s.foldedGood, s.foldedBad = st.FoldedGood, st.FoldedBad
	s.droppedGood.Store(st.DroppedG)
	s.droppedBad.Store(st.DroppedB)
	s.pendSlice, s.pendGood, s.pendBad = st.PendSlice, st.PendGood, st.PendBad
	for i := range s.ring {
		s.ring[i].good.Store(st.ring[i][0])
		s.ring[i].bad.Store(st.ring[i][1])
	}
	copy(s.hours, st.hours)
	s.last.Store(nil)
	s.advanceLocked(live)
}

// SaveFile writes a snapshot to path atomically: to a temporary file in
// the same directory, synced, then renamed over path.
func (s *SLO) SaveFile(path string) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("slo: saving snapshot: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = s.WriteTo(f); err != nil {
		return fmt.Errorf("slo: saving snapshot: %w", err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("slo: saving snapshot: %w", err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("slo: saving snapshot: %w", err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("slo: saving snapshot: %w", err)
	}
	if d, derr := os.Open(filepath.Dir(path)); derr == nil {
		_ = d.Sync() // persist the rename; not every platform supports it
		d.Close()
	}
	return nil
}

// LoadFile restores the snapshot at path (see ReadFrom).
func (s *SLO) LoadFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("slo: loading snapshot: %w", err)
	}
	defer f.Close()
	_, err = s.ReadFrom(f)
	return err
}
