"""An open plan file and the record-level operations that change it: ``PlanDocument``.

It is put together here from its two sides: planner/edits.py (operations, change sets, undo and
redo, the journal) and planner/plan_file.py (opening, creating, closing, the write transaction,
snapshots, copies).
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import limits
from .changes import ChangeSet
from .edits import HistoryEntry, RecordEdits, _Step, _UidCounts, apply_to_plan
from .links import LinkIndex
from .model import Plan
from .plan_file import PlanFile, SnapshotInfo, _default_user

if TYPE_CHECKING:  # the lock is imported where a plan is opened for editing, the rules where
    # an edit is checked: a command that only reads a plan (info) needs neither (issue 13)
    from .lock import LockInfo, PlanLock

__all__ = ["HistoryEntry", "PlanDocument", "SnapshotInfo", "apply_to_plan"]


class PlanDocument(RecordEdits, PlanFile):
    """An open ``.rcplan`` file with its plan in memory; change it only through its operations."""

    def __init__(self, path: Path, conn: sqlite3.Connection, plan: Plan, user: str | None = None):
        self.path = path
        self.conn = conn
        self.plan = plan
        self.user = user or _default_user()
        self.backup: Path | None = None
        self.notices: list[str] = []  # things to tell the user about opening (e.g. a recovery)
        self.last_change: ChangeSet = ChangeSet("no change")
        self.listeners: list[Callable[[ChangeSet], None]] = []
        self._undo: list[ChangeSet] = []
        self._redo: list[ChangeSet] = []
        self._group: _Step | None = None
        self._check_at_end = False
        self.readonly = False  # opened only to read: every edit is refused
        self.closed = False  # close() was called: the file is no longer open
        self.lock: PlanLock | None = None  # our hold on the file while editing it
        self.locked_by: LockInfo | None = None  # who else is editing it (then readonly)
        self._seen_changes = 0  # the file's save counter as this program last knew it
        self._backup_day: date | None = None  # the day of the last daily-backup check
        self._links = LinkIndex()  # each action's links, kept between edits (issue 13)
        self._chain = limits.ChainGuard(self._links)  # the longest-chain check, kept between edits
        self._uids = _UidCounts()  # which uids records carry, kept between edits
