package availgrpc

import (
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/nines-sre/nines/remediate/admit"
)

// FuzzMethodName checks that every accepted method name is bounded,
// printable and has exactly two slashes, the first leading, and that the
// method table never grows past its bound whatever names arrive.
func FuzzMethodName(f *testing.F) {
	for _, s := range []string{"/pkg.S/M", "/a/b", "", "/", "//x", "/a/b/c", "/a b/c", "/\xff/x"} {
		f.Add(s)
	}
	tab := newMethodTable(4, otherName, func(name string) string { return name })
	f.Fuzz(func(t *testing.T, in string) {
		ok := validMethod(in)
		if ok {
			if len(in) > maxMethodLen || strings.Count(in, "/") != 2 || in[0] != '/' ||
				strings.HasPrefix(in, "//") || strings.HasSuffix(in, "/") {
				t.Fatalf("validMethod accepted %q", in)
			}
			for i := 0; i < len(in); i++ {
				if in[i] <= ' ' || in[i] >= 0x7f {
					t.Fatalf("validMethod(%q) accepted byte %#x", in, in[i])
				}
			}
		}
		got := tab.get(in)
		if got != "other" && (got != in || !ok) {
			t.Fatalf("table maps %q to %q", in, got)
		}
		if tab.len() > 4 {
			t.Fatalf("table grew to %d", tab.len())
		}
	})
}

// FuzzClassify checks the code classification and the admission mapping on
// arbitrary codes and priorities: no panic, codes beyond the defined range
// are never bad, and a rejection is never the server's fault unless a
// breaker (Unavailable) rejected it.
func FuzzClassify(f *testing.F) {
	f.Add(uint32(0), "critical")
	f.Add(uint32(14), "")
	f.Add(uint32(99), "sheddable")
	f.Fuzz(func(t *testing.T, c uint32, prio string) {
		code := codes.Code(c)
		if code > maxCode && (ServerBadCodes.Has(code) || ClientBadCodes.Has(code) || Codes(code) != 0) {
			t.Fatalf("undefined code %d is in a set", c)
		}
		if ServerBadCodes.Has(code) && !ClientBadCodes.Has(code) {
			t.Fatalf("code %v bad for the server but not the client", code)
		}
		if err := status.Error(code, prio); Code(err) != code {
			t.Fatalf("Code(status %v) = %v", code, Code(err))
		}
		p, ok := ParsePriority(prio)
		if !ok && p != admit.Normal || p < admit.Sheddable || p > admit.Critical {
			t.Fatalf("ParsePriority(%q) = %v, %v", prio, p, ok)
		}
	})
}
