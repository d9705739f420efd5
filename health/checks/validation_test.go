package checks

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestConstructorValidation(t *testing.T) {
	var typedNilDialer *countingDialer
	tests := []struct {
		name    string
		build   func() error
		wantErr string // substring; "" means valid
	}{
		{"TCP ok", func() error { _, err := TCP("127.0.0.1:5432"); return err }, ""},
		{"TCP no port", func() error { _, err := TCP("db"); return err }, `TCP addr = "db": address db: missing port in address`},
		{"TCP empty host", func() error { _, err := TCP(":80"); return err }, `TCP addr = ":80": want host:port with both parts`},
		{"TCP typed nil dialer keeps default", func() error { _, err := TCP("h:1", WithDialer(typedNilDialer)); return err }, ""},
		{"HTTPGet ok", func() error { _, err := HTTPGet(nil, "https://example.test/healthz"); return err }, ""},
		{"HTTPGet relative", func() error { _, err := HTTPGet(nil, "/healthz"); return err }, `HTTPGet url = "/healthz": want an absolute http or https URL`},
		{"HTTPGet scheme", func() error { _, err := HTTPGet(nil, "ftp://h/x"); return err }, `HTTPGet url = "ftp://h/x"`},
		{"HTTPGet bad url", func() error { _, err := HTTPGet(nil, "http://[::1"); return err }, `HTTPGet url`},
		{"HTTPGet range reversed", func() error { _, err := HTTPGet(nil, "http://h/", WithStatusRange(400, 200)); return err }, "HTTPGet WithStatusRange(400, 200): want 100 <= lo <= hi <= 599"},
		{"HTTPGet range too wide", func() error { _, err := HTTPGet(nil, "http://h/", WithStatusRange(0, 700)); return err }, "HTTPGet WithStatusRange(0, 700)"},
		{"DNS ok", func() error { _, err := DNS("db.internal"); return err }, ""},
		{"DNS empty", func() error { _, err := DNS(""); return err }, `DNS host = "": want a host name`},
		{"DNS with port", func() error { _, err := DNS("db:5432"); return err }, `DNS host = "db:5432"`},
		{"DNS too long", func() error { _, err := DNS(strings.Repeat("a", 254)); return err }, "DNS host"},
		{"Ping nil", func() error { _, err := Ping(nil); return err }, "Ping p = <nil>: required"},
		{"DiskFree empty path", func() error { _, err := DiskFree("", 0, 0); return err }, `DiskFree path = "": required`},
		{"DiskFree fail above warn", func() error { _, err := DiskFree("/", 10, 20); return err }, "DiskFree failBelow = 20: exceeds warnBelow (10)"},
		{"DiskFree fail only", func() error { _, err := DiskFree("/", 0, 20); return err }, ""},
		{"Goroutines zero", func() error { _, err := Goroutines(0, 10); return err }, "Goroutines warnAbove = 0, failAbove = 10"},
		{"Goroutines reversed", func() error { _, err := Goroutines(10, 5); return err }, "warnAbove = 10, failAbove = 5"},
		{"TLSExpiry ok", func() error { _, err := TLSExpiry("h:443", nil, 48*time.Hour, 0); return err }, ""},
		{"TLSExpiry negative", func() error { _, err := TLSExpiry("h:443", nil, time.Hour, -time.Second); return err }, "TLSExpiry warnBefore = 1h0m0s, failBefore = -1s"},
		{"TLSExpiry reversed", func() error { _, err := TLSExpiry("h:443", nil, time.Hour, 2*time.Hour); return err }, "warnBefore = 1h0m0s, failBefore = 2h0m0s"},
		{"TLSExpiry addr", func() error { _, err := TLSExpiry("h", nil, time.Hour, 0); return err }, `TLSExpiry addr = "h"`},
		{"NewHeartbeat zero", func() error { _, err := NewHeartbeat(0); return err }, "NewHeartbeat maxAge = 0s: want > 0"},
		{"nil option ignored", func() error { _, err := NewHeartbeat(time.Second, nil); return err }, ""},
		{"nil dialer option ignored", func() error { _, err := TLSExpiry("h:1", nil, 0, 0, nil, WithDialer(nil)); return err }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.build()
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("err = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("err = nil, want %q", tt.wantErr)
			}
			if !errors.Is(err, ErrInvalidConfig) || !strings.HasPrefix(err.Error(), "checks: invalid config: ") || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %q, want ErrInvalidConfig naming %q", err, tt.wantErr)
			}
		})
	}
}

// TestOptionsCompileOnlyWhereRead: each option implements the option
// types of exactly the constructors that read it, so a misplaced option is
// a compile error (checked here on the method sets, since a test cannot
// hold code that does not compile).
func TestOptionsCompileOnlyWhereRead(t *testing.T) {
	constructors := map[string]reflect.Type{
		"TCP":          reflect.TypeFor[TCPOption](),
		"TLSExpiry":    reflect.TypeFor[TLSExpiryOption](),
		"DNS":          reflect.TypeFor[DNSOption](),
		"HTTPGet":      reflect.TypeFor[HTTPGetOption](),
		"NewHeartbeat": reflect.TypeFor[HeartbeatOption](),
	}
	for _, tc := range []struct {
		name   string
		option any
		want   []string
	}{
		{"WithDialer", WithDialer(nil), []string{"TCP", "TLSExpiry"}},
		{"WithResolver", WithResolver(nil), []string{"DNS"}},
		{"WithClock", WithClock(nil), []string{"NewHeartbeat", "TLSExpiry"}},
		{"WithStatusRange", WithStatusRange(200, 299), []string{"HTTPGet"}},
	} {
		var got []string
		for name, it := range constructors {
			if reflect.TypeOf(tc.option).Implements(it) {
				got = append(got, name)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s is accepted by %v, want %v", tc.name, got, tc.want)
		}
	}
}

// FuzzConstructors feeds arbitrary arguments to every validating
// constructor: none may panic, each either returns a usable check or an
// ErrInvalidConfig prefixed "checks: ", never both or neither.
func FuzzConstructors(f *testing.F) {
	f.Add("127.0.0.1:80", "http://h/x", "db.internal", "/", 200, 399, uint64(10), uint64(5), int64(time.Hour), int64(time.Minute))
	f.Add("", "", "", "", 0, 0, uint64(0), uint64(1), int64(-1), int64(0))
	f.Add("[::1]:1", "https://[::1]:443/", "a b", "x", 600, 100, uint64(1)<<63, uint64(0), int64(0), int64(1))
	f.Fuzz(func(t *testing.T, addr, rawURL, host, path string, lo, hi int, warnB, failB uint64, warnD, failD int64) {
		check := func(name string, ok bool, err error) {
			if err == nil && !ok {
				t.Fatalf("%s: nil check with nil error", name)
			}
			if err != nil && (ok || !errors.Is(err, ErrInvalidConfig) || !strings.HasPrefix(err.Error(), "checks: invalid config: ")) {
				t.Fatalf("%s: check %v with err %q", name, ok, err)
			}
		}
		c1, err := TCP(addr)
		check("TCP", c1 != nil, err)
		c2, err := HTTPGet(nil, rawURL, WithStatusRange(lo, hi))
		check("HTTPGet", c2 != nil, err)
		c3, err := DNS(host)
		check("DNS", c3 != nil, err)
		c4, err := DiskFree(path, warnB, failB)
		check("DiskFree", c4 != nil, err)
		c5, err := Goroutines(lo, hi)
		check("Goroutines", c5 != nil, err)
		c6, err := TLSExpiry(addr, nil, time.Duration(warnD), time.Duration(failD))
		check("TLSExpiry", c6 != nil, err)
		c7, err := NewHeartbeat(time.Duration(warnD))
		check("NewHeartbeat", c7 != nil, err)
		if c5 != nil {
			// The thresholds were accepted, so the check must run cleanly.
			if res := c5(t.Context()); res.Status == 0 {
				t.Fatalf("Goroutines(%d, %d) returned unknown", lo, hi)
			}
		}
	})
}
