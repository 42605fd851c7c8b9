//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockDatabase holds an exclusive lock on a file beside a SQLite database
// while the server runs. A server keeps attempts in progress and sessions
// in memory on the promise that no other server writes its file, so a
// second server on the same file must stop at start rather than serve
// stale state. The kernel drops the lock when the process ends, however
// it ends. rhitprep import takes no lock: it writes only question sets.
func lockDatabase(path string) (release func(), err error) {
	f, err := os.OpenFile(path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock the database: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("another rhitprep server is using %s: run one server per SQLite file, or several servers on PostgreSQL", path)
		}
		return nil, fmt.Errorf("lock the database: %w", err)
	}
	return func() { f.Close() }, nil
}
