package checks

import (
	"context"
	"net"

	"github.com/nines-sre/nines/health"
)

// TCP returns a check that passes when a TCP connection to addr
// ("host:port") opens; the connection is closed at once. It accepts
// WithDialer; the default is a zero net.Dialer. The registry's timeout
// bounds the dial through ctx.
func TCP(addr string, opts ...Option) (health.CheckFunc, error) {
	if err := validHostPort("TCP addr", addr); err != nil {
		return nil, err
	}
	c, err := newConfig("TCP", optDialer, opts)
	if err != nil {
		return nil, err
	}
	d := c.dialer
	return func(ctx context.Context) health.Result {
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return health.Fail(err)
		}
		_ = conn.Close()
		return health.Pass()
	}, nil
}

func validHostPort(field, addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return invalid("%s %q: %v", field, addr, err)
	}
	if host == "" || port == "" {
		return invalid("%s %q: want host:port with both parts", field, addr)
	}
	return nil
}
