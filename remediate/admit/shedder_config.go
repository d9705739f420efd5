package admit

import (
	"fmt"
	"math"
)

// The defaults of ShedderConfig's zero fields, as its field docs state them.
const (
	defaultMaxKeys         = 10000
	defaultCriticalReserve = 0.1
	defaultNormalReserve   = 0.1
	maxShedderKeys         = 1 << 24
	maxShedderBurst        = 1 << 30
)

// ShedderConfig describes a Shedder. It is a plain struct; every zero
// field has a documented meaning, and ShedderConfig{} admits everything
// (no global or per-key limit) except what SetLevel sheds. NewShedder
// validates it; Validate reports the same errors without building
// anything.
type ShedderConfig struct {
	// Rate is the global limit in requests per second. Zero means no
	// global limit; it must not be negative, NaN or infinite.
	Rate float64

	// Burst is the global token bucket's size. Zero means the smallest
	// bucket that holds a second of Rate and still lets sheddable traffic
	// through when full (see CriticalReserve); a non-zero Burst may be
	// smaller than a second of Rate but must still let sheddable traffic
	// through when full.
	Burst int

	// PerKeyRate is the limit for each key in requests per second. Zero
	// means no per-key limit. Same constraints as Rate.
	PerKeyRate float64

	// PerKeyBurst is each key's bucket size; zero means as for Burst.
	PerKeyBurst int

	// MaxKeys bounds the number of keys tracked; the least recently used
	// key is evicted (and counted) to make room. Zero means 10000;
	// at most 1<<24.
	MaxKeys int

	// CriticalReserve is the share of each bucket that only critical
	// traffic may spend: normal traffic is refused with ErrRateLimited
	// (reason rate; 429 Too Many Requests from availability's middleware)
	// once fewer than CriticalReserve*Burst tokens would remain. The
	// reserves never give ErrShed (reason priority, 503): only SetLevel
	// does. Zero means 0.1; a negative value means no reserve.
	CriticalReserve float64

	// NormalReserve is the further share that sheddable traffic may not
	// spend: sheddable traffic is refused with ErrRateLimited (reason rate,
	// 429) once fewer than (CriticalReserve+NormalReserve)*Burst tokens
	// would remain. Zero means 0.1; a negative value means no reserve. The
	// two reserves must sum to less than 1.
	NormalReserve float64
}

type shedderConfig struct {
	rate, perKeyRate     float64
	burst, perKeyBurst   int
	maxKeys              int
	criticalRes, normRes float64
}

func checkRate(field string, r float64) error {
	if math.IsNaN(r) || math.IsInf(r, 0) || r < 0 {
		return invalid(field, r, "must be a finite number >= 0")
	}
	return nil
}

// sheddableFits reports whether sheddable traffic can take a token from a
// full bucket of burst tokens: the test AllowAt makes, in the same
// floating-point arithmetic, so that validation and admission agree.
func sheddableFits(burst int, reserve float64) bool {
	b := float64(burst)
	return b-1 >= reserve*b
}

// minBurst is the smallest bucket, at least rate, that lets sheddable
// traffic take a token when the bucket is full.
func minBurst(rate, reserve float64) int {
	b := math.Max(math.Ceil(rate), math.Ceil(1/(1-reserve)-1e-9))
	if b >= maxShedderBurst {
		return maxShedderBurst
	}
	n := max(1, int(b))
	for n < maxShedderBurst && !sheddableFits(n, reserve) {
		n++ // the closed form is off by one at most, by rounding
	}
	return n
}

func checkBurst(field string, burst int, rate, reserve float64) (int, error) {
	switch {
	case burst == 0:
		return minBurst(rate, reserve), nil
	case burst < 0 || burst > maxShedderBurst:
		return 0, invalid(field, burst, "must be in [0, 1<<30]")
	case !sheddableFits(burst, reserve):
		return 0, invalid(field, burst, fmt.Sprintf("must be at least %d so that sheddable traffic fits above the reserves", minBurst(0, reserve)))
	}
	return burst, nil
}

func reserveOrDefault(field string, v, def float64) (float64, error) {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0) || v >= 1:
		return 0, invalid(field, v, "must be below 1")
	case v == 0:
		return def, nil
	case v < 0:
		return 0, nil
	}
	return v, nil
}

// Validate reports whether s is a valid configuration, with an error
// wrapping ErrInvalidConfig that names the first invalid field and its
// value.
func (s ShedderConfig) Validate() error {
	_, err := s.resolve()
	return err
}

func (s ShedderConfig) resolve() (shedderConfig, error) {
	var c shedderConfig
	var err error
	if err = checkRate("Rate", s.Rate); err != nil {
		return c, err
	}
	if err = checkRate("PerKeyRate", s.PerKeyRate); err != nil {
		return c, err
	}
	if c.criticalRes, err = reserveOrDefault("CriticalReserve", s.CriticalReserve, defaultCriticalReserve); err != nil {
		return c, err
	}
	if c.normRes, err = reserveOrDefault("NormalReserve", s.NormalReserve, defaultNormalReserve); err != nil {
		return c, err
	}
	reserve := c.criticalRes + c.normRes
	if reserve >= 1 {
		return c, invalid("NormalReserve", s.NormalReserve, fmt.Sprintf("CriticalReserve+NormalReserve = %v must be below 1", reserve))
	}
	c.rate, c.perKeyRate = s.Rate, s.PerKeyRate
	if c.burst, err = checkBurst("Burst", s.Burst, s.Rate, reserve); err != nil {
		return c, err
	}
	if c.perKeyBurst, err = checkBurst("PerKeyBurst", s.PerKeyBurst, s.PerKeyRate, reserve); err != nil {
		return c, err
	}
	switch {
	case s.MaxKeys < 0 || s.MaxKeys > maxShedderKeys:
		return c, invalid("MaxKeys", s.MaxKeys, "must be in [0, 1<<24]")
	case s.MaxKeys == 0:
		c.maxKeys = defaultMaxKeys
	default:
		c.maxKeys = s.MaxKeys
	}
	return c, nil
}
