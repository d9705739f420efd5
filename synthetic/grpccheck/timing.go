package grpccheck

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"

	"google.golang.org/grpc/credentials"

	"github.com/nines-sre/nines/synthetic"
)

// timing measures the phases of one call over its own connection: the
// dialer and the credentials' handshake run on gRPC's goroutines, hence
// the mutex.
type timing struct {
	mu                   sync.Mutex
	now                  func() time.Time
	resolve, connect, tl time.Duration
}

func (t *timing) add(p *time.Duration, start time.Time) {
	d := t.now().Sub(start)
	t.mu.Lock()
	*p += d
	t.mu.Unlock()
}

// dial resolves addr's host (unless it is an IP address) and connects to
// its addresses in turn, timing each phase.
func (t *timing) dial(ctx context.Context, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	ips := []string{host}
	if net.ParseIP(host) == nil {
		start := t.now()
		ips, err = net.DefaultResolver.LookupHost(ctx, host)
		t.add(&t.resolve, start)
		if err != nil {
			return nil, err
		}
	}
	start := t.now()
	defer t.add(&t.connect, start)
	var d net.Dialer
	var errs []error
	for _, ip := range ips {
		conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(ip, port))
		if err == nil {
			return conn, nil
		}
		errs = append(errs, err)
	}
	return nil, errors.Join(errs...)
}

// phases splits a call's total time: what the dialer and the handshake
// measured, the rest is processing (the HTTP/2 set-up, the request, the
// server's time and the response, which gRPC does not let a client split).
func (t *timing) phases(total time.Duration) synthetic.Phases {
	t.mu.Lock()
	defer t.mu.Unlock()
	p := synthetic.Phases{Resolve: t.resolve, Connect: t.connect, TLS: t.tl}
	p.Processing = max(0, total-t.resolve-t.connect-t.tl)
	return p
}

// timedCreds times the client's TLS handshake.
type timedCreds struct {
	credentials.TransportCredentials
	t *timing
}

func (c timedCreds) ClientHandshake(ctx context.Context, authority string, raw net.Conn) (net.Conn, credentials.AuthInfo, error) {
	if c.Info().SecurityProtocol != "tls" {
		return c.TransportCredentials.ClientHandshake(ctx, authority, raw)
	}
	start := c.t.now()
	defer c.t.add(&c.t.tl, start)
	return c.TransportCredentials.ClientHandshake(ctx, authority, raw)
}

func (c timedCreds) Clone() credentials.TransportCredentials {
	return timedCreds{c.TransportCredentials.Clone(), c.t}
}
