package breaker

// The breaker's own view of gobreaker's state, in one atomic word so that
// Allow decides with one load on the closed path and reserves a half-open
// probe slot with one compare-and-swap:
//
//	bits 0-1   the State gobreaker is in (Closed, HalfOpen, Open)
//	bits 2-33  the half-open probe slots reserved in this generation
//	bits 34-63 the generation: bumped on every transition
//
// Only gobreaker's OnStateChange hook stores a new word, under gobreaker's
// mutex, so the word changes state exactly when gobreaker does and the
// generation orders transitions as gobreaker's own generation counter does.
// Probe reservations and releases are compare-and-swaps on the whole word:
// one that raced with a transition fails and sees the new generation, so
// a slot is never taken from or given back to a generation it was not
// reserved in. The 30-bit generation wraps after a billion transitions; a
// permit would have to stay in flight across exactly that many to be
// mistaken for a current one.
const (
	stateMask  = 1<<2 - 1
	probeShift = 2
	probeOne   = 1 << probeShift
	probeMask  = (1<<32 - 1) << probeShift
	genShift   = 34
)

func wordState(w uint64) State   { return State(w & stateMask) }
func wordProbes(w uint64) uint32 { return uint32((w & probeMask) >> probeShift) }
func wordGen(w uint64) uint64    { return w >> genShift }

// nextWord is the word of the generation after w's, in state s, with no
// probe slot taken.
func nextWord(w uint64, s State) uint64 {
	return (wordGen(w)+1)<<genShift | uint64(s)
}
