package grpccheck

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
)

// FileOption configures FileSupport, Load and LoadFile. It is sealed:
// only this package's WithFileX functions make one.
type FileOption interface{ applyFile(*fileSettings) }

type fileSettings struct {
	tls *tls.Config // nil: the system roots
}

type fileOptionFunc func(*fileSettings)

func (f fileOptionFunc) applyFile(s *fileSettings) { f(s) }

// WithFileTLS is the TLS configuration of every step whose "grpc" object
// says "tls": true: the roots of an internal CA, a client certificate.
// cfg is cloned here, so changing it afterwards changes no loaded step;
// nil keeps the system roots. A step's "server_name" replaces
// cfg.ServerName for that step only; without one, the name verified is
// cfg.ServerName if set, else the target's host. A file is the place to
// say which steps are TLS and under which name, code the place to hold
// key material, hence one config for the whole file.
func WithFileTLS(cfg *tls.Config) FileOption {
	if cfg != nil {
		cfg = cfg.Clone()
	}
	return fileOptionFunc(func(s *fileSettings) { s.tls = cfg })
}

func applyFileOptions(opts []FileOption) fileSettings {
	var s fileSettings
	for _, o := range opts {
		if o != nil {
			o.applyFile(&s)
		}
	}
	return s
}

// stepTLS is the file's TLS config for one step, under the step's server
// name if it gives one.
func stepTLS(cfg *tls.Config, serverName *string) (*tls.Config, error) {
	if serverName == nil {
		return cfg, nil // WithTLS clones it; nil is the system roots
	}
	name := *serverName
	switch {
	case name == "":
		return nil, errors.New(`server_name is empty: leave it out to verify the certificate against the target's host`)
	case strings.Contains(name, "${"):
		// The name is fixed into the TLS config when the file loads; a
		// reference would be verified literally and fail every run.
		return nil, fmt.Errorf("server_name %q: a server name takes no ${name} references", name)
	case !validServerName(name):
		return nil, fmt.Errorf("server_name %q: must be a DNS name or an IP address, without a port", name)
	}
	if cfg == nil {
		cfg = &tls.Config{MinVersion: tls.VersionTLS12} // the system roots, as WithTLS(nil)
	} else {
		cfg = cfg.Clone()
	}
	cfg.ServerName = name
	return cfg, nil
}

// validServerName reports whether name can match a certificate: an IP
// address, or dot-separated labels of letters, digits, '-' and '_' with
// an optional final dot. A port or a URL never can, and is a likely
// slip for the target.
func validServerName(name string) bool {
	if net.ParseIP(name) != nil {
		return true
	}
	if len(name) > 253 {
		return false
	}
	for _, label := range strings.Split(strings.TrimSuffix(name, "."), ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
				return false
			}
		}
	}
	return true
}
