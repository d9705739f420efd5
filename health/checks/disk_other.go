//go:build !linux

package checks

// statFree is not implemented outside Linux: statfs field types differ per
// system and the check would rather say so than guess.
func statFree(string) (uint64, error) { return 0, ErrUnsupported }
