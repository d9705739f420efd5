package detect

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"time"
)

// Peer-group defaults used for zero PeerConfig fields.
const (
	DefaultMaxMembers     = 256
	DefaultPeerThreshold  = 3.5
	DefaultPeerPersist    = 3
	DefaultPeerMinMembers = 3
)

// ErrTooManyMembers is returned by [PeerGroup.StepAt] when a step holds more
// members than PeerConfig.MaxMembers; the step is then ignored entirely.
var ErrTooManyMembers = errors.New("detect: too many peer-group members")

// ErrPeerStepOrder is returned by [PeerGroup.StepAt] for a step whose time
// is not after the previous step's; the step is ignored.
var ErrPeerStepOrder = errors.New("detect: peer-group step not after the previous one")

// PeerConfig configures a [PeerGroup]. The zero value is usable: every zero
// field takes its default.
type PeerConfig struct {
	// MaxMembers bounds the members of one step. Zero means
	// DefaultMaxMembers (256).
	MaxMembers int
	// Threshold is the robust z-score |value - median| / spread at or above
	// which a member deviates in a step. Zero means DefaultPeerThreshold
	// (3.5, Iglewicz and Hoaglin's cut-off for the modified z-score).
	Threshold float64
	// Persistence is how many consecutive steps a member must deviate
	// (on the same side) before it is reported, so that one noisy step does
	// not flag. Zero means DefaultPeerPersist (3); 1 reports at once.
	Persistence int
	// MinMembers is the fewest members with a finite value for a step to
	// reach a verdict; a smaller step resets every member. Zero means
	// DefaultPeerMinMembers (3); it must be at least 3.
	MinMembers int
	// MinDeviation is an absolute |value - median| below which a member
	// never deviates, whatever its z-score: it keeps a group whose members
	// agree almost exactly from flagging tiny differences. Zero means none.
	MinDeviation float64
}

// PeerValue is one member's value in a step.
type PeerValue struct {
	Member string
	Value  float64
}

// PeerOutlier is a member that has deviated from its group for at least
// Persistence consecutive steps.
type PeerOutlier struct {
	Member string
	// Value is the member's value in this step; Median and Spread are the
	// group's robust centre and spread (an estimate of the standard
	// deviation across members).
	Value, Median, Spread float64
	// Z is the signed robust z-score (Value - Median) / Spread; ±Inf when
	// the spread is 0.
	Z float64
	// Score maps |Z| to [0, 1): |Z| / (|Z| + Threshold), so 0.5 at the
	// threshold; 1 when Z is infinite.
	Score float64
	// Steps is how many consecutive steps the member has deviated.
	Steps int
}

// PeerGroup finds, step by step, the members of a homogeneous group
// (replicas, hosts, shards) whose value deviates from the others: it
// compares each member with the group's median, in units of the group's
// robust spread (MAD), and reports members that deviate on the same side
// for several consecutive steps.
//
// The zero value is not usable: build one with [NewPeerGroup]. A PeerGroup
// is safe for concurrent use (steps are serialised by one mutex; the group
// is one decision, not a hot path). Most callers want [PeerGroup.StepAt],
// once per interval with every member's aggregate for that interval.
//
// A member is remembered only from one step to the next: a member absent
// from a step (or whose value is NaN or ±Inf) starts again from zero. So
// state never exceeds MaxMembers entries, however members churn.
type PeerGroup struct {
	cfg PeerConfig

	mu   sync.Mutex
	last time.Time
	// step counts the steps judged; 0 before the first.
	step uint64
	// streaks holds the members deviating in the last step.
	streaks map[string]peerStreak
	values  []float64
	scratch []float64
}

// peerStreak counts a member's consecutive deviating steps, on one side,
// up to step.
type peerStreak struct {
	steps int
	side  int8
	step  uint64
}

// NewPeerGroup validates cfg and returns a PeerGroup.
func NewPeerGroup(cfg PeerConfig) (*PeerGroup, error) {
	if cfg.MaxMembers == 0 {
		cfg.MaxMembers = DefaultMaxMembers
	}
	if cfg.Threshold == 0 {
		cfg.Threshold = DefaultPeerThreshold
	}
	if cfg.Persistence == 0 {
		cfg.Persistence = DefaultPeerPersist
	}
	if cfg.MinMembers == 0 {
		cfg.MinMembers = DefaultPeerMinMembers
	}
	switch {
	case cfg.MaxMembers < 0:
		return nil, invalid("PeerConfig.MaxMembers", cfg.MaxMembers, "must be positive")
	case !(cfg.Threshold > 0) || math.IsInf(cfg.Threshold, 0):
		return nil, invalid("PeerConfig.Threshold", cfg.Threshold, "must be positive and finite")
	case cfg.Persistence < 0:
		return nil, invalid("PeerConfig.Persistence", cfg.Persistence, "must be positive")
	case cfg.MinMembers < 3:
		return nil, invalid("PeerConfig.MinMembers", cfg.MinMembers, "must be at least 3")
	case cfg.MinMembers > cfg.MaxMembers:
		return nil, invalid("PeerConfig.MinMembers", cfg.MinMembers, fmt.Sprintf("exceeds MaxMembers %d", cfg.MaxMembers))
	case !(cfg.MinDeviation >= 0) || math.IsInf(cfg.MinDeviation, 0):
		return nil, invalid("PeerConfig.MinDeviation", cfg.MinDeviation, "must be finite and not negative")
	}
	return &PeerGroup{
		cfg:     cfg,
		streaks: make(map[string]peerStreak),
		values:  make([]float64, 0, cfg.MaxMembers),
		scratch: make([]float64, cfg.MaxMembers),
	}, nil
}

// Step is StepAt with the current time.
func (g *PeerGroup) Step(values []PeerValue) ([]PeerOutlier, error) {
	return g.StepAt(time.Now(), values)
}

// StepAt judges one step: values holds each member's value at t, each
// member at most once. It returns the members that have deviated for
// Persistence consecutive steps (nil if none), in the order given. A step
// with more than MaxMembers entries returns [ErrTooManyMembers], a step not
// after the previous one [ErrPeerStepOrder], a repeated member an error;
// such a step changes nothing. Steps without outliers do not allocate.
func (g *PeerGroup) StepAt(t time.Time, values []PeerValue) ([]PeerOutlier, error) {
	if len(values) > g.cfg.MaxMembers {
		return nil, fmt.Errorf("%w: %d members in one step, the limit is %d", ErrTooManyMembers, len(values), g.cfg.MaxMembers)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.step > 0 && !t.After(g.last) {
		return nil, fmt.Errorf("%w: %s after %s", ErrPeerStepOrder, t.Format(time.RFC3339Nano), g.last.Format(time.RFC3339Nano))
	}
	if err := duplicateMember(values); err != nil {
		return nil, err
	}
	g.step++
	g.last = t
	cur := g.step

	g.values = g.values[:0]
	for _, v := range values {
		if peerFinite(v.Value) {
			g.values = append(g.values, v.Value)
		}
	}
	if len(g.values) < g.cfg.MinMembers {
		clear(g.streaks)
		return nil, nil
	}
	median, spread := peerCentre(g.values, g.scratch)

	var out []PeerOutlier
	for _, v := range values {
		if !peerFinite(v.Value) {
			continue
		}
		side := g.side(v.Value-median, spread)
		if side == 0 {
			delete(g.streaks, v.Member)
			continue
		}
		s := g.streaks[v.Member]
		if s.step != cur-1 || s.side != side {
			s.steps = 0
		}
		s = peerStreak{steps: s.steps + 1, side: side, step: cur}
		g.streaks[v.Member] = s
		if s.steps >= g.cfg.Persistence {
			out = append(out, g.outlier(v, median, spread, s.steps))
		}
	}
	// Members absent from this step start again from zero.
	for name, s := range g.streaks {
		if s.step != cur {
			delete(g.streaks, name)
		}
	}
	return out, nil
}

// side returns +1 or -1 when a deviation dev from the median is large
// enough, in units of spread and absolutely, and 0 otherwise.
func (g *PeerGroup) side(dev, spread float64) int8 {
	a := math.Abs(dev)
	// An infinite or NaN spread (deviations beyond the float64 range) judges
	// nobody.
	if !peerFinite(spread) || dev == 0 || math.IsNaN(dev) || a < g.cfg.MinDeviation || a < g.cfg.Threshold*spread {
		return 0
	}
	if dev < 0 {
		return -1
	}
	return 1
}

func (g *PeerGroup) outlier(v PeerValue, median, spread float64, steps int) PeerOutlier {
	o := PeerOutlier{Member: v.Member, Value: v.Value, Median: median, Spread: spread, Steps: steps, Score: 1}
	dev := v.Value - median
	if spread > 0 {
		o.Z = dev / spread
	} else {
		o.Z = math.Copysign(math.Inf(1), dev)
	}
	if a := math.Abs(o.Z); !math.IsInf(a, 1) {
		o.Score = a / (a + g.cfg.Threshold)
	}
	return o
}

func duplicateMember(values []PeerValue) error {
	// Groups are small (MaxMembers bounds them): a quadratic scan avoids a
	// per-step map.
	for i := range values {
		for j := i + 1; j < len(values); j++ {
			if values[i].Member == values[j].Member {
				return fmt.Errorf("detect: peer group: member %q given twice in one step", values[i].Member)
			}
		}
	}
	return nil
}

func peerFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
