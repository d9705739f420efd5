package eject

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nines-sre/nines/internal/listeners"
)

// Ejector defaults used for zero EjectorConfig fields.
const (
	DefaultMaxEjectedPercent = 10
	DefaultBaseEjectionTime  = 30 * time.Second
	DefaultMaxEjectionTime   = 300 * time.Second
)

// EjectorConfig configures an [Ejector].
type EjectorConfig struct {
	// Replicas is the static list of replicas (backend addresses) that may
	// be ejected. Required: at least one, no duplicates, none empty.
	Replicas []string
	// MaxEjectedPercent bounds the share of Replicas ejected at once, in
	// percent (0, 100). At least one replica may be ejected when there are
	// two or more, and never the last one: the count allowed is
	// min(max(floor(len*pct/100), 1), len-1). Zero means
	// DefaultMaxEjectedPercent (10, as Envoy and gRFC A50).
	MaxEjectedPercent float64
	// BaseEjectionTime is the first ejection's length; the n-th
	// consecutive ejection of a replica lasts n times longer (as Envoy),
	// up to MaxEjectionTime. Zero means DefaultBaseEjectionTime (30s).
	BaseEjectionTime time.Duration
	// MaxEjectionTime caps an ejection's length. Zero means
	// DefaultMaxEjectionTime (300s, as gRFC A50); it must be at least
	// BaseEjectionTime.
	MaxEjectionTime time.Duration
	// Probation is how long a returned replica must stay un-ejected for
	// its next ejection to count as first again. Zero means
	// MaxEjectionTime.
	Probation time.Duration
}

// Change is an ejection or a return, as the Ejector's OnChange listeners
// see it.
type Change struct {
	Replica string
	Ejected bool
	// Until is when an ejection ends (zero for a return); Ejections is how
	// many consecutive ejections the replica has had, this one included.
	Until     time.Time
	Ejections int
	Time      time.Time
}

// Ejector holds which replicas of one dependency are ejected. It enforces
// the maximum ejected share, grows an ejection's length with repeated
// ejections and tells listeners (the user's picker) of each change. Ejected
// is lock-free and allocates nothing, for a balancer's hot path; the other
// methods take one mutex and never call user code under it. Build one
// with [NewEjector]; it is safe for concurrent use.
type Ejector struct {
	cfg       EjectorConfig
	maxEject  int
	byName    map[string]*ejectState // fixed at construction
	listeners listeners.List[Change]

	// gen counts changes, so that a balancer rebuilds its rotation only
	// when something changed.
	gen atomic.Uint64

	mu      sync.Mutex
	ejected int
}

type ejectState struct {
	out atomic.Bool
	// The rest is guarded by Ejector.mu.
	until      time.Time
	returnedAt time.Time
	ejections  int
}

// NewEjector validates cfg and returns an Ejector with no replica ejected.
func NewEjector(cfg EjectorConfig) (*Ejector, error) {
	if cfg.MaxEjectedPercent == 0 {
		cfg.MaxEjectedPercent = DefaultMaxEjectedPercent
	}
	if cfg.BaseEjectionTime == 0 {
		cfg.BaseEjectionTime = DefaultBaseEjectionTime
	}
	if cfg.MaxEjectionTime == 0 {
		cfg.MaxEjectionTime = max(DefaultMaxEjectionTime, cfg.BaseEjectionTime)
	}
	if cfg.Probation == 0 {
		cfg.Probation = cfg.MaxEjectionTime
	}
	switch {
	case len(cfg.Replicas) == 0:
		return nil, invalid("EjectorConfig.Replicas", "[]", "at least one replica is required")
	case !(cfg.MaxEjectedPercent > 0 && cfg.MaxEjectedPercent <= 100):
		return nil, invalid("EjectorConfig.MaxEjectedPercent", cfg.MaxEjectedPercent, "must be in (0, 100]")
	case cfg.BaseEjectionTime < 0:
		return nil, invalid("EjectorConfig.BaseEjectionTime", cfg.BaseEjectionTime, "must be positive")
	case cfg.MaxEjectionTime < cfg.BaseEjectionTime:
		return nil, invalid("EjectorConfig.MaxEjectionTime", cfg.MaxEjectionTime, fmt.Sprintf("must be at least BaseEjectionTime %s", cfg.BaseEjectionTime))
	case cfg.Probation < 0:
		return nil, invalid("EjectorConfig.Probation", cfg.Probation, "must be positive")
	}
	e := &Ejector{cfg: cfg, byName: make(map[string]*ejectState, len(cfg.Replicas))}
	e.cfg.Replicas = slices.Clone(cfg.Replicas)
	for i, r := range cfg.Replicas {
		if r == "" {
			return nil, invalid(fmt.Sprintf("EjectorConfig.Replicas[%d]", i), r, "must not be empty")
		}
		if _, dup := e.byName[r]; dup {
			return nil, invalid(fmt.Sprintf("EjectorConfig.Replicas[%d]", i), r, "is given twice")
		}
		e.byName[r] = &ejectState{}
	}
	n := len(cfg.Replicas)
	e.maxEject = min(max(int(float64(n)*cfg.MaxEjectedPercent/100), 1), n-1)
	return e, nil
}

// Replicas returns the replicas, in the order given.
func (e *Ejector) Replicas() []string { return slices.Clone(e.cfg.Replicas) }

// MaxEjected is how many replicas may be ejected at once.
func (e *Ejector) MaxEjected() int { return e.maxEject }

// Ejected reports whether replica is ejected now. An unknown replica is
// not.
func (e *Ejector) Ejected(replica string) bool {
	s, ok := e.byName[replica]
	return ok && s.out.Load()
}

// OnChange adds a listener told of every ejection and return, after the
// change and outside every lock (a panicking listener is recovered). It
// returns the function that removes it.
func (e *Ejector) OnChange(fn func(Change)) (remove func()) { return e.listeners.Add(fn) }

// EjectAt ejects replica at t, for BaseEjectionTime times the number of
// its consecutive ejections (capped at MaxEjectionTime). Ejecting an
// ejected replica changes nothing. It returns an error wrapping
// ErrMaxEjected when the maximum share is already ejected, and one
// wrapping ErrUnknownReplica for a replica not in the list.
func (e *Ejector) EjectAt(t time.Time, replica string) error {
	s, ok := e.byName[replica]
	if !ok {
		return fmt.Errorf("%w %q", ErrUnknownReplica, replica)
	}
	e.mu.Lock()
	if s.out.Load() {
		e.mu.Unlock()
		return nil
	}
	if e.ejected >= e.maxEject {
		n := e.ejected
		e.mu.Unlock()
		return fmt.Errorf("%w: %d of %d ejected, the limit is %d (MaxEjectedPercent %g): %q stays in", ErrMaxEjected, n, len(e.byName), e.maxEject, e.cfg.MaxEjectedPercent, replica)
	}
	if s.ejections > 0 && !s.returnedAt.IsZero() && t.Sub(s.returnedAt) >= e.cfg.Probation {
		s.ejections = 0 // healthy through its probation: a fresh start
	}
	s.ejections++
	d := min(time.Duration(s.ejections)*e.cfg.BaseEjectionTime, e.cfg.MaxEjectionTime)
	s.until = t.Add(d)
	s.out.Store(true)
	e.gen.Add(1)
	e.ejected++
	c := Change{Replica: replica, Ejected: true, Until: s.until, Ejections: s.ejections, Time: t}
	e.mu.Unlock()
	e.listeners.Emit(c)
	return nil
}

// ReturnAt puts replica back in rotation at t, on probation: ejected
// again within Probation, its next ejection lasts longer. Returning a
// replica that is not ejected changes nothing.
func (e *Ejector) ReturnAt(t time.Time, replica string) error {
	s, ok := e.byName[replica]
	if !ok {
		return fmt.Errorf("%w %q", ErrUnknownReplica, replica)
	}
	e.mu.Lock()
	if !s.out.Load() {
		e.mu.Unlock()
		return nil
	}
	s.out.Store(false)
	e.gen.Add(1)
	s.returnedAt = t
	s.until = time.Time{}
	e.ejected--
	c := Change{Replica: replica, Ejections: s.ejections, Time: t}
	e.mu.Unlock()
	e.listeners.Emit(c)
	return nil
}

// Due reports whether replica is ejected and its ejection time is over at
// t: it is due to return.
func (e *Ejector) Due(t time.Time, replica string) bool {
	s, ok := e.byName[replica]
	if !ok {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return s.out.Load() && !t.Before(s.until)
}
