// Package slo computes service level objectives in process: it records
// good and bad events on the request path, keeps exact windows, an error
// budget, and multiwindow multi-burn-rate alerts, and exports them as
// OpenTelemetry metrics.
//
// # Objectives
//
// An [Objective] is a plain struct: a name, a target such as 0.999, a
// rolling window (for example 30 days) or a calendar window (week, month,
// quarter in an IANA zone, resetting at local midnight, DST included), an
// optional latency threshold (an event is good when its latency is at most
// the threshold, decided at record time), and a budgeting method:
// Occurrences (events) or Timeslices (a slice is good when its good ratio
// meets the slice target). [New] validates it; errors wrap
// [ErrInvalidConfig] and name the field and value. Package
// [github.com/nines-sre/nines/slo/openslo] imports OpenSLO v1 documents.
//
// # Alerts
//
// Without explicit Tiers, an objective gets [DefaultTiers], the SRE
// Workbook set derived from its period: a tier "p% of the budget within
// the long window L, confirmed by the short window S" fires when both
// windows' burn rates are strictly above p/100 x period / L. For 30 days:
// page at 14.4 (1h/5m) and 6 (6h/30m), ticket at 3 (1d/2h) and 1 (3d/6h).
// Calendar windows use their nominal length for these factors (a week is
// 7 days, a month 30, a quarter 90), so a monthly objective alerts like a
// rolling 30-day one; budget accounting uses the actual period length.
//
// Low traffic: a tier fires only when each of its windows holds at least
// [Tier.MinEventCount] events, by default ceil(1/(B x (1-Target))) for the
// tier's threshold B: the smallest count at which one bad event alone
// cannot exceed the threshold (70, 167, 334 and 1000 events for the
// default tiers of 99.9% over 30 days). Below it a burn rate measures
// luck, not a burn: three failed requests in a quiet hour would page. Set
// Tier.MinEvents to choose another floor (1 turns the guard off).
// [TierStatus.TooFewEvents] and [TierStatus.Reason] ("too few events")
// say when the guard holds a tier silent; /statusz shows it per tier. The
// Prometheus rules of package exporters apply the same guard.
//
// Warm-up: an objective knows only its own history, which starts when it
// is created (or earlier, restored from a snapshot). Until the history
// covers a tier's window, the time before it counts as having burnt
// nothing, so a tier fires when the history has already spent the tier's
// share of the budget: both windows' burn rates, each times the share of
// the window the history covers, above the threshold. A full outage from
// the first second still fires at the SRE Workbook's detection time after
// a healthy window (52 s for a 99.9% objective's 1h/5m page), while the
// luck of a process's first few hundred requests, a burn rate of 1 or 3
// over minutes, no longer opens a ticket meant for days of burning.
// [TierStatus.WarmingUp] and Reason ("warming up") say when it holds a
// burning tier silent. The reported burn rates are the windows' own,
// unscaled. Prometheus reads the fleet's history, which a process's start
// does not reset, so its rules have no warm-up.
//
// A [Set] ticks its objectives in the background ([Set.Start],
// [Set.Shutdown]) or on demand ([Set.TickAt]) and calls [Set.OnAlert]
// listeners, outside every lock, when a tier starts firing or resolves; a
// panicking listener is recovered and the others still hear the
// transition. Start and Shutdown behave as in every nines package: Start
// returns ctx.Err() for a done ctx, [ErrClosed] after Shutdown and
// [ErrStarted] when running, and only Shutdown stops the ticks (cancelling
// the ctx given to Start does not); Shutdown is idempotent and waits for
// the ticking goroutine or returns ctx.Err(). [New] takes an [Option],
// [NewSet] a [SetOption]; [WithClock] is both.
//
// # Budget
//
// [SLO.Status] reports every alert window (5m, 30m, 1h, 2h, 6h, 1d, 3d)
// and the period: good, bad, error ratio, burn rate (error ratio divided
// by 1-Target) and a NoData flag; a window without events has burn rate 0,
// never NaN. The budget remaining is 1 - period burn rate x the observed
// share of the period, so a steady burn rate of 1 spends the budget
// exactly at the end of the period; it may go negative. The time to
// exhaustion extrapolates the 5m burn rate.
//
// # Durability
//
// [SLO.WriteTo] and [SLO.ReadFrom] snapshot and restore the buckets in a
// versioned, checksummed binary format; [SLO.SaveFile] writes atomically,
// and a save killed midway leaves one temporary file that the next save
// takes over. After a restart from the latest snapshot the budget differs
// from an uninterrupted run only by the events recorded after that
// snapshot; the downtime ages out what left the windows. A snapshot whose
// clock is more than [MaxSnapshotSkew] (one minute) ahead of the
// restoring objective's is refused ([ErrFutureSnapshot]): its minutes have
// not happened yet here, and restoring them would hold the coarse clock or
// count real events as late. availability.WithStateDir does all of this
// for a Monitor's objectives.
//
// # Performance
//
// [SLO.Record] is one atomic load and one atomic add on the current
// minute's counter: lock-free, no allocation, no clock read; it measures
// within 2x of a bare atomic.Int64.Add (BenchmarkRecord against
// BenchmarkAtomicAdd). The current minute is a coarse clock moved by the
// set's ticks (every second by default), [SLO.TickAt], or [SLO.RecordAt]
// with a newer time; a late RecordAt lands in its own minute when that
// minute is still held (3 days), and is otherwise counted in
// Status.DroppedLate and in slo.events, never lost silently.
//
// Memory is bounded per objective: a 3-day ring of 1-minute buckets
// (two uint32 each, 34 KiB) makes every alert window exact at minute
// resolution, and hourly buckets hold the rest of the period (11 KiB for
// 30 days, 35 KiB for a quarter); about 52 KiB per 30-day objective in all
// (BenchmarkMemoryPerObjective). A status walks the ring once: tens of
// microseconds per objective per tick.
//
// Exactness: an L-minute window counts whole minutes: the current one
// (partly elapsed) and the L-1 before it, so it never reaches back more
// than L and an alert resolves at most L after recovery. Evaluated just
// before a minute boundary T (StatusAt(T.Add(-time.Nanosecond))) it holds
// exactly the L full minutes before T, which is what Prometheus'
// increase(x[L]) at T covers.
// Rolling periods longer than 3 days count whole hours at their old edge
// (the partly expired hour drops out whole). Calendar periods are exact
// when the zone's UTC offset modulo one hour does not change within the
// period (true of every zone but Australia/Lord_Howe). A minute holds at
// most 2^32-1 events of each outcome.
//
// # Cardinality
//
// Metrics carry slo.name (one value per objective, chosen by the
// developer), slo.outcome (good, bad), slo.window (seven values) and
// slo.alert.severity x slo.alert.state (at most four series): 2 + 1 + 1 +
// 7 + 4 = 15 series per objective, independent of traffic.
//
// # Metrics
//
// A [Set] registers, with the meter provider of [WithMeterProvider]
// (default otel.GetMeterProvider()): slo.events (observable counter,
// cumulative, slo.name and slo.outcome), slo.objective,
// slo.error_budget.remaining, slo.burn_rate (with slo.window) and
// slo.alert.status (with slo.alert.severity and slo.alert.state, one series
// per state, 1 for the current one), all observable gauges of unit 1.
// Collection reads the counters and the status of the last tick; it never
// blocks recording.
package slo
