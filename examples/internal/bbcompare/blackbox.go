package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// blackbox is a running blackbox_exporter.
type blackbox struct {
	cmd    *exec.Cmd
	base   string
	log    string
	client *http.Client
	exited chan struct{}
}

// startBlackbox runs bin with the configuration in dir on a free loopback
// port and waits until it answers /-/healthy. A port taken between choosing
// and binding it is retried.
func startBlackbox(ctx context.Context, bin, dir, config string) (*blackbox, error) {
	cfg := filepath.Join(dir, "blackbox.yml")
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		return nil, err
	}
	var err error
	for attempt := range 3 {
		var b *blackbox
		if b, err = tryBlackbox(ctx, bin, cfg, filepath.Join(dir, fmt.Sprintf("blackbox%d.log", attempt))); err == nil {
			return b, nil
		}
	}
	return nil, err
}

func tryBlackbox(ctx context.Context, bin, cfg, logPath string) (*blackbox, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	addr := net.JoinHostPort("127.0.0.1", port)
	cmd := exec.CommandContext(ctx, bin, "--config.file="+cfg, "--web.listen-address="+addr, "--log.level=warn")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	b := &blackbox{cmd: cmd, base: "http://" + addr, log: logPath, exited: make(chan struct{}),
		client: &http.Client{Timeout: 15 * time.Second, Transport: &http.Transport{Proxy: nil}}}
	go func() { _ = cmd.Wait(); close(b.exited) }()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-b.exited:
			return nil, fmt.Errorf("%s exited at start: %s", bin, b.tail())
		case <-ctx.Done():
			b.stop()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		resp, err := b.client.Get(b.base + "/-/healthy")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return b, nil
			}
		}
	}
	b.stop()
	return nil, fmt.Errorf("%s not healthy within 15s: %s", bin, b.tail())
}

// stop kills the exporter and waits for it.
func (b *blackbox) stop() {
	_ = b.cmd.Process.Kill()
	<-b.exited
	b.client.CloseIdleConnections()
}

// tail returns the end of the exporter's log, for error messages.
func (b *blackbox) tail() string {
	data, _ := os.ReadFile(b.log)
	s := strings.TrimSpace(string(data))
	if len(s) > 2000 {
		s = "..." + s[len(s)-2000:]
	}
	if s == "" {
		return "(empty log)"
	}
	return s
}

// probe asks the exporter to probe target with module and reads the
// answer.
func (b *blackbox) probe(ctx context.Context, module, target string) (observation, error) {
	q := url.Values{"module": {module}, "target": {target}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.base+"/probe?"+q.Encode(), nil)
	if err != nil {
		return observation{}, err
	}
	resp, err := b.client.Do(req)
	if err != nil {
		return observation{}, fmt.Errorf("blackbox /probe: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20+1))
	if err != nil {
		return observation{}, fmt.Errorf("blackbox /probe: %w", err)
	}
	if len(body) > 1<<20 {
		return observation{}, errors.New("blackbox /probe: answer over 1 MiB")
	}
	if resp.StatusCode != http.StatusOK {
		return observation{}, fmt.Errorf("blackbox /probe: status %d: %s", resp.StatusCode, clip(string(body)))
	}
	samples, err := parseExposition(string(body))
	if err != nil {
		return observation{}, fmt.Errorf("blackbox /probe answer: %w", err)
	}
	o, err := blackboxObservation(samples)
	if err != nil {
		return o, fmt.Errorf("blackbox /probe answer: %w", err)
	}
	return o, nil
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	_, port, err := net.SplitHostPort(l.Addr().String())
	return port, err
}
