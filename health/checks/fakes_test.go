package checks

import (
	"context"
	"errors"
	"net"
	"sync/atomic"
	"testing"

	"github.com/nines-sre/nines/health"
)

type countingDialer struct {
	calls atomic.Int64
	err   error
}

func (d *countingDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	d.calls.Add(1)
	if d.err != nil {
		return nil, d.err
	}
	var nd net.Dialer
	return nd.DialContext(ctx, network, addr)
}

type fakeResolver struct {
	addrs []string
	err   error
}

func (r fakeResolver) LookupHost(context.Context, string) ([]string, error) { return r.addrs, r.err }

type fakePinger struct{ err error }

func (p *fakePinger) PingContext(context.Context) error { return p.err }

var errBoom = errors.New("boom")

// want asserts a result's status, observed value and (with errors.Is) error.
func want(t *testing.T, got health.Result, status health.Status, observed any, err error) {
	t.Helper()
	if got.Status != status {
		t.Errorf("status = %v, want %v (err %v)", got.Status, status, got.Err)
	}
	if observed != nil && got.ObservedValue != observed {
		t.Errorf("observed = %#v, want %#v", got.ObservedValue, observed)
	}
	if err == nil && got.Err != nil && status == health.StatusPass {
		t.Errorf("err = %v on pass", got.Err)
	}
	if err != nil && !errors.Is(got.Err, err) {
		t.Errorf("err = %v, want %v", got.Err, err)
	}
	if status != health.StatusPass && got.Err == nil {
		t.Errorf("status %v without an error", status)
	}
}

// mustCheck returns a function that fails t on a constructor error, so a
// constructor call can be passed straight in: mustCheck(t)(TCP(addr)).
func mustCheck(t *testing.T) func(health.CheckFunc, error) health.CheckFunc {
	return func(f health.CheckFunc, err error) health.CheckFunc {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
}
