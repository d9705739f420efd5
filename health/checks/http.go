package checks

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/internal/config"
	"github.com/nines-sre/nines/internal/owntraffic"
)

// maxDrain bounds how much of a response body is read so the connection can
// return to the client's pool; a larger body is abandoned (the connection
// is closed) rather than read to the end.
const maxDrain = 64 << 10

// HTTPGet returns a check that GETs rawURL with client and passes when the
// status code is in the accepted range (WithStatusRange, default 200..399).
// The observed value is the status code (measurement "status"). The body is
// drained up to 64 KiB and closed so the client's connection pool is
// reused. Pass the application's own client so its transport, proxies and
// TLS settings apply; a nil client means http.DefaultClient. The request is
// marked as nines' own traffic (as every registry run is, and also when the
// check is called outside a registry), so an availability RoundTripper in
// the client counts it in no SLO, breaker or detector and adds the
// Nines-Own-Traffic header; the request still goes out, so the check sees
// the dependency fail.
func HTTPGet(client *http.Client, rawURL string, opts ...HTTPGetOption) (health.CheckFunc, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, invalid("HTTPGet url", rawURL, err.Error())
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, invalid("HTTPGet url", rawURL, "want an absolute http or https URL")
	}
	c := apply(opts, HTTPGetOption.applyHTTPGet)
	if c.minCode < 100 || c.maxCode > 599 || c.minCode > c.maxCode {
		return nil, config.Errorf(ErrInvalidConfig, "HTTPGet WithStatusRange(%d, %d): want 100 <= lo <= hi <= 599", c.minCode, c.maxCode)
	}
	if client == nil {
		client = http.DefaultClient
	}
	lo, hi := c.minCode, c.maxCode
	return func(ctx context.Context) health.Result {
		req, err := http.NewRequestWithContext(owntraffic.Mark(ctx), http.MethodGet, rawURL, nil)
		if err != nil {
			return health.Fail(err)
		}
		resp, err := client.Do(req)
		if err != nil {
			return health.Fail(err)
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrain))
		_ = resp.Body.Close()
		res := health.Result{Status: health.StatusPass, ObservedValue: resp.StatusCode, Measurement: "status"}
		if resp.StatusCode < lo || resp.StatusCode > hi {
			res.Status = health.StatusFail
			res.Err = fmt.Errorf("%w: %d, want %d..%d", ErrUnexpectedStatus, resp.StatusCode, lo, hi)
		}
		return res
	}, nil
}
