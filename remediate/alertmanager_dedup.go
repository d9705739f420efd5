package remediate

import (
	"sync"
	"time"
)

// Bounds of the receiver's deduplication memory.
const (
	// dedupTTL is how long an alert not seen again is remembered. It is
	// longer than Alertmanager's default repeat_interval (4h), so a firing
	// alert re-sent at every repeat stays one signal.
	dedupTTL = 24 * time.Hour
	// dedupCapacity bounds the alerts remembered: past it, the one seen
	// least recently is forgotten (and would, if sent again, be one more
	// signal, which the engine's cooldown still holds back).
	dedupCapacity = 4096
)

// dedupKey identifies one alert in one aggregation group.
type dedupKey struct{ group, fingerprint string }

// alertState is the last state of an alert that was handed on.
type alertState struct {
	firing   bool
	startsAt time.Time
	seen     time.Time // last delivery that named it, for expiry
}

// dedup remembers the last state handed on per (group key, fingerprint):
// Alertmanager re-sends a group's every alert at each group_interval and
// repeat_interval, and an HA pair of Alertmanagers sends each notification
// twice, but a policy should see one signal per transition.
type dedup struct {
	mu     sync.Mutex
	alerts map[dedupKey]alertState
	pruned time.Time // last full expiry pass
}

// observe reports whether the alert is a transition worth a signal (new, or
// a state or start time other than the one remembered) and, if so,
// remembers it; prev is what it replaced, for undo.
func (d *dedup) observe(k dedupKey, firing bool, startsAt, now time.Time) (isNew bool, prev alertState, had bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.alerts == nil {
		d.alerts = make(map[dedupKey]alertState)
	}
	d.expire(now)
	prev, had = d.alerts[k]
	next := alertState{firing: firing, startsAt: startsAt, seen: now}
	if had && prev.firing == firing && prev.startsAt.Equal(startsAt) {
		d.alerts[k] = next
		return false, prev, had
	}
	if !had && len(d.alerts) >= dedupCapacity {
		d.evictOldest()
	}
	d.alerts[k] = next
	return true, prev, had
}

// undo restores what observe replaced, when the signal could not be handed
// on: the next delivery of the same alert is then new again.
func (d *dedup) undo(k dedupKey, prev alertState, had bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if had {
		d.alerts[k] = prev
	} else {
		delete(d.alerts, k)
	}
}

// expire forgets alerts not seen for dedupTTL, at most once a minute (a
// full pass is O(entries)).
func (d *dedup) expire(now time.Time) {
	if now.Sub(d.pruned) < time.Minute && !now.Before(d.pruned) {
		return
	}
	d.pruned = now
	for k, s := range d.alerts {
		if now.Sub(s.seen) >= dedupTTL {
			delete(d.alerts, k)
		}
	}
}

func (d *dedup) evictOldest() {
	var oldest dedupKey
	var at time.Time
	first := true
	for k, s := range d.alerts {
		if first || s.seen.Before(at) {
			oldest, at, first = k, s.seen, false
		}
	}
	delete(d.alerts, oldest)
}

func (d *dedup) len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.alerts)
}
