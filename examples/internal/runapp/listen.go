package runapp

import (
	"errors"
	"fmt"
	"net"
	"syscall"
)

// Listen opens a TCP listener on addr. With a non-nil onBusy, a busy addr
// falls back to a free port on the same host, and onBusy is told which
// (so that a demo still runs when its usual port is taken); with nil, a
// busy addr is an error, as a service given an exact address expects.
func Listen(addr string, onBusy func(busy string, used net.Addr)) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err == nil {
		return ln, nil
	}
	host, _, splitErr := net.SplitHostPort(addr)
	if onBusy == nil || splitErr != nil || !errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	free := net.JoinHostPort(host, "0")
	ln, err = net.Listen("tcp", free)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", free, err)
	}
	onBusy(addr, ln.Addr())
	return ln, nil
}
