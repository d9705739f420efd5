// Package harness holds what the end-to-end CI commands (prome2e, ame2e)
// share: free loopback ports for the processes a check script starts, a
// readiness wait, and comma-separated lists on their command lines.
package harness

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxPorts is the most ports Ports hands out at once.
const MaxPorts = 16

// Ports writes n free TCP ports on 127.0.0.1 to w, one per line. All n
// listeners are open together, so the ports differ; they are closed on
// return, so another process can take one first: a check script that
// starts servers on them fails loudly (address in use) rather than wrongly.
func Ports(w io.Writer, n int) error {
	if n < 1 || n > MaxPorts {
		return fmt.Errorf("ports: N %d must be 1 to %d", n, MaxPorts)
	}
	var lns []net.Listener
	defer func() {
		for _, ln := range lns {
			ln.Close()
		}
	}()
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		lns = append(lns, ln)
		if _, err := fmt.Fprintln(w, ln.Addr().(*net.TCPAddr).Port); err != nil {
			return err
		}
	}
	return nil
}

// Wait polls url every 100ms until it answers 200 OK, for at most d (and
// no longer than ctx). The error names the URL and the last answer.
func Wait(ctx context.Context, url string, d time.Duration) error {
	if d <= 0 {
		return fmt.Errorf("wait: timeout %v must be positive", d)
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	var last error // the last answer, not the deadline that cut a poll short
	for {
		err := Get(ctx, client, url, http.StatusOK)
		if err == nil {
			return nil
		}
		if last == nil || ctx.Err() == nil {
			last = err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait: %s not ready after %v: %w", url, d, last)
		case <-tick.C:
		}
	}
}

// Get GETs url with client and wants status want; the body is read to its
// end (so the connection is reused) and dropped.
func Get(ctx context.Context, client *http.Client, url string, want int) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != want {
		return fmt.Errorf("GET %s: %s, want %d", url, resp.Status, want)
	}
	return nil
}

// SplitList splits a comma-separated list, dropping blanks around and
// between its items.
func SplitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ErrUsage is returned by the commands when their arguments are the wrong
// number; the caller prints its usage.
var ErrUsage = errors.New("wrong number of arguments")

// PortsCommand is the "ports N" sub-command: Ports to stdout.
func PortsCommand(w io.Writer, args []string) error {
	if len(args) != 1 {
		return ErrUsage
	}
	n, err := strconv.Atoi(args[0])
	if err != nil {
		return fmt.Errorf("ports: N %q is not a number", args[0])
	}
	return Ports(w, n)
}

// WaitCommand is the "wait URL TIMEOUT" sub-command: Wait.
func WaitCommand(ctx context.Context, args []string) error {
	if len(args) != 2 {
		return ErrUsage
	}
	d, err := time.ParseDuration(args[1])
	if err != nil {
		return fmt.Errorf("wait: timeout: %w", err)
	}
	return Wait(ctx, args[0], d)
}
