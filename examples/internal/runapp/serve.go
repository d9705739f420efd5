package runapp

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// Server returns an http.Server for h with a header timeout, so that a
// slow client cannot hold a connection open before sending its request.
func Server(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
}

// Serve runs srv on ln in a goroutine until stop is called. stop shuts the
// server down gracefully within its ctx, waits for the goroutine, and
// reports any error other than the shutdown itself, including one that
// made Serve return early.
func Serve(srv *http.Server, ln net.Listener) (stop func(context.Context) error) {
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	return func(ctx context.Context) error {
		err := srv.Shutdown(ctx)
		if serr := <-done; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
			err = errors.Join(err, serr)
		}
		return err
	}
}
