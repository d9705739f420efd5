// Command bbcompare measures nines' synthetic checks against Prometheus
// blackbox_exporter (CI: .ci/checks/55-blackbox.sh).
//
//	bbcompare [-blackbox PATH] [-n 20] [-timeout 4m]
//
// It starts a test target on 127.0.0.1 with one handler behind three
// listeners (plain HTTP; HTTPS with a certificate from a CA made at start;
// HTTPS whose handshake waits 100 ms for its certificate) and runs seven
// cases: plain (200), tls (200 over HTTPS), tls-slow (the slow
// handshake), slow (300 ms before the headers, 200 ms in the middle of the
// body), redirect (a 302 to the 200 whose own body arrives 100 ms late),
// error (a 500) and hostname (the 200 by the name localhost, so that both
// look a name up). It starts blackbox_exporter on a free loopback port
// with one module per case (the HTTPS ones with the CA as
// tls_config.ca_file) and
// probes each case N times with blackbox (GET /probe, the text exposition
// parsed here) and N times with a one-step synthetic.Check run by
// Runner.Run, the two alternating (blackbox first on even rounds, nines
// first on odd) after one discarded warm-up round, so that load and warm
// caches affect both alike. It prints one table and exits 1 naming every
// case and phase that disagrees.
//
// # Outcomes agree exactly
//
// Success (status 200 after redirects: valid_status_codes [200] on one
// side, an Assertion{Status: 200} on the other), final status code,
// redirects followed (probe_http_redirects; for nines the requests its
// transport sent minus one) and the TCP connections the target accepted
// during the probe must be the same on every probe of both sides.
//
// # Where each phase starts and ends
//
// blackbox_exporter 0.23 (prober/http.go) keeps one trace per round trip
// of the client (a new one in its RoundTripper, so per redirect hop), each
// with httptrace instants, and sums the hops:
//
//   - resolve: first hop, the time of its own lookup of the target's host
//     before the request (chooseProtocol; the request then goes to the
//     IP); later hops, DNSStart to DNSDone, or zero when the host is an IP
//     (ConnectStart sets both to the same instant). nines: DNSStart to
//     DNSDone of every hop (it measured from GetConn, which adds the wait
//     for the transport's dialing goroutine, until this comparison:
//     synthetic/trace.go). For an IP literal nines does no lookup (0) and
//     blackbox times a lookup of a literal, which net.Resolver answers
//     without any query (microseconds): both are "no DNS". The hostname
//     case has both look localhost up.
//   - connect: plain HTTP, from ConnectStart to GotConn; HTTPS, from
//     ConnectStart to ConnectDone. nines: ConnectStart to ConnectDone.
//     The plain-HTTP difference is the transport's bookkeeping between
//     ConnectDone and GotConn, microseconds.
//   - tls: TLSHandshakeStart to TLSHandshakeDone, on both sides. The
//     target offers one key exchange (X25519) and HTTP/1.1 only, so both
//     clients do the same handshake whatever their Go versions prefer.
//   - processing: GotConn to GotFirstResponseByte, on both sides.
//   - transfer: blackbox counts it for the last hop only (its end instant
//     is set once, after the body is read and closed): first byte to end
//     of body. A redirect hop's transfer, the client reading the 302's
//     body before it follows it, is in no phase. nines does the same since
//     this comparison found it counting that read as transfer (the
//     redirect case: blackbox 0.116 ms, nines 100.982 ms):
//     synthetic/trace.go.
//
// Connections: blackbox_exporter builds a new client per probe with
// keep-alives off, so every hop, redirects included, opens a connection
// and pays connect (and tls). nines' default transport reuses
// connections, which would make its connect and tls zero after the first
// run; here its transport has keep-alives off too (the comparison is of
// the timing, not of the pooling choice), and the target's count of
// accepted connections is part of the outcome that must agree.
//
// probe_duration_seconds is shown but not compared: it covers building
// blackbox's client and registry and the separate lookup, which a
// synthetic step's Duration (request to end of body) does not.
//
// # Tolerance
//
// Both sides time the same httptrace events with the monotonic clock in
// the same process as the client, so a median differs only by what
// happens between an event and its hook on different runs (goroutine
// scheduling: microseconds on an idle machine, a millisecond or two for
// a single event on a shared two-core CI runner) and by the cost of the
// client code itself (blackbox is a Go 1.19 build in another process that
// also serves /probe; its loopback medians read 0.05 to 0.5 ms higher).
// Medians over N probes drop the outliers, so loopback phases (all under
// 2 ms here, most under 0.3 ms) are allowed 2 ms. The slow phases add a
// server-side time.Sleep both sides wait through; its overshoot is timer
// and scheduler latency, so they get the same 2 ms plus 2% of the larger
// median (6 ms of 300 ms) for a loaded runner's late wake-ups. On a busy
// machine the scatter itself grows (three CPU hogs on two cores: loopback
// phases with interquartile ranges of 4-11 ms and medians up to 8 ms
// apart), so every tolerance also takes the larger of the two sides'
// interquartile ranges, capped at 25 ms: a quarter of the smallest shift
// a misplaced boundary causes, so no such bug passes however busy the
// machine.
//
// That tolerance cannot tell sub-millisecond loopback phases apart, and
// is not meant to: the boundaries are tested by the slow cases, where a
// phase boundary in the wrong place moves 100 ms or more (a handshake
// counted as connect, headers as transfer, a redirect's body as
// transfer). A difference of definition is never covered by the
// tolerance: it is aligned above instead.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"
)

// tolerances per phase; see the package comment for why.
var tolerances = [numPhases]tolerance{
	resolve:    {abs: 2 * time.Millisecond},
	connect:    {abs: 2 * time.Millisecond},
	tlsPhase:   {abs: 2 * time.Millisecond},
	processing: {abs: 2 * time.Millisecond, rel: 0.02},
	transfer:   {abs: 2 * time.Millisecond, rel: 0.02},
}

func main() {
	bin := flag.String("blackbox", "prometheus-blackbox-exporter", "blackbox_exporter binary (name in PATH or path)")
	n := flag.Int("n", 20, "probes per case and prober (1 to 1000)")
	timeout := flag.Duration("timeout", 4*time.Minute, "bound on the whole comparison")
	flag.Parse()
	if *n < 1 || *n > 1000 {
		fmt.Fprintf(os.Stderr, "bbcompare: -n %d: must be 1 to 1000\n", *n)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	reports, err := run(ctx, *bin, *n)
	cancel()
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bbcompare:", err)
		os.Exit(1)
	}
	printTable(os.Stdout, reports, *n)
	failed := false
	for _, r := range reports {
		for _, p := range r.problems {
			fmt.Fprintln(os.Stderr, "bbcompare: DISAGREE:", p)
			failed = true
		}
	}
	if failed {
		os.Exit(1)
	}
	fmt.Println("bbcompare: every outcome agrees and every phase is within its tolerance")
}

func run(ctx context.Context, bin string, n int) ([]caseReport, error) {
	path, err := exec.LookPath(bin)
	if err != nil {
		return nil, fmt.Errorf("blackbox_exporter: %w", err)
	}
	dir, err := os.MkdirTemp("", "bbcompare")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)

	t, err := startTarget()
	if err != nil {
		return nil, fmt.Errorf("target: %w", err)
	}
	defer t.close()
	caFile := dir + "/ca.pem"
	if err := os.WriteFile(caFile, t.caPEM, 0o600); err != nil {
		return nil, err
	}
	cases := t.cases()
	config, err := blackboxConfig(cases, caFile)
	if err != nil {
		return nil, err
	}
	bb, err := startBlackbox(ctx, path, dir, config)
	if err != nil {
		return nil, err
	}
	defer bb.stop()
	if v, err := exec.CommandContext(ctx, path, "--version").CombinedOutput(); err == nil {
		fmt.Printf("blackbox_exporter: %s", firstLine(string(v)))
	}

	nines, err := newNinesProber(cases, t.roots)
	if err != nil {
		return nil, fmt.Errorf("nines checks: %w", err)
	}
	// measure runs one probe and counts the target's new connections.
	measure := func(probe func() (observation, error)) (observation, error) {
		before := t.conns.Load()
		o, err := probe()
		o.conns = int(t.conns.Load() - before)
		return o, err
	}
	results := make([][2][]observation, len(cases))
	for round := -1; round < n; round++ { // round -1 warms both up, discarded
		for i, c := range cases {
			sides := [2]func() (observation, error){
				func() (observation, error) { return bb.probe(ctx, c.name, c.url) },
				func() (observation, error) { return nines.probe(ctx, c.name) },
			}
			order := [2]int{0, 1}
			if round%2 != 0 {
				order = [2]int{1, 0}
			}
			for _, side := range order {
				o, err := measure(sides[side])
				if err != nil {
					return nil, fmt.Errorf("case %s round %d: %w", c.name, round+1, err)
				}
				if round >= 0 {
					results[i][side] = append(results[i][side], o)
				}
			}
		}
	}
	reports := make([]caseReport, len(cases))
	for i, c := range cases {
		reports[i] = compareCase(c.name, results[i][0], results[i][1], tolerances)
	}
	return reports, nil
}

// printTable writes the comparison: per case its outcomes (ok|fail,
// status, rN redirects, cN connections), then per phase the medians, the
// difference (nines minus blackbox), the tolerance and the verdict; the
// interquartile ranges show how much each side varied.
func printTable(w io.Writer, reports []caseReport, n int) {
	fmt.Fprintf(w, "medians of %d probes per case and prober; outcome = ok|fail status rREDIRECTS cCONNECTIONS\n", n)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintln(tw, "case\tphase\tblackbox\tnines\tdiff\ttolerance\tIQR bb\tIQR nines\tagree\t")
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "NO"
	}
	for _, r := range reports {
		fmt.Fprintf(tw, "%s\toutcome\t%v\t%v\t\t\t\t\t%s\t\n", r.name, r.blackbox, r.nines, yes(r.outcomesAgree))
		for _, p := range r.phases {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%+.3fms\t%s\t%s\t%s\t%s\t\n", r.name, p.phase, ms(p.blackbox), ms(p.nines), float64(p.diff)/1e6, ms(p.tolerance), ms(p.blackboxSpread), ms(p.ninesSpread), yes(p.agree))
		}
		fmt.Fprintf(tw, "%s\t(duration)\t%s\t%s\t\t(not compared)\t\t\t\t\n", r.name, ms(r.blackboxTotal), ms(r.ninesTotal))
	}
	_ = tw.Flush()
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line + "\n"
}
