package main

import "time"

// idleSamples is how many consecutive samples in which the rotation
// moves but a backend serves nothing make it ejected. The rotation moves
// in a sample when at least half the backends serve movingCalls calls or
// more in it: at about 10 calls per backend per 100ms sample, a backend
// in rotation is never idle that long, and a sample in which the client
// or the host stalls (seen at load average 16: three backends idle for
// 300ms at once, none of them ejected) neither counts nor resets.
const (
	idleSamples = 5
	movingCalls = 2
)

// observer tells ejections from the backends' side, the same way for
// both systems: a backend that serves nothing for idleSamples samples
// in a row while the rotation moves is ejected since the first of them,
// until it serves again. Faults start at faultAt (set by
// faultsOn); an ejection of a backend without a fault, or of any backend
// before faultAt, is false.
type observer struct {
	faulty  map[int]bool
	faultAt time.Time // zero until faultsOn

	prev      []int64
	idle      []int
	idleSince []time.Time
	out       []bool
	failed    []failedAt // failures seen at each sample, for failedBefore

	ejectedAt    time.Time // first ejection of a faulty backend; zero: none
	failedBefore int64     // failures between faultAt and ejectedAt
	falseEjected int       // ejection episodes that are false
	maxEjected   int
	episodes     []episode // every ejection seen, for -v
}

type episode struct {
	backend int
	since   time.Time
	false   bool
}

type failedAt struct {
	t time.Time
	n int64
}

func newObserver(n int, faulty map[int]bool) *observer {
	return &observer{faulty: faulty, prev: make([]int64, n), idle: make([]int, n),
		idleSince: make([]time.Time, n), out: make([]bool, n)}
}

// sample takes the backends' served counters and the callers' failure
// count at now.
func (o *observer) sample(now time.Time, served []int64, failed int64) {
	o.failed = append(o.failed, failedAt{now, failed})
	busy := 0
	for i, c := range served {
		if c-o.prev[i] >= movingCalls {
			busy++
		}
	}
	moving := 2*busy >= len(served)
	ejected := 0
	for i, c := range served {
		switch {
		case c != o.prev[i]:
			o.idle[i], o.out[i] = 0, false
		case moving:
			if o.idle[i] == 0 {
				o.idleSince[i] = now
			}
			o.idle[i]++
		}
		o.prev[i] = c
		if o.idle[i] >= idleSamples && !o.out[i] {
			o.out[i] = true
			o.ejection(i, o.idleSince[i])
		}
		if o.out[i] {
			ejected++
		}
	}
	o.maxEjected = max(o.maxEjected, ejected)
}

// faultsOn records that the faults start at now, just after a sample at
// now.
func (o *observer) faultsOn(now time.Time) { o.faultAt = now }

func (o *observer) ejection(i int, since time.Time) {
	if !o.faulty[i] || o.faultAt.IsZero() || !since.After(o.faultAt) {
		o.falseEjected++
		o.episodes = append(o.episodes, episode{i, since, true})
		return
	}
	o.episodes = append(o.episodes, episode{i, since, false})
	if o.ejectedAt.IsZero() {
		o.ejectedAt = since
		o.failedBefore = o.failedAt(since) - o.failedAt(o.faultAt)
	}
}

// failedAt is the failure count at the last sample at or before t.
func (o *observer) failedAt(t time.Time) int64 {
	var n int64
	for _, f := range o.failed {
		if f.t.After(t) {
			break
		}
		n = f.n
	}
	return n
}
