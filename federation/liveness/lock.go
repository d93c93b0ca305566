package liveness

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// A process lock file tells the processes of a node on one host which of
// them have ended. Each process keeps <dir>/<hash of its ID>.lock, holding
// its ID, under an exclusive lock for as long as it lives; the system
// drops the lock when the process ends, however it ends (SIGKILL, a
// crash, the OOM killer). A process that can take another's lock knows
// that one has ended. A file whose lock cannot be taken, or a process on
// another host, says nothing: its heartbeat decides.

// processLock is this process's lock file, held until unlock.
type processLock struct {
	dir, path string
	f         *os.File
}

// lockProcess creates and locks this process's file in dir. The file is
// locked before it takes its name, so that no one finds it unlocked.
func lockProcess(dir, id string) (*processLock, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, ".new-*")
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*processLock, error) {
		_ = os.Remove(f.Name())
		_ = f.Close()
		return nil, err
	}
	if err := tryLock(f); err != nil {
		return fail(err)
	}
	if _, err := f.WriteString(id); err != nil {
		return fail(err)
	}
	sum := sha256.Sum256([]byte(id))
	path := filepath.Join(dir, hex.EncodeToString(sum[:12])+".lock")
	if err := os.Rename(f.Name(), path); err != nil {
		return fail(err)
	}
	return &processLock{dir: dir, path: path, f: f}, nil
}

// unlock removes the file and drops the lock.
func (l *processLock) unlock() {
	_ = os.Remove(l.path)
	_ = l.f.Close()
}

// deadSiblings returns the IDs of the processes whose lock file in the
// directory is free, and removes their files.
func (l *processLock) deadSiblings() []string {
	entries, err := os.ReadDir(l.dir)
	if err != nil {
		return nil
	}
	var dead []string
	for _, e := range entries {
		path := filepath.Join(l.dir, e.Name())
		if !strings.HasSuffix(e.Name(), ".lock") || path == l.path {
			continue
		}
		if id, ok := takeDeadLock(path); ok {
			dead = append(dead, id)
		}
	}
	return dead
}

// takeDeadLock takes the lock of the file at path if it is free, and then
// returns the ID in it and removes it.
func takeDeadLock(path string) (string, bool) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return "", false
	}
	defer f.Close()
	if tryLock(f) != nil {
		return "", false // held: its process lives (or the lock cannot tell)
	}
	b, err := io.ReadAll(io.LimitReader(f, 1024))
	if err != nil || len(b) == 0 {
		return "", false
	}
	// Remove the file only if it is still the one locked.
	if fi, err := f.Stat(); err == nil {
		if now, err := os.Stat(path); err == nil && os.SameFile(fi, now) {
			_ = os.Remove(path)
		}
	}
	return string(b), true
}
