"""One run at a time in an output folder: a lock on DIR/.lock that the kernel drops when its holder dies.

A POSIX record lock (fcntl), not a lock file's mere presence: a run killed with
`kill -9` leaves nothing stuck, and a worker process forked by the run does not
inherit the lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from extract.errors import StoreUnavailableError

LOCK_NAME = ".lock"


class FolderLock:
    """Held for a whole `ingest` run; a second run into the same folder is refused while it is."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / LOCK_NAME
        self.fd: int | None = None

    def __enter__(self) -> FolderLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "another process"
            os.close(fd)
            raise StoreUnavailableError(
                f"{self.path.parent} is being used by another ingest run (process {holder}); wait for it to "
                "finish, or use another --out folder"
            ) from None
        with contextlib.suppress(OSError):  # the pid is only for the message above; a full disk may refuse it
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
        self.fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing drops the lock; the file stays (removing it would race a new run)
            self.fd = None
