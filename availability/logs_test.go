package availability

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nines-sre/nines/logpattern"
	"github.com/nines-sre/nines/remediate"
)

func TestLogMinerNil(t *testing.T) {
	if _, err := New(WithLogMiner(nil)); !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), "WithLogMiner") {
		t.Fatalf("err = %v", err)
	}
}

// TestLogTemplateBurst: a service logs a steady mix; then an error
// template repeats. The template-rate anomaly reaches the timeline and a
// policy matching log-template anomalies; a template first seen after the
// warm-up does too.
func TestLogTemplateBurst(t *testing.T) {
	var acted []string
	engine, err := remediate.NewEngine(remediate.Config{Policies: []remediate.Policy{{
		Name: "log-burst",
		When: remediate.Match{Kinds: []remediate.SignalKind{remediate.SignalAnomaly},
			Predicate: func(s remediate.Signal) bool { return strings.HasPrefix(s.Source, LogTemplateSeries) }},
		Action: remediate.Func("record", func(_ context.Context, target string, s remediate.Signal) error {
			acted = append(acted, s.Attributes["template"])
			return nil
		}),
	}}}, remediate.WithAuditLogger(discardLogger))
	if err != nil {
		t.Fatal(err)
	}
	miner, err := logpattern.New(logpattern.WithWarmup(1000))
	if err != nil {
		t.Fatal(err)
	}
	m, _, clk := newTestMonitor(t, WithLogMiner(miner), WithEngine(engine), WithDetectorStep(10*time.Second))
	log := &eventLog{}
	m.OnEvent(log.add)
	// steady traffic: 300 ticks of a few request lines and one error line
	// every third tick, then 40 of the error at once
	for i := 0; i < 300; i++ {
		for j := 0; j < 5+i%3; j++ {
			miner.Observe(fmt.Sprintf("GET /items/%d 200 in %dms", i*10+j, 3+j))
		}
		if i%3 == 0 {
			miner.Observe(fmt.Sprintf("upstream timeout after %dms talking to 10.0.0.%d", 500+i, i%9))
		}
		m.TickAt(clk.Add(10 * time.Second))
	}
	if n := len(log.ofKind(EventAnomaly)); n != 0 {
		t.Fatalf("%d anomalies on the steady stream: %+v", n, log.ofKind(EventAnomaly))
	}
	for j := 0; j < 40; j++ {
		miner.Observe(fmt.Sprintf("upstream timeout after %dms talking to 10.0.0.%d", 900+j, j%9))
	}
	miner.Observe("panic: runtime error: invalid memory address") // new after the warm-up
	m.TickAt(clk.Add(10 * time.Second))

	var rate, novel bool
	for _, e := range log.ofKind(EventAnomaly) {
		if strings.HasPrefix(e.Message, "log template rate anomaly") && strings.Contains(e.Message, "upstream timeout after <*> talking to <*>") {
			rate = true
		}
		if strings.HasPrefix(e.Message, "new log template") && strings.Contains(e.Message, "panic: runtime error") {
			novel = true
		}
	}
	if !rate || !novel {
		t.Fatalf("rate anomaly %v, new template %v; events %+v", rate, novel, log.ofKind(EventAnomaly))
	}
	var burst bool
	for _, a := range acted {
		burst = burst || a == "upstream timeout after <*> talking to <*>"
	}
	if !burst || len(log.ofKind(EventRemediation)) == 0 {
		t.Fatalf("policy acted on %q; remediation events %+v", acted, log.ofKind(EventRemediation))
	}
}
