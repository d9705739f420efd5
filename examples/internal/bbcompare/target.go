package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// The target's waits: the slow endpoint's before its headers
// (processing) and in the middle of its body (transfer); the slow TLS
// listener's in its handshake (tls); the redirect's in the middle of the
// 302's body, which neither prober counts in any phase.
const (
	slowHeaders   = 300 * time.Millisecond
	slowBody      = 200 * time.Millisecond
	slowHandshake = 100 * time.Millisecond
	slowRedirect  = 100 * time.Millisecond
)

// target is the test target: one handler served over plain HTTP and over
// TLS (certificate for 127.0.0.1 signed by a CA made at start), counting
// the TCP connections it accepts.
type target struct {
	plain, secure, slowTLS *http.Server
	plainURL               string
	secureURL              string
	slowTLSURL             string
	caPEM                  []byte
	roots                  *x509.CertPool
	conns                  atomic.Int64
}

func startTarget() (*target, error) {
	t := &target{}
	cert, err := t.makeCA()
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ok", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /slow", func(w http.ResponseWriter, _ *http.Request) {
		time.Sleep(slowHeaders)
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("first half\n"))
		w.(http.Flusher).Flush()
		time.Sleep(slowBody)
		_, _ = w.Write([]byte("second half\n"))
	})
	mux.HandleFunc("GET /redirect", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Location", "/ok")
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusFound)
		_, _ = w.Write([]byte("moved to "))
		w.(http.Flusher).Flush()
		time.Sleep(slowRedirect)
		_, _ = w.Write([]byte("/ok\n"))
	})
	mux.HandleFunc("GET /error", func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "failing on purpose", http.StatusInternalServerError)
	})
	count := func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			t.conns.Add(1)
		}
	}
	// HTTP/1.1 only (an empty TLSNextProto turns HTTP/2 off): both probers
	// then speak the same protocol, whatever each would negotiate.
	noH2 := map[string]func(*http.Server, *tls.Conn, http.Handler){}
	t.plain = &http.Server{Handler: mux, ConnState: count, ReadHeaderTimeout: 10 * time.Second, TLSNextProto: noH2}
	tlsConfig := func(slow bool) *tls.Config {
		c := &tls.Config{
			NextProtos: []string{"http/1.1"},
			// One key exchange for both clients: nines' newer Go offers a
			// post-quantum hybrid that blackbox_exporter's Go 1.19 does
			// not, and the handshake would cost the two differently.
			CurvePreferences: []tls.CurveID{tls.X25519},
		}
		if !slow {
			c.Certificates = []tls.Certificate{cert}
			return c
		}
		// Called in the middle of the handshake, after the ClientHello.
		c.GetCertificate = func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
			time.Sleep(slowHandshake)
			return &cert, nil
		}
		return c
	}
	server := func(tc *tls.Config) *http.Server {
		return &http.Server{Handler: mux, ConnState: count, ReadHeaderTimeout: 10 * time.Second, TLSNextProto: noH2, TLSConfig: tc}
	}
	t.plain, t.secure, t.slowTLS = server(nil), server(tlsConfig(false)), server(tlsConfig(true))
	var lns []net.Listener
	for range 3 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			for _, l := range lns {
				_ = l.Close()
			}
			return nil, err
		}
		lns = append(lns, l)
	}
	t.plainURL = "http://" + lns[0].Addr().String()
	t.secureURL = "https://" + lns[1].Addr().String()
	t.slowTLSURL = "https://" + lns[2].Addr().String()
	go func() { _ = t.plain.Serve(lns[0]) }()
	go func() { _ = t.secure.ServeTLS(lns[1], "", "") }()
	go func() { _ = t.slowTLS.ServeTLS(lns[2], "", "") }()
	return t, nil
}

func (t *target) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = t.plain.Shutdown(ctx)
	_ = t.secure.Shutdown(ctx)
	_ = t.slowTLS.Shutdown(ctx)
}

// makeCA creates a CA (kept as PEM for blackbox_exporter's ca_file and as
// a pool for nines) and a serving certificate for 127.0.0.1 it signs.
func (t *target) makeCA() (tls.Certificate, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "bbcompare test CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return tls.Certificate{}, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return tls.Certificate{}, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	leafTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return tls.Certificate{}, err
	}
	t.caPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	t.roots = x509.NewCertPool()
	t.roots.AddCert(ca)
	return tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: key}, nil
}

// probeCase is one single-request check run by both probers: a
// blackbox_exporter module and a synthetic.Check, both named name.
type probeCase struct {
	name string
	url  string
}

func (t *target) cases() []probeCase {
	return []probeCase{
		{"plain", t.plainURL + "/ok"},
		{"tls", t.secureURL + "/ok"},
		{"tls-slow", t.slowTLSURL + "/ok"},
		{"slow", t.plainURL + "/slow"},
		{"redirect", t.plainURL + "/redirect"},
		{"error", t.plainURL + "/error"},
		// A host name, so that both look it up: blackbox before the
		// request, nines in the transport's dial.
		{"hostname", strings.Replace(t.plainURL, "127.0.0.1", "localhost", 1) + "/ok"},
	}
}

// blackboxConfig is the blackbox_exporter configuration: one module per
// case, each the same rule as its synthetic.Check (GET, status 200 after
// following redirects) over IPv4, the HTTPS ones trusting caFile.
func blackboxConfig(cases []probeCase, caFile string) (string, error) {
	if strings.ContainsAny(caFile, "'\n") {
		return "", errors.New("CA file path must not contain quotes or newlines")
	}
	var b strings.Builder
	b.WriteString("modules:\n")
	for _, c := range cases {
		if !validName(c.name) {
			return "", fmt.Errorf("case name %q is not a plain YAML key", c.name)
		}
		fmt.Fprintf(&b, `  %s:
    prober: http
    timeout: 10s
    http:
      method: GET
      valid_status_codes: [200]
      preferred_ip_protocol: ip4
      ip_protocol_fallback: false
      follow_redirects: true
`, c.name)
		if strings.HasPrefix(c.url, "https://") {
			fmt.Fprintf(&b, "      tls_config:\n        ca_file: '%s'\n", caFile)
		}
	}
	return b.String(), nil
}

// validName reports whether s is letters, digits and dashes: a YAML key
// and a synthetic.Check name as is.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}
