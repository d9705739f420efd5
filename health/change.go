package health

import "time"

// Change is one status transition, of a check or of a group, as passed to
// the listeners registered with Registry.OnChange. It is a plain value,
// safe to copy and to share between goroutines.
type Change struct {
	// Check is the name of the check that changed, or "" for a group
	// transition.
	Check string
	// Group is the group that changed, for a group transition; zero for a
	// check transition.
	Group Group
	// Previous and Current are the statuses before and after.
	Previous, Current Status
	// Time is when the registry noticed the transition.
	Time time.Time
}

// OnChange registers fn to be called with every later status transition:
// of each check (its status as CheckStatus reads it, staleness included)
// and of each group (as Status reads it, draining included). Calls happen
// outside every lock of the registry, one at a time and in the order the
// transitions happened: check transitions first (by name), then group
// transitions (live, ready, startup). fn runs on whichever goroutine
// caused the transition (a check's scheduler, Drain's caller, ...), so it
// must be quick; a listener that blocks delays that check's schedule,
// and its results go stale. fn may call any Registry method but Shutdown,
// which would wait for the very goroutine running fn.
//
// A panicking fn is recovered: the other listeners still get the
// transition, and the goroutine delivering it carries on.
//
// remove unregisters fn; a transition already being delivered may still
// reach it once. remove is idempotent. A nil fn is ignored.
func (r *Registry) OnChange(fn func(Change)) (remove func()) {
	return r.listeners.Add(fn)
}

// reconcileLocked compares the current status of every check and group
// with the last announced one and queues a Change for each difference.
// r.mu must be held; call deliver after releasing it.
func (r *Registry) reconcileLocked(now time.Time) {
	tab := r.tab.Load()
	for _, e := range tab.all {
		cur := e.view(now).status
		if cur != e.pub {
			r.queue = append(r.queue, Change{Check: e.check.Name, Previous: e.pub, Current: cur, Time: now})
			e.pub = cur
		}
	}
	for i, g := range groupList {
		cur := r.StatusAt(g, now)
		if cur != r.groupPub[i] {
			r.queue = append(r.queue, Change{Group: g, Previous: r.groupPub[i], Current: cur, Time: now})
			r.groupPub[i] = cur
		}
	}
}

// reconcile is reconcileLocked at the current time followed by deliver.
// The time is read under r.mu so that successive reconciliations never
// go back in time: an instant read before waiting for the lock could
// announce a stale check fresh again right after another goroutine
// announced it stale.
func (r *Registry) reconcile() {
	r.mu.Lock()
	r.reconcileLocked(time.Now())
	r.mu.Unlock()
	r.deliver()
}

// deliver hands queued changes to the listeners, without holding r.mu.
// Only one goroutine delivers at a time, which keeps the order; others
// leave their changes in the queue for it.
func (r *Registry) deliver() {
	r.mu.Lock()
	if r.delivering || len(r.queue) == 0 {
		r.mu.Unlock()
		return
	}
	r.delivering = true
	for len(r.queue) > 0 {
		batch := r.queue
		r.queue = nil
		r.mu.Unlock()
		for _, c := range batch {
			r.listeners.Emit(c) // recovers a panicking listener
		}
		r.mu.Lock()
	}
	r.delivering = false
	r.mu.Unlock()
}
