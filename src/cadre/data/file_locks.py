"""Process-wide reader/writer locks over SQLite source files, so this process never reads a file while writing it.

DuckDB reads SQLite sources with its own bundled SQLite, and writes go through Python's `sqlite3`: two copies of
SQLite in one process. SQLite coordinates connections through POSIX advisory locks, which belong to the process,
not to a connection: neither copy sees the other's locks (a reader takes a live rollback journal for a crashed one
and fails with "attempt to write a readonly database", or reads pages half written), and a file descriptor closed
by one copy drops every lock the other holds on that file. Here a write waits until every read of its file in this
process has ended, and new reads wait for the write, so the two copies are never inside the file at once; between
processes SQLite's own locks still order readers and writers, because each copy's locks are whole while it holds
them. Locks are keyed by the file's resolved path, so every federation and writer in the process shares one.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from cadre.errors import CadreError, SourceUnavailable

# How long a read or write waits for the file before giving up with an error rather than hanging: far above one
# request's reads and writes, so only a read left open (a result never finished nor closed) reaches it.
WAIT_S = 30.0


@dataclass
class FileLock:
    """Many readers or one writer of one file; once a writer waits, new readers queue behind it (no starvation).

    A thread may take the read side again while it holds it (a second query while a result is still streaming),
    but it may not write while it reads, nor read while it writes: either would wait on itself."""

    path: str
    _condition: threading.Condition = field(default_factory=threading.Condition, repr=False)
    _readers: dict[int, int] = field(default_factory=dict, repr=False)  # thread id -> how many reads it holds
    _writer: int | None = field(default=None, repr=False)  # thread id of the writer inside, if any
    _writers_waiting: int = field(default=0, repr=False)
    _readers_waiting: int = field(default=0, repr=False)

    @property
    def waiting(self) -> tuple[int, int]:
        """How many threads wait to read and to write now (what a test or a status page can watch)."""
        with self._condition:
            return self._readers_waiting, self._writers_waiting

    def acquire_read(self, timeout: float = WAIT_S) -> int:
        """Enter as a reader; returns the owner id that `release_read` needs (it may run on another thread)."""
        me = threading.get_ident()
        with self._condition:
            if self._writer == me:
                raise CadreError(f"a read of {self.path!r} must wait for this thread's write of it to end, got both")
            if me in self._readers:
                self._readers[me] += 1
                return me
            self._readers_waiting += 1
            try:
                self._wait(lambda: self._writer is None and self._writers_waiting == 0, timeout, "read")
            finally:
                self._readers_waiting -= 1
            self._readers[me] = 1
        return me

    def release_read(self, owner: int) -> None:
        with self._condition:
            held = self._readers.get(owner, 0)
            if held <= 0:
                raise CadreError(f"a released read of {self.path!r} must be held, got none held by thread {owner}")
            if held == 1:
                del self._readers[owner]
                self._condition.notify_all()
            else:
                self._readers[owner] = held - 1

    def acquire_write(self, timeout: float = WAIT_S) -> None:
        me = threading.get_ident()
        with self._condition:
            if me in self._readers or self._writer == me:
                raise CadreError(
                    f"a write of {self.path!r} must start after this thread's reads and writes of it end, "
                    "got one still open (finish or close the query result first)"
                )
            self._writers_waiting += 1
            try:
                self._wait(lambda: self._writer is None and not self._readers, timeout, "write")
            finally:
                self._writers_waiting -= 1
                self._condition.notify_all()  # readers held back by this writer look again, whether it got in or not
            self._writer = me

    def release_write(self) -> None:
        with self._condition:
            if self._writer != threading.get_ident():
                raise CadreError(f"a released write of {self.path!r} must be held by this thread, got {self._writer}")
            self._writer = None
            self._condition.notify_all()

    def _wait(self, ready: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            left = deadline - time.monotonic()
            if left <= 0 or not self._condition.wait(left):
                if ready():
                    return
                raise SourceUnavailable(
                    f"a {what} of {self.path!r} must get the file within {timeout:g}s, got it still in use "
                    f"({len(self._readers)} reading, {'one' if self._writer else 'none'} writing)",
                    hint="a query result left open holds the file: iterate it to the end or close it",
                )


_locks: dict[str, FileLock] = {}
_registry = threading.Lock()


def lock_for(path: str | os.PathLike[str]) -> FileLock:
    """The one lock of this file in this process."""
    key = os.path.realpath(path)
    with _registry:
        lock = _locks.get(key)
        if lock is None:
            lock = _locks[key] = FileLock(key)
        return lock


@dataclass
class ReadLease:
    """Reads held on some files until `release()`; may be released from another thread than the one that read."""

    held: list[tuple[FileLock, int]]
    _released: bool = False

    def release(self) -> None:
        if self._released:
            return
        self._released = True
        for lock, owner in reversed(self.held):
            lock.release_read(owner)


def read_lease(paths: Iterable[str | os.PathLike[str]], timeout: float = WAIT_S) -> ReadLease:
    """Take the read side of every file in `paths`, in one fixed order so two readers never wait on each other."""
    locks = sorted({lock.path: lock for lock in map(lock_for, paths)}.values(), key=lambda lock: lock.path)
    lease = ReadLease(held=[])
    try:
        for lock in locks:
            lease.held.append((lock, lock.acquire_read(timeout)))
    except BaseException:
        lease.release()
        raise
    return lease


@contextmanager
def reading(paths: Iterable[str | os.PathLike[str]], timeout: float = WAIT_S) -> Iterator[None]:
    lease = read_lease(paths, timeout)
    try:
        yield
    finally:
        lease.release()


@contextmanager
def writing(path: str | os.PathLike[str], timeout: float = WAIT_S) -> Iterator[None]:
    """Hold `path` alone in this process: no read of it through DuckDB, nor another write, runs meanwhile."""
    lock = lock_for(path)
    lock.acquire_write(timeout)
    try:
        yield
    finally:
        lock.release_write()
