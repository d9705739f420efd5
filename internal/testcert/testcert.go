// Package testcert makes self-signed TLS certificates for tests that
// serve TLS on 127.0.0.1: one certificate that is its own CA, and a pool
// that trusts it. It is for tests only; nothing in the library imports it.
package testcert

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"testing"
	"time"
)

// SelfSigned returns a certificate for 127.0.0.1 (common name
// "test-service") valid from notBefore to notAfter, signed by its own
// key, and a pool that trusts it. It fails t on any error.
func SelfSigned(t testing.TB, notBefore, notAfter time.Time) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	return selfSigned(t, notBefore, notAfter, []net.IP{net.IPv4(127, 0, 0, 1)}, nil)
}

// SelfSignedFor is SelfSigned for the DNS names dnsNames only: not for
// 127.0.0.1, so a client dialing 127.0.0.1 verifies it only when told
// which name to expect (tls.Config.ServerName).
func SelfSignedFor(t testing.TB, notBefore, notAfter time.Time, dnsNames ...string) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	if len(dnsNames) == 0 {
		t.Fatal("testcert.SelfSignedFor: no DNS name")
	}
	return selfSigned(t, notBefore, notAfter, nil, dnsNames)
}

func selfSigned(t testing.TB, notBefore, notAfter time.Time, ips []net.IP, dnsNames []string) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "test-service"},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		IPAddresses:           ips,
		DNSNames:              dnsNames,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}
