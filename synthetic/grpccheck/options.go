package grpccheck

import (
	"crypto/tls"

	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
)

// Option configures Health and Unary. It is sealed: only this package's
// WithX functions make one.
type Option interface{ apply(*settings) }

type settings struct {
	creds    credentials.TransportCredentials
	metadata map[string]string
}

func defaults() settings {
	return settings{creds: insecure.NewCredentials()}
}

type optionFunc func(*settings)

func (f optionFunc) apply(s *settings) { f(s) }

// WithTLS dials the target over TLS with cfg (cloned); nil means the
// system roots and the target's host as server name. Without it the call
// is made in plaintext (h2c), as most in-cluster gRPC is.
func WithTLS(cfg *tls.Config) Option {
	return optionFunc(func(s *settings) {
		if cfg == nil {
			cfg = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		s.creds = credentials.NewTLS(cfg.Clone())
	})
}

// WithMetadata adds metadata to every call: keys are lower-cased, values
// may refer to the run's values as ${name} (an authorization token
// extracted by an earlier step, a Var read from the environment). The
// own-traffic mark and traceparent are always sent and cannot be set here.
func WithMetadata(md map[string]string) Option {
	return optionFunc(func(s *settings) {
		s.metadata = make(map[string]string, len(md))
		for k, v := range md {
			s.metadata[k] = v
		}
	})
}
