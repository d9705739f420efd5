package testcert

import (
	"crypto/x509"
	"testing"
	"time"
)

// The certificate verifies for 127.0.0.1 against its pool inside its
// validity, and not after it.
func TestSelfSigned(t *testing.T) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(1, 0, 0)
	cert, pool := SelfSigned(t, from, to)
	opts := x509.VerifyOptions{Roots: pool, DNSName: "127.0.0.1", CurrentTime: from.AddDate(0, 6, 0)}
	if _, err := cert.Leaf.Verify(opts); err != nil {
		t.Fatalf("inside validity: %v", err)
	}
	opts.CurrentTime = to.Add(time.Hour)
	if _, err := cert.Leaf.Verify(opts); err == nil {
		t.Fatal("after NotAfter: verified, want an expiry error")
	}
}

// A certificate for DNS names verifies for them and not for 127.0.0.1
// nor another name.
func TestSelfSignedFor(t *testing.T) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cert, pool := SelfSignedFor(t, from, from.AddDate(1, 0, 0), "svc.internal", "localhost")
	for name, ok := range map[string]bool{"svc.internal": true, "localhost": true, "127.0.0.1": false, "wrong.example": false} {
		_, err := cert.Leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: name, CurrentTime: from.AddDate(0, 6, 0)})
		if (err == nil) != ok {
			t.Errorf("verify for %s: err = %v, want verified %t", name, err, ok)
		}
	}
}
