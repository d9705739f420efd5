package availability

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestRound(t *testing.T) {
	for _, c := range []struct{ in, want float64 }{
		{15.624999999999986, 15.625},
		{99.99999999999991, 100},
		{0.9907407407407407, 0.990741},
		{0.999, 0.999},
		{1234567.8, 1234570},
		{-0.000123456789, -0.000123457},
		{0, 0},
	} {
		if got := round(c.in); got != c.want {
			t.Errorf("round(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

// A Monitor with nothing measured yet encodes every list as [], never null.
func TestStatuszNoNulls(t *testing.T) {
	m, _, _ := newTestMonitor(t)
	b, err := json.Marshal(m.Statusz())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "null") {
		t.Errorf("/statusz of an idle Monitor has a null: %s", b)
	}
}

// The burn rates encode in window order, not text order, and decode back.
func TestBurnRatesJSONOrder(t *testing.T) {
	m, _ := scenario(t)
	b, err := json.Marshal(m.Statusz().SLOs[0].BurnRates)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"5m":100,"30m":100,"1h":100,"2h":100,"6h":100,"1d":100,"3d":100}`
	if string(b) != want {
		t.Fatalf("burn_rates %s, want %s", b, want)
	}
	var back BurnRates
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if len(back) != 7 || back[2].Window != time.Hour || back[6].Window != 72*time.Hour || back.Of(time.Hour) != 100 {
		t.Errorf("decoded %v", back)
	}
}

func TestBurnRatesJSONErrors(t *testing.T) {
	for _, in := range []string{`[]`, `{"soon":1}`, `{"d":1}`, `{"5m":"x"}`} {
		var b BurnRates
		err := json.Unmarshal([]byte(in), &b)
		if err == nil || !strings.Contains(err.Error(), "burn_rates") {
			t.Errorf("Unmarshal(%s): %v, want an error naming burn_rates", in, err)
		}
	}
}
