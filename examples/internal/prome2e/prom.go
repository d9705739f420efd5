package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// promClient queries Prometheus's HTTP API (v1) at base.
type promClient struct {
	base   string
	client *http.Client
}

// sample is one element of an instant vector.
type sample struct {
	Metric map[string]string
	Value  float64
}

// query runs an instant query now and returns its vector.
func (p promClient) query(ctx context.Context, q string) ([]sample, error) {
	u := p.base + "/api/v1/query?" + url.Values{"query": {q}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	v, err := parseVector(body)
	if err != nil {
		return nil, fmt.Errorf("query %q: %w", q, err)
	}
	return v, nil
}

// parseVector decodes an instant query's answer, which must be a vector.
func parseVector(body []byte) ([]sample, error) {
	var doc struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			ResultType string `json:"resultType"`
			Result     []struct {
				Metric map[string]string `json:"metric"`
				Value  [2]any            `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("%w (%.200s)", err, body)
	}
	if doc.Status != "success" {
		return nil, fmt.Errorf("status %q: %s", doc.Status, doc.Error)
	}
	if doc.Data.ResultType != "vector" {
		return nil, fmt.Errorf("result type %q, want vector", doc.Data.ResultType)
	}
	out := make([]sample, 0, len(doc.Data.Result))
	for _, r := range doc.Data.Result {
		s, ok := r.Value[1].(string)
		if !ok {
			return nil, fmt.Errorf("value %v is not a string", r.Value[1])
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("value %q: %w", s, err)
		}
		out = append(out, sample{Metric: r.Metric, Value: v})
	}
	return out, nil
}

// scalar runs q and wants exactly one sample.
func (p promClient) scalar(ctx context.Context, q string) (float64, error) {
	v, err := p.query(ctx, q)
	if err != nil {
		return 0, err
	}
	if len(v) != 1 {
		return 0, fmt.Errorf("query %q: %d samples, want 1: %v", q, len(v), v)
	}
	return v[0].Value, nil
}

// waitFor polls q every interval until it returns one sample of value
// want, or ctx ends.
func (p promClient) waitFor(ctx context.Context, q string, want float64, interval time.Duration) error {
	var last error
	for {
		v, err := p.scalar(ctx, q)
		if err == nil && v == want {
			return nil
		}
		if err == nil {
			err = fmt.Errorf("query %q = %v, want %v", q, v, want)
		}
		last = err
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting: %w (last: %v)", ctx.Err(), last)
		case <-time.After(interval):
		}
	}
}
