// Command peers shows peer-outlier ejection on a plain net/http client:
// ten backends of the "inventory" dependency listen on 127.0.0.1; one of
// them becomes three times slower, later recovers its speed but fails one
// request in ten, and at last heals. The client's transport is the
// Monitor's RoundTripper (the dependency's SLOs and breaker) around an
// eject.Balancer (round-robin over the backends, skipping the ejected,
// recording each call under its backend); every step the Monitor compares
// the backends with each other, and the remediation engine ejects the
// outlier, returns it when its ejection time is over, and ejects it again,
// for longer, while it is still sick.
//
//	go run ./examples/peers
//
// The backends are real servers, but they do not sleep: each adds its
// service time to a virtual clock that the Balancer and the Monitor read,
// so that the story takes a second and prints the same timeline every
// run.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	flag.Usage = func() {
		write(flag.CommandLine.Output(), `usage: peers

Shows peer-outlier ejection on a plain net/http client: ten backends of the
"inventory" dependency, one of which turns slow, then fails requests, then
heals; the Monitor's engine ejects it and returns it. The story runs on a
virtual clock, in about a second. It takes no flags or arguments.
`)
	}
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "peers: unexpected argument %q\n", flag.Arg(0))
		flag.Usage()
		os.Exit(2)
	}
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "peers:", err)
		os.Exit(1)
	}
}

// write is fmt.Fprintf for a story told to an io.Writer whose errors the
// caller checks once at the end.
func write(w io.Writer, format string, args ...any) { _, _ = fmt.Fprintf(w, format, args...) }
