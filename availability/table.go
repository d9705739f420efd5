package availability

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/nines-sre/nines/remediate/breaker"
	"github.com/nines-sre/nines/slo"
)

// endpointTable holds the endpoints of one kind. Lookups read an immutable
// map behind an atomic pointer (no lock, no allocation); a new name copies
// the map under mu. At most max names get their own endpoint; later ones
// share RouteOther, which is created on demand beside them.
type endpointTable struct {
	kind  EndpointKind
	max   int
	byKey atomic.Pointer[map[string]*Endpoint]
	mu    sync.Mutex
	named int // endpoints counted against max
}

func (t *endpointTable) init(kind EndpointKind, max int) {
	t.kind, t.max = kind, max
	empty := map[string]*Endpoint{}
	t.byKey.Store(&empty)
}

func (t *endpointTable) get(name string) *Endpoint {
	return (*t.byKey.Load())[name]
}

func (t *endpointTable) create(m *Monitor, name string) *Endpoint {
	t.mu.Lock()
	defer t.mu.Unlock()
	old := *t.byKey.Load()
	if e, ok := old[name]; ok {
		return e
	}
	shared := name == RouteOther || name == RouteUnmatched
	if !shared && t.named >= t.max {
		if e, ok := old[RouteOther]; ok {
			return e
		}
		name = RouteOther
		shared = true
	}
	e := m.newEndpoint(t.kind, name)
	next := make(map[string]*Endpoint, len(old)+1)
	for k, v := range old {
		next[k] = v
	}
	next[name] = e
	if !shared {
		t.named++
	}
	t.byKey.Store(&next)
	return e
}

// all returns the endpoints sorted by name.
func (t *endpointTable) all() []*Endpoint {
	cur := *t.byKey.Load()
	out := make([]*Endpoint, 0, len(cur))
	for _, e := range cur {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// newEndpoint builds an endpoint with its SLOs and, for a client, its
// breaker. It calls no user code.
func (m *Monitor) newEndpoint(kind EndpointKind, name string) *Endpoint {
	series := kind.prefix() + ":" + name + ":"
	e := &Endpoint{m: m, kind: kind, name: name,
		seriesErr: series + "error_ratio", seriesP99: series + "p99", seriesRate: series + "rate"}
	if kind == ServerEndpoint && name != RouteUnmatched && name != RouteOther {
		e.durAttrs.route = httpRoute(name)
	} else if kind == ServerEndpoint && name == RouteOther {
		e.durAttrs.route = RouteOther
	}
	base := sloBase(kind, name)
	for _, o := range m.cfg.objectives.objectives(base) {
		s := m.addSLO(o)
		if s == nil {
			continue
		}
		if o.Latency > 0 {
			e.lat = s
		} else {
			e.avail = s
		}
	}
	if kind == ClientEndpoint {
		b, err := breaker.New[struct{}]("client:"+name, m.cfg.breakers,
			breaker.WithMeterProvider(m.cfg.meterProvider),
			breaker.WithStateListener(func(c breaker.StateChange) { m.timeline.emit(breakerEvent(c)) }))
		if err != nil {
			// The settings were validated in New and the name is not
			// empty, so this cannot happen; fail closed to no breaker
			// rather than panic.
			return e
		}
		e.breaker = b
		e.openErr = fmt.Errorf("availability: %s: %w", name, breaker.ErrOpen)
	}
	return e
}

// addSLO adds o to the set, renaming it "<name>-N" if sanitising made its
// name collide with another endpoint's. It returns nil if that fails, which
// only a shut down set does.
func (m *Monitor) addSLO(o slo.Objective) *slo.SLO {
	base := o.Name
	for i := 2; i < 10000; i++ {
		s, err := slo.New(o, slo.WithClock(m.cfg.clock))
		if err != nil {
			return nil
		}
		err = m.slos.Add(s)
		if err == nil {
			return s
		}
		if !errors.Is(err, slo.ErrDuplicate) {
			return nil
		}
		o.Name = suffixed(base, i)
	}
	return nil
}

// suffixed inserts "-i" before the kind suffix (":availability",
// ":latency") so the suffix stays last.
func suffixed(name string, i int) string {
	for j := len(name) - 1; j >= 0; j-- {
		if name[j] == ':' {
			return fmt.Sprintf("%s-%d%s", name[:j], i, name[j:])
		}
	}
	return fmt.Sprintf("%s-%d", name, i)
}
