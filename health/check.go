package health

import (
	"fmt"
	"time"

	"github.com/nines-sre/nines/internal/config"
)

// Defaults applied by Register to zero fields of a Check.
const (
	// DefaultInterval is the Interval of a Check that leaves it zero.
	DefaultInterval = 10 * time.Second
	// DefaultTimeout is the Timeout of a Check that leaves it zero, cut
	// down to the Interval when that is shorter.
	DefaultTimeout = 2 * time.Second
)

// Limits enforced by Register.
const (
	// MinInterval is the shortest Interval and Timeout Register accepts.
	MinInterval = time.Millisecond
	// MaxInterval is the longest Interval, Timeout and InitialDelay
	// Register accepts.
	MaxInterval = 24 * time.Hour
	// MaxThreshold is the largest FailureThreshold and SuccessThreshold
	// Register accepts.
	MaxThreshold = 1000
	// MaxNameLen is the longest Check name Register accepts.
	MaxNameLen = 63
)

// ErrInvalidConfig is wrapped by every error Register returns for a Check
// it refuses; the message names the check, the field and the value:
// `health: invalid config: check "db" Timeout = 5s: must be between 1ms
// and the Interval (1s)`. It is also wrapped by the error Register and
// Start return for an invalid option of NewRegistry, which names the
// option: `health: invalid config: WithDrainDelay = -1s: must be in [0,
// 10m0s]`.
var ErrInvalidConfig = config.New("health")

// Check describes one health check: what to run, in which probe groups,
// and how often. It is a plain struct: fill in the fields and pass it to
// Registry.Register, which validates it and applies the defaults. Only
// Name and Func are required; the zero value of every other field is a
// sane default.
//
// A Check is copied by Register; changing it afterwards has no effect. The
// zero Check is not valid (it has no Name or Func). A Check value is safe
// to share; its Func is called from one goroutine at a time per check.
type Check struct {
	// Name identifies the check in probe output, metrics and sub-paths
	// (/readyz/<Name>). Required: 1 to 63 characters from [A-Za-z0-9._-],
	// starting with a letter or digit, unique within the registry.
	Name string

	// Func runs the check. Required. It runs in the background, never on
	// a probe request; see CheckFunc.
	Func CheckFunc

	// Groups is the set of probe groups the check belongs to. Zero means
	// Readiness alone.
	Groups Group

	// Interval is the time between the starts of two runs. Zero means
	// DefaultInterval (10s). Must be between 1ms and 24h. The scheduler
	// shortens each wait by a random jitter (see WithJitter), never
	// lengthens it.
	Interval time.Duration

	// Timeout bounds one run: at the deadline the run is recorded as a
	// failed timeout whether or not Func has returned. Zero means
	// DefaultTimeout (2s) or the Interval if that is shorter. Must be
	// between 1ms and the Interval.
	Timeout time.Duration

	// InitialDelay is how long after Start (or after Register, when the
	// registry is already running) the first run waits. Zero means run at
	// once (plus jitter). Must be between 0 and 24h.
	InitialDelay time.Duration

	// FailureThreshold is how many consecutive failed runs turn a healthy
	// (or not yet known) check into StatusFail. Zero means 1. Must be
	// between 1 and 1000 once defaulted.
	FailureThreshold int

	// SuccessThreshold is how many consecutive passing (or warning) runs
	// turn a failed (or not yet known) check healthy. Zero means 1. Must
	// be between 1 and 1000 once defaulted.
	SuccessThreshold int

	// NonCritical makes a failing or stale check degrade its groups to
	// StatusWarn (still HTTP 200) instead of failing them. The zero value,
	// false, means critical.
	NonCritical bool

	// External marks a check of an external system (a database, another
	// service). Register refuses an External check in Liveness unless
	// AllowExternalInLiveness is set: a dependency outage failing every
	// replica's liveness probe restarts the whole fleet at once.
	External bool

	// AllowExternalInLiveness forces Register to accept an External check
	// in Liveness. The zero value, false, refuses it.
	AllowExternalInLiveness bool

	// MaxAge is how old the last result may grow before the check reads
	// as StatusUnknown, so that a wedged scheduler cannot keep serving a
	// stale pass. Zero means 2*Interval + Timeout. Must exceed
	// Interval + Timeout, the longest regular gap between two results.
	MaxAge time.Duration
}

// normalized returns c with its defaults applied, or an error wrapping
// ErrInvalidConfig that names the first invalid field and its value.
func (c Check) normalized() (Check, error) {
	if err := validName(c.Name); err != nil {
		return c, err
	}
	// The field is named with its check's name: several checks are
	// registered in a row and "Timeout" alone does not say which.
	bad := func(field string, value any, why string) error {
		return config.Error(ErrInvalidConfig, fmt.Sprintf("check %q %s", c.Name, field), value, why)
	}
	if c.Func == nil {
		return c, bad("Func", nil, "required")
	}
	if c.Groups == 0 {
		c.Groups = Readiness
	}
	if c.Groups&^allGroups != 0 {
		return c, bad("Groups", uint8(c.Groups), "unknown group bits")
	}
	if c.External && c.Groups&Liveness != 0 && !c.AllowExternalInLiveness {
		return c, bad("Groups", c.Groups, "External check in Liveness restarts every replica on a dependency outage; set AllowExternalInLiveness to force it")
	}
	if c.Interval == 0 {
		c.Interval = DefaultInterval
	}
	if c.Interval < MinInterval || c.Interval > MaxInterval {
		return c, bad("Interval", c.Interval, "must be between 1ms and 24h")
	}
	if c.Timeout == 0 {
		c.Timeout = min(DefaultTimeout, c.Interval)
	}
	if c.Timeout < MinInterval || c.Timeout > c.Interval {
		return c, bad("Timeout", c.Timeout, fmt.Sprintf("must be between 1ms and the Interval (%v)", c.Interval))
	}
	if c.InitialDelay < 0 || c.InitialDelay > MaxInterval {
		return c, bad("InitialDelay", c.InitialDelay, "must be between 0 and 24h")
	}
	if c.FailureThreshold == 0 {
		c.FailureThreshold = 1
	}
	if c.FailureThreshold < 1 || c.FailureThreshold > MaxThreshold {
		return c, bad("FailureThreshold", c.FailureThreshold, "must be between 1 and 1000")
	}
	if c.SuccessThreshold == 0 {
		c.SuccessThreshold = 1
	}
	if c.SuccessThreshold < 1 || c.SuccessThreshold > MaxThreshold {
		return c, bad("SuccessThreshold", c.SuccessThreshold, "must be between 1 and 1000")
	}
	if c.MaxAge == 0 {
		c.MaxAge = 2*c.Interval + c.Timeout
	}
	if c.MaxAge <= c.Interval+c.Timeout {
		return c, bad("MaxAge", c.MaxAge, fmt.Sprintf("must exceed Interval+Timeout (%v)", c.Interval+c.Timeout))
	}
	return c, nil
}

// validName reports whether name is usable in paths, metric attributes
// and "name:measurement" JSON keys.
func validName(name string) error {
	if name == "" {
		return config.Error(ErrInvalidConfig, "Check.Name", name, "required")
	}
	if len(name) > MaxNameLen {
		return config.Error(ErrInvalidConfig, "Check.Name", name, fmt.Sprintf("longer than %d bytes", MaxNameLen))
	}
	for i := 0; i < len(name); i++ {
		if !nameByte(name[i], i == 0) {
			return config.Error(ErrInvalidConfig, "Check.Name", name, fmt.Sprintf("byte %q at %d not in [A-Za-z0-9._-] (or not a letter or digit first)", name[i], i))
		}
	}
	return nil
}

func nameByte(b byte, first bool) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	case b == '.' || b == '_' || b == '-':
		return !first
	}
	return false
}
