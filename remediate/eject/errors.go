package eject

import (
	"errors"

	"github.com/nines-sre/nines/internal/config"
)

// ErrInvalidConfig is wrapped by every configuration error of this package.
var ErrInvalidConfig = config.New("eject")

// ErrMaxEjected is returned by [Ejector.EjectAt] when ejecting one more
// replica would exceed the maximum ejected percentage.
var ErrMaxEjected = errors.New("eject: maximum ejected replicas reached")

// ErrUnknownReplica is returned for a replica the Ejector was not given.
var ErrUnknownReplica = errors.New("eject: unknown replica")

func invalid(field string, value any, why string) error {
	return config.Error(ErrInvalidConfig, field, value, why)
}
