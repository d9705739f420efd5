package availability

import "testing"

// changeState never panics, and never returns the reason of a synthetic
// check's failure: only its outcome word.
func FuzzChangeState(f *testing.F) {
	f.Add("check db: pass -> fail", "x")
	f.Add("synthetic check shop: fail: step checkout: ", "body does not match \"a -> b\"")
	f.Add("synthetic check shop passes again", "")
	f.Fuzz(func(t *testing.T, msg, reason string) {
		_ = changeState(msg)
		got := changeState("synthetic check shop: " + "timeout: " + reason)
		if got != "timeout" {
			t.Fatalf("changeState of a synthetic timeout with reason %q = %q, want timeout", reason, got)
		}
	})
}
