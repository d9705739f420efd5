package healthgrpc

import (
	"errors"

	"github.com/nines-sre/nines/health"
)

// ErrInvalidGroup is returned by New when WithGroup names anything but one
// of health.Liveness, health.Readiness or health.Startup.
var ErrInvalidGroup = errors.New("healthgrpc: invalid group")

// Option tunes New. Options are made by WithGroup; they are immutable and
// safe for concurrent use; a nil Option is ignored.
type Option interface{ apply(*config) }

type config struct{ overall health.Group }

type groupOption health.Group

func (g groupOption) apply(c *config) { c.overall = health.Group(g) }

// WithGroup sets the group whose status answers service "" (the overall
// health). The default is health.Readiness, what load balancers and
// Kubernetes readiness probes want; pass health.Liveness for a gRPC liveness
// probe (it stays SERVING through a drain, as /livez does).
func WithGroup(g health.Group) Option { return groupOption(g) }
