package checks

import (
	"context"

	"github.com/nines-sre/nines/health"
)

// Ping returns a check that passes when p.PingContext returns nil. Pass the
// application's own pool (for example the *sql.DB it serves requests with):
// the check borrows a connection from it and never opens a pool of its own.
func Ping(p Pinger) (health.CheckFunc, error) {
	if isNil(p) {
		return nil, invalid("Ping p", nil, "required")
	}
	return func(ctx context.Context) health.Result {
		if err := p.PingContext(ctx); err != nil {
			return health.Fail(err)
		}
		return health.Pass()
	}, nil
}
