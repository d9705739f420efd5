package main

import (
	"context"
	"encoding/json"
	"fmt"

	"google.golang.org/grpc"
	"google.golang.org/grpc/balancer"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/resolver"
	"google.golang.org/grpc/resolver/manual"
	_ "google.golang.org/grpc/xds" // registers outlier_detection_experimental
)

const odName = "outlier_detection_experimental"

// odConfig is the service config of grpc-go's outlier detection (gRFC
// A50) for cfg, with a round_robin child. Durations are proto-JSON
// strings ("1s"); the factor is in thousandths (1900 is 1.9). Every
// field of the algorithms is written out: A50's defaults differ between
// them (failure-percentage enforcement defaults to 0, which detects and
// never ejects; request volumes of 100 and 50 are more calls than a
// backend gets per interval here), so none is left to a default.
func odConfig(cfg benchConfig, successRate bool) string {
	sr := ""
	if successRate {
		sr = fmt.Sprintf(`"successRateEjection":{"stdevFactor":1900,"enforcementPercentage":100,"minimumHosts":5,"requestVolume":%d},`, cfg.minCalls)
	}
	return fmt.Sprintf(`{"loadBalancingConfig":[{%q:{
  "interval":"%gs","baseEjectionTime":"%gs","maxEjectionTime":"%gs","maxEjectionPercent":%d,%s
  "failurePercentageEjection":{"threshold":%d,"enforcementPercentage":100,"minimumHosts":5,"requestVolume":%d},
  "childPolicy":[{"round_robin":{}}]}}]}`, odName,
		cfg.interval.Seconds(), cfg.baseEjection.Seconds(), cfg.maxEjection.Seconds(), cfg.maxEjectedPercent, sr,
		cfg.failurePercent, cfg.minCalls)
}

// checkOD fails unless grpc-go registered outlier detection and accepts
// the load-balancing config, so a typo cannot silently fall back to
// pick_first; it returns the parsed config for the record.
func checkOD(sc string) (string, error) {
	b := balancer.Get(odName)
	if b == nil {
		return "", fmt.Errorf("balancer %q is not registered (import google.golang.org/grpc/xds)", odName)
	}
	var doc struct {
		LoadBalancingConfig []map[string]json.RawMessage `json:"loadBalancingConfig"`
	}
	if err := json.Unmarshal([]byte(sc), &doc); err != nil {
		return "", fmt.Errorf("service config: %w", err)
	}
	lb, err := b.(balancer.ConfigParser).ParseConfig(doc.LoadBalancingConfig[0][odName])
	if err != nil {
		return "", fmt.Errorf("outlier detection config: %w", err)
	}
	out, err := json.Marshal(lb)
	if err != nil {
		return "", fmt.Errorf("outlier detection config: %w", err)
	}
	return string(out), nil
}

// grpcSystem is grpc-go's outlier detection over the backends: one
// ClientConn whose manual resolver lists each backend as an endpoint of
// its own, with the service config as the channel's default.
type grpcSystem struct {
	label  string
	bs     []*backend
	conn   *grpc.ClientConn
	client healthpb.HealthClient
}

func newGRPC(cfg benchConfig, successRate bool) (system, error) {
	sc := odConfig(cfg, successRate)
	if _, err := checkOD(sc); err != nil {
		return nil, err
	}
	bs, err := startBackends(replicas)
	if err != nil {
		return nil, err
	}
	var eps []resolver.Endpoint
	for _, b := range bs {
		eps = append(eps, resolver.Endpoint{Addresses: []resolver.Address{{Addr: b.addr}}})
	}
	r := manual.NewBuilderWithScheme("peers")
	r.InitialState(resolver.State{Endpoints: eps})
	conn, err := grpc.NewClient("peers:///inventory", grpc.WithResolvers(r),
		grpc.WithTransportCredentials(insecure.NewCredentials()), grpc.WithDefaultServiceConfig(sc))
	if err != nil {
		stopBackends(bs)
		return nil, fmt.Errorf("grpc client: %w", err)
	}
	label := "grpc-go OD, failure % only (gRPC)"
	if successRate {
		label = "grpc-go OD, success rate + failure % (gRPC)"
	}
	return &grpcSystem{label: label, bs: bs, conn: conn, client: healthpb.NewHealthClient(conn)}, nil
}

func (s *grpcSystem) name() string         { return s.label }
func (s *grpcSystem) backends() []*backend { return s.bs }

func (s *grpcSystem) call(ctx context.Context) error {
	_, err := s.client.Check(ctx, &healthpb.HealthCheckRequest{})
	return err
}

func (s *grpcSystem) close() {
	_ = s.conn.Close()
	stopBackends(s.bs)
}
