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
func TCP(addr string, opts ...TCPOption) (health.CheckFunc, error) {
	if err := validHostPort("TCP addr", addr); err != nil {
		return nil, err
	}
	d := apply(opts, TCPOption.applyTCP).dialer
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
		return invalid(field, addr, err.Error())
	}
	if host == "" || port == "" {
		return invalid(field, addr, "want host:port with both parts")
	}
	return nil
}
