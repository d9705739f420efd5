package availability

import (
	"fmt"
	"strings"

	"github.com/nines-sre/nines/remediate/eject"
)

// Dependency declares a service the application calls: its requests are
// measured under Name instead of a host:port, in SLO names
// ("client:<name>:availability"), its breaker's name ("client:<name>"),
// detector series, events and /statusz, and its objectives exist from New
// on. It is a plain value.
type Dependency struct {
	// Name is what the dependency is called everywhere, for example
	// "inventory": 1 to 64 characters of [A-Za-z0-9_.-]. Required, unique
	// among the dependencies.
	Name string
	// Hosts are the outbound hosts (req.URL.Host, "host" or "host:port",
	// compared case-insensitively) whose requests through RoundTripper
	// are this dependency's. Empty means none: the dependency is then
	// reached only by name, with Monitor.Endpoint(ClientEndpoint, Name)
	// (a gRPC client, a custom transport). A host may belong to one
	// dependency only.
	Hosts []string
	// Replicas, when set, attributes each of the dependency's calls to the
	// replica that served it, for an eject.Detector to compare the
	// replicas with each other (WithPeerDetectors): RoundTripper records
	// a call to one of Hosts under the remote address of the connection
	// the transport chose (one name resolving to many addresses), and
	// availgrpc's client under the call's peer address. Leave it nil when
	// the dependency is reached through an eject.Balancer, which records
	// each call under the backend it picked itself. A Stats belongs to
	// one dependency. Nil means no attribution.
	Replicas *eject.Stats
}

// maxDependencyName bounds a Dependency's Name.
const maxDependencyName = 64

func (d Dependency) validate(i int) error {
	field := fmt.Sprintf("WithDependencies[%d]", i)
	if d.Name == "" || len(d.Name) > maxDependencyName {
		return invalid(field+".Name", d.Name, fmt.Sprintf("must be 1 to %d characters", maxDependencyName))
	}
	for _, c := range []byte(d.Name) {
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-'
		if !ok {
			return invalid(field+".Name", d.Name, "allowed characters are [A-Za-z0-9_.-]")
		}
	}
	for j, h := range d.Hosts {
		if h == "" || strings.ContainsAny(h, "/ \t\r\n") {
			return invalid(fmt.Sprintf("%s.Hosts[%d]", field, j), h, "must be a host or host:port")
		}
	}
	return nil
}

// dependencyHosts maps each declared host, lower-cased, to its dependency's
// name. It is built by New and only read after, so lookups take no lock.
func dependencyHosts(deps []Dependency) (map[string]string, error) {
	names := map[string]int{}
	hosts := map[string]string{}
	stats := map[*eject.Stats]int{}
	for i, d := range deps {
		if err := d.validate(i); err != nil {
			return nil, err
		}
		if j, dup := stats[d.Replicas]; dup && d.Replicas != nil {
			return nil, invalid(fmt.Sprintf("WithDependencies[%d].Replicas", i), d.Name, fmt.Sprintf("is the Stats of WithDependencies[%d] too: one Stats per dependency", j))
		}
		stats[d.Replicas] = i
		if j, dup := names[d.Name]; dup {
			return nil, invalid(fmt.Sprintf("WithDependencies[%d].Name", i), d.Name, fmt.Sprintf("duplicates WithDependencies[%d]", j))
		}
		names[d.Name] = i
		for j, h := range d.Hosts {
			h = strings.ToLower(h)
			if other, dup := hosts[h]; dup {
				return nil, invalid(fmt.Sprintf("WithDependencies[%d].Hosts[%d]", i, j), h, "already belongs to "+other)
			}
			hosts[h] = d.Name
		}
	}
	return hosts, nil
}

// dependencyReplicas maps each dependency with Replicas to its
// attribution. It is built by New and only read after.
func dependencyReplicas(deps []Dependency) map[string]*replicaAttribution {
	var out map[string]*replicaAttribution
	for _, d := range deps {
		if d.Replicas == nil {
			continue
		}
		if out == nil {
			out = make(map[string]*replicaAttribution)
		}
		out[d.Name] = newReplicaAttribution(d.Replicas)
	}
	return out
}

// DependencyReplicas returns the Replicas of the dependency named name
// (WithDependencies), nil if it has none or is not declared: availgrpc's
// client records into it.
func (m *Monitor) DependencyReplicas(name string) *eject.Stats {
	if ra := m.cfg.depReplicas[name]; ra != nil {
		return ra.stats
	}
	return nil
}

// clientName is the client endpoint name of an outbound host: its
// dependency's name when declared, the host otherwise.
func (m *Monitor) clientName(host string) string {
	if name, ok := m.cfg.depHosts[host]; ok {
		return name
	}
	return host
}
