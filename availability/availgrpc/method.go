package availgrpc

import (
	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/internal/cowmap"
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
// which must not retain the name. Lookups of known methods are a read of a
// copy-on-write map, with no lock and no allocation; a write happens at most
// max times in the table's life. The zero value is not usable; see
// newMethodTable.
type methodTable[V any] struct {
	known cowmap.Map[string, V]
	max   int
	other func(fullMethod string) V
	value func(fullMethod string) V // builds a method's value; called outside every lock
}

func newMethodTable[V any](max int, other, value func(fullMethod string) V) *methodTable[V] {
	return &methodTable[V]{max: max, other: other, value: value}
}

// get returns the value of fullMethod, adding it if there is room.
func (t *methodTable[V]) get(fullMethod string) V {
	if v, ok := t.known.Load(fullMethod); ok {
		return v
	}
	if t.known.Len() >= t.max || !validMethod(fullMethod) {
		return t.other(fullMethod)
	}
	// value runs before the write lock: it may call user code (a filter),
	// and a lost race only wastes one call.
	v := t.value(fullMethod)
	if a, loaded, stored := t.known.StoreIf(fullMethod, v, func(n int) bool { return n < t.max }); loaded || stored {
		return a
	}
	return t.other(fullMethod)
}

// len returns how many methods have a value of their own.
func (t *methodTable[V]) len() int { return t.known.Len() }
