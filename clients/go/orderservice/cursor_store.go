package orderservice

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// CursorStore keeps a subscriber's place in the notification stream.
type CursorStore interface {
	// Load returns the stored cursor, ok false when there is none yet.
	Load() (cursor string, ok bool, err error)
	// Save stores cursor, replacing the previous one.
	Save(cursor string) error
}

// MemoryCursorStore keeps the cursor in memory: a subscriber resumes across reconnects,
// not across a restart of the process. The zero value is empty and ready to use.
type MemoryCursorStore struct {
	mu     sync.Mutex
	cursor string
	ok     bool
}

// Load implements CursorStore.
func (s *MemoryCursorStore) Load() (string, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cursor, s.ok, nil
}

// Save implements CursorStore.
func (s *MemoryCursorStore) Save(cursor string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cursor, s.ok = cursor, true
	return nil
}

// FileCursorStore keeps the cursor in a file, written atomically: the new cursor goes to
// a temporary file in the same folder, which is synced and renamed over the old one, so a
// crash leaves the old cursor or the new one, never a torn file.
type FileCursorStore struct {
	Path string
}

// Load implements CursorStore: no file is no cursor; a file that exists but holds no
// cursor is an error, not "start from now", which would skip every notice since the last
// save.
func (s FileCursorStore) Load() (string, bool, error) {
	b, err := os.ReadFile(s.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	cursor := strings.TrimSpace(string(b))
	if cursor == "" {
		return "", false, fmt.Errorf("the cursor file %s is empty: restore it, or delete it to start from now", s.Path)
	}
	return cursor, true, nil
}

// Save implements CursorStore.
func (s FileCursorStore) Save(cursor string) error {
	dir, base := filepath.Split(s.Path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing left to remove
	if _, err := tmp.WriteString(cursor + "\n"); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), s.Path)
}
