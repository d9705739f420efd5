// Package config holds the one invalid-configuration sentinel of nines.
// Every package exports its own ErrInvalidConfig made with New, so errors
// read "health: invalid config: ..." and errors.Is matches both the
// package's sentinel and ErrInvalid.
package config

import (
	"errors"
	"fmt"
)

// ErrInvalid is the root of every package's ErrInvalidConfig.
var ErrInvalid = errors.New("invalid config")

// sentinel is a package's ErrInvalidConfig: its own identity, wrapping
// ErrInvalid.
type sentinel struct{ msg string }

func (s *sentinel) Error() string { return s.msg }
func (s *sentinel) Unwrap() error { return ErrInvalid }

// New returns the ErrInvalidConfig of package pkg.
func New(pkg string) error { return &sentinel{msg: pkg + ": invalid config"} }

// Error returns an error wrapping sentinel (a package's ErrInvalidConfig)
// that names the field, its value and what is wrong:
// "PKG: invalid config: FIELD = VALUE: WHY" (a string value is quoted).
func Error(sentinel error, field string, value any, why string) error {
	if s, ok := value.(string); ok {
		return fmt.Errorf("%w: %s = %q: %s", sentinel, field, s, why)
	}
	return fmt.Errorf("%w: %s = %v: %s", sentinel, field, value, why)
}

// Errorf returns an error wrapping sentinel with a formatted message:
// "PKG: invalid config: MESSAGE".
func Errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
}
