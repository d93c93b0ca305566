//go:build !unix

package liveness

import (
	"errors"
	"os"
)

// tryLock fails: without advisory file locks, heartbeats alone tell which
// processes have ended.
func tryLock(*os.File) error { return errors.New("file locks are not supported here") }
