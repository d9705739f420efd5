package remediate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"time"
)

// ErrAlertmanagerPayload is wrapped by every error ParseAlertmanagerMessage
// returns; the message names the field and its value.
var ErrAlertmanagerPayload = errors.New("remediate: invalid alertmanager payload")

// MaxAlertmanagerAlerts bounds the alerts of one message. Alertmanager's
// max_alerts truncates a group to fewer; a message with more is refused
// whole rather than cut, so that no alert is silently lost.
const MaxAlertmanagerAlerts = 1000

// AlertmanagerMessage is the JSON body Alertmanager's webhook notifier
// posts (payload version 4: notify/webhook.Message, which embeds
// template.Data). ParseAlertmanagerMessage decodes and checks one; the
// zero value is an empty message, which is not valid.
type AlertmanagerMessage struct {
	// Version is the payload version; only "4" is accepted.
	Version string `json:"version"`
	// GroupKey identifies the aggregation group the notification is for;
	// with an alert's fingerprint it is the deduplication key.
	GroupKey string `json:"groupKey"`
	// TruncatedAlerts is how many alerts Alertmanager left out (max_alerts).
	TruncatedAlerts uint64 `json:"truncatedAlerts"`
	// Status is "firing" if any alert of the group fires, else "resolved".
	Status string `json:"status"`
	// Receiver is the name of the Alertmanager receiver that sent it.
	Receiver string `json:"receiver"`
	// GroupLabels, CommonLabels and CommonAnnotations are the labels the
	// group is keyed by, those all alerts share, and the annotations all
	// share. Nil means none.
	GroupLabels       map[string]string `json:"groupLabels"`
	CommonLabels      map[string]string `json:"commonLabels"`
	CommonAnnotations map[string]string `json:"commonAnnotations"`
	// ExternalURL links back to the Alertmanager.
	ExternalURL string `json:"externalURL"`
	// Alerts are the group's alerts, firing and resolved.
	Alerts []AlertmanagerAlert `json:"alerts"`
}

// AlertmanagerAlert is one alert of an AlertmanagerMessage (template.Alert).
type AlertmanagerAlert struct {
	// Status is "firing" or "resolved".
	Status string `json:"status"`
	// Labels identify the alert (alertname, slo_name, severity, ...).
	Labels map[string]string `json:"labels"`
	// Annotations carry its description. Nil means none.
	Annotations map[string]string `json:"annotations"`
	// StartsAt is when the alert started firing; EndsAt when it resolved
	// (for a firing alert, when it will be considered resolved unless
	// refreshed, or the zero time).
	StartsAt time.Time `json:"startsAt"`
	EndsAt   time.Time `json:"endsAt"`
	// GeneratorURL links to the rule that produced it.
	GeneratorURL string `json:"generatorURL"`
	// Fingerprint identifies the alert by its label set. Alertmanager
	// always sends it; ParseAlertmanagerMessage fills it from the labels
	// when a sender leaves it out.
	Fingerprint string `json:"fingerprint"`
}

// Firing reports whether the alert fires (Status "firing").
func (a AlertmanagerAlert) Firing() bool { return a.Status == alertFiring }

const (
	alertFiring   = "firing"
	alertResolved = "resolved"
)

// ParseAlertmanagerMessage decodes an Alertmanager webhook body and checks
// it: version "4", a groupKey, status firing or resolved for the message
// and each alert, at least one alert and at most MaxAlertmanagerAlerts,
// each with labels. Unknown fields are ignored, as Alertmanager may add
// some. Every error wraps ErrAlertmanagerPayload and names the field
// ("alerts[2].status") and its value; nothing in data can make it panic.
func ParseAlertmanagerMessage(data []byte) (AlertmanagerMessage, error) {
	var m AlertmanagerMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&m); err != nil {
		return AlertmanagerMessage{}, fmt.Errorf("%w: %v", ErrAlertmanagerPayload, err)
	}
	if dec.More() {
		return AlertmanagerMessage{}, fmt.Errorf("%w: data after the JSON object", ErrAlertmanagerPayload)
	}
	if err := m.check(); err != nil {
		return AlertmanagerMessage{}, err
	}
	for i := range m.Alerts {
		if m.Alerts[i].Fingerprint == "" {
			m.Alerts[i].Fingerprint = labelsFingerprint(m.Alerts[i].Labels)
		}
	}
	return m, nil
}

func payloadError(field string, value any, why string) error {
	if s, ok := value.(string); ok {
		value = strconv.Quote(boundString(s, 64))
	}
	return fmt.Errorf("%w: %s = %v: %s", ErrAlertmanagerPayload, field, value, why)
}

func (m *AlertmanagerMessage) check() error {
	switch {
	case m.Version != "4":
		return payloadError("version", m.Version, `must be "4" (Alertmanager's webhook payload version)`)
	case m.GroupKey == "":
		return payloadError("groupKey", m.GroupKey, "must not be empty")
	case m.Status != alertFiring && m.Status != alertResolved:
		return payloadError("status", m.Status, "must be firing or resolved")
	case len(m.Alerts) == 0:
		return payloadError("alerts", "[]", "must not be empty")
	case len(m.Alerts) > MaxAlertmanagerAlerts:
		return payloadError("alerts", len(m.Alerts), fmt.Sprintf("more than %d alerts", MaxAlertmanagerAlerts))
	}
	for i, a := range m.Alerts {
		field := func(f string) string { return fmt.Sprintf("alerts[%d].%s", i, f) }
		switch {
		case a.Status != alertFiring && a.Status != alertResolved:
			return payloadError(field("status"), a.Status, "must be firing or resolved")
		case len(a.Labels) == 0:
			return payloadError(field("labels"), "{}", "must not be empty")
		}
	}
	return nil
}

// labelsFingerprint identifies a label set when the sender gave no
// fingerprint: FNV-1a over the sorted pairs, as 16 hex digits (the shape of
// Alertmanager's own, though not its value).
func labelsFingerprint(labels map[string]string) string {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	h := fnv.New64a()
	for _, k := range keys {
		h.Write([]byte(k))
		h.Write([]byte{0xff})
		h.Write([]byte(labels[k]))
		h.Write([]byte{0xff})
	}
	return fmt.Sprintf("%016x", h.Sum64())
}
