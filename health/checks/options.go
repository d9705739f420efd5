package checks

import (
	"context"
	"net"
	"reflect"
	"time"
)

// Dialer opens network connections; *net.Dialer satisfies it, and so does
// any proxy or test dialer with the same method.
type Dialer interface {
	DialContext(ctx context.Context, network, addr string) (net.Conn, error)
}

// Resolver looks up host addresses; *net.Resolver satisfies it.
type Resolver interface {
	LookupHost(ctx context.Context, host string) ([]string, error)
}

// Pinger is anything that can check its own connection: *sql.DB, *sql.Conn,
// and most database and cache client pools.
type Pinger interface {
	PingContext(ctx context.Context) error
}

// Each constructor taking options has its own option type, so an option
// it would not read does not compile there (as in otel-go sdk/metric). An
// option several constructors read implements each of their types.
type (
	// TCPOption configures TCP; WithDialer makes one.
	TCPOption interface{ applyTCP(*settings) }
	// TLSExpiryOption configures TLSExpiry; WithDialer and WithClock make
	// them.
	TLSExpiryOption interface{ applyTLSExpiry(*settings) }
	// DNSOption configures DNS; WithResolver makes one.
	DNSOption interface{ applyDNS(*settings) }
	// HTTPGetOption configures HTTPGet; WithStatusRange makes one.
	HTTPGetOption interface{ applyHTTPGet(*settings) }
	// HeartbeatOption configures NewHeartbeat; WithClock makes one.
	HeartbeatOption interface{ applyHeartbeat(*settings) }

	// DialerOption is what WithDialer returns: a TCPOption and a
	// TLSExpiryOption.
	DialerOption interface {
		TCPOption
		TLSExpiryOption
	}
	// ClockOption is what WithClock returns: a TLSExpiryOption and a
	// HeartbeatOption.
	ClockOption interface {
		TLSExpiryOption
		HeartbeatOption
	}
)

// settings is what the options set; each constructor reads its part.
type settings struct {
	dialer   Dialer
	resolver Resolver
	now      func() time.Time
	minCode  int
	maxCode  int
}

func defaults() settings {
	return settings{
		dialer:   &net.Dialer{},
		resolver: net.DefaultResolver,
		now:      time.Now,
		minCode:  200,
		maxCode:  399,
	}
}

// apply applies the non-nil opts over the defaults with fn (the
// constructor's own apply method).
func apply[O any](opts []O, fn func(O, *settings)) settings {
	s := defaults()
	for _, o := range opts {
		if any(o) != nil {
			fn(o, &s)
		}
	}
	return s
}

type dialerOption struct{ d Dialer }

func (o dialerOption) applyTCP(s *settings)       { o.set(s) }
func (o dialerOption) applyTLSExpiry(s *settings) { o.set(s) }
func (o dialerOption) set(s *settings) {
	if !isNil(o.d) {
		s.dialer = o.d
	}
}

// WithDialer sets the dialer used by TCP and TLSExpiry. A nil d keeps the
// default, a zero net.Dialer.
func WithDialer(d Dialer) DialerOption { return dialerOption{d} }

type resolverOption struct{ r Resolver }

func (o resolverOption) applyDNS(s *settings) {
	if !isNil(o.r) {
		s.resolver = o.r
	}
}

// WithResolver sets the resolver used by DNS. A nil r keeps the default,
// net.DefaultResolver.
func WithResolver(r Resolver) DNSOption { return resolverOption{r} }

type clockOption struct{ now func() time.Time }

func (o clockOption) applyTLSExpiry(s *settings) { o.set(s) }
func (o clockOption) applyHeartbeat(s *settings) { o.set(s) }
func (o clockOption) set(s *settings) {
	if o.now != nil {
		s.now = o.now
	}
}

// WithClock sets the clock read by TLSExpiry and Heartbeat (tests pass a
// fixed instant). A nil now keeps time.Now.
func WithClock(now func() time.Time) ClockOption { return clockOption{now} }

type statusRangeOption struct{ lo, hi int }

func (o statusRangeOption) applyHTTPGet(s *settings) { s.minCode, s.maxCode = o.lo, o.hi }

// WithStatusRange sets the inclusive range of HTTP status codes HTTPGet
// accepts as a pass. The default is 200..399, as Kubernetes httpGet probes.
// HTTPGet refuses a range outside 100..599 or with lo > hi.
func WithStatusRange(lo, hi int) HTTPGetOption { return statusRangeOption{lo, hi} }

// isNil reports whether v is nil or an interface holding a nil pointer,
// which would otherwise panic on the first run instead of at construction.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface:
		return rv.IsNil()
	}
	return false
}
