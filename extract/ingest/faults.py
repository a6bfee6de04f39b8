"""What a failure of the output side means for a run: the disk is full, or the store went away.

Both stop the batch (every later file would fail the same way) with an error that says
so and carries its own exit code; finished files are committed, so the next run resumes.
Anything else is not classified here, and stays a bug.
"""

from __future__ import annotations

import errno

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from extract.errors import ExtractError, OutputWriteError, StoreUnavailableError

FULL_DISK = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS}
_SQLITE_FULL = ("disk is full", "disk i/o error", "no space", "readonly database", "unable to open database")
FREE_SPACE = "finished files are kept: free space and run again to resume"
RESUME = "finished files are kept: run again to resume"


def _shown(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is shown as it was given
        return url


def output_failure(exc: BaseException, where: str) -> ExtractError | None:
    """A write to the output folder that failed for want of space (or of a working disk)."""
    if isinstance(exc, OSError) and exc.errno in FULL_DISK:
        return OutputWriteError(f"{where} could not be written ({exc.strerror}): is the disk full? {FREE_SPACE}")
    return None


def store_failure(exc: BaseException, url: str, out_dir: str) -> ExtractError | None:
    """A store error that is not a bug: the output folder is full, or the database is unreachable."""
    disk = output_failure(exc, out_dir)
    if disk is not None or not isinstance(exc, DBAPIError):
        return disk
    detail = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    if url.startswith("sqlite"):
        if any(marker in detail.lower() for marker in _SQLITE_FULL):
            return OutputWriteError(f"the store in {out_dir} could not be written ({detail}): {FREE_SPACE}")
        if "database is locked" in detail.lower():
            return StoreUnavailableError(f"the store {_shown(url)} is locked by another program ({detail}); {RESUME}")
        return None
    if exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError):
        return StoreUnavailableError(
            f"the database {_shown(url)} went away or cannot be reached ({detail}); {RESUME} once it is back"
        )
    return None
