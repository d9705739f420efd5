package availability

import (
	"fmt"
	"strings"
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
	for i, d := range deps {
		if err := d.validate(i); err != nil {
			return nil, err
		}
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

// clientName is the client endpoint name of an outbound host: its
// dependency's name when declared, the host otherwise.
func (m *Monitor) clientName(host string) string {
	if name, ok := m.cfg.depHosts[host]; ok {
		return name
	}
	return host
}
