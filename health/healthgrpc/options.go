package healthgrpc

import (
	"github.com/nines-sre/nines/health"
	"github.com/nines-sre/nines/internal/config"
)

// ErrInvalidConfig is wrapped by the error of New when the source is nil
// or WithGroup or WithService names anything but one of health.Liveness,
// health.Readiness or health.Startup; the message names the value.
var ErrInvalidConfig = config.New("healthgrpc")

// Option tunes New. Options are made by WithGroup and WithService; they are immutable and
// safe for concurrent use; a nil Option is ignored.
type Option interface{ apply(*serverConfig) }

type serverConfig struct {
	overall  health.Group
	services map[string]health.Group
	err      error // the first invalid WithService, reported by New
}

type groupOption health.Group

func (g groupOption) apply(c *serverConfig) { c.overall = health.Group(g) }

type serviceOption struct {
	name  string
	group health.Group
}

func (o serviceOption) apply(c *serverConfig) {
	switch {
	case c.err != nil:
	case o.name == "":
		c.err = config.Error(ErrInvalidConfig, "WithService: name", o.name, `must not be empty (service "" is WithGroup's)`)
	case !validGroup(o.group):
		c.err = config.Error(ErrInvalidConfig, "WithService: group", uint8(o.group), "want exactly one of health.Liveness, health.Readiness, health.Startup")
	default:
		if c.services == nil {
			c.services = map[string]health.Group{}
		}
		c.services[o.name] = o.group
	}
}

func validGroup(g health.Group) bool {
	return g == health.Liveness || g == health.Readiness || g == health.Startup
}

// WithService answers the gRPC service name (a fully qualified service,
// "pkg.Service", as a Kubernetes gRPC probe's service field or a load
// balancer names it) with group g's status, as service "" is answered:
// SERVING while g passes or warns, NOT_SERVING otherwise (readiness
// draining included). Without it such a probe gets NOT_FOUND, since only
// check names are services. Repeat it for each service; a later one for
// the same name wins, and a mapped name shadows a check of that name. The
// name must not be empty and g must be one group.
func WithService(name string, g health.Group) Option { return serviceOption{name, g} }

// WithGroup sets the group whose status answers service "" (the overall
// health). The default is health.Readiness, what load balancers and
// Kubernetes readiness probes want; pass health.Liveness for a gRPC liveness
// probe (it stays SERVING through a drain, as /livez does).
func WithGroup(g health.Group) Option { return groupOption(g) }
