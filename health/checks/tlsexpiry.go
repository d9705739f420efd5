package checks

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"time"

	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/internal/config"
)

// TLSExpiry returns a check that completes a TLS handshake with addr
// ("host:port") using cfg and measures how long until the soonest
// expiring certificate of the chain the peer presents (leaf or
// intermediate) expires: it warns when less than
// warnBefore remains and fails when less than failBefore remains
// (0 <= failBefore <= warnBefore). A failed handshake (including an
// untrusted or already expired certificate) fails. The observed value is
// the remaining time in seconds (measurement "expiry", unit "s").
//
// cfg is cloned at construction; nil means a default config. When its
// ServerName is empty the host part of addr is used, and when its Time is
// nil the check's clock is, so verification and the threshold agree. It
// accepts WithDialer and WithClock.
func TLSExpiry(addr string, cfg *tls.Config, warnBefore, failBefore time.Duration, opts ...TLSExpiryOption) (health.CheckFunc, error) {
	if err := validHostPort("TLSExpiry addr", addr); err != nil {
		return nil, err
	}
	if failBefore < 0 || warnBefore < failBefore {
		return nil, config.Errorf(ErrInvalidConfig, "TLSExpiry warnBefore = %v, failBefore = %v: want 0 <= failBefore <= warnBefore", warnBefore, failBefore)
	}
	c := apply(opts, TLSExpiryOption.applyTLSExpiry)
	tc := &tls.Config{}
	if cfg != nil {
		tc = cfg.Clone()
	}
	if tc.ServerName == "" {
		host, _, _ := net.SplitHostPort(addr)
		tc.ServerName = host
	}
	if tc.Time == nil {
		tc.Time = c.now
	}
	d, now := c.dialer, c.now
	return func(ctx context.Context) health.Result {
		raw, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return health.Fail(err)
		}
		// The deadline also bounds Close's close_notify write, which
		// HandshakeContext's ctx no longer covers.
		if dl, ok := ctx.Deadline(); ok {
			_ = raw.SetDeadline(dl)
		}
		conn := tls.Client(raw, tc)
		defer conn.Close()
		if err := conn.HandshakeContext(ctx); err != nil {
			return health.Fail(err)
		}
		certs := conn.ConnectionState().PeerCertificates
		if len(certs) == 0 {
			return health.Fail(fmt.Errorf("checks: %s presented no certificate", addr))
		}
		first := certs[0]
		for _, c := range certs[1:] {
			if c.NotAfter.Before(first.NotAfter) {
				first = c
			}
		}
		left := first.NotAfter.Sub(now())
		res := health.Result{Status: health.StatusPass, ObservedValue: left.Seconds(), ObservedUnit: "s", Measurement: "expiry"}
		switch {
		case left < failBefore || left <= 0:
			res.Status, res.Err = health.StatusFail, fmt.Errorf("%w: certificate %q expires in %v, fail below %v", ErrThreshold, first.Subject.CommonName, left, failBefore)
		case left < warnBefore:
			res.Status, res.Err = health.StatusWarn, fmt.Errorf("%w: certificate %q expires in %v, warn below %v", ErrThreshold, first.Subject.CommonName, left, warnBefore)
		}
		return res
	}, nil
}
