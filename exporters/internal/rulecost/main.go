package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/nines-sre/nines/exporters"
	"github.com/nines-sre/nines/slo"
)

//go:embed testdata/old-rules.yml
var oldRules []byte

type config struct {
	prometheus, promtool string
	days, samples        int
	eval                 time.Duration
	dir                  string
}

func main() {
	var c config
	flag.StringVar(&c.prometheus, "prometheus", "prometheus", "the Prometheus server to measure")
	flag.StringVar(&c.promtool, "promtool", "promtool", "promtool, for the backfill")
	flag.IntVar(&c.days, "days", 30, "days of data to backfill (the objective's period is 30 days)")
	flag.IntVar(&c.samples, "samples", 30, "evaluations to sample per variant, after 3 discarded")
	flag.DurationVar(&c.eval, "eval", 10*time.Second, "Prometheus's evaluation interval")
	flag.StringVar(&c.dir, "dir", "", "work directory (default: a fresh temporary one, removed at the end)")
	flag.Parse()
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "rulecost:", err)
		os.Exit(1)
	}
}

func run(c config) error {
	if c.days < 1 || c.samples < 1 || c.eval < time.Second {
		return fmt.Errorf("need -days and -samples of at least 1 and -eval of at least 1s")
	}
	if c.dir == "" {
		d, err := os.MkdirTemp("", "rulecost")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		c.dir = d
	}
	newRules, err := exporters.PrometheusRules([]slo.Objective{
		{Name: objective, Target: 0.999, Window: slo.Window{Rolling: 30 * 24 * time.Hour}},
	})
	if err != nil {
		return err
	}
	tsdb := filepath.Join(c.dir, "tsdb")
	start := time.Now()
	if err := backfill(c, tsdb); err != nil {
		return err
	}
	fmt.Printf("backfilled %d days in %v\n", c.days, time.Since(start).Round(time.Second))

	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(c.samples+20)*c.eval+5*time.Minute)
	defer cancel()
	variants := []*variant{{name: "old", rules: oldRules}, {name: "new", rules: newRules}}
	for _, v := range variants {
		if err := v.start(ctx, c, tsdb); err != nil {
			return err
		}
		defer v.stop()
	}
	errs := make(chan error, len(variants))
	for _, v := range variants {
		go func() { errs <- v.sample(ctx, c) }()
	}
	for range variants {
		err = errors.Join(err, <-errs)
	}
	if err != nil {
		return err
	}
	for _, v := range variants {
		v.report(os.Stdout)
	}
	return nil
}

// backfill writes the OpenMetrics file and turns it into TSDB blocks.
func backfill(c config, tsdb string) error {
	om := filepath.Join(c.dir, "data.om")
	f, err := os.Create(om)
	if err != nil {
		return err
	}
	if err := writeOpenMetrics(f, time.Now(), c.days); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	cmd := exec.Command(c.promtool, "tsdb", "create-blocks-from", "openmetrics", "-q", om, tsdb)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s tsdb create-blocks-from openmetrics: %v\n%s", c.promtool, err, out)
	}
	return os.Remove(om)
}

// freePort returns a free loopback port.
func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// waitReady polls base/-/ready until it answers 200.
func waitReady(ctx context.Context, base string) error {
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/-/ready", nil)
		if err != nil {
			return err
		}
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s never ready: %w", base, ctx.Err())
		case <-time.After(500 * time.Millisecond):
		}
	}
}
