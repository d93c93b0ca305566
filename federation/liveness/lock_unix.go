//go:build unix

package liveness

import (
	"os"
	"syscall"
)

// tryLock takes an exclusive lock on f without waiting; it fails if
// another open file holds one.
func tryLock(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}
