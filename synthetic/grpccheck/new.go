package grpccheck

import (
	"fmt"
	"net"
	"strings"

	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/dynamicpb"

	"github.com/nines-sre/nines/internal/config"
	"github.com/nines-sre/nines/internal/owntraffic"
	"github.com/nines-sre/nines/synthetic"
)

// HealthMethod is the full method of the gRPC health check.
const HealthMethod = "/grpc.health.v1.Health/Check"

// Health returns a call to target's grpc.health.v1 Check for service (""
// for the server as a whole). The response's Code is its serving status:
// "SERVING" (OK), "NOT_SERVING", "UNKNOWN", "SERVICE_UNKNOWN", or the gRPC
// code when the call itself failed ("UNAVAILABLE", "UNIMPLEMENTED"...);
// the body is {"status":"SERVING"}. target is host:port and may refer to
// run values as ${name}. An invalid target or option is an error wrapping
// synthetic.ErrInvalidConfig.
func Health(target, service string, opts ...Option) (synthetic.Call, error) {
	req, err := protojson.Marshal(&healthpb.HealthCheckRequest{Service: service})
	if err != nil {
		return nil, config.Error(synthetic.ErrInvalidConfig, "grpc.service", service, err.Error())
	}
	return newCall(target, HealthMethod, string(req), true, opts)
}

// Unary returns a call of target's unary method fullMethod
// ("/package.Service/Method") with the request written as protojson text
// ("{}" when empty), which may refer to run values as ${name}: each value
// is substituted JSON-escaped, so write string fields as "${name}". The
// request and response types are found from the method's descriptor in
// protoregistry.GlobalFiles, as the Go types the program registered
// (import the generated package) or, for a descriptor registered without
// them, dynamic messages. The response's Code is the gRPC code name and
// its body the response message as protojson (field names in
// lowerCamelCase, 64-bit integers as strings).
//
// An unknown or streaming method, a request that does not parse, an
// invalid target or metadata key is an error wrapping
// synthetic.ErrInvalidConfig.
func Unary(target, fullMethod, request string, opts ...Option) (synthetic.Call, error) {
	return newCall(target, fullMethod, request, false, opts)
}

func newCall(target, method, request string, health bool, opts []Option) (*call, error) {
	bad := func(field string, value any, why string) error {
		return config.Error(synthetic.ErrInvalidConfig, field, value, why)
	}
	s := defaults()
	for _, o := range opts {
		if o != nil {
			o.apply(&s)
		}
	}
	if target == "" {
		return nil, bad("grpc.target", target, "required: host:port")
	}
	if !strings.Contains(target, "${") {
		if host, port, err := net.SplitHostPort(target); err != nil || host == "" || port == "" {
			return nil, bad("grpc.target", target, "must be host:port")
		}
	}
	for k := range s.metadata {
		if !validKey(k) {
			return nil, bad("grpc.metadata", k, "a key is 1 or more of [0-9a-z-_.] (upper case is lowered), not grpc-*, not -bin, not the own-traffic key or traceparent")
		}
	}
	in, out, err := resolve(method)
	if err != nil {
		return nil, bad("grpc.method", method, err.Error())
	}
	if request == "" {
		request = "{}"
	}
	if !strings.Contains(request, "${") {
		if err := protojson.Unmarshal([]byte(request), in.New().Interface()); err != nil {
			return nil, bad("grpc.request", request, err.Error())
		}
	}
	md := make(map[string]string, len(s.metadata))
	for k, v := range s.metadata {
		md[strings.ToLower(k)] = v
	}
	s.metadata = md
	return &call{target: target, method: method, request: request, in: in, out: out, health: health, opts: s}, nil
}

// resolve finds a unary method's request and response types.
func resolve(fullMethod string) (in, out protoreflect.MessageType, err error) {
	svc, name, ok := strings.Cut(strings.TrimPrefix(fullMethod, "/"), "/")
	if !strings.HasPrefix(fullMethod, "/") || !ok || svc == "" || name == "" || strings.Contains(name, "/") {
		return nil, nil, fmt.Errorf("must be /package.Service/Method")
	}
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(svc))
	if err != nil {
		return nil, nil, fmt.Errorf("service %s is not registered: import its generated Go package", svc)
	}
	sd, ok := d.(protoreflect.ServiceDescriptor)
	if !ok {
		return nil, nil, fmt.Errorf("%s is not a service", svc)
	}
	md := sd.Methods().ByName(protoreflect.Name(name))
	if md == nil {
		return nil, nil, fmt.Errorf("service %s has no method %s", svc, name)
	}
	if md.IsStreamingClient() || md.IsStreamingServer() {
		return nil, nil, fmt.Errorf("a streaming method: only unary calls are supported")
	}
	return messageType(md.Input()), messageType(md.Output()), nil
}

func messageType(d protoreflect.MessageDescriptor) protoreflect.MessageType {
	if mt, err := protoregistry.GlobalTypes.FindMessageByName(d.FullName()); err == nil {
		return mt
	}
	return dynamicpb.NewMessageType(d)
}

// validKey reports whether k (lowered) is a metadata key the user may set.
func validKey(k string) bool {
	k = strings.ToLower(k)
	if k == "" || strings.HasPrefix(k, "grpc-") || strings.HasSuffix(k, "-bin") || k == "traceparent" || k == owntraffic.Metadata {
		return false
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}
