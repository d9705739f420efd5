package checks

import (
	"context"
	"fmt"
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

// Option tunes a constructor. Each constructor documents the options it
// accepts and rejects the others with ErrInvalidArgument, so a misplaced
// option is never silently ignored.
type Option interface {
	apply(*config)
}

type optionKind uint8

const (
	optDialer optionKind = 1 << iota
	optResolver
	optClock
	optStatusRange
)

func (k optionKind) String() string {
	switch k {
	case optDialer:
		return "WithDialer"
	case optResolver:
		return "WithResolver"
	case optClock:
		return "WithClock"
	case optStatusRange:
		return "WithStatusRange"
	default:
		return "unknown option"
	}
}

type config struct {
	set      optionKind
	dialer   Dialer
	resolver Resolver
	now      func() time.Time
	minCode  int
	maxCode  int
}

type optionFunc struct {
	kind optionKind
	fn   func(*config)
}

func (o optionFunc) apply(c *config) {
	c.set |= o.kind
	o.fn(c)
}

// WithDialer sets the dialer used by TCP and TLSExpiry. A nil d keeps the
// default, a zero net.Dialer.
func WithDialer(d Dialer) Option {
	return optionFunc{optDialer, func(c *config) {
		if !isNil(d) {
			c.dialer = d
		}
	}}
}

// WithResolver sets the resolver used by DNS. A nil r keeps the default,
// net.DefaultResolver.
func WithResolver(r Resolver) Option {
	return optionFunc{optResolver, func(c *config) {
		if !isNil(r) {
			c.resolver = r
		}
	}}
}

// WithClock sets the clock read by TLSExpiry and Heartbeat (tests pass a
// fixed instant). A nil now keeps time.Now.
func WithClock(now func() time.Time) Option {
	return optionFunc{optClock, func(c *config) {
		if now != nil {
			c.now = now
		}
	}}
}

// WithStatusRange sets the inclusive range of HTTP status codes HTTPGet
// accepts as a pass. The default is 200..399, as Kubernetes httpGet probes.
func WithStatusRange(lo, hi int) Option {
	return optionFunc{optStatusRange, func(c *config) {
		c.minCode, c.maxCode = lo, hi
	}}
}

// newConfig applies opts over the defaults and rejects options the
// constructor named by who does not read.
func newConfig(who string, allowed optionKind, opts []Option) (config, error) {
	c := config{
		dialer:   &net.Dialer{},
		resolver: net.DefaultResolver,
		now:      time.Now,
		minCode:  200,
		maxCode:  399,
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		o.apply(&c)
	}
	if extra := c.set &^ allowed; extra != 0 {
		for k := optionKind(1); k != 0 && k <= extra; k <<= 1 {
			if extra&k != 0 {
				return c, invalid("%s does not accept option %s", who, k)
			}
		}
	}
	return c, nil
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidArgument}, args...)...)
}

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
