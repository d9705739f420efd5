package remediate

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
)

// auditLog appends records to the hash chain and the bounded ring, then
// hands them, in chain order, to the optional io.Writer (JSON lines) and
// slog.Logger. Both are user code: they are called with no lock held, by
// whichever appending goroutine finds no other one already flushing.
type auditLog struct {
	w      io.Writer    // nil: no JSON lines
	logger *slog.Logger // nil: no logging

	mu       sync.Mutex
	ring     []Record // grows up to limit, then wraps
	limit    int
	start    int // index of the oldest record once the ring is full
	seq      uint64
	head     string // Hash of the last record
	pending  []pendingRecord
	flushing bool

	writeErrors atomic.Uint64
}

type pendingRecord struct {
	rec  Record
	line []byte // JSON line, newline included; nil when encoding failed
}

func newAuditLog(capacity int, w io.Writer, logger *slog.Logger) *auditLog {
	return &auditLog{w: w, logger: logger, limit: capacity, head: genesisHash}
}

// append chains r, stores it and writes it out. It returns r as stored.
func (a *auditLog) append(r Record) Record {
	a.mu.Lock()
	a.seq++
	r.Seq = a.seq
	r.PrevHash = a.head
	hash, err := hashRecord(r)
	if err != nil {
		// Unreachable: recordSignal and canonicalTime make every field
		// encodable. Keep the chain verifiable rather than broken.
		r.Error = "remediate: audit encoding: " + err.Error()
		r.Signal = SignalRecord{Kind: r.Signal.Kind, Severity: r.Signal.Severity}
		hash, _ = hashRecord(r)
	}
	r.Hash = hash
	a.head = hash
	if len(a.ring) < a.limit {
		a.ring = append(a.ring, r)
	} else {
		a.ring[a.start] = r
		a.start = (a.start + 1) % len(a.ring)
	}
	if a.w == nil && a.logger == nil {
		a.mu.Unlock()
		return r
	}
	var line []byte
	if a.w != nil {
		if b, err := json.Marshal(r); err == nil {
			line = append(b, '\n')
		}
	}
	a.pending = append(a.pending, pendingRecord{rec: cloneRecord(r), line: line})
	if a.flushing {
		a.mu.Unlock() // the flushing goroutine will write it, in order
		return r
	}
	a.flushing = true
	a.mu.Unlock()
	a.flush()
	return r
}

// flush writes pending records until none is left. Only one goroutine
// flushes at a time (a.flushing), which keeps the output in chain order
// without holding a lock while calling the writer or the logger.
func (a *auditLog) flush() {
	for {
		a.mu.Lock()
		batch := a.pending
		a.pending = nil
		if len(batch) == 0 {
			a.flushing = false
			a.mu.Unlock()
			return
		}
		a.mu.Unlock()
		for _, p := range batch {
			a.emit(p)
		}
	}
}

func (a *auditLog) emit(p pendingRecord) {
	defer func() {
		if recover() != nil { // a panicking writer or handler must not stop the engine
			a.writeErrors.Add(1)
		}
	}()
	if a.w != nil {
		if _, err := a.w.Write(p.line); err != nil || p.line == nil {
			a.writeErrors.Add(1)
			if a.logger != nil {
				a.logger.LogAttrs(context.Background(), slog.LevelError, "remediate: audit write failed",
					slog.Uint64("seq", p.rec.Seq), slog.Any("error", err))
			}
		}
	}
	if a.logger != nil {
		logRecord(a.logger, p.rec)
	}
}

// logRecord writes one line per record: executed, reverted, dry-run and
// awaiting-approval steps at info, skips (denied, rate_limited) at debug,
// failures at error. The hash stays in the audit record: in a log line it
// is noise, and the chain is verified from the records, not the log.
func logRecord(l *slog.Logger, r Record) {
	level := slog.LevelInfo
	switch r.Outcome {
	case OutcomeDenied, OutcomeRateLimited:
		level = slog.LevelDebug
	case OutcomeFailed:
		level = slog.LevelError
	}
	ctx := context.Background()
	if !l.Enabled(ctx, level) {
		return
	}
	msg := "remediation " + r.Outcome.String()
	if r.Revert && r.Outcome != OutcomeReverted {
		msg += " revert"
	}
	attrs := []slog.Attr{
		slog.String("policy", r.Policy),
		slog.String("action", r.Action),
		slog.String("target", r.Target),
		slog.String("signal", r.Signal.Kind+" "+r.Signal.Source+" "+r.Signal.State+" ("+r.Signal.Severity+")"),
		slog.Uint64("seq", r.Seq),
	}
	if r.Reason != "" {
		attrs = append(attrs, slog.String("reason", r.Reason))
	}
	if r.Irreversible {
		attrs = append(attrs, slog.Bool("irreversible", true))
	}
	if r.Approver != "" {
		attrs = append(attrs, slog.String("approver", r.Approver))
	}
	if r.Error != "" {
		attrs = append(attrs, slog.String("error", r.Error))
	}
	l.LogAttrs(ctx, level, msg, attrs...)
}

// records returns a copy of the ring, oldest first.
func (a *auditLog) records() []Record {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]Record, 0, len(a.ring))
	for i := range a.ring {
		out = append(out, cloneRecord(a.ring[(a.start+i)%len(a.ring)]))
	}
	return out
}

// headState returns the sequence number and hash of the last record.
func (a *auditLog) headState() (uint64, string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.seq, a.head
}
