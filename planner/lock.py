"""One person edits a plan at a time: a lock file beside it says who, on which machine, since when.

Plans live on shared network drives, where SQLite's byte-range locks are unreliable (SMB, NFS),
so a second person opening a plan that is being edited would silently overwrite each other's
work (issue 9). The editor's program creates ``.NAME.rcplan.lock`` beside the plan with
``O_CREAT | O_EXCL``, which is atomic on local disks, SMB and NFS v3+, and writes into it who holds
the plan. Anyone else opening the plan gets it read-only and is told who has it.

A lock is stale, and may be taken over, when its holder is on this machine and its process has
gone, or when it has not been refreshed for ``STALE_AFTER`` seconds (the holder refreshes it on
every save and, in the window, every few minutes: ``HEARTBEAT``). Taking over is always the
user's choice, never automatic.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .dates import short_date

STALE_AFTER = 30 * 60
"""Seconds without a refresh after which a lock from another machine counts as stale."""
HEARTBEAT = 5 * 60
"""How often an open window refreshes its lock (well inside ``STALE_AFTER``)."""


@dataclass
class LockInfo:
    """Who holds a plan: user, machine, process and since when (and whether the lock is stale)."""

    user: str
    host: str
    pid: int
    since: str
    stale: bool = False

    def describe(self) -> str:
        """'Asha Patel on LAPTOP-12 since 14:05 on 3 Mar 2026'."""
        try:
            when = datetime.fromisoformat(self.since).astimezone()
            since = f"{when:%H:%M} on {short_date(when.date())}"
        except (TypeError, ValueError):
            since = "an unknown time"
        return f"{self.user} on {self.host} since {since}"


def lock_path(plan: Path) -> Path:
    """The lock file of a plan: ``.NAME.rcplan.lock`` beside it."""
    return plan.with_name(f".{plan.name}.lock")


def _host() -> str:
    """This machine's name: ``os.uname`` where there is one (the same name the socket module
    gives; importing socket cost every start about 10 ms, issue 13)."""
    uname = getattr(os, "uname", None)
    if uname is not None:
        return uname().nodename
    import socket

    return socket.gethostname()


def _me() -> dict:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return {"user": user, "host": _host(), "pid": os.getpid()}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def read_lock(plan: Path) -> LockInfo | None:
    """Who holds ``plan`` now (None if nobody); a lock that cannot be read counts as stale."""
    path = lock_path(plan)
    try:
        raw = path.read_text(encoding="utf-8")
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return None
    except OSError:
        return LockInfo("someone", "an unknown machine", 0, "", stale=False)
    try:
        data = json.loads(raw)
        info = LockInfo(str(data["user"]), str(data["host"]), int(data["pid"]), str(data["since"]))
    except (ValueError, KeyError, TypeError):
        # half-written by a program killed while creating it, or damaged
        return LockInfo("someone", "an unknown machine", 0, "", stale=age > 5)
    info.stale = age > STALE_AFTER or (info.host == _host()
                                       and not _alive(info.pid))
    return info


def is_mine(info: LockInfo | None) -> bool:
    """Whether a lock was made by this very process."""
    me = _me()
    return info is not None and info.host == me["host"] and info.pid == me["pid"]


class PlanLock:
    """This program's hold on a plan, until ``release``.

    The lock keeps other programs (other people) out. Two documents on one plan inside this
    program share its hold; the file's save counter keeps them from overwriting each other.
    """

    _holds: dict[Path, int] = {}  # plan lock files this process holds, with how many holders

    def __init__(self, plan: Path):
        self.plan = plan
        self.path = lock_path(plan)
        self.held = False

    def acquire(self, *, take_over: bool = False) -> LockInfo | None:
        """Take the plan; return None when held, else who holds it (nothing is changed).

        With ``take_over``, a stale lock (only a stale one) is replaced by ours.
        """
        for _attempt in range(2):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            except FileExistsError:
                holder = read_lock(self.plan)
                if holder is None:
                    continue  # released meanwhile: try again
                if is_mine(holder) and self._holds.get(self.path):
                    self._holds[self.path] += 1
                    self.held = True
                    return None
                if take_over and holder.stale:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(self.path)
                    take_over = False
                    continue
                return holder
            except OSError:
                # the folder cannot be written: nobody can hold a lock here, and every save
                # will say so itself
                return None
            try:
                data = dict(_me(), since=datetime.now(timezone.utc).isoformat(timespec="seconds"))
                os.write(fd, json.dumps(data).encode("utf-8"))
                with contextlib.suppress(OSError):
                    os.fsync(fd)
            finally:
                os.close(fd)
            self.held = True
            self._holds[self.path] = 1
            return None
        return read_lock(self.plan)

    def refresh(self) -> bool:
        """Show the lock is alive (its time stamp is the heartbeat); False if it is not ours
        any more (taken over after it looked stale), and then it is left alone."""
        if not self.held or not is_mine(read_lock(self.plan)):
            return False
        with contextlib.suppress(OSError):
            os.utime(self.path)
        return True

    def release(self) -> None:
        """Give the plan up (only if the lock file is still ours)."""
        if not self.held:
            return
        self.held = False
        left = self._holds.get(self.path, 1) - 1
        if left > 0:
            self._holds[self.path] = left
            return
        self._holds.pop(self.path, None)
        if is_mine(read_lock(self.plan)):
            with contextlib.suppress(OSError):
                os.unlink(self.path)
