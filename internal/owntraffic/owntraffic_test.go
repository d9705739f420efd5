package owntraffic_test

import (
	"context"
	"testing"

	"go.uber.org/goleak"

	"github.com/nines-sre/nines/internal/owntraffic"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestMark(t *testing.T) {
	ctx := context.Background()
	if owntraffic.Is(ctx) {
		t.Fatal("a plain context is marked")
	}
	marked := owntraffic.Mark(ctx)
	if !owntraffic.Is(marked) {
		t.Fatal("Mark did not mark")
	}
	if owntraffic.Mark(marked) != marked {
		t.Error("marking a marked context made a new one")
	}
	child, cancel := context.WithCancel(marked)
	defer cancel()
	if !owntraffic.Is(child) {
		t.Error("a child of a marked context is not marked")
	}
	if n := testing.AllocsPerRun(100, func() { _ = owntraffic.Is(child) }); n != 0 {
		t.Errorf("Is allocates %v times", n)
	}
}
