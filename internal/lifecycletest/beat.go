package lifecycletest

import "time"

// Beat is an alive function's usual body: beats receives a value each time
// the component's background work runs (a check, a tick). Beat drops one
// beat that may predate the question, then reports whether another comes.
// It is not a timing assertion: a live component beats within
// milliseconds, and the minute's bound only turns a stopped one into a
// failure instead of a hung test.
func Beat(beats <-chan struct{}) bool {
	select {
	case <-beats:
	default:
	}
	select {
	case <-beats:
		return true
	case <-time.After(time.Minute):
		return false
	}
}
