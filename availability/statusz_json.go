package availability

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/nines-sre/nines/slo"
)

// significantDigits is the precision of every fraction, ratio, rate and
// duration in Statusz: enough to tell 99.9% from 99.95% and to compare
// with Prometheus to a relative 1e-5, without the float noise of
// 15.624999999999986.
const significantDigits = 6

// round rounds v to significantDigits significant digits; NaN and the
// infinities (no data) become 0, which JSON can carry.
func round(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', significantDigits, 64), 64)
	return r
}

// WindowBurnRate is one alert window's burn rate. It is a plain value.
type WindowBurnRate struct {
	// Window is the window's length; its label ("5m", "1d") is the JSON
	// key.
	Window   time.Duration
	BurnRate float64
}

// BurnRates are an objective's burn rates, one per alert window (the
// slo.Windows), ordered by window length. In JSON they are one object
// whose keys are the window labels in that order:
// {"5m": 1.2, "30m": 0.8, "1h": 0.5, ...}. A nil BurnRates encodes as {}.
type BurnRates []WindowBurnRate

// Of returns the burn rate of window d, 0 if there is no such window.
func (b BurnRates) Of(d time.Duration) float64 {
	for _, w := range b {
		if w.Window == d {
			return w.BurnRate
		}
	}
	return 0
}

// MarshalJSON encodes the windows as one object, keys in window order.
func (b BurnRates) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, w := range b {
		if i > 0 {
			buf.WriteByte(',')
		}
		fmt.Fprintf(&buf, "%q:%s", slo.WindowLabel(w.Window), strconv.FormatFloat(w.BurnRate, 'g', -1, 64))
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// UnmarshalJSON decodes the object MarshalJSON writes, keeping its order.
func (b *BurnRates) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return fmt.Errorf("availability: burn_rates: want an object, got %s", data)
	}
	out := BurnRates{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("availability: burn_rates: %w", err)
		}
		label, _ := tok.(string)
		d, err := time.ParseDuration(label)
		if err != nil {
			// "1d", "3d": slo.WindowLabel writes whole days so.
			n, perr := strconv.Atoi(label[:max(0, len(label)-1)])
			if len(label) < 2 || label[len(label)-1] != 'd' || perr != nil {
				return fmt.Errorf("availability: burn_rates: window %q is not a duration", label)
			}
			d = time.Duration(n) * 24 * time.Hour
		}
		var v float64
		if err := dec.Decode(&v); err != nil {
			return fmt.Errorf("availability: burn_rates: window %q: %w", label, err)
		}
		out = append(out, WindowBurnRate{Window: d, BurnRate: v})
	}
	*b = out
	return nil
}
