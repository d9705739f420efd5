package availability

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/nines-sre/nines/remediate/breaker"
)

// RoundTripper returns base wrapped in the client middleware. Per request it
// takes the endpoint of the request's host (req.URL.Host, lower-cased;
// hosts past WithMaxRoutes share RouteOther) and:
//
//   - asks the host's breaker (WithClientBreakers) to admit the request; a
//     rejected request returns at once an error wrapping breaker.ErrOpen
//     (or breaker.ErrTooManyCalls while half-open), closes the request
//     body as http.RoundTripper requires, and never reaches base;
//   - calls base exactly once: it never retries, so it is safe for any
//     method;
//   - reports a transport error or a 5xx answer to the breaker as a failure
//     and counts it as a bad client-side SLO event; a request cancelled by
//     its caller (context.Canceled) is counted in neither.
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

// errServerStatus is the breaker's failure for a 5xx answer.
var errServerStatus = errors.New("availability: server error status")

func (t *clientTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	e := t.m.Endpoint(ClientEndpoint, requestHost(req))
	var permit breaker.Permit[struct{}] // the zero Permit's Done does nothing
	if e.breaker != nil {
		p, err := e.breaker.Allow()
		if err != nil {
			if req.Body != nil {
				_ = req.Body.Close()
			}
			e.shed.Add(1)
			return nil, fmt.Errorf("availability: %s: %w", e.name, err)
		}
		permit = p
	}
	start := time.Now()
	resp, err := t.base.RoundTrip(req)
	d := time.Since(start)
	switch {
	case err != nil && errors.Is(err, context.Canceled):
		permit.Done(err) // excluded by default
	case err != nil:
		permit.Done(err)
		e.record(d, true)
	case resp.StatusCode >= 500:
		permit.Done(errServerStatus)
		e.record(d, true)
	default:
		permit.Done(nil)
		e.record(d, false)
	}
	return resp, err
}

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
