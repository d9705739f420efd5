package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/nines-sre/nines/synthetic"
)

// countingTransport counts the requests a step sends: one plus the
// redirects it followed, which StepResult does not report.
type countingTransport struct {
	rt    http.RoundTripper
	trips atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.trips.Add(1)
	return c.rt.RoundTrip(r)
}

// ninesProber runs each case as a one-step synthetic check.
type ninesProber struct {
	runner *synthetic.Runner
	trips  *countingTransport
}

// newNinesProber builds the checks: one GET per case asserting status 200
// (blackbox's valid_status_codes: [200]), following redirects (the
// default of both). Its transport opens a fresh connection per request,
// as blackbox_exporter's does (keep-alives off), and trusts roots.
func newNinesProber(cases []probeCase, roots *x509.CertPool) (*ninesProber, error) {
	ct := &countingTransport{rt: &http.Transport{
		Proxy:             nil,
		DisableKeepAlives: true,
		TLSClientConfig:   &tls.Config{RootCAs: roots},
	}}
	checks := make([]synthetic.Check, len(cases))
	for i, c := range cases {
		checks[i] = synthetic.Check{
			Name:     c.name,
			Interval: time.Minute,
			Timeout:  10 * time.Second,
			Steps: []synthetic.Step{{
				Name:   "get",
				URL:    c.url,
				Assert: []synthetic.Assertion{{Status: http.StatusOK}},
			}},
		}
	}
	r, err := synthetic.NewRunner(checks, synthetic.WithTransport(ct))
	if err != nil {
		return nil, err
	}
	return &ninesProber{runner: r, trips: ct}, nil
}

func (p *ninesProber) probe(ctx context.Context, name string) (observation, error) {
	before := p.trips.trips.Load()
	res, err := p.runner.Run(ctx, name)
	if err != nil {
		return observation{}, err
	}
	if len(res.Steps) != 1 {
		return observation{}, fmt.Errorf("nines check %s ran %d steps: %s", name, len(res.Steps), res.Failure)
	}
	s := res.Steps[0]
	if s.Status == 0 {
		return observation{}, errors.New("nines check " + name + " got no response: " + res.Err())
	}
	trips := int(p.trips.trips.Load() - before)
	return observation{
		outcome: outcome{success: res.Outcome == synthetic.Pass, status: s.Status, redirects: trips - 1},
		phases:  [numPhases]time.Duration{s.Phases.Resolve, s.Phases.Connect, s.Phases.TLS, s.Phases.Processing, s.Phases.Transfer},
		total:   s.Duration,
	}, nil
}
