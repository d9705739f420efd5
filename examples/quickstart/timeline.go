package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/nines-sre/nines/availability"
)

// timeline prints one line per notable thing, as it happens: the wall
// time since the start, the time on the accelerated SLO clock since the
// start (slo+0h12m), a tag and the message.
type timeline struct {
	mu       sync.Mutex
	out      io.Writer
	start    time.Time
	sloStart time.Time
	sloClock func() time.Time

	// cooledDown holds the policies whose cooldown was already shown: one
	// alert fires several tiers at once, and every one after the first is
	// held back, which /statusz counts.
	cooledDown map[string]bool
	// firing holds each objective's alert tiers firing now ("page 1h"):
	// an objective's tiers fire and resolve together, so the timeline
	// prints a line only when its level (page, ticket, none) changes.
	firing map[string]map[string]bool
}

func (tl *timeline) printf(tag, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	tl.mu.Lock()
	defer tl.mu.Unlock()
	// Read the clocks under the lock so that lines are in time order.
	wall := time.Since(tl.start)
	slo := tl.sloClock().Sub(tl.sloStart)
	fmt.Fprintf(tl.out, "%6.2fs  slo+%dh%02dm  %-9s %s\n",
		wall.Seconds(), int(slo.Hours()), int(slo.Minutes())%60, tag, msg)
}

// event prints a Monitor event; it is the OnEvent listener.
func (tl *timeline) event(e availability.Event) {
	if e.Kind == availability.EventRemediation && strings.HasSuffix(e.Message, "rate_limited (cooldown)") {
		tl.mu.Lock()
		shown := tl.cooledDown[e.Subject]
		if tl.cooledDown == nil {
			tl.cooledDown = map[string]bool{}
		}
		tl.cooledDown[e.Subject] = true
		tl.mu.Unlock()
		if shown {
			return
		}
		e.Message += "; its repeats during the cooldown are not shown"
	}
	if e.Kind == availability.EventSLOAlert && !tl.alertLevelChanged(e) {
		return
	}
	if strings.Contains(e.Message, e.Subject) {
		tl.printf(eventTag(e.Kind), "%s", e.Message)
		return
	}
	tl.printf(eventTag(e.Kind), "%s: %s", e.Subject, e.Message)
}

func eventTag(k availability.EventKind) string {
	switch k {
	case availability.EventHealth:
		return "HEALTH"
	case availability.EventSLOAlert:
		return "ALERT"
	case availability.EventAnomaly:
		return "ANOMALY"
	case availability.EventBreaker:
		return "BREAKER"
	case availability.EventRemediation:
		return "REMEDIATE"
	case availability.EventShed:
		return "SHED"
	}
	return "EVENT"
}

// alertLevelChanged records an alert event ("page alert <objective>
// firing: burn rate 19.6 over 1h, ...") and reports whether it changed the
// objective's level: the highest severity firing, or none.
func (tl *timeline) alertLevelChanged(e availability.Event) bool {
	f := strings.Fields(e.Message)
	if len(f) < 9 || f[1] != "alert" {
		return true // not the Monitor's format: show it as is
	}
	tier, firing := f[0]+" "+f[8], f[3] == "firing:"
	tl.mu.Lock()
	defer tl.mu.Unlock()
	if tl.firing == nil {
		tl.firing = map[string]map[string]bool{}
	}
	tiers := tl.firing[e.Subject]
	if tiers == nil {
		tiers = map[string]bool{}
		tl.firing[e.Subject] = tiers
	}
	before := alertLevel(tiers)
	if firing {
		tiers[tier] = true
	} else {
		delete(tiers, tier)
	}
	return alertLevel(tiers) != before
}

// alertLevel is "page" if a page tier fires, else "ticket" if a ticket
// tier fires, else "".
func alertLevel(tiers map[string]bool) string {
	level := ""
	for t := range tiers {
		switch {
		case strings.HasPrefix(t, "page "):
			return "page"
		case strings.HasPrefix(t, "ticket "):
			level = "ticket"
		}
	}
	return level
}
