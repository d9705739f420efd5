package availability

import (
	"fmt"
	"time"

	"github.com/nines-sre/nines/remediate"
	"github.com/nines-sre/nines/remediate/eject"
)

// WithPeerDetectors makes the Monitor compare the replicas of dependencies
// with each other on every tick: each eject.Detector (one per dependency,
// fed by an eject.Balancer or the user's picker through its eject.Stats)
// is stepped at the tick's instant, and each outlier incident it opens or
// closes becomes an EventPeer on the timeline and a signal for the engine
// of WithEngine, where a policy with eject.Action ejects the replica under
// the engine's guard rails and reverts the ejection when the incident
// resolves. The client wiring is
//
//	Transport: m.RoundTripper(balancer)
//
// so that the dependency as a whole keeps its SLOs and breaker (which
// handle a fault of every replica) and each replica is judged against its
// peers. A nil detector is an error at New.
func WithPeerDetectors(detectors ...*eject.Detector) Option {
	return optionFunc(func(c *config) { c.peers = append(c.peers, detectors...) })
}

func validatePeers(peers []*eject.Detector) error {
	for i, d := range peers {
		if d == nil {
			return invalid(fmt.Sprintf("WithPeerDetectors[%d]", i), "nil", "must not be nil")
		}
	}
	return nil
}

// stepPeers runs every peer detector's step at t, outside every Monitor
// lock (the engine may run actions), and hands on its incidents. A step
// not after the previous one (concurrent TickAt calls out of order) is
// skipped by the detector and changes nothing.
func (m *Monitor) stepPeers(t time.Time) {
	for _, d := range m.cfg.peers {
		signals, err := d.StepAt(t)
		if err != nil {
			m.cfg.logger.Debug("peer detector step skipped", "err", err)
			continue
		}
		for _, s := range signals {
			m.timeline.emit(peerEvent(s))
			m.signals.send(s)
		}
	}
}

// peerEvent is a peer-outlier incident on the timeline.
func peerEvent(s remediate.Signal) Event {
	metric := s.Attributes["metric"]
	var msg string
	switch s.State {
	case "outlier":
		msg = fmt.Sprintf("replica %s deviates from its peers on %s (z %.1f)", s.Target, metric, s.Value)
	case "returned":
		msg = fmt.Sprintf("replica %s returns on probation: its ejection time is over", s.Target)
	case "recovered":
		msg = fmt.Sprintf("replica %s agrees with its peers again on %s", s.Target, metric)
	default:
		msg = fmt.Sprintf("replica %s: %s", s.Target, s.State)
	}
	return Event{Time: s.Time, Kind: EventPeer, Subject: s.Source, Message: msg}
}
