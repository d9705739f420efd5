package main

import (
	"context"
	"flag"
	"fmt"
	"net"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/resolver"
	"google.golang.org/grpc/resolver/manual"
	_ "google.golang.org/grpc/xds" // registers outlier_detection_experimental
)

// odConfig is grpc-go's outlier detection as gRFC A50 documents it, with
// Envoy's defaults where A50 leaves them to the user: a 1s interval, 30s
// base ejection, at most 10% ejected, success-rate ejection at 1.9 stdev
// (minimum 5 hosts, 100 requests each) and failure-percentage ejection at
// 10% (Envoy's default 85% would never eject a replica failing 20%).
//
// With -success-rate=false only failure-percentage ejection is on.
func odConfig() string {
	sr := `"successRateEjection":{"stdevFactor":1900,"enforcementPercentage":100,"minimumHosts":5,"requestVolume":100},`
	if !*successRate {
		sr = ""
	}
	return `{"loadBalancingConfig":[{"outlier_detection_experimental":{
  "interval":"1s","baseEjectionTime":"30s","maxEjectionTime":"300s","maxEjectionPercent":10,` + sr + `
  "failurePercentageEjection":{"threshold":10,"enforcementPercentage":100,"minimumHosts":5,"requestVolume":50},
  "childPolicy":[{"round_robin":{}}]}}]}`
}

var successRate = flag.Bool("success-rate", true, "enable grpc-go's success-rate ejection")

type grpcSystem struct {
	bs      []*backend
	servers []*grpc.Server
	conn    *grpc.ClientConn
	client  healthpb.HealthClient
}

func newGRPC() (system, error) {
	s := &grpcSystem{}
	var addrs []resolver.Address
	for range replicas {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			s.close()
			return nil, err
		}
		b := newBackend()
		srv := grpc.NewServer()
		healthpb.RegisterHealthServer(srv, b)
		go func() { _ = srv.Serve(ln) }()
		s.bs, s.servers = append(s.bs, b), append(s.servers, srv)
		addrs = append(addrs, resolver.Address{Addr: ln.Addr().String()})
	}
	r := manual.NewBuilderWithScheme("peers")
	r.InitialState(resolver.State{Addresses: addrs})
	conn, err := grpc.NewClient("peers:///inventory", grpc.WithResolvers(r),
		grpc.WithTransportCredentials(insecure.NewCredentials()), grpc.WithDefaultServiceConfig(odConfig()))
	if err != nil {
		s.close()
		return nil, fmt.Errorf("grpc client: %w", err)
	}
	s.conn, s.client = conn, healthpb.NewHealthClient(conn)
	return s, nil
}

func (s *grpcSystem) name() string         { return "grpc-go outlier_detection" }
func (s *grpcSystem) backends() []*backend { return s.bs }

func (s *grpcSystem) call(ctx context.Context) error {
	_, err := s.client.Check(ctx, &healthpb.HealthCheckRequest{})
	return err
}

func (s *grpcSystem) close() {
	if s.conn != nil {
		_ = s.conn.Close()
	}
	for _, srv := range s.servers {
		srv.Stop()
	}
}
