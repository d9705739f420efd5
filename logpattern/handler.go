package logpattern

import (
	"context"
	"log/slog"
	"strings"
	"sync"
)

// HandlerOption configures [Miner.Handler]. Options of other constructors
// do not compile here.
type HandlerOption interface {
	applyHandler(*handlerConfig)
}

type handlerConfig struct {
	keys map[string]bool // nil: message only
	all  bool
}

type handlerOptionFunc func(*handlerConfig)

func (f handlerOptionFunc) applyHandler(c *handlerConfig) { f(c) }

// WithStringAttrs makes the handler mine the message followed by the
// record's string attributes named keys, each rendered " key=value" in
// record order; with no keys, every string attribute. The values are then
// masked and mined like the message's words. Without it only the message
// is mined.
func WithStringAttrs(keys ...string) HandlerOption {
	return handlerOptionFunc(func(c *handlerConfig) {
		if len(keys) == 0 {
			c.all = true
			return
		}
		if c.keys == nil {
			c.keys = map[string]bool{}
		}
		for _, k := range keys {
			c.keys[k] = true
		}
	})
}

// Handler is an [slog.Handler] that mines each record it handles, then
// passes it on unchanged. Get one from [Miner.Handler]; the zero value is
// not usable. It is safe for concurrent use.
type Handler struct {
	miner *Miner
	next  slog.Handler
	cfg   *handlerConfig
}

// Handler returns a handler that mines every record next would handle
// (those next is Enabled for), then calls next. Mining the message alone
// allocates nothing for a known template.
func (m *Miner) Handler(next slog.Handler, opts ...HandlerOption) *Handler {
	cfg := &handlerConfig{}
	for _, o := range opts {
		if o != nil {
			o.applyHandler(cfg)
		}
	}
	return &Handler{miner: m, next: next, cfg: cfg}
}

// Enabled reports whether the wrapped handler is enabled.
func (h *Handler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

var linePool = sync.Pool{New: func() any { return new(strings.Builder) }}

// Handle mines the record, then hands it to the wrapped handler.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	if !h.cfg.all && h.cfg.keys == nil {
		h.miner.Observe(r.Message)
		return h.next.Handle(ctx, r)
	}
	sb := linePool.Get().(*strings.Builder)
	sb.Reset()
	sb.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool {
		if a.Value.Kind() == slog.KindString && (h.cfg.all || h.cfg.keys[a.Key]) {
			sb.WriteByte(' ')
			sb.WriteString(a.Key)
			sb.WriteByte('=')
			sb.WriteString(a.Value.String())
		}
		return true
	})
	h.miner.Observe(sb.String())
	linePool.Put(sb)
	return h.next.Handle(ctx, r)
}

// WithAttrs returns a handler mining into the same miner around
// next.WithAttrs(attrs).
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &Handler{miner: h.miner, next: h.next.WithAttrs(attrs), cfg: h.cfg}
}

// WithGroup returns a handler mining into the same miner around
// next.WithGroup(name).
func (h *Handler) WithGroup(name string) slog.Handler {
	return &Handler{miner: h.miner, next: h.next.WithGroup(name), cfg: h.cfg}
}
