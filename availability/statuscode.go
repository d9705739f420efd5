package availability

import (
	"net/http"
	"strconv"

	"go.opentelemetry.io/otel/attribute"
)

// The status-code attribute of http.server.request.duration is bounded by
// construction, as routes are: a handler that echoes a client-chosen code
// (or a proxy relaying whatever its upstream said) would otherwise mint a
// series per code, up to 900 per route and method. Codes the service
// answers keep their number; any other is recorded as its class.
//
// OTel's semantic conventions type http.response.status_code as an int and
// define no class attribute (semantic-conventions#1056 is open), so a
// class is a string value of the same attribute: "2xx" ... "5xx", and
// "other" outside 100-599. In Prometheus both read as a label, and a query
// for code=~"4.." counts the class with the codes.

// Mapped status values past every real code: a class, then "other".
const (
	statusClassBase = 1000 // + 1..5: "1xx" ... "5xx"
	statusOther     = statusClassBase + 6
)

// statusTable maps every status net/http lets a handler send (100-999) to
// the value recorded; 0 (a hijacked request) maps to itself.
type statusTable [1000]uint16

// newStatusTable keeps the codes of known (nil: every code http.StatusText
// names) and maps the others to their class.
func newStatusTable(known []int) *statusTable {
	keep := func(c int) bool { return http.StatusText(c) != "" }
	if known != nil {
		set := map[int]bool{}
		for _, c := range known {
			set[c] = true
		}
		keep = func(c int) bool { return set[c] }
	}
	t := new(statusTable)
	for c := 100; c < len(t); c++ {
		switch {
		case keep(c):
			t[c] = uint16(c)
		case c < 600:
			t[c] = uint16(statusClassBase + c/100)
		default:
			t[c] = statusOther
		}
	}
	return t
}

// bound returns the value recorded for status code.
func (t *statusTable) bound(code int) int {
	if code <= 0 || code >= len(t) {
		return code
	}
	return int(t[code])
}

// statusAttrs returns the http.response.status_code and error.type
// attributes of a mapped status (none for 0, a hijacked request).
func statusAttrs(kvs []attribute.KeyValue, status int, panicked bool) []attribute.KeyValue {
	switch {
	case status == 0:
	case status < statusClassBase:
		kvs = append(kvs, attrStatus.Int(status))
	case status == statusOther:
		kvs = append(kvs, attrStatus.String("other"))
	default:
		kvs = append(kvs, attrStatus.String(strconv.Itoa(status-statusClassBase)+"xx"))
	}
	switch {
	case panicked:
		kvs = append(kvs, attrErrorType.String(errorTypePanic))
	case status >= 500 && status < 600:
		kvs = append(kvs, attrErrorType.String(strconv.Itoa(status)))
	case status == statusClassBase+5:
		kvs = append(kvs, attrErrorType.String("5xx"))
	case status == statusOther:
		// Past 599 the middleware counts a request as bad; the
		// conventions' fallback for an error type.
		kvs = append(kvs, attrErrorType.String("_OTHER"))
	}
	return kvs
}

// WithStatusCodes lists the HTTP status codes the service answers: they
// are recorded as themselves in http.server.request.duration's
// http.response.status_code, and any other code as its class ("4xx"),
// or "other" outside 100-599, so a handler echoing client-chosen codes
// cannot multiply the series. The default keeps every code
// http.StatusText names (the registered ones, about 60); WithStatusCodes()
// with no code records classes only. Each code must be in [100, 599]. The
// SLOs and the middleware's good/bad verdict use the real code either way.
func WithStatusCodes(codes ...int) Option {
	codes = append([]int{}, codes...) // an empty list is not nil: classes only
	return optionFunc(func(c *config) { c.statusCodes = codes })
}

func validateStatusCodes(codes []int) error {
	for _, code := range codes {
		if code < 100 || code > 599 {
			return invalid("WithStatusCodes", code, "must be in [100, 599]")
		}
	}
	return nil
}
