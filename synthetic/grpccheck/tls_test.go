package grpccheck_test

import (
	"context"
	"crypto/tls"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nines-sre/nines/internal/testcert"
	"github.com/nines-sre/nines/synthetic"
	"github.com/nines-sre/nines/synthetic/grpccheck"
)

// tickClock advances 1ms at each reading: phases measured with it count
// the readings, not the machine's speed.
func tickClock() func() time.Time {
	var n atomic.Int64
	base := time.Unix(1_700_000_000, 0)
	return func() time.Time { return base.Add(time.Duration(n.Add(1)) * time.Millisecond) }
}

func TestTLS(t *testing.T) {
	cert, pool := testcert.SelfSigned(t, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	addr := tlsTarget(t, cert)

	run := func(call synthetic.Call) synthetic.StepResult {
		r, err := synthetic.NewRunner([]synthetic.Check{{Name: "tls", Steps: []synthetic.Step{{Name: "health", Call: call}}}}, synthetic.WithClock(tickClock()))
		if err != nil {
			t.Fatal(err)
		}
		res, err := r.Run(context.Background(), "tls")
		if err != nil {
			t.Fatal(err)
		}
		return res.Steps[0]
	}
	s := run(mustCall(t)(grpccheck.Health(addr, "", grpccheck.WithTLS(&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}))))
	if s.Outcome != synthetic.Pass || s.Code != "SERVING" {
		t.Fatalf("trusted CA: %v %q %v", s.Outcome, s.Code, s.Failures)
	}
	// One reading before and one after each of the dial and the
	// handshake: 1ms each on the ticking clock.
	if s.Phases.Connect != time.Millisecond || s.Phases.TLS != time.Millisecond || s.Phases.Resolve != 0 || s.Phases.Processing <= 0 {
		t.Errorf("phases %+v, want connect 1ms, tls 1ms, no resolve, some processing", s.Phases)
	}
	// The system roots do not know the self-signed CA; plaintext is not
	// TLS: both fail without a response.
	for name, opts := range map[string][]grpccheck.Option{"unknown CA": {grpccheck.WithTLS(nil)}, "plaintext": nil} {
		s := run(mustCall(t)(grpccheck.Health(addr, "", opts...)))
		if s.Outcome != synthetic.Fail || s.Code != "UNAVAILABLE" {
			t.Errorf("%s: %v %q %v, want fail with UNAVAILABLE", name, s.Outcome, s.Code, s.Failures)
		}
	}
}
