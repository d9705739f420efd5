package availability

import (
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/nines-sre/nines/internal/cowmap"
	"github.com/nines-sre/nines/remediate/breaker"
	"github.com/nines-sre/nines/slo"
)

// endpointTable holds the endpoints of one kind in a copy-on-write map
// (lookups take no lock and do not allocate). New names are added under mu,
// which serialises building their endpoint (SLOs, breaker) so that a name
// is built once. At most max names get their own endpoint; later ones share
// RouteOther, which is created on demand beside them.
type endpointTable struct {
	kind  EndpointKind
	max   int
	byKey cowmap.Map[string, *Endpoint]
	mu    sync.Mutex
	named int // endpoints counted against max, under mu
}

func (t *endpointTable) init(kind EndpointKind, max int) {
	t.kind, t.max = kind, max
}

func (t *endpointTable) get(name string) *Endpoint {
	e, _ := t.byKey.Load(name)
	return e
}

func (t *endpointTable) create(m *Monitor, name string) *Endpoint {
	t.mu.Lock()
	defer t.mu.Unlock()
	if e, ok := t.byKey.Load(name); ok {
		return e
	}
	shared := name == RouteOther || name == RouteUnmatched
	if !shared && t.named >= t.max {
		if e, ok := t.byKey.Load(RouteOther); ok {
			return e
		}
		name = RouteOther
		shared = true
	}
	e, _ := t.byKey.LoadOrStore(name, m.newEndpoint(t.kind, name))
	if !shared {
		t.named++
	}
	return e
}

// each calls fn for every endpoint, in no particular order.
func (t *endpointTable) each(fn func(*Endpoint)) {
	t.byKey.Range(func(_ string, e *Endpoint) bool {
		fn(e)
		return true
	})
}

// all returns the endpoints sorted by name.
func (t *endpointTable) all() []*Endpoint {
	out := make([]*Endpoint, 0, t.byKey.Len())
	t.each(func(e *Endpoint) { out = append(out, e) })
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// newEndpoint builds an endpoint with its SLOs and, for a client, its
// breaker. It calls no user code.
func (m *Monitor) newEndpoint(kind EndpointKind, name string) *Endpoint {
	id := m.ids.unique(kind, name)
	series := kind.prefix() + ":" + id + ":"
	e := &Endpoint{m: m, kind: kind, name: name, id: id,
		seriesErr: series + "error_ratio", seriesP99: series + "p99", seriesRate: series + "rate"}
	e.durAttrs.e, e.durAttrs.pattern = e, name
	switch {
	case kind != ServerEndpoint:
	case name == RouteUnmatched:
		e.durAttrs.pattern = "" // the requests no pattern matched
	case name == RouteOther:
		e.durAttrs.route = RouteOther
	default:
		e.durAttrs.route = httpRoute(name)
	}
	for _, o := range m.cfg.objectivesFor(name).objectives(kind.prefix() + ":" + id) {
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
		b, err := breaker.New[struct{}]("client:"+id, m.cfg.breakers,
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
		e.probesErr = fmt.Errorf("availability: %s: %w", name, breaker.ErrTooManyCalls)
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
			if m.state != nil {
				m.state.adopt(s) // restore before the endpoint records
			}
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
