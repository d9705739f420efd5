package health

import "strings"

// Group is a set of probe groups, one bit each. A Check belongs to every
// group whose bit is set in its Groups field; the zero Group in a Check
// means Readiness.
//
// Group is a plain value: safe for concurrent use.
type Group uint8

const (
	// Liveness answers "should the process be restarted?". Only checks of
	// the process itself belong here, never its dependencies.
	Liveness Group = 1 << iota
	// Readiness answers "should traffic be sent here?". Dependency checks
	// belong here. Drain withdraws readiness.
	Readiness
	// Startup answers "has the process finished starting?".
	Startup
)

// allGroups is every valid bit, in the order reports list them.
const allGroups = Liveness | Readiness | Startup

// groupList is the three single groups in report order.
var groupList = [...]Group{Liveness, Readiness, Startup}

// String returns "live", "ready" or "startup" for a single group, the names
// joined with "|" for a set, "none" for the zero Group and "invalid" when
// an unknown bit is set.
func (g Group) String() string {
	switch g {
	case Liveness:
		return "live"
	case Readiness:
		return "ready"
	case Startup:
		return "startup"
	case 0:
		return "none"
	}
	if g&^allGroups != 0 {
		return "invalid"
	}
	var parts []string
	for _, one := range groupList {
		if g&one != 0 {
			parts = append(parts, one.String())
		}
	}
	return strings.Join(parts, "|")
}

// endpoint is the Kubernetes-style path name of a single group: "livez",
// "readyz" or "startupz"; "" for anything else.
func (g Group) endpoint() string {
	switch g {
	case Liveness:
		return "livez"
	case Readiness:
		return "readyz"
	case Startup:
		return "startupz"
	}
	return ""
}

// index is the position of a single group in groupList, or -1.
func (g Group) index() int {
	switch g {
	case Liveness:
		return 0
	case Readiness:
		return 1
	case Startup:
		return 2
	}
	return -1
}
