package availability

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"sync"
)

// responseWriter records the status a handler answers while passing
// everything through. It implements http.Flusher, http.Hijacker and
// io.ReaderFrom by delegating (reporting http.ErrNotSupported, or doing
// nothing for Flush, when the underlying writer cannot), and Unwrap for
// http.ResponseController. Writers are pooled: the middleware adds no
// allocation per request.
type responseWriter struct {
	w        http.ResponseWriter
	status   int
	wrote    bool // a final status was sent (headers are out)
	hijacked bool
}

var writerPool = sync.Pool{New: func() any { return new(responseWriter) }}

func getWriter(w http.ResponseWriter) *responseWriter {
	rw := writerPool.Get().(*responseWriter)
	*rw = responseWriter{w: w}
	return rw
}

func putWriter(rw *responseWriter) {
	*rw = responseWriter{}
	writerPool.Put(rw)
}

func (rw *responseWriter) Header() http.Header { return rw.w.Header() }

func (rw *responseWriter) WriteHeader(code int) {
	if !rw.wrote {
		rw.status = code
		// 1xx answers other than 101 are informational: the final status
		// is still to come.
		if code >= 200 || code == http.StatusSwitchingProtocols {
			rw.wrote = true
		}
	}
	rw.w.WriteHeader(code)
}

func (rw *responseWriter) Write(b []byte) (int, error) {
	if !rw.wrote {
		rw.wrote = true
		rw.status = http.StatusOK
	}
	return rw.w.Write(b)
}

// ReadFrom keeps the underlying writer's sendfile path.
func (rw *responseWriter) ReadFrom(r io.Reader) (int64, error) {
	if !rw.wrote {
		rw.wrote = true
		rw.status = http.StatusOK
	}
	if rf, ok := rw.w.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(writerOnly{rw.w}, r)
}

// writerOnly hides every method but Write, so io.Copy does not call
// ReadFrom back.
type writerOnly struct{ io.Writer }

func (rw *responseWriter) Flush() { _ = rw.FlushError() }

// FlushError flushes the underlying writer. Only a flush that happened
// sends the headers (200 if none was written): when the underlying writer
// cannot flush, the handler's later WriteHeader still decides the status.
func (rw *responseWriter) FlushError() error {
	err := http.NewResponseController(rw.w).Flush()
	if err == nil && !rw.wrote {
		rw.wrote = true
		rw.status = http.StatusOK
	}
	return err
}

func (rw *responseWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, brw, err := http.NewResponseController(rw.w).Hijack()
	if err == nil {
		rw.hijacked = true
	}
	return c, brw, err
}

// Unwrap returns the underlying writer, for http.ResponseController.
func (rw *responseWriter) Unwrap() http.ResponseWriter { return rw.w }
