package availability

import (
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"
)

// One route echoing client-chosen codes gave 800 series of
// http.server.request.duration: codes outside the service's set are
// recorded by class, so the series stay bounded.
func TestStatusCodeAttributeBounded(t *testing.T) {
	echo := http.NewServeMux()
	echo.HandleFunc("GET /echo/{code}", func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(r.PathValue("code"))
		w.WriteHeader(code)
	})
	for _, tc := range []struct {
		name    string
		opts    []Option
		want    map[string]string // code sent -> attribute value recorded
		maxSets int
	}{
		{"registered codes", nil, map[string]string{
			"200": "200", "404": "404", "418": "418", "503": "503",
			"299": "2xx", "499": "4xx", "599": "5xx", "600": "other", "999": "other",
		}, 63 + 5 + 1},
		{"declared codes", []Option{WithStatusCodes(200, 404)}, map[string]string{
			"200": "200", "404": "404", "418": "4xx", "503": "5xx", "302": "3xx", "777": "other",
		}, 2 + 5 + 1},
		{"classes only", []Option{WithStatusCodes()}, map[string]string{
			"200": "2xx", "404": "4xx",
		}, 5 + 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, mp, _ := newTestMonitor(t, tc.opts...)
			h := m.Middleware(echo)
			for code := 100; code <= 999; code++ {
				if code == http.StatusSwitchingProtocols || code < 200 {
					continue // informational: not a final answer
				}
				serve(h, "GET", "/echo/"+strconv.Itoa(code))
			}
			d, _ := mp.Collect(t).Metric("http.server.request.duration")
			got := map[string]string{}
			errType := map[string]string{}
			for _, p := range d.Points {
				v, _ := p.Attrs.Value(attrStatus)
				got[v.Emit()] = v.Emit()
				if e, ok := p.Attrs.Value(attrErrorType); ok {
					errType[v.Emit()] = e.Emit()
				}
			}
			if len(d.Points) > tc.maxSets {
				t.Errorf("%d series for 800 codes, want at most %d", len(d.Points), tc.maxSets)
			}
			for _, want := range tc.want {
				if _, ok := got[want]; !ok {
					t.Errorf("no series with status %q (have %v)", want, got)
				}
			}
			if e, ok := errType["5xx"]; ok && e != "5xx" {
				t.Errorf("error.type of the 5xx class = %q", e)
			}
			if e, ok := errType["other"]; ok && e != "_OTHER" {
				t.Errorf("error.type of other = %q", e)
			}
			// The SLO verdict keeps the real code: 600-999 and 5xx are bad.
			if st := m.Endpoint(ServerEndpoint, "GET /echo/{code}").status(); st.Errors != 500 {
				t.Errorf("%d bad requests, want 500 (500-999)", st.Errors)
			}
			for code := range tc.want {
				n, _ := strconv.Atoi(code)
				if b := m.statuses.bound(n); (b < statusClassBase) != (tc.want[code] == code) {
					t.Errorf("bound(%d) = %d, want recorded as %q", n, b, tc.want[code])
				}
			}
		})
	}
}

func TestWithStatusCodesValidated(t *testing.T) {
	for _, code := range []int{0, 99, 600, 1000, -1} {
		_, err := New(WithStatusCodes(200, code))
		if !errors.Is(err, ErrInvalidConfig) || err == nil {
			t.Errorf("WithStatusCodes(200, %d): %v, want ErrInvalidConfig", code, err)
		}
	}
	for _, d := range []time.Duration{-1, MaxDrainDelay + 1} {
		if _, err := New(WithDrainDelay(d)); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("WithDrainDelay(%v): %v, want ErrInvalidConfig", d, err)
		}
	}
}
