package remediate

import (
	"go.opentelemetry.io/otel/metric"
)

// Bounds of WithMaxBodyBytes.
const (
	defaultMaxBodyBytes = 1 << 20
	minMaxBodyBytes     = 1 << 10
	maxMaxBodyBytes     = 64 << 20
)

// ReceiverOption configures NewReceiver. It is sealed: only this package's
// receiver options make one, so an engine Option does not compile here,
// nor a ReceiverOption in NewEngine. Nil options are ignored.
type ReceiverOption interface {
	applyReceiver(*receiverOptions)
}

type receiverOptions struct {
	auth          *receiverAuth
	authOptions   int // how many auth options were given: exactly one is valid
	emptySecret   string
	maxBody       int64
	meterProvider metric.MeterProvider
}

type receiverOptionFunc func(*receiverOptions)

func (f receiverOptionFunc) applyReceiver(o *receiverOptions) { f(o) }

// WithBearerToken makes the receiver accept only requests whose
// Authorization header is "Bearer <token>" (Alertmanager's webhook
// http_config: authorization: {credentials: <token>}, or credentials_file).
// The token is compared in constant time. An empty token is an error.
// Exactly one of WithBearerToken and WithBasicAuth is required.
func WithBearerToken(token string) ReceiverOption {
	return receiverOptionFunc(func(o *receiverOptions) {
		o.authOptions++
		if token == "" {
			o.emptySecret = "WithBearerToken"
		}
		o.auth = bearerAuth(token)
	})
}

// WithBasicAuth makes the receiver accept only requests with HTTP basic
// credentials user and password (Alertmanager's http_config: basic_auth), a
// shared secret compared in constant time. An empty password is an error.
// Exactly one of WithBearerToken and WithBasicAuth is required.
func WithBasicAuth(user, password string) ReceiverOption {
	return receiverOptionFunc(func(o *receiverOptions) {
		o.authOptions++
		if password == "" {
			o.emptySecret = "WithBasicAuth"
		}
		o.auth = basicAuth(user, password)
	})
}

// WithMaxBodyBytes bounds the request body: a larger one is refused with
// 413 before it is parsed. The default, 1 MiB, holds about 1000 alerts of
// the generated rules; n must be in [1 KiB, 64 MiB].
func WithMaxBodyBytes(n int64) ReceiverOption {
	return receiverOptionFunc(func(o *receiverOptions) { o.maxBody = n })
}

// WithReceiverMeterProvider sets the MeterProvider the receiver registers
// its instruments with. The default is otel.GetMeterProvider(); nil keeps
// the default.
func WithReceiverMeterProvider(mp metric.MeterProvider) ReceiverOption {
	return receiverOptionFunc(func(o *receiverOptions) {
		if mp != nil {
			o.meterProvider = mp
		}
	})
}

// validate reports the first invalid option, naming it and its value.
func (o *receiverOptions) validate() error {
	switch {
	case o.authOptions == 0:
		return invalid("auth", "none", "a Receiver needs WithBearerToken or WithBasicAuth: unauthenticated remediation is not offered")
	case o.authOptions > 1:
		return invalid("auth", o.authOptions, "give exactly one of WithBearerToken and WithBasicAuth")
	case o.emptySecret != "":
		return invalid(o.emptySecret, "", "the secret must not be empty")
	case o.maxBody < minMaxBodyBytes || o.maxBody > maxMaxBodyBytes:
		return invalid("WithMaxBodyBytes", o.maxBody, "must be in [1024, 67108864]")
	}
	return nil
}
