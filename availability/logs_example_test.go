package availability_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/nines-sre/nines/availability"
	"github.com/nines-sre/nines/logpattern"
	"github.com/nines-sre/nines/remediate"
)

// A service logs through slog; the miner behind its handler turns the log
// into templates. When one error template suddenly repeats, its rate
// anomaly reaches the timeline and a policy that acts on log-template
// anomalies (here it only prints; a real one might shed load or fail over).
func ExampleWithLogMiner() {
	miner, _ := logpattern.New()
	logger := slog.New(miner.Handler(slog.NewTextHandler(io.Discard, nil)))

	engine, _ := remediate.NewEngine(remediate.Config{Policies: []remediate.Policy{{
		Name: "log-burst",
		When: remediate.Match{Kinds: []remediate.SignalKind{remediate.SignalAnomaly},
			Predicate: func(s remediate.Signal) bool {
				return strings.HasPrefix(s.Source, availability.LogTemplateSeries) && s.State == "anomaly"
			}},
		Action: remediate.Func("page-owner", func(_ context.Context, _ string, s remediate.Signal) error {
			fmt.Printf("policy: paging the owner of %q\n", s.Attributes["template"])
			return nil
		}),
		Cooldown: time.Hour,
	}}}, remediate.WithAuditLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))

	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	mon, _ := availability.New(availability.WithLogMiner(miner), availability.WithEngine(engine),
		availability.WithDetectorStep(10*time.Second), // one point per template every 10 s (default: a minute)
		availability.WithClock(func() time.Time { return now }),
		availability.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer mon.Shutdown(context.Background())
	mon.OnEvent(func(e availability.Event) {
		if e.Kind == availability.EventAnomaly && strings.HasPrefix(e.Message, "log template rate anomaly") {
			// the message ends with the template text
			fmt.Println("timeline: log template rate anomaly:", e.Message[strings.LastIndex(e.Message, "): ")+3:])
		}
	})

	tick := func() { now = now.Add(10 * time.Second); mon.TickAt(now) }
	for i := 0; i < 300; i++ { // a normal day: requests, a rare timeout
		for j := 0; j < 5+i%3; j++ {
			logger.Info(fmt.Sprintf("GET /orders/%d 200 in %dms", i*10+j, 3+j))
		}
		if i%3 == 0 {
			logger.Warn(fmt.Sprintf("payment gateway timeout after %dms", 500+i))
		}
		tick()
	}
	fmt.Println("after 300 quiet ticks: no anomaly")
	for j := 0; j < 40; j++ { // the gateway fails: the timeout repeats
		logger.Warn(fmt.Sprintf("payment gateway timeout after %dms", 900+j))
		if j%8 == 0 { // the requests go on as before
			logger.Info(fmt.Sprintf("GET /orders/%d 200 in %dms", 5000+j, 4))
		}
	}
	tick()
	// Output:
	// after 300 quiet ticks: no anomaly
	// timeline: log template rate anomaly: payment gateway timeout after <*>
	// policy: paging the owner of "payment gateway timeout after <*>"
}
