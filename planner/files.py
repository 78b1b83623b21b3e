"""Writing a file so that no half-written file is ever left where the user looks for it.

Files are written under a temporary name beside the target (``.NAME.XXXXXXXX.tmp``) and renamed
into place. They follow the umask like any other program's files, so colleagues on a shared drive
can open them, and a file written over keeps its permissions (issue 9). A temporary file left by a
killed program is removed the next time we write into that folder, once it is older than
``STALE_AFTER`` seconds and no live writer holds it.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import sqlite3
import stat
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator

from .errors import write_failure

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: age alone decides
    fcntl = None  # type: ignore[assignment]

STALE_AFTER = 15 * 60
"""Seconds after which a temporary file of ours that no live writer holds is a leftover."""

_OURS = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp(-journal)?$")


def current_umask() -> int:
    """The process's umask (read without changing it where the system allows)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def new_file_mode() -> int:
    """The permissions a new file gets here: read-write for all, less the umask."""
    return 0o666 & ~current_umask()


def remove_stale_temporaries(folder: Path, now: float | None = None) -> list[Path]:
    """Remove our temporary files in ``folder`` left by killed programs; return what went."""
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not _OURS.match(entry.name):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            if now - entry.stat(follow_symlinks=False).st_mtime < STALE_AFTER:
                continue
            if _held_by_a_writer(entry.path):
                continue
            os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            continue  # gone meanwhile, or not ours to remove: leave it
    return removed


def _held_by_a_writer(path: str) -> bool:
    if fcntl is None:
        return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)


@contextlib.contextmanager
def replaced_atomically(path: str | os.PathLike) -> Iterator[Path]:
    """Give a temporary file beside ``path`` to write; it replaces ``path`` only if all went well.

    On any failure the temporary file (and an SQLite journal beside it) is removed and ``path``
    is left exactly as it was.
    """
    target = Path(path)
    remove_stale_temporaries(target.parent)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)  # tells a cleaner in another program we are alive
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except OSError:
            mode = new_file_mode()
        os.chmod(tmp, mode)
        yield Path(tmp)
        os.replace(tmp, target)
    except BaseException:
        for leftover in (tmp, tmp + "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(leftover)
        raise
    finally:
        os.close(fd)


@contextlib.contextmanager
def new_database(path: str | os.PathLike, what: str, *, isolation_level: str | None = "",
                 make_folder: bool = False) -> Iterator[sqlite3.Connection]:
    """A connection to a new SQLite file that replaces ``path`` once the block ends well (it is
    written under a temporary name until then: ``replaced_atomically``).

    A database or disk failure (``make_folder``: making the file's folder first, too) raises a
    ``SaveError`` naming the file that starts with ``what`` ("The copy was not saved"), and
    leaves ``path`` as it was.
    """
    try:
        if make_folder:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        with replaced_atomically(path) as tmp:
            conn = sqlite3.connect(tmp, isolation_level=isolation_level)
            try:
                yield conn
            finally:
                conn.close()
    except (sqlite3.Error, OSError) as exc:
        raise write_failure(path, exc, what=what) from None


def write_whole(path: str | os.PathLike, writer: Callable[[Path], None], what: str) -> None:
    """Run ``writer`` on a temporary file beside ``path``, then move it into place.

    A failure to write (disk full, folder read-only) is raised once as a ``SaveError`` naming the
    file, ``path`` is left as it was, and the half-run writer (openpyxl's write-only sheets are
    generators that complain on stderr as they are freed) is cleaned up without "Exception
    ignored" noise.
    """
    target = Path(path)
    failure = None
    hook = sys.unraisablehook
    try:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with replaced_atomically(target) as tmp:
                writer(tmp)
        except OSError as exc:
            sys.unraisablehook = _ignore
            failure = write_failure(target, exc, what=what)
        if failure is not None:
            gc.collect()
    finally:
        sys.unraisablehook = hook
    if failure is not None:
        raise failure


def _ignore(_unraisable: object) -> None:
    return None
