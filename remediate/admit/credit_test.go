package admit

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

// TestCreditDecidesAsTheLockedCheck: over random sequences of instants,
// priorities and keys, a Shedder using its credit fast path makes exactly
// the decisions of one that takes the locked headroom check every time.
func TestCreditDecidesAsTheLockedCheck(t *testing.T) {
	configs := []ShedderConfig{
		{Rate: 100},
		{Rate: 100, Burst: 1000},
		{Rate: 5, Burst: 20, CriticalReserve: 0.25, NormalReserve: 0.25},
		{Rate: 1000, Burst: 200, CriticalReserve: -1, NormalReserve: -1},
		{Rate: 50, Burst: 500, PerKeyRate: 10, PerKeyBurst: 30, MaxKeys: 4},
		{Rate: 1e6, Burst: 100000},
	}
	for i, c := range configs {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(i), 42))
			fast, exact := newTestShedder(t, c), newTestShedder(t, c)
			exact.exact = true
			now := guardT0
			fastPaths := 0
			for op := range 20000 {
				switch rng.IntN(4) {
				case 0: // a pause long enough to refill part of the bucket
					now = now.Add(time.Duration(rng.IntN(int(time.Second))))
				case 1:
					now = now.Add(time.Duration(rng.IntN(int(time.Millisecond))))
				}
				p := []Priority{Sheddable, Normal, Critical}[rng.IntN(3)]
				key := ""
				if rng.IntN(2) == 0 {
					key = fmt.Sprint("k", rng.IntN(6))
				}
				before := fast.credit.Load()
				got, want := fast.AllowAt(now, key, p), exact.AllowAt(now, key, p)
				if !errors.Is(got, want) && got != want {
					t.Fatalf("op %d (t+%v, key %q, %v): credit path %v, locked check %v", op, now.Sub(guardT0), key, p, got, want)
				}
				if fast.credit.Load() == before-1 {
					fastPaths++
				}
			}
			if c.Burst >= 1000 && fastPaths == 0 {
				t.Error("the credit fast path was never taken on a large bucket")
			}
		})
	}
}

// TestCreditConcurrentKeepsTheReserve: goroutines draining a bucket that
// never refills stop normal traffic at the critical reserve, with either
// path, up to the one token each goroutine may take between its check and
// its take (the check-then-take window of the locked check itself); the
// critical traffic then takes the rest, and no token is lost.
func TestCreditConcurrentKeepsTheReserve(t *testing.T) {
	const burst, goroutines = 10000, 8
	for _, exact := range []bool{false, true} {
		t.Run(fmt.Sprint("exact=", exact), func(t *testing.T) {
			sh := newTestShedder(t, ShedderConfig{Rate: 1e-9, Burst: burst, CriticalReserve: 0.2, NormalReserve: -1})
			sh.exact = exact
			var wg sync.WaitGroup
			var mu sync.Mutex
			normal := 0
			for range goroutines {
				wg.Go(func() {
					n := 0
					for sh.AllowAt(guardT0, "", Normal) == nil {
						n++
					}
					mu.Lock()
					normal += n
					mu.Unlock()
				})
			}
			wg.Wait()
			if floor := burst - burst*2/10; normal < floor || normal > floor+goroutines {
				t.Fatalf("normal traffic took %d tokens, want %d to %d (all but the critical reserve)", normal, floor, floor+goroutines)
			}
			critical := 0
			for sh.AllowAt(guardT0, "", Critical) == nil {
				critical++
			}
			if normal+critical != burst {
				t.Fatalf("normal %d + critical %d tokens != the bucket's %d", normal, critical, burst)
			}
		})
	}
}

// TestPoolAfterIdleAdmitsAtMostOneBatchBeyondBurst: tokens pooled before an
// idle spell let the first burst after it exceed Burst by at most one batch,
// as the doc says, and a pool never loses a token: a bucket that does not
// refill admits exactly Burst critical requests.
func TestPoolAfterIdleAdmitsAtMostOneBatchBeyondBurst(t *testing.T) {
	const burst = 6400 // batch 64
	sh := newTestShedder(t, ShedderConfig{Rate: 100, Burst: burst, CriticalReserve: -1, NormalReserve: -1})
	if sh.batch != 64 {
		t.Fatalf("batch = %d, want 64 for a Burst of %d", sh.batch, burst)
	}
	for range 100 { // leaves tokens in the pool
		if err := sh.AllowAt(guardT0, "", Critical); err != nil {
			t.Fatal(err)
		}
	}
	if sh.pool.Load() <= 0 {
		t.Fatal("nothing pooled: the test does not exercise the pool")
	}
	later := guardT0.Add(time.Hour) // the bucket is full again
	n := 0
	for sh.AllowAt(later, "", Critical) == nil {
		n++
	}
	if n < burst || n > burst+int(sh.batch) {
		t.Fatalf("the burst after an idle hour admitted %d, want %d to %d", n, burst, burst+int(sh.batch))
	}

	still := newTestShedder(t, ShedderConfig{Rate: 1e-9, Burst: burst, CriticalReserve: -1, NormalReserve: -1})
	n = 0
	for still.AllowAt(guardT0, "", Critical) == nil {
		n++
	}
	if n != burst {
		t.Fatalf("a bucket that never refills admitted %d, want exactly %d", n, burst)
	}
}
