"""Where a subscriber keeps its place: ``load()`` returns the stored cursor or None,
``save(cursor)`` stores one."""

import os
import tempfile
import threading
from typing import Optional


class CursorStore:
    """The interface the subscriber uses. Cursors are opaque strings."""

    def load(self) -> Optional[str]:
        raise NotImplementedError

    def save(self, cursor: str) -> None:
        raise NotImplementedError


class MemoryCursorStore(CursorStore):
    """A cursor in memory: the place survives reconnects, not the process."""

    def __init__(self, cursor: Optional[str] = None):
        self._lock = threading.Lock()
        self._cursor = cursor or None

    def load(self) -> Optional[str]:
        with self._lock:
            return self._cursor

    def save(self, cursor: str) -> None:
        if not cursor:
            raise ValueError("a cursor is never empty")
        with self._lock:
            self._cursor = cursor


class FileCursorStore(CursorStore):
    """A cursor in a file, written atomically: a temporary file in the same folder,
    flushed and fsynced, then ``os.replace``d over the file. A crash leaves either the
    old cursor or the new one, never a torn one."""

    def __init__(self, path, fsync: bool = True):
        self.path = os.fspath(path)
        self._fsync = fsync
        self._lock = threading.Lock()

    def load(self) -> Optional[str]:
        try:
            with open(self.path, encoding="utf-8") as f:
                cursor = f.read().strip()
        except FileNotFoundError:
            return None
        if not cursor:
            # Not "start from now": that would skip every notice since the last save.
            raise ValueError(f"the cursor file {self.path} is empty: restore it, or delete it to start from now")
        return cursor

    def save(self, cursor: str) -> None:
        if not cursor:
            raise ValueError("a cursor is never empty")
        folder = os.path.dirname(os.path.abspath(self.path))
        with self._lock:
            fd, temp = tempfile.mkstemp(prefix=".cursor-", suffix=".tmp", dir=folder)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    f.write(cursor)
                    f.flush()
                    if self._fsync:
                        os.fsync(f.fileno())
                os.replace(temp, self.path)
            except BaseException:
                try:
                    os.unlink(temp)
                except FileNotFoundError:
                    pass
                raise
            if self._fsync:
                self._fsync_folder(folder)

    @staticmethod
    def _fsync_folder(folder):
        # Makes the rename itself durable (POSIX); not possible on every platform.
        try:
            dir_fd = os.open(folder, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(dir_fd)
        except OSError:
            pass
        finally:
            os.close(dir_fd)
