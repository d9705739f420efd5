package availability

import "time"

// The request path reads the monotonic clock only. time.Now reads the wall
// clock and the monotonic clock (two system clock reads); time.Since on a
// time.Time that has a monotonic reading reads the monotonic clock alone.
// So the Monitor keeps one instant taken at construction, its epoch, and a
// call's instants are epoch plus the monotonic time elapsed since: a call
// reads the clock twice in all, once at admission and once at its end.
// Their wall-clock part is derived (epoch's wall clock plus the monotonic
// elapsed time), which is what the shedder's token buckets and the
// latency need; a wall-clock step after New does not move them.

// since returns the monotonic time elapsed since the Monitor's epoch.
func (m *Monitor) since() time.Duration { return time.Since(m.epoch) }

// now returns the current instant with one monotonic clock read.
func (m *Monitor) now() time.Time { return m.epoch.Add(m.since()) }
