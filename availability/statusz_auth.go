package availability

import (
	"net/http"
	"net/netip"
)

// Authorizer decides who may read /statusz, which names every route,
// dependency and policy, and whether they may also see details: failure
// reasons (a check's error text, a remediation's reason), which can name
// hosts and credentials. It is the shape of x/net/trace's AuthRequest. It
// is called once per request, must be safe for concurrent use, and should
// be cheap (a header or an address check, not a remote call).
type Authorizer func(r *http.Request) (allowed, details bool)

// LoopbackOnly is the default Authorizer: requests from a loopback address
// (127.0.0.0/8, ::1) are allowed with details, every other request is
// refused, as x/net/trace does. Behind a reverse proxy on the same host
// every request comes from loopback: give such a service an Authorizer
// of its own.
func LoopbackOnly(r *http.Request) (allowed, details bool) {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return false, false
	}
	ok := ap.Addr().Unmap().IsLoopback()
	return ok, ok
}

// HandlerOption configures Monitor.Handler. It is sealed: an option of New
// does not compile here.
type HandlerOption interface {
	applyHandler(*handlerConfig)
}

type handlerConfig struct {
	authorize Authorizer
}

type handlerOptionFunc func(*handlerConfig)

func (f handlerOptionFunc) applyHandler(c *handlerConfig) { f(c) }

// WithAuthorizer sets who may read /statusz and see details there and on
// the health endpoints (their failure reasons). A refused request gets
// 403 Forbidden from /statusz; the probes (/livez, /readyz, /startupz) and
// /metrics answer everyone, the probes with reasons withheld unless
// details are allowed. The default is LoopbackOnly; nil keeps it.
func WithAuthorizer(a Authorizer) HandlerOption {
	return handlerOptionFunc(func(c *handlerConfig) {
		if a != nil {
			c.authorize = a
		}
	})
}
