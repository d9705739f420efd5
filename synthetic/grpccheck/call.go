package grpccheck

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/nines-sre/nines/internal/owntraffic"
	"github.com/nines-sre/nines/synthetic"
)

// call is one unary gRPC call, a synthetic.Call. It is immutable after
// its constructor, so every run of a check shares it.
type call struct {
	target  string // host:port, may hold ${name}
	method  string // /package.Service/Method
	request string // protojson template
	in, out protoreflect.MessageType
	health  bool // Code is the serving status
	opts    settings
}

// Texts returns the fields that may refer to run values, for NewRunner's
// check.
func (c *call) Texts() map[string]string {
	request := "grpc.request"
	if c.health {
		request = "grpc.service" // the request holds only the service
	}
	t := map[string]string{"grpc.target": c.target, request: c.request}
	for k, v := range c.opts.metadata {
		t["grpc.metadata."+k] = v
	}
	return t
}

// Do dials the target, makes the call and closes the connection: one
// connection per call, so every run measures the connect phase (as
// blackbox_exporter's gRPC prober does) and a run never inherits the
// reconnect backoff of an earlier failure.
func (c *call) Do(ctx context.Context, in synthetic.CallInput) (synthetic.CallResponse, error) {
	target, err := in.Expand(c.target, nil)
	if err != nil {
		return synthetic.CallResponse{}, fmt.Errorf("target: %w", err)
	}
	text, err := in.Expand(c.request, jsonEscape)
	if err != nil {
		return synthetic.CallResponse{}, fmt.Errorf("request: %w", err)
	}
	req := c.in.New().Interface()
	if err := protojson.Unmarshal([]byte(text), req); err != nil {
		return synthetic.CallResponse{}, fmt.Errorf("request: %v", err)
	}
	md := metadata.Pairs(owntraffic.Metadata, in.OwnTraffic, "traceparent", in.Traceparent)
	for k, v := range c.opts.metadata {
		v, err := in.Expand(v, nil)
		if err != nil {
			return synthetic.CallResponse{}, fmt.Errorf("metadata %s: %w", k, err)
		}
		md.Append(k, v)
	}
	t := &timing{now: in.Now}
	start := in.Now()
	conn, err := grpc.NewClient("passthrough:///"+target,
		grpc.WithContextDialer(t.dial),
		grpc.WithTransportCredentials(timedCreds{c.opts.creds, t}),
		grpc.WithUserAgent("nines-synthetic"))
	if err != nil {
		return synthetic.CallResponse{}, fmt.Errorf("target %q: %v", target, err)
	}
	defer conn.Close()
	resp := c.out.New().Interface()
	var header, trailer metadata.MD
	err = conn.Invoke(metadata.NewOutgoingContext(ctx, md), c.method, req, resp, grpc.Header(&header), grpc.Trailer(&trailer), grpc.MaxCallRecvMsgSize(maxRecv(in.MaxBodyBytes)))
	st := status.Convert(err)
	out := synthetic.CallResponse{
		Code:    codeName(st.Code()),
		OK:      st.Code() == codes.OK,
		Message: st.Message(),
		Header:  metadata.Join(header, trailer),
		Phases:  t.phases(in.Now().Sub(start)),
	}
	if !out.OK {
		return out, nil
	}
	body, err := protojson.Marshal(resp)
	if err != nil {
		return out, fmt.Errorf("response as JSON: %v", err)
	}
	// protojson varies its spacing on purpose; compact it so that a
	// BodyContains assertion sees the same text every run.
	var b bytes.Buffer
	if err := json.Compact(&b, body); err != nil {
		return out, fmt.Errorf("response as JSON: %v", err)
	}
	out.Body = b.Bytes()
	if c.health {
		s := healthpb.HealthCheckResponse_ServingStatus(resp.ProtoReflect().Get(healthStatusField).Enum())
		out.Code = s.String()
		out.OK = s == healthpb.HealthCheckResponse_SERVING
	}
	return out, nil
}

// maxRecv is the largest response message the call accepts: the runner's
// body bound, or gRPC's own default (4 MiB) when none is given.
func maxRecv(n int64) int {
	if n <= 0 || n > math.MaxInt32 {
		return 4 << 20
	}
	return int(n)
}

// healthStatusField is HealthCheckResponse.status.
var healthStatusField = (&healthpb.HealthCheckResponse{}).ProtoReflect().Descriptor().Fields().ByName("status")

// jsonEscape escapes a value for the inside of a JSON string, so that an
// extracted value with a quote cannot break the request template.
func jsonEscape(v string) string {
	b, _ := json.Marshal(v) // a string always marshals
	return strings.TrimSuffix(strings.TrimPrefix(string(b), `"`), `"`)
}
