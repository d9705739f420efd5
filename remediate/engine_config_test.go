package remediate

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/nines-sre/nines/internal/config"
)

type panickyName struct{ recordingAction }

func (*panickyName) Name() string { panic("no name") }

func TestNewEngineRejectsInvalidConfig(t *testing.T) {
	ok := Policy{Name: "p", Action: &recordingAction{}}
	with := func(f func(*Policy)) Config {
		p := ok
		f(&p)
		return Config{Policies: []Policy{p}}
	}
	tests := []struct {
		name string
		cfg  Config
		want string // a substring naming the field
	}{
		{"negative approval timeout", Config{ApprovalTimeout: -1}, "ApprovalTimeout = -1ns"},
		{"negative action timeout", Config{ActionTimeout: -time.Second}, "ActionTimeout = -1s"},
		{"negative quiet", Config{Quiet: -time.Minute}, "Quiet = -1m0s"},
		{"negative capacity", Config{AuditCapacity: -1}, "AuditCapacity = -1"},
		{"huge capacity", Config{AuditCapacity: maxAuditCapacity + 1}, "AuditCapacity = 1048577"},
		{"negative budget", Config{Budget: Budget{Actions: -1}}, "Budget.Actions = -1"},
		{"budget without period", Config{Budget: Budget{Actions: 1}}, "Budget.Per = 0"},
		{"negative budget period", Config{Budget: Budget{Per: -time.Second}}, "Budget.Per = -1s"},
		{"empty name", with(func(p *Policy) { p.Name = "" }), `Policies[0].Name = ""`},
		{"bad name", with(func(p *Policy) { p.Name = "a b" }), `Policies[0].Name = "a b"`},
		{"long name", with(func(p *Policy) { p.Name = strings.Repeat("a", 129) }), "Policies[0].Name"},
		{"nil action", with(func(p *Policy) { p.Action = nil }), "Policies[0].Action = <nil>: is required"},
		{"bad action name", with(func(p *Policy) { p.Action = Func("a/b", nil) }), `Policies[0].Action.Name() = "a/b"`},
		{"panicking action name", with(func(p *Policy) { p.Action = &panickyName{} }), `Policies[0].Action.Name() = ""`},
		{"negative cooldown", with(func(p *Policy) { p.Cooldown = -1 }), "Policies[0].Cooldown = -1ns"},
		{"negative timeout", with(func(p *Policy) { p.Timeout = -1 }), "Policies[0].Timeout = -1ns"},
		{"negative max duration", with(func(p *Policy) { p.MaxDuration = -time.Hour }), "Policies[0].MaxDuration = -1h0m0s"},
		{"duplicate pool", with(func(p *Policy) { p.Pool = []string{"a", "b", "a"} }), `Policies[0].Pool[2] = "a"`},
		{"bad kind", with(func(p *Policy) { p.When.Kinds = []SignalKind{9} }), "Policies[0].When.Kinds[0] = 9: is not a SignalKind"},
		{"percent NaN", with(func(p *Policy) { p.BlastRadius.MaxPercent = math.NaN() }), "BlastRadius.MaxPercent = NaN"},
		{"percent > 100", with(func(p *Policy) { p.BlastRadius.MaxPercent = 101 }), "BlastRadius.MaxPercent = 101"},
		{"percent < 0", with(func(p *Policy) { p.BlastRadius.MaxPercent = -1 }), "BlastRadius.MaxPercent = -1"},
		{"blast without window", with(func(p *Policy) { p.Pool = []string{"a"}; p.BlastRadius.MaxPercent = 50 }), "BlastRadius.Window = 0"},
		{"blast without pool", with(func(p *Policy) { p.BlastRadius = BlastRadius{MaxPercent: 50, Window: time.Minute} }), "needs a non-empty Pool"},
		{"negative min targets", with(func(p *Policy) { p.BlastRadius.MinTargets = -1 }), "BlastRadius.MinTargets = -1"},
		{"negative window", with(func(p *Policy) { p.BlastRadius.Window = -1 }), "BlastRadius.Window = -1ns"},
		{"critical without approver", with(func(p *Policy) { p.Critical = true }), `Approver = <nil>: Policies[0] ("p") is Critical and needs an Approver`},
		{"duplicate policy", Config{Policies: []Policy{ok, ok}}, `Policies[1].Name = "p": duplicates Policies[0]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := NewEngine(tt.cfg, quietAudit())
			if e != nil || !errors.Is(err, ErrInvalidConfig) || !errors.Is(err, config.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewEngine = %v, %v; want ErrInvalidConfig naming %q", e, err, tt.want)
			}
			if verr := tt.cfg.Validate(); verr == nil || verr.Error() != err.Error() {
				t.Errorf("Validate = %v, want NewEngine's error %v", verr, err)
			}
		})
	}
	if _, err := NewEngine(Config{}, nil); err != nil {
		t.Errorf("the zero Config (and a nil option) must be valid: %v", err)
	}
}

// FuzzNewEngine: any settings are either an ErrInvalidConfig error or
// a working engine; never a panic.
func FuzzNewEngine(f *testing.F) {
	f.Add("p", "act", 50.0, int64(time.Minute), 1, int64(time.Minute), int64(0), 3, int64(time.Minute), int64(0), int64(0), 0, uint8(0), "a,b,c", true, false)
	f.Add("", "", math.NaN(), int64(-1), -1, int64(-1), int64(-1), -1, int64(-1), int64(-1), int64(-1), -1, uint8(9), "a,a", false, true)
	f.Add("x.y:z-1", "drain", 100.0, int64(1), 0, int64(1), int64(1), 0, int64(0), int64(1), int64(1), maxAuditCapacity, uint8(3), "", false, false)
	f.Fuzz(func(t *testing.T, name, action string, percent float64, window int64, minTargets int, cooldown, timeout int64,
		budget int, per, approvalTimeout, actionTimeout int64, capacity int, kind uint8, pool string, critical, dry bool) {
		p := Policy{
			Name: name, Action: Func(action, func(context.Context, string, Signal) error { return nil }),
			When:        Match{Kinds: []SignalKind{SignalKind(kind)}},
			Cooldown:    time.Duration(cooldown),
			Timeout:     time.Duration(timeout),
			Critical:    critical,
			DryRun:      dry,
			BlastRadius: BlastRadius{MaxPercent: percent, Window: time.Duration(window), MinTargets: minTargets},
		}
		if pool != "" {
			p.Pool = strings.Split(pool, ",")
		}
		cfg := Config{
			Policies:        []Policy{p},
			Budget:          Budget{Actions: budget, Per: time.Duration(per)},
			ApprovalTimeout: time.Duration(approvalTimeout),
			ActionTimeout:   time.Duration(actionTimeout),
			AuditCapacity:   capacity,
			QueueSize:       capacity >> 4,
		}
		if critical && kind%2 == 0 {
			cfg.Approver = ApproverFunc(func(context.Context, Request) (Approval, error) { return Approval{Approved: true}, nil })
		}
		e, err := NewEngine(cfg, quietAudit())
		if err != nil {
			if e != nil || !errors.Is(err, ErrInvalidConfig) || !strings.HasPrefix(err.Error(), "remediate: ") {
				t.Fatalf("NewEngine = %v, %v", e, err)
			}
			return
		}
		target := "a"
		if len(p.Pool) > 0 {
			target = p.Pool[0]
		}
		for i := range 3 {
			e.HandleAt(context.Background(), engT0.Add(time.Duration(i)*time.Second), Signal{Kind: SignalKind(kind), Source: target})
		}
		if err := Verify(e.Records()); err != nil {
			t.Fatalf("Verify: %v", err)
		}
	})
}
