package logpattern

import (
	"bytes"
	"sync"
)

// LineWriter is an [io.Writer] that mines line-oriented text: each
// '\n'-terminated line (a trailing '\r' dropped) is one message. Point the
// standard log package or a child process's output at it. It is safe for
// concurrent use; Write never fails. A line longer than WithMaxLineBytes is
// mined cut (counted in Stats.Truncated) and its rest skipped up to the
// next newline. Each line costs one allocation (its string). Get one from
// [Miner.Writer]; the zero value is not usable.
type LineWriter struct {
	m    *Miner
	mu   sync.Mutex
	buf  []byte
	skip bool // inside the rest of an over-long line
}

// Writer returns a LineWriter mining into m.
func (m *Miner) Writer() *LineWriter { return &LineWriter{m: m} }

// Write mines every complete line in p and keeps a partial last line for
// the next Write or Flush. It always returns len(p), nil.
func (w *LineWriter) Write(p []byte) (int, error) {
	n := len(p)
	w.mu.Lock()
	defer w.mu.Unlock()
	limit := w.m.cfg.maxLineBytes
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		chunk := p
		if i >= 0 {
			chunk = p[:i]
		}
		if !w.skip {
			room := limit + 1 - len(w.buf) // one byte more than the limit: Observe counts the cut
			if len(chunk) > room {
				w.buf = append(w.buf, chunk[:room]...)
				w.mine()
				w.skip = true
			} else {
				w.buf = append(w.buf, chunk...)
			}
		}
		if i < 0 {
			break
		}
		if !w.skip {
			w.mine()
		}
		w.skip = false
		p = p[i+1:]
	}
	return n, nil
}

// Flush mines a pending partial line, if any.
func (w *LineWriter) Flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.buf) > 0 && !w.skip {
		w.mine()
	}
	w.buf = w.buf[:0]
}

func (w *LineWriter) mine() {
	b := bytes.TrimSuffix(w.buf, []byte{'\r'})
	w.m.Observe(string(b))
	w.buf = w.buf[:0]
}
