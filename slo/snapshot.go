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
	"sync"
	"time"
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

// MaxSnapshotSkew is how far ahead of the restoring objective's clock a
// snapshot's clock may be. A snapshot written by a process whose clock ran
// ahead holds minutes that have not happened yet here: restored, it would
// hold the coarse clock there (every later Record lands in its last minute,
// so a 5m window of a snapshot two hours ahead holds two hours of events)
// or, once the gap passes the 3-day ring, count every real event as late.
// One minute covers the clock skew between hosts kept by NTP (usually
// milliseconds) and the minute a snapshot rounds its clock down to, and
// bounds what an accepted snapshot can distort: the coarse clock waits at
// most that long, so the 5m window holds at most 6 minutes for a while.
const MaxSnapshotSkew = time.Minute

// Errors of ReadFrom and LoadFile. The SLO is left untouched by both.
var (
	// ErrBadSnapshot is wrapped by every error for a snapshot that is
	// truncated, corrupted, of another format or version, of another
	// objective, or from the future.
	ErrBadSnapshot = errors.New("slo: bad snapshot")
	// ErrFutureSnapshot is wrapped (beside ErrBadSnapshot) by the error
	// for a snapshot whose clock is more than MaxSnapshotSkew ahead of the
	// objective's: its message names both instants.
	ErrFutureSnapshot = fmt.Errorf("%w: from the future", ErrBadSnapshot)
)

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
// replaces the buckets (so restore before recording: what was recorded
// before is gone, and Events and Status count the restored history from
// then on) and then advances to the later of the snapshot's clock and the
// objective's, ageing out what the downtime expired. A snapshot whose
// clock is more than MaxSnapshotSkew ahead of the later of the objective's
// clock (see WithClock) and its coarse clock is refused with an error
// wrapping ErrFutureSnapshot. On any error the SLO is unchanged.
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
	if err := s.checkClock(st); err != nil {
		return n, err
	}
	s.install(st)
	return n, nil
}

// checkClock refuses a snapshot whose clock is more than MaxSnapshotSkew
// ahead of the objective's now: the later of its clock and its coarse
// clock, which a RecordAt or TickAt may have moved past the clock.
func (s *SLO) checkClock(st *snapshotState) error {
	now := s.now()
	if live := minuteTime(s.cur.Load()); live.After(now) {
		now = live
	}
	at := minuteTime(st.Cur)
	if ahead := at.Sub(now); ahead > MaxSnapshotSkew {
		return fmt.Errorf("%w: its clock reads %s, %s ahead of now %s (tolerance %s)", ErrFutureSnapshot,
			at.UTC().Format(time.RFC3339), ahead, now.UTC().Format(time.RFC3339), MaxSnapshotSkew)
	}
	return nil
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
	case st.Origin > st.Cur*60+59:
		// WriteTo's origin is at most its clock: lowered by late events,
		// never raised.
		return nil, badSnapshot("origin %d after its clock minute %d", st.Origin, st.Cur)
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

// SaveFile writes a snapshot to path atomically: to path+".tmp" in the
// same directory, synced, then renamed over path, so that path holds the
// previous snapshot or the new one, whole, whenever the process dies. The
// temporary name is fixed so that one left by a save that was killed is
// overwritten and renamed away by the next save instead of piling up.
// Saves to one path from one process are serialised; saving to the same
// path from two processes at once is not supported.
func (s *SLO) SaveFile(path string) (err error) {
	unlock := lockPath(path)
	defer unlock()
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("slo: saving snapshot: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
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
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("slo: saving snapshot: %w", err)
	}
	if d, derr := os.Open(filepath.Dir(path)); derr == nil {
		_ = d.Sync() // persist the rename; not every platform supports it
		d.Close()
	}
	return nil
}

// savePaths holds a mutex per absolute path being saved to, so that two
// saves to one path in this process do not share the temporary file. It
// grows by one entry per path ever saved to: a process saves to few.
var savePaths sync.Map // string -> *sync.Mutex

func lockPath(path string) (unlock func()) {
	key, err := filepath.Abs(path)
	if err != nil {
		key = path
	}
	v, _ := savePaths.LoadOrStore(key, new(sync.Mutex))
	mu := v.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
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
