package availability

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nines-sre/nines/slo"
)

// Defaults and bounds of StateDir.
const (
	// DefaultStateSaveInterval is how often a Monitor with a StateDir
	// saves when SaveInterval is zero: a crash loses at most a minute of
	// events, for one small write and fsync per objective a minute.
	DefaultStateSaveInterval = time.Minute
	// MinStateSaveInterval and MaxStateSaveInterval bound SaveInterval.
	MinStateSaveInterval = 10 * time.Millisecond
	MaxStateSaveInterval = 24 * time.Hour
)

// StateDir is where a Monitor keeps its objectives' state through restarts
// (see WithStateDir). It is a plain value.
//
// Start restores every objective that exists then (declared routes, and
// objectives added to SLOs before Start) from its snapshot, and an endpoint
// objective created later, on a route's first request, when it is created;
// a running Monitor saves them all every SaveInterval, and Shutdown saves
// them once more after the ticks have stopped. So a restart, after ten
// minutes or four days, loses at most the events recorded after the last
// save: none on a clean Shutdown, at most SaveInterval's after a crash. The
// downtime ages out of the windows as if the process had run through it
// with no traffic, and the period keeps what is still inside it. Start the
// Monitor before serving: a restore replaces what its objective recorded
// before Start. An objective a caller adds to SLOs after Start is neither
// restored nor saved.
//
// An objective without a snapshot starts empty. A snapshot that cannot be
// restored (corrupted, written for another objective or configuration, or
// from the future: its clock more than slo.MaxSnapshotSkew ahead of this
// process's) is logged at WARN and counted in Statusz.State; its objective
// starts empty and the next save replaces the file. A deploy that changes a
// target or a latency threshold keeps the history; one that changes the
// window or the budgeting method starts the objective empty (its buckets
// would mean something else). Snapshots of objectives
// this process does not have are left as they are (a route seen again
// later, or after the next deploy, still gets its history), counted as
// Unclaimed and logged once at Start; delete the files of retired routes.
type StateDir struct {
	// Path is the directory of the snapshots: one file per objective,
	// named after it with ':' written as '~' and ".slo" appended. Start
	// creates it (mode 0700) when it is missing. Each process needs a
	// directory of its own: two replicas saving into one directory
	// overwrite each other's state. Required.
	Path string
	// SaveInterval is how often a running Monitor saves. Zero means
	// DefaultStateSaveInterval; otherwise it must be in
	// [MinStateSaveInterval, MaxStateSaveInterval].
	SaveInterval time.Duration
}

func (sd StateDir) validate() error {
	if sd.Path == "" {
		return invalid("WithStateDir Path", sd.Path, "required")
	}
	if sd.SaveInterval < MinStateSaveInterval || sd.SaveInterval > MaxStateSaveInterval {
		return invalid("WithStateDir SaveInterval", sd.SaveInterval,
			fmt.Sprintf("must be in [%v, %v]", MinStateSaveInterval, MaxStateSaveInterval))
	}
	return nil
}

// StateStatus is the StateDir part of Statusz. Like Statusz it is a plain
// value.
type StateStatus struct {
	Dir string `json:"dir"`
	// Restored counts the objectives restored from a snapshot; Empty those
	// that had none. Rejected counts the snapshots that could not be
	// restored (their objectives started empty); Future is the part of
	// Rejected whose clock was ahead.
	Restored int `json:"restored"`
	Empty    int `json:"empty"`
	Rejected int `json:"rejected"`
	Future   int `json:"future"`
	// Unclaimed counts the snapshots found at Start that no objective of
	// this process has claimed so far.
	Unclaimed int `json:"unclaimed"`
	// Saves counts the saves (each of every objective); SaveErrors those
	// that failed for at least one objective, the last of which LastError
	// holds until a save succeeds.
	Saves      uint64    `json:"saves"`
	SaveErrors uint64    `json:"save_errors"`
	LastSave   time.Time `json:"last_save"`
	LastError  string    `json:"last_error,omitempty"`
}

// stateStore restores and saves a Monitor's objectives in a StateDir.
//
// Restores and saves run under no Monitor lock, but adopt runs under an
// endpoint table's lock (a route's first request creates its objectives):
// so the store never logs where it restores; it queues the lines and the
// save loop, Start or Shutdown writes them (the logger is user code).
type stateStore struct {
	dir    string
	every  time.Duration
	logger *slog.Logger
	clock  func() time.Time
	notify chan struct{} // wakes the save loop to write queued lines

	saveMu sync.Mutex // serialises saves

	mu      sync.Mutex // guards the fields below
	started bool
	closed  bool
	objs    []*slo.SLO      // adopted: restored (or tried) and saved from then on
	adopted map[string]bool // by objective name
	found   map[string]bool // snapshot files found at Start and not claimed, by objective name
	status  StateStatus
	lines   []logLine
}

type logLine struct {
	level slog.Level
	msg   string
	attrs []any
}

func newStateStore(sd StateDir, logger *slog.Logger, clock func() time.Time) *stateStore {
	return &stateStore{dir: sd.Path, every: sd.SaveInterval, logger: logger, clock: clock,
		notify: make(chan struct{}, 1), adopted: map[string]bool{}, found: map[string]bool{},
		status: StateStatus{Dir: sd.Path}}
}

const (
	snapshotExt = ".slo"
	tempExt     = ".tmp" // slo.SaveFile's temporary file: path + ".tmp"
)

// fileName is the snapshot file of objective name. Names are
// [A-Za-z0-9_.:-]; ':' is not portable in file names, '~' never appears in
// a name, so the mapping is reversible.
func fileName(name string) string { return strings.ReplaceAll(name, ":", "~") + snapshotExt }

func objectiveName(file string) string {
	return strings.ReplaceAll(strings.TrimSuffix(file, snapshotExt), "~", ":")
}

// start creates the directory, removes the temporary files of saves a
// kill interrupted, and restores every objective of set. It is called
// once per successful Start; a later call (after a failed Start) only
// adopts objectives added since.
func (st *stateStore) start(set *slo.Set) error {
	if err := os.MkdirAll(st.dir, 0o700); err != nil {
		return fmt.Errorf("availability: state directory: %w", err)
	}
	entries, err := os.ReadDir(st.dir)
	if err != nil {
		return fmt.Errorf("availability: state directory: %w", err)
	}
	var removed []string
	found := map[string]bool{}
	for _, e := range entries {
		switch name := e.Name(); {
		case e.IsDir():
		case strings.HasSuffix(name, snapshotExt+tempExt):
			// Left by a save that was killed; no save runs yet.
			if os.Remove(filepath.Join(st.dir, name)) == nil {
				removed = append(removed, name)
			}
		case strings.HasSuffix(name, snapshotExt):
			found[objectiveName(name)] = true
		}
	}
	st.mu.Lock()
	if st.closed {
		st.mu.Unlock()
		return nil
	}
	if !st.started {
		st.started = true
		st.found = found
		if len(removed) > 0 {
			st.queue(slog.LevelInfo, "availability: removed the temporary files of interrupted SLO state saves",
				"dir", st.dir, "files", removed)
		}
	}
	for _, s := range set.Objectives() {
		st.adoptLocked(s)
	}
	st.status.Unclaimed = len(st.found)
	if n := len(st.found); n > 0 {
		names := make([]string, 0, n)
		for name := range st.found {
			names = append(names, name)
		}
		slices.Sort(names)
		st.queue(slog.LevelInfo, "availability: SLO snapshots with no objective yet are kept, and restored if the objective is created",
			"dir", st.dir, "objectives", names)
	}
	s := st.status
	st.mu.Unlock()
	st.logger.Info("availability: SLO state restored", "dir", st.dir, "restored", s.Restored, "empty", s.Empty,
		"rejected", s.Rejected, "future", s.Future, "unclaimed", s.Unclaimed)
	st.flush()
	return nil
}

// adopt restores s, an objective created after Start, before it records
// anything, and saves it from then on. Before Start it does nothing (Start
// adopts every objective of the set); after Shutdown neither.
func (st *stateStore) adopt(s *slo.SLO) {
	st.mu.Lock()
	if !st.started || st.closed {
		st.mu.Unlock()
		return
	}
	st.adoptLocked(s)
	st.status.Unclaimed = len(st.found)
	st.mu.Unlock()
	select {
	case st.notify <- struct{}{}:
	default:
	}
}

func (st *stateStore) adoptLocked(s *slo.SLO) {
	name := s.Name()
	if st.adopted[name] {
		return
	}
	st.adopted[name] = true
	st.objs = append(st.objs, s)
	delete(st.found, name)
	err := s.LoadFile(filepath.Join(st.dir, fileName(name)))
	switch {
	case err == nil:
		st.status.Restored++
	case errors.Is(err, fs.ErrNotExist):
		st.status.Empty++
	default:
		st.status.Rejected++
		if errors.Is(err, slo.ErrFutureSnapshot) {
			st.status.Future++
		}
		st.queue(slog.LevelWarn, "availability: SLO snapshot not restored; the objective starts empty",
			"objective", name, "error", err.Error())
	}
}

// queue keeps a log line for flush; under mu.
func (st *stateStore) queue(level slog.Level, msg string, attrs ...any) {
	st.lines = append(st.lines, logLine{level, msg, attrs})
}

// flush writes the queued lines, under no lock.
func (st *stateStore) flush() {
	st.mu.Lock()
	lines := st.lines
	st.lines = nil
	st.mu.Unlock()
	for _, l := range lines {
		st.logger.Log(context.Background(), l.level, l.msg, l.attrs...)
	}
}

// save writes every adopted objective's snapshot. A failure is logged when
// it starts and when it ends, not on every save; the error names how many
// objectives failed and the first failure.
func (st *stateStore) save() error {
	st.saveMu.Lock()
	defer st.saveMu.Unlock()
	st.mu.Lock()
	objs := slices.Clone(st.objs)
	st.mu.Unlock()
	var first error
	failed := 0
	for _, s := range objs {
		if err := s.SaveFile(filepath.Join(st.dir, fileName(s.Name()))); err != nil {
			failed++
			if first == nil {
				first = err
			}
		}
	}
	var err error
	if first != nil {
		err = fmt.Errorf("availability: saving SLO state: %d of %d objectives failed, the first: %w", failed, len(objs), first)
	}
	now := st.clock()
	st.mu.Lock()
	prev := st.status.LastError
	st.status.Saves++
	st.status.LastSave = now
	st.status.LastError = ""
	if err != nil {
		st.status.SaveErrors++
		st.status.LastError = err.Error()
		if prev == "" {
			st.queue(slog.LevelWarn, "availability: saving SLO state failed; retrying every save interval",
				"dir", st.dir, "error", err.Error())
		}
	} else if prev != "" {
		st.queue(slog.LevelInfo, "availability: saving SLO state works again", "dir", st.dir)
	}
	st.mu.Unlock()
	st.flush()
	return err
}

// run saves every interval until stop is closed, and writes the lines
// adopt queues.
func (st *stateStore) run(stop <-chan struct{}) {
	t := time.NewTicker(st.every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-st.notify:
			st.flush()
		case <-t.C:
			_ = st.save() // counted and logged by save
		}
	}
}

// close stops adopting (objectives created from now on are neither
// restored nor saved) and saves one last time, when Start ran.
func (st *stateStore) close() error {
	st.mu.Lock()
	st.closed = true
	started := st.started
	st.mu.Unlock()
	if !started {
		return nil
	}
	return st.save()
}

// SaveState saves every objective's state now, as the periodic save does
// (see StateDir), for a caller that wants a save at a moment of its own: a
// test, or a handler of SIGTERM ahead of a long drain. It returns the save's
// error, and nil without WithStateDir. Before Start and after Shutdown it
// does nothing: before Start nothing is restored yet, so a save would
// overwrite the snapshots with empty objectives, and Shutdown saved last.
func (m *Monitor) SaveState() error {
	if m.state == nil {
		return nil
	}
	m.state.mu.Lock()
	live := m.state.started && !m.state.closed
	m.state.mu.Unlock()
	if !live {
		return nil
	}
	return m.state.save()
}

func (st *stateStore) statusz() *StateStatus {
	st.mu.Lock()
	defer st.mu.Unlock()
	s := st.status
	return &s
}
