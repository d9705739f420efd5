package availability

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/nines-sre/nines/remediate/admit"
)

// RoundTripper returns base wrapped in the client middleware. Per request it
// takes the endpoint of the request's host (req.URL.Host, lower-cased): the
// Dependency that declares the host (WithDependencies), named after it, or
// else an endpoint named after the host (hosts past WithMaxRoutes share
// RouteOther); and:
//
//   - admits the request through the endpoint (Endpoint.Admit), that is
//     its host's breaker (WithClientBreakers); a rejected request returns
//     at once an error wrapping breaker.ErrOpen (or
//     breaker.ErrTooManyCalls while half-open and every probe slot is
//     taken), closes the request body as http.RoundTripper requires, and
//     never reaches base;
//   - calls base exactly once: it never retries, so it is safe for any
//     method;
//   - reports a transport error or a 5xx answer to the breaker as a failure
//     and counts it as a bad client-side SLO event, the latency against the
//     breaker's slow-call policy; a request cancelled by its caller
//     (context.Canceled) is counted in neither (Call.Cancel);
//   - for a dependency with Replicas, records the call there too, under
//     the remote address of the connection that carried it (httptrace's
//     GotConn; a call that failed before a connection was chosen is
//     counted as unattributed): two allocations per call, the request
//     copy that carries the trace and its context.
//
// A request whose context is marked as own traffic (OwnTraffic: health
// check runs are) skips all of that: it reaches base even while the breaker
// is open, carries OwnTrafficHeader, and is counted nowhere.
//
// base's response and error are returned unchanged. A nil base means
// http.DefaultTransport.
func (m *Monitor) RoundTripper(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &clientTransport{m: m, base: base}
}

type clientTransport struct {
	m    *Monitor
	base http.RoundTripper
}

func (t *clientTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if IsOwnTraffic(req.Context()) {
		// The service's own probe: it goes out whatever the breaker
		// says, with the mark for the server, and counts nowhere.
		return t.base.RoundTrip(markOutbound(req))
	}
	name := t.m.clientName(requestHost(req))
	e := t.m.Endpoint(ClientEndpoint, name)
	call, err := e.Admit(admit.Normal)
	if err != nil {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, err
	}
	if ra := t.m.cfg.depReplicas[name]; ra != nil {
		return ra.roundTrip(t.m, t.base, req, &call)
	}
	resp, err := t.base.RoundTrip(req)
	switch {
	case err != nil && errorsIsCanceled(err):
		call.Cancel()
	default:
		call.Done(err != nil || resp.StatusCode >= 500)
	}
	return resp, err
}

func errorsIsCanceled(err error) bool { return errors.Is(err, context.Canceled) }

// requestHost is the endpoint name of an outbound request.
func requestHost(req *http.Request) string {
	h := req.Host
	if req.URL != nil && req.URL.Host != "" {
		h = req.URL.Host
	}
	if h == "" {
		return RouteOther
	}
	return strings.ToLower(h)
}
