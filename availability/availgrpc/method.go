package availgrpc

import (
	"sync"
	"sync/atomic"

	"github.com/nines-sre/nines/availability"
)

// OtherMethod is the endpoint name shared by every method past
// WithMaxMethods and every malformed method name; it is the Monitor's own
// overflow name, availability.RouteOther.
const OtherMethod = availability.RouteOther

// maxMethodLen bounds a method name kept as an endpoint name; a longer one is
// not something a generated stub produces.
const maxMethodLen = 200

// validMethod reports whether fullMethod is a well-formed gRPC method name
// ("/pkg.Service/Method"), the only kind kept as an endpoint name: a leading
// slash, a non-empty service and method separated by exactly one more
// slash, printable ASCII without spaces, at most maxMethodLen bytes.
func validMethod(fullMethod string) bool {
	if len(fullMethod) < 4 || len(fullMethod) > maxMethodLen || fullMethod[0] != '/' {
		return false
	}
	slash := 0
	for i := 1; i < len(fullMethod); i++ {
		c := fullMethod[i]
		switch {
		case c == '/':
			if slash > 0 {
				return false
			}
			slash = i
		case c <= ' ' || c >= 0x7f:
			return false
		}
	}
	return slash > 1 && slash < len(fullMethod)-1
}

// methodTable maps full method names to per-method values, bounded: at most
// max distinct well-formed methods get a value of their own; every other
// method (malformed, or seen after the table filled) gets other(fullMethod),
// which must not retain the name. Lookups of known
// methods are a lock-free map read with no allocation; the mutex is taken
// only to add one of the first max methods, so at most max times in the
// table's life. The zero value is not usable; see newMethodTable.
type methodTable[V any] struct {
	known atomic.Pointer[map[string]V] // copy-on-write; never mutated once stored
	mu    sync.Mutex                   // serialises additions
	max   int
	other func(fullMethod string) V
	value func(fullMethod string) V // builds a method's value; called outside mu
}

func newMethodTable[V any](max int, other, value func(fullMethod string) V) *methodTable[V] {
	t := &methodTable[V]{max: max, other: other, value: value}
	empty := map[string]V{}
	t.known.Store(&empty)
	return t
}

// get returns the value of fullMethod, adding it if there is room.
func (t *methodTable[V]) get(fullMethod string) V {
	known := *t.known.Load()
	if v, ok := known[fullMethod]; ok {
		return v
	}
	if len(known) >= t.max || !validMethod(fullMethod) {
		return t.other(fullMethod)
	}
	// value runs before the lock: it may call user code (a filter), and a
	// lost race only wastes one call.
	v := t.value(fullMethod)
	return t.add(fullMethod, v)
}

func (t *methodTable[V]) add(fullMethod string, v V) V {
	t.mu.Lock()
	defer t.mu.Unlock()
	known := *t.known.Load()
	if old, ok := known[fullMethod]; ok {
		return old
	}
	if len(known) >= t.max {
		return t.other(fullMethod)
	}
	next := make(map[string]V, len(known)+1)
	for k, old := range known {
		next[k] = old
	}
	next[fullMethod] = v
	t.known.Store(&next)
	return v
}

// len returns how many methods have a value of their own.
func (t *methodTable[V]) len() int { return len(*t.known.Load()) }
