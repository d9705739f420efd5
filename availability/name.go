package availability

import (
	"net/http"
	"strings"
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

// sloBase returns the SLO name prefix of an endpoint: the kind, then the
// name with every character outside [A-Za-z0-9_.:-] replaced by '_', cut so
// that the longest suffix still fits the slo package's 128 characters.
func sloBase(kind EndpointKind, name string) string {
	var b strings.Builder
	b.WriteString(kind.prefix())
	b.WriteByte(':')
	limit := maxSLONameLen - len(":availability") - len("-9999")
	for i := 0; i < len(name) && b.Len() < limit; i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '_', c == '.', c == ':', c == '-':
			b.WriteByte(c)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}
