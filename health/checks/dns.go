package checks

import (
	"context"
	"fmt"
	"strings"

	"github.com/nines-sre/nines/health"
)

// DNS returns a check that passes when host resolves to at least one
// address. The observed value is the number of addresses (measurement
// "addresses"). It accepts WithResolver; the default is net.DefaultResolver,
// whose cache and configuration the application already shares.
func DNS(host string, opts ...DNSOption) (health.CheckFunc, error) {
	if host == "" || len(host) > 253 || strings.ContainsAny(host, " \t\r\n/:") {
		return nil, invalid("DNS host", host, "want a host name of 1..253 characters without spaces, slashes or colons")
	}
	r := apply(opts, DNSOption.applyDNS).resolver
	return func(ctx context.Context) health.Result {
		addrs, err := r.LookupHost(ctx, host)
		if err != nil {
			return health.Fail(err)
		}
		res := health.Result{Status: health.StatusPass, ObservedValue: len(addrs), Measurement: "addresses"}
		if len(addrs) == 0 {
			res.Status, res.Err = health.StatusFail, fmt.Errorf("%w for %q", ErrNoAddresses, host)
		}
		return res
	}, nil
}
