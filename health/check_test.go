package health

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestRegisterValidation(t *testing.T) {
	fn := scripted(StatusPass).run
	for _, tc := range []struct {
		name string
		c    Check
		want string // substring of the error; "" means accepted
	}{
		{"minimal", Check{Name: "db", Func: fn}, ""},
		{"all fields", Check{Name: "db.primary_1-a", Func: fn, Groups: Readiness | Startup, Interval: time.Second,
			Timeout: time.Second, InitialDelay: time.Minute, FailureThreshold: 3, SuccessThreshold: 2, MaxAge: 3 * time.Second}, ""},
		{"empty name", Check{Func: fn}, `Check.Name = "": required`},
		{"name with slash", Check{Name: "a/b", Func: fn}, `Check.Name = "a/b": byte '/' at 1`},
		{"name with colon", Check{Name: "a:b", Func: fn}, `byte ':' at 1`},
		{"name starting with dot", Check{Name: ".a", Func: fn}, `byte '.' at 0`},
		{"name too long", Check{Name: strings.Repeat("a", 64), Func: fn}, "longer than 63 bytes"},
		{"nil func", Check{Name: "db", Func: nil}, `check "db" Func = <nil>: required`},
		{"unknown group bit", Check{Name: "db", Func: fn, Groups: 8}, `check "db" Groups = 8: unknown group bits`},
		{"external in liveness", Check{Name: "db", Func: fn, Groups: Liveness, External: true}, "Groups = live: External check in Liveness"},
		{"external in liveness forced", Check{Name: "db", Func: fn, Groups: Liveness, External: true, AllowExternalInLiveness: true}, ""},
		{"external in readiness", Check{Name: "db", Func: fn, External: true}, ""},
		{"negative interval", Check{Name: "db", Func: fn, Interval: -time.Second}, `check "db" Interval = -1s: must be between 1ms and 24h`},
		{"tiny interval", Check{Name: "db", Func: fn, Interval: time.Microsecond}, "Interval = 1µs"},
		{"huge interval", Check{Name: "db", Func: fn, Interval: 25 * time.Hour}, "Interval = 25h0m0s"},
		{"timeout above interval", Check{Name: "db", Func: fn, Interval: time.Second, Timeout: 2 * time.Second}, "Timeout = 2s: must be between 1ms and the Interval (1s)"},
		{"negative timeout", Check{Name: "db", Func: fn, Timeout: -1}, "Timeout = -1ns"},
		{"negative initial delay", Check{Name: "db", Func: fn, InitialDelay: -time.Second}, "InitialDelay = -1s"},
		{"negative failure threshold", Check{Name: "db", Func: fn, FailureThreshold: -1}, "FailureThreshold = -1: must be between 1 and 1000"},
		{"huge success threshold", Check{Name: "db", Func: fn, SuccessThreshold: 1001}, "SuccessThreshold = 1001"},
		{"max age too short", Check{Name: "db", Func: fn, Interval: time.Second, Timeout: time.Second, MaxAge: 2 * time.Second}, "MaxAge = 2s: must exceed Interval+Timeout (2s)"},
		{"negative max age", Check{Name: "db", Func: fn, MaxAge: -1}, "MaxAge = -1ns"},
	} {
		r := newTestRegistry(t)
		err := r.Register(tc.c)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: Register = %v, want nil", tc.name, err)
		case tc.want != "" && (!errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: Register = %v, want ErrInvalidConfig containing %q", tc.name, err, tc.want)
		case tc.want == "" && len(r.Checks()) != 1:
			t.Errorf("%s: accepted but Checks() = %v", tc.name, r.Checks())
		}
	}
}

func TestRegisterDuplicate(t *testing.T) {
	r := newTestRegistry(t)
	fn := scripted(StatusPass).run
	mustRegister(t, r, Check{Name: "db", Func: fn})
	err := r.Register(Check{Name: "db", Func: fn, Groups: Liveness})
	if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), `Check.Name = "db": already registered`) {
		t.Fatalf("duplicate Register = %v", err)
	}
}

func TestDefaults(t *testing.T) {
	for _, tc := range []struct {
		in                Check
		interval, timeout time.Duration
		maxAge            time.Duration
	}{
		{Check{}, 10 * time.Second, 2 * time.Second, 22 * time.Second},
		{Check{Interval: time.Second}, time.Second, time.Second, 3 * time.Second},
		{Check{Interval: time.Minute, Timeout: 5 * time.Second}, time.Minute, 5 * time.Second, 125 * time.Second},
	} {
		tc.in.Name, tc.in.Func = "x", scripted(StatusPass).run
		got, err := tc.in.normalized()
		if err != nil {
			t.Fatal(err)
		}
		if got.Interval != tc.interval || got.Timeout != tc.timeout || got.MaxAge != tc.maxAge ||
			got.FailureThreshold != 1 || got.SuccessThreshold != 1 || got.Groups != Readiness {
			t.Errorf("normalized(%+v) = %+v", tc.in, got)
		}
	}
}

func TestGroupString(t *testing.T) {
	for g, want := range map[Group]string{
		Liveness: "live", Readiness: "ready", Startup: "startup", 0: "none",
		Liveness | Startup: "live|startup", allGroups: "live|ready|startup", 8: "invalid",
	} {
		if got := g.String(); got != want {
			t.Errorf("Group(%d).String() = %q, want %q", g, got, want)
		}
	}
}

func FuzzRegister(f *testing.F) {
	f.Add("db", uint8(2), int64(0), int64(0), int64(0), 0, 0, int64(0), false, false)
	f.Add("a/b", uint8(1), int64(-1), int64(5), int64(1e9), -1, 1001, int64(-5), true, false)
	f.Add("live", uint8(1), int64(1e6), int64(1e6), int64(0), 1, 1, int64(3e6), true, true)
	f.Fuzz(func(t *testing.T, name string, groups uint8, interval, timeout, delay int64, failures, successes int, maxAge int64, external, force bool) {
		r := NewRegistry(WithJitter(0))
		c := Check{Name: name, Func: scripted(StatusPass).run, Groups: Group(groups), Interval: time.Duration(interval),
			Timeout: time.Duration(timeout), InitialDelay: time.Duration(delay), FailureThreshold: failures,
			SuccessThreshold: successes, MaxAge: time.Duration(maxAge), External: external, AllowExternalInLiveness: force}
		err := r.Register(c)
		if err != nil {
			if !errors.Is(err, ErrInvalidConfig) || !strings.HasPrefix(err.Error(), "health: ") {
				t.Fatalf("Register error %v does not wrap ErrInvalidConfig", err)
			}
			if len(r.Checks()) != 0 {
				t.Fatalf("refused check was registered")
			}
			return
		}
		n, _ := c.normalized()
		if n.Interval < MinInterval || n.Timeout > n.Interval || n.MaxAge <= n.Interval+n.Timeout ||
			n.FailureThreshold < 1 || n.SuccessThreshold < 1 || n.Groups == 0 || n.Groups&^allGroups != 0 ||
			(n.External && n.Groups&Liveness != 0 && !n.AllowExternalInLiveness) {
			t.Fatalf("accepted an insane check: %+v", n)
		}
		if _, ok := r.CheckStatus(name); !ok {
			t.Fatalf("accepted check %q not found", name)
		}
	})
}
