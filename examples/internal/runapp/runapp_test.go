package runapp

import (
	"context"
	"errors"
	"flag"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"testing/synctest"
	"time"
)

func TestBindSetsDefaultsAndParses(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	f := Flags{Addr: "127.0.0.1:1", Ops: "127.0.0.1:2", Duration: time.Minute, Drain: 15 * time.Second}
	f.Bind(fs, Usage{Addr: "the shop"})
	if err := fs.Parse([]string{"-ops", "127.0.0.1:3", "-duration", "5s", "-drain", "10ms"}); err != nil {
		t.Fatal(err)
	}
	want := Flags{Addr: "127.0.0.1:1", Ops: "127.0.0.1:3", Duration: 5 * time.Second, Drain: 10 * time.Millisecond}
	if f != want {
		t.Errorf("flags %+v, want %+v", f, want)
	}
	if got := fs.Lookup("addr").Usage; got != "the shop" {
		t.Errorf("-addr usage %q", got)
	}
	if got := fs.Lookup("duration").Usage; !strings.Contains(got, "SIGTERM") {
		t.Errorf("-duration usage %q, want the service default", got)
	}
}

// A busy address is an error without onBusy, and a free port on the same
// host, reported to onBusy, with it.
func TestListenFallsBackOnlyWhenAsked(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	addr := busy.Addr().String()
	if ln, err := Listen(addr, nil); err == nil || !errors.Is(err, syscall.EADDRINUSE) || !strings.Contains(err.Error(), addr) {
		if ln != nil {
			ln.Close()
		}
		t.Fatalf("Listen(busy, nil) = %v, want EADDRINUSE naming %s", err, addr)
	}
	var told string
	ln, err := Listen(addr, func(b string, used net.Addr) { told = b + " -> " + used.String() })
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if ln.Addr().String() == addr || !strings.HasPrefix(ln.Addr().String(), "127.0.0.1:") {
		t.Errorf("fallback listener on %s", ln.Addr())
	}
	if want := addr + " -> " + ln.Addr().String(); told != want {
		t.Errorf("onBusy told %q, want %q", told, want)
	}
	if _, err := Listen("not an address", func(string, net.Addr) { t.Error("onBusy called for a bad address") }); err == nil {
		t.Error("Listen accepted a malformed address")
	}
}

// Serve answers until stop; stop reports nothing for a clean shutdown, and
// reports an error that ended serving early.
func TestServeAndStop(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stop := Serve(Server(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") })), ln)
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get("http://" + ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "ok" {
		t.Errorf("body %q", body)
	}
	if err := stop(context.Background()); err != nil {
		t.Errorf("stop: %v", err)
	}
}

// brokenListener fails every Accept, as a listener whose socket broke.
type brokenListener struct{}

var errBroken = errors.New("accept: broken")

func (brokenListener) Accept() (net.Conn, error) { return nil, errBroken }
func (brokenListener) Close() error              { return nil }
func (brokenListener) Addr() net.Addr            { return &net.TCPAddr{} }

// An error that ended Serve before stop is reported by stop. synctest.Wait
// lets Serve fail first, as it would in a long-running service.
func TestStopReportsAnEarlyServeError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		stop := Serve(Server(http.NotFoundHandler()), brokenListener{})
		synctest.Wait()
		if err := stop(context.Background()); !errors.Is(err, errBroken) {
			t.Errorf("stop = %v, want the Accept error", err)
		}
	})
}

// Run hands both listeners to run; a bad -ops fails before run, and
// closes the -addr listener it had opened (so the port is free again).
func TestRun(t *testing.T) {
	f := Flags{Addr: "127.0.0.1:0", Ops: "127.0.0.1:0"}
	var got []string
	err := Run(context.Background(), f, func(_ context.Context, app, ops net.Listener) error {
		got = []string{app.Addr().String(), ops.Addr().String()}
		app.Close()
		ops.Close()
		return errors.New("from run")
	})
	if err == nil || err.Error() != "from run" || len(got) != 2 || got[0] == got[1] {
		t.Fatalf("Run = %v with listeners %v; want run's error and two listeners", err, got)
	}

	probe, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := probe.Addr().String()
	probe.Close()
	err = Run(context.Background(), Flags{Addr: addr, Ops: "bad"}, func(context.Context, net.Listener, net.Listener) error {
		t.Error("run called although -ops is bad")
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "bad") {
		t.Fatalf("Run with a bad -ops = %v", err)
	}
	again, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("the -addr listener was left open: %v", err)
	}
	again.Close()
}

// The context ends after the duration, and at SIGTERM.
func TestContext(t *testing.T) {
	ctx, cancel := Context(time.Nanosecond)
	<-ctx.Done()
	if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Errorf("after the duration: %v", ctx.Err())
	}
	cancel()

	ctx, cancel = Context(0)
	defer cancel()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(time.Minute):
		t.Fatal("SIGTERM did not end the context")
	}
}
