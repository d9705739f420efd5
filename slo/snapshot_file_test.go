package slo

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// A save killed after writing part of its temporary file leaves it behind;
// the next save overwrites it and renames it away, so killed saves never
// pile up (they used to leave one random *.tmp-* file each).
func TestSaveFileTakesOverAKilledSavesTemp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "api.slo")
	s := mustNew(t, api(0.999, 30*day), t0)
	stream(s, t0, t0.Add(time.Hour))
	if err := s.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		// What a SIGKILL in the middle of a save leaves: a partial
		// temporary file beside the last good snapshot.
		if err := os.WriteFile(path+".tmp", []byte("NINESSLO\x01\x00 partial"), 0o600); err != nil {
			t.Fatal(err)
		}
		b := mustNew(t, api(0.999, 30*day), t0.Add(time.Hour))
		if err := b.LoadFile(path); err != nil {
			t.Fatalf("kill %d: the last good snapshot does not load: %v", i, err)
		}
		if err := s.SaveFile(path); err != nil {
			t.Fatal(err)
		}
		if names := dirNames(t, dir); len(names) != 1 || names[0] != "api.slo" {
			t.Fatalf("kill %d: directory holds %q after the next save, want only api.slo", i, names)
		}
	}
}

// Saves to one path from many goroutines are serialised: each succeeds,
// the result loads and no temporary file is left.
func TestSaveFileConcurrentSavesToOnePath(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "api.slo")
	s := mustNew(t, api(0.999, 30*day), t0)
	var wg sync.WaitGroup
	errs := make(chan error, 8*10)
	for g := range 8 {
		wg.Go(func() {
			for i := range 10 {
				s.RecordAt(t0.Add(time.Duration(g*10+i)*time.Second), i != 0)
				errs <- s.SaveFile(path)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	b := mustNew(t, api(0.999, 30*day), t0.Add(2*time.Minute))
	if err := b.LoadFile(path); err != nil {
		t.Fatal(err)
	}
	if g, bad := b.Events(); g+bad != 80 {
		t.Errorf("restored %d events, want the 80 recorded before the last save", g+bad)
	}
	if names := dirNames(t, dir); len(names) != 1 {
		t.Errorf("directory holds %q, want only api.slo", names)
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
