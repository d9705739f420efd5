//go:build linux

package checks

import (
	"fmt"
	"syscall"
)

// statFree returns the bytes available to unprivileged users on the file
// system holding path (f_bavail * f_bsize).
func statFree(path string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(path, &st); err != nil {
		return 0, fmt.Errorf("checks: statfs %s: %w", path, err)
	}
	return st.Bavail * uint64(st.Bsize), nil
}
