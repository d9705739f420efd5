package logpattern

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ErrSnapshot is wrapped by every error [Miner.ReadSnapshot] returns for
// input it rejects; the miner's state is then left untouched.
var ErrSnapshot = errors.New("logpattern: bad snapshot")

// Snapshot format: magic, a big-endian uint32 payload length, the gob
// payload, then the SHA-256 of the payload. Version 1.
var snapMagic = [8]byte{'N', 'L', 'P', 'S', 'N', 'A', 'P', '1'}

// maxSnapshotBytes bounds what ReadSnapshot reads, whatever the length
// field says.
const maxSnapshotBytes = 1 << 30

type snapSlot struct {
	Text, Prefix, Suffix string
	Hash                 uint64
	Wild                 bool
}

type snapTemplate struct {
	ID    uint64
	N     int
	Key   uint64
	Slots []snapSlot
	Count uint64
}

type snapState struct {
	Depth     int
	Stats     Stats
	Templates []snapTemplate // most recently seen first
}

// WriteSnapshot writes the miner's templates (IDs, texts, counts, recency)
// and counters to w. Restore them with [Miner.ReadSnapshot].
func (m *Miner) WriteSnapshot(w io.Writer) error {
	m.mu.Lock()
	st := snapState{Depth: m.cfg.depth, Stats: m.stats}
	st.Stats.Templates = len(m.byID)
	for t := m.lru.next; t != &m.lru; t = t.next {
		s := snapTemplate{ID: uint64(t.id), N: t.key.n, Key: t.key.h, Count: t.count, Slots: make([]snapSlot, len(t.slots))}
		for i, sl := range t.slots {
			s.Slots[i] = snapSlot{Text: sl.text, Prefix: sl.prefix, Suffix: sl.suffix, Hash: sl.hash, Wild: sl.wild}
		}
		st.Templates = append(st.Templates, s)
	}
	m.mu.Unlock()
	var payload bytes.Buffer
	if err := gob.NewEncoder(&payload).Encode(&st); err != nil {
		return fmt.Errorf("logpattern: snapshot: %w", err)
	}
	sum := sha256.Sum256(payload.Bytes())
	var hdr [12]byte
	copy(hdr[:8], snapMagic[:])
	binary.BigEndian.PutUint32(hdr[8:], uint32(payload.Len()))
	for _, b := range [][]byte{hdr[:], payload.Bytes(), sum[:]} {
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// ReadSnapshot replaces the miner's state with a snapshot written by
// [Miner.WriteSnapshot]. Input that is truncated, corrupt (checksum),
// from another version, inconsistent, or taken with another WithDepth is
// rejected with an error wrapping [ErrSnapshot], and the state is left
// untouched. Templates beyond WithMaxTemplates, the least recently seen,
// are counted as evicted.
func (m *Miner) ReadSnapshot(r io.Reader) error {
	var hdr [12]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return fmt.Errorf("%w: header: %v", ErrSnapshot, err)
	}
	if !bytes.Equal(hdr[:8], snapMagic[:]) {
		return fmt.Errorf("%w: magic %q, want %q", ErrSnapshot, hdr[:8], snapMagic[:])
	}
	n := binary.BigEndian.Uint32(hdr[8:])
	if n > maxSnapshotBytes {
		return fmt.Errorf("%w: payload length %d exceeds %d", ErrSnapshot, n, maxSnapshotBytes)
	}
	body, err := io.ReadAll(io.LimitReader(r, int64(n)+sha256.Size))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrSnapshot, err)
	}
	if len(body) != int(n)+sha256.Size {
		return fmt.Errorf("%w: truncated: %d bytes after the header, want %d", ErrSnapshot, len(body), int(n)+sha256.Size)
	}
	payload, sum := body[:n], body[n:]
	if got := sha256.Sum256(payload); !bytes.Equal(got[:], sum) {
		return fmt.Errorf("%w: checksum mismatch", ErrSnapshot)
	}
	var st snapState
	if err := gob.NewDecoder(bytes.NewReader(payload)).Decode(&st); err != nil {
		return fmt.Errorf("%w: decode: %v", ErrSnapshot, err)
	}
	if st.Depth != m.cfg.depth {
		return fmt.Errorf("%w: taken with WithDepth(%d), this miner has %d", ErrSnapshot, st.Depth, m.cfg.depth)
	}
	// build the new state aside; swap only when all of it is valid
	fresh := &Miner{cfg: m.cfg}
	fresh.init()
	fresh.stats = st.Stats
	for i := len(st.Templates) - 1; i >= 0; i-- { // oldest first: add puts each at the front
		s := st.Templates[i]
		t, err := restoreTemplate(s)
		if err != nil {
			return fmt.Errorf("%w: template %d: %v", ErrSnapshot, i, err)
		}
		if fresh.byID[t.id] != nil {
			return fmt.Errorf("%w: template %d: duplicate ID %v", ErrSnapshot, i, t.id)
		}
		if len(fresh.byID) >= m.cfg.maxTemplates {
			fresh.evict(fresh.lru.prev)
		}
		fresh.add(t)
	}
	fresh.dropRetired()
	fresh.pending = nil
	m.mu.Lock()
	m.buckets, m.byID, m.exact, m.stats, m.overStep = fresh.buckets, fresh.byID, fresh.exact, fresh.stats, 0
	m.lru.next, m.lru.prev = fresh.lru.next, fresh.lru.prev
	if len(m.byID) == 0 {
		m.lru.next, m.lru.prev = &m.lru, &m.lru
	} else {
		m.lru.next.prev, m.lru.prev.next = &m.lru, &m.lru
	}
	m.mu.Unlock()
	return nil
}

// dropRetired takes out of their buckets the templates that another of
// the same bucket and text, with more lines, supersedes: those retired by
// generaliseWord before the snapshot, which the snapshot does not mark.
func (m *Miner) dropRetired() {
	for k, b := range m.buckets {
		var kept []*template
		for i, t := range b {
			retired := false
			for j, o := range b {
				if j != i && o.text == t.text && (o.count > t.count || o.count == t.count && j < i) {
					retired = true
					break
				}
			}
			if !retired {
				kept = append(kept, t)
			}
		}
		if len(kept) < len(b) {
			m.buckets[k] = kept
		}
	}
}

func restoreTemplate(s snapTemplate) (*template, error) {
	if ID(s.ID) == OverflowID {
		return nil, fmt.Errorf("ID 0 is the overflow template")
	}
	if s.N != len(s.Slots) {
		return nil, fmt.Errorf("token count %d but %d slots", s.N, len(s.Slots))
	}
	t := &template{id: ID(s.ID), key: bucketKey{n: s.N, h: s.Key}, count: s.Count, slots: make([]slot, len(s.Slots))}
	for i, sl := range s.Slots {
		if sl.Wild && sl.Text != sl.Prefix+wildcard+sl.Suffix {
			return nil, fmt.Errorf("slot %d: text %q is not prefix+<*>+suffix", i, sl.Text)
		}
		t.slots[i] = slot{text: sl.Text, prefix: sl.Prefix, suffix: sl.Suffix, hash: sl.Hash, wild: sl.Wild,
			word: !sl.Wild && !strings.Contains(sl.Text, wildcard) && plainWord(sl.Text)}
	}
	t.render()
	return t, nil
}

// SaveFile writes a snapshot to path atomically: to a temporary file in
// the same directory, synced, then renamed over path, so a crash leaves
// either the old file or the new one.
func (m *Miner) SaveFile(path string) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("logpattern: snapshot: %w", err)
	}
	tmp := f.Name()
	err = m.WriteSnapshot(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("logpattern: snapshot: %w", err)
	}
	return nil
}

// LoadFile restores a snapshot written by [Miner.SaveFile]; see
// [Miner.ReadSnapshot].
func (m *Miner) LoadFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("logpattern: snapshot: %w", err)
	}
	defer f.Close()
	return m.ReadSnapshot(f)
}
