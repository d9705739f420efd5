package availability

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
)

// Route names shared by requests that have no route of their own.
const (
	// RouteUnmatched is the route of server requests no ServeMux pattern
	// matched (404s, redirects of the mux itself, a handler that is not a
	// ServeMux).
	RouteUnmatched = "unmatched"
	// RouteOther is the name shared by endpoints past WithMaxRoutes.
	RouteOther = "other"
)

// httpMethods are the methods http.request.method keeps as they are (the
// OTel HTTP semantic conventions' known methods); any other is "_OTHER".
var httpMethods = [...]string{
	http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodDelete,
	http.MethodConnect, http.MethodOptions, http.MethodTrace, http.MethodPatch,
}

const methodOther = len(httpMethods)

// methodIndex returns the index of m in httpMethods, or methodOther. Methods
// are case-sensitive, as in the semantic conventions.
func methodIndex(m string) int {
	for i, k := range httpMethods {
		if m == k {
			return i
		}
	}
	return methodOther
}

// httpRoute returns the http.route attribute value of a ServeMux pattern
// ("[METHOD ][HOST]/PATH"): its path template, or "" when the pattern has
// none.
func httpRoute(pattern string) string {
	if i := strings.IndexByte(pattern, '/'); i >= 0 {
		return pattern[i:]
	}
	return ""
}

const maxSLONameLen = 128

// maxIDLen bounds an endpoint ID so that its longest SLO name,
// "client:<id>-9999:availability", fits the slo package's 128 characters.
const maxIDLen = maxSLONameLen - len("client:") - len("-9999") - len(":availability")

// spellID returns the ID of an endpoint named name: the one spelling of the
// endpoint in SLO names ("route:<id>:availability"), detector series
// ("route:<id>:p99"), breaker names ("client:<id>"), events and /statusz.
// It must be a valid slo.Objective name, whose alphabet is
// [A-Za-z0-9_.:-] (SLO names are also snapshot file names and rule group
// names), so a ServeMux pattern is spelled with the method and the path
// separated by ':', path separators as '.', and wildcards without their
// braces: "GET /products/{id}" is "GET:products.id", "POST /orders/" is
// "POST:orders.", "/" is "root"; a gRPC method "/pkg.Svc/Get" is
// "pkg.Svc.Get". Any other character outside the alphabet becomes '_'.
// Dependency names (already in the alphabet) are their own ID.
func spellID(name string) string {
	b := make([]byte, 0, len(name)+4)
	method, path, ok := strings.Cut(name, " ")
	if ok && method != "" {
		b = append(b, method...)
		b = append(b, ':')
	} else {
		path = name
	}
	path = strings.TrimPrefix(path, "/")
	if path == "" {
		path = "root"
	}
	for i := 0; i < len(path); i++ {
		switch c := path[i]; c {
		case '{', '}':
		case '/':
			b = append(b, '.')
		default:
			b = append(b, c)
		}
	}
	for i, c := range b {
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == ':' || c == '-'
		if !ok {
			b[i] = '_'
		}
	}
	return string(b[:min(len(b), maxIDLen)])
}

// idSet hands out endpoint IDs that are unique within a kind: a spelling
// that two names share ("GET /a/b" and "GET /a.b") gets "-2", "-3"... on the
// later one, so that the ID stays one endpoint's everywhere.
type idSet struct {
	mu    sync.Mutex
	taken [2]map[string]bool
}

func (s *idSet) unique(kind EndpointKind, name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.taken[kind] == nil {
		s.taken[kind] = map[string]bool{}
	}
	base := spellID(name)
	id := base
	for i := 2; s.taken[kind][id]; i++ {
		id = fmt.Sprintf("%s-%d", base, i)
	}
	s.taken[kind][id] = true
	return id
}
