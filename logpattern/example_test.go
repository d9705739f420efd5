package logpattern_test

import (
	"fmt"
	"log"
	"log/slog"
	"os"

	"github.com/nines-sre/nines/logpattern"
)

func Example() {
	m, err := logpattern.New()
	if err != nil {
		panic(err)
	}
	for _, line := range []string{
		"connected to 10.0.0.7:5432 in 12ms as reader alice@db",
		"connected to 10.0.0.9:5432 in 3ms as reader bob@db",
		"cache miss for key=user:42",
	} {
		r := m.Observe(line)
		fmt.Printf("%v created=%v changed=%v %s\n", r.ID, r.Created, r.Changed, r.Template)
	}
	// Output:
	// 335bdc5784dc6f9b created=true changed=false connected to <*> in <*> as reader alice@db
	// 335bdc5784dc6f9b created=false changed=true connected to <*> in <*> as reader <*>
	// 2107b4f2b9fe04ef created=true changed=false cache miss for key=user:<*>
}

func ExampleMiner_Params() {
	m, _ := logpattern.New()
	r := m.Observe("disk /dev/sda1 at 91% on host db-1")
	params, _ := m.Params(nil, r.ID, "disk /dev/sdb2 at 97% on host db-1")
	fmt.Println(r.Template)
	fmt.Printf("%q\n", params)
	// Output:
	// disk <*> at <*> on host db-<*>
	// ["/dev/sdb2" "97%" "1"]
}

func ExampleMiner_TakeCounts() {
	m, _ := logpattern.New()
	for i := 0; i < 3; i++ {
		m.Observe(fmt.Sprintf("heartbeat %d ok", i))
	}
	m.Observe("payment failed: card declined")
	for _, c := range m.TakeCounts(nil) {
		fmt.Printf("%d %q\n", c.Lines, c.Template)
	}
	// a new step: every template, with zero lines (sorted by ID; the
	// first is the overflow template)
	for _, c := range m.TakeCounts(nil) {
		fmt.Printf("%d %q\n", c.Lines, c.Template)
	}
	// Output:
	// 0 ""
	// 3 "heartbeat <*> ok"
	// 1 "payment failed: card declined"
	// 0 ""
	// 0 "heartbeat <*> ok"
	// 0 "payment failed: card declined"
}

func ExampleMiner_Handler() {
	m, _ := logpattern.New()
	logger := slog.New(m.Handler(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // a fixed output for the example
			}
			return a
		},
	})))
	logger.Info("order 1017 shipped")
	logger.Info("order 1018 shipped")
	fmt.Println(m.Templates(nil)[0].Text, m.Stats().Lines)
	// Output:
	// level=INFO msg="order 1017 shipped"
	// level=INFO msg="order 1018 shipped"
	// order <*> shipped 2
}

func ExampleMiner_Writer() {
	m, _ := logpattern.New()
	w := m.Writer()
	std := log.New(w, "", 0) // the standard log package, or a child's stdout
	std.Printf("retrying upload %d of %d", 1, 3)
	std.Printf("retrying upload %d of %d", 2, 3)
	for _, t := range m.Templates(nil) {
		fmt.Println(t.Lines, t.Text)
	}
	// Output:
	// 2 retrying upload <*> of <*>
}

func ExampleWithListener() {
	m, _ := logpattern.New(logpattern.WithWarmup(2), logpattern.WithListener(func(e logpattern.Event) {
		fmt.Printf("%s novel=%v %s\n", e.Kind, e.Novel, e.Template)
	}))
	m.Observe("job 1 started")
	m.Observe("job 2 started")
	m.Observe("OOM killer invoked on pid 4242")
	// Output:
	// created novel=false job <*> started
	// created novel=true OOM killer invoked on pid <*>
}
