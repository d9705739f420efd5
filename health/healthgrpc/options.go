package healthgrpc

import (
	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/internal/config"
)

// ErrInvalidConfig is wrapped by the error of New when the source is nil
// or WithGroup names anything but one of health.Liveness,
// health.Readiness or health.Startup; the message names the value.
var ErrInvalidConfig = config.New("healthgrpc")

// Option tunes New. Options are made by WithGroup; they are immutable and
// safe for concurrent use; a nil Option is ignored.
type Option interface{ apply(*serverConfig) }

type serverConfig struct{ overall health.Group }

type groupOption health.Group

func (g groupOption) apply(c *serverConfig) { c.overall = health.Group(g) }

// WithGroup sets the group whose status answers service "" (the overall
// health). The default is health.Readiness, what load balancers and
// Kubernetes readiness probes want; pass health.Liveness for a gRPC liveness
// probe (it stays SERVING through a drain, as /livez does).
func WithGroup(g health.Group) Option { return groupOption(g) }
