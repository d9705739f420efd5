package checks

import (
	"crypto/tls"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/internal/testcert"
)

func TestTLSExpiry(t *testing.T) {
	notAfter := time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)
	cert, pool := testcert.SelfSigned(t, notAfter.AddDate(-1, 0, 0), notAfter)
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // rejected handshakes are expected
	srv.StartTLS()
	defer srv.Close()
	addr := srv.Listener.Addr().String()
	trusted := &tls.Config{RootCAs: pool}

	const warn, fail = 72 * time.Hour, 24 * time.Hour
	tests := []struct {
		name     string
		cfg      *tls.Config
		now      time.Time
		want     health.Status
		observed any
		err      error
	}{
		{"100h left", trusted, notAfter.Add(-100 * time.Hour), health.StatusPass, 360000.0, nil},
		{"48h left warns", trusted, notAfter.Add(-48 * time.Hour), health.StatusWarn, 172800.0, ErrThreshold},
		{"12h left fails", trusted, notAfter.Add(-12 * time.Hour), health.StatusFail, 43200.0, ErrThreshold},
		{"expired fails verification", trusted, notAfter.Add(time.Hour), health.StatusFail, nil, nil},
		{"untrusted fails", &tls.Config{}, notAfter.Add(-100 * time.Hour), health.StatusFail, nil, nil},
		{"expired without verification", &tls.Config{RootCAs: pool, InsecureSkipVerify: true}, notAfter.Add(time.Hour), health.StatusFail, -3600.0, ErrThreshold},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustCheck(t)(TLSExpiry(addr, tt.cfg, warn, fail, WithClock(func() time.Time { return tt.now })))
			got := f(t.Context())
			want(t, got, tt.want, tt.observed, tt.err)
			if tt.observed != nil && (got.ObservedUnit != "s" || got.Measurement != "expiry") {
				t.Errorf("unit/measurement = %q/%q", got.ObservedUnit, got.Measurement)
			}
		})
	}

	// httptest's own TLS server, trusted through its client's pool: its
	// certificate is valid for decades, so the check passes today.
	std := httptest.NewTLSServer(http.NotFoundHandler())
	defer std.Close()
	stdCfg := std.Client().Transport.(*http.Transport).TLSClientConfig
	f := mustCheck(t)(TLSExpiry(std.Listener.Addr().String(), stdCfg, warn, fail))
	want(t, f(t.Context()), health.StatusPass, nil, nil)
}

// The check measures the soonest-expiring certificate of the presented
// chain, not just the leaf: an expiring intermediate breaks clients too.
func TestTLSExpiryUsesSoonestInChain(t *testing.T) {
	far := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	soon := time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)
	leaf, _ := testcert.SelfSigned(t, far.AddDate(-5, 0, 0), far)
	inter, _ := testcert.SelfSigned(t, soon.AddDate(-1, 0, 0), soon)
	chain := tls.Certificate{Certificate: [][]byte{leaf.Certificate[0], inter.Certificate[0]}, PrivateKey: leaf.PrivateKey, Leaf: leaf.Leaf}
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{chain}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	// Verification is not what this test is about: the chain is not a real
	// one, so skip it and look at the presented certificates alone.
	cfg := &tls.Config{InsecureSkipVerify: true}
	now := soon.Add(-48 * time.Hour)
	f := mustCheck(t)(TLSExpiry(srv.Listener.Addr().String(), cfg, 72*time.Hour, 24*time.Hour, WithClock(func() time.Time { return now })))
	want(t, f(t.Context()), health.StatusWarn, 172800.0, ErrThreshold)
}
