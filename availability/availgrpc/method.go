package availgrpc

import (
	"sync"
	"sync/atomic"
)

// OtherMethod is the endpoint name every RPC shares once the method table is
// full, and every RPC whose method name is malformed.
const OtherMethod = "other"

// maxMethodLen bounds a method name kept as an endpoint name; a longer one is
// not something a generated stub produces.
const maxMethodLen = 200

// endpointName returns the endpoint name of a full gRPC method
// ("/pkg.Service/Method" -> "pkg.Service/Method") and whether the method is
// well formed: a leading slash, a non-empty service and method separated by
// exactly one more slash, printable ASCII without spaces, at most
// maxMethodLen bytes. It never allocates: the name is a substring.
func endpointName(fullMethod string) (string, bool) {
	if len(fullMethod) < 4 || len(fullMethod) > maxMethodLen+1 || fullMethod[0] != '/' {
		return "", false
	}
	name := fullMethod[1:]
	slash := -1
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '/':
			if slash >= 0 {
				return "", false
			}
			slash = i
		case c <= ' ' || c >= 0x7f:
			return "", false
		}
	}
	if slash <= 0 || slash == len(name)-1 {
		return "", false
	}
	return name, true
}

// methodTable maps full method names to per-method values, bounded: at most
// max distinct well-formed methods get their own value; every other method
// (malformed, or seen after the table filled) shares other. Lookups of known
// methods are a lock-free map read with no allocation; the mutex is taken
// only to add one of the first max methods, so at most max times in the
// table's life. The zero value is not usable; see newMethodTable.
type methodTable[V any] struct {
	known atomic.Pointer[map[string]V] // copy-on-write; never mutated once stored
	mu    sync.Mutex                   // serialises additions
	max   int
	other V
	value func(name string) V // builds a method's value; called outside mu
}

func newMethodTable[V any](max int, other V, value func(name string) V) *methodTable[V] {
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
	if len(known) >= t.max {
		return t.other
	}
	name, ok := endpointName(fullMethod)
	if !ok {
		return t.other
	}
	// value runs before the lock: it may call user code (a filter), and a
	// lost race only wastes one call.
	v := t.value(name)
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
		return t.other
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
