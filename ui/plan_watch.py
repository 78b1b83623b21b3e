"""The window keeps an eye on its plan file while it is open (issue 9).

- **Heartbeat.** A window editing a plan refreshes the plan's lock every ``lock.HEARTBEAT``
  seconds, so a colleague opening the plan never sees the lock of an idle (but open) editor as
  stale (``lock.STALE_AFTER``) and is never offered to take it over.
- **Changed on disk.** The window notices when someone else saves to the plan file: a
  ``QFileSystemWatcher`` on the file and its folder, and a poll every ``POLL_MS`` (watchers are
  unreliable on SMB and NFS shares). It then emits ``changed`` once; the window offers to reload
  (the banner's Reload button). The check reads only the file's save counter, through a read-only
  connection, so it never changes the file.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from planner import lock as locks
from planner import storage
from ui.context import AppContext

POLL_MS = 3000
"""How often the file's save counter is read (watchers miss changes on network shares)."""


class PlanWatch(QObject):
    """Refreshes the open plan's lock and notices saves made by others."""

    changed = Signal()  # the file on disk now holds changes this window has not seen

    def __init__(self, context: AppContext, parent: QObject | None = None, *,
                 heartbeat_ms: int = locks.HEARTBEAT * 1000, poll_ms: int = POLL_MS):
        super().__init__(parent)
        self.context = context
        self.pending = False  # a change on disk is waiting to be reloaded
        self.heartbeat = QTimer(self)
        self.heartbeat.setInterval(heartbeat_ms)
        self.heartbeat.timeout.connect(self.beat)
        self.poll = QTimer(self)
        self.poll.setInterval(poll_ms)
        self.poll.timeout.connect(self.check)
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(lambda _p: self.check())
        self.watcher.directoryChanged.connect(lambda _p: self.check())
        context.document_replaced.connect(self._follow)
        self._follow()

    def _follow(self) -> None:
        """Watch the plan now open (a reload or another plan)."""
        self.pending = False
        old = self.watcher.files() + self.watcher.directories()
        if old:
            self.watcher.removePaths(old)
        doc = self.context.doc
        if doc is None:
            self.heartbeat.stop()
            self.poll.stop()
            return
        # a save by another program replaces nothing, but a restore or copy replaces the file:
        # watch the folder too, so a replaced file is noticed
        self.watcher.addPaths([str(doc.path), str(doc.path.parent)])
        self.poll.start()
        if doc.lock is not None:
            self.heartbeat.start()
        else:
            self.heartbeat.stop()

    def beat(self) -> None:
        """Refresh the lock of the plan being edited (its time stamp says it is alive)."""
        doc = self.context.doc
        if doc is not None and doc.lock is not None:
            doc.lock.refresh()

    def check(self) -> bool:
        """Whether the file holds changes not seen here; says so (``changed``) once per change."""
        doc = self.context.doc
        if doc is None or self.pending:
            return self.pending
        if str(doc.path) not in self.watcher.files():
            self.watcher.addPath(str(doc.path))  # replaced files drop out of the watch
        try:
            changed = doc.changed_on_disk()
        except OSError:
            changed = False
        if changed:
            self.pending = True
            self.changed.emit()
        return changed

    def who_changed(self) -> str:
        """'Asha Patel (at 14:05)': who made the newest change in the file, for the banner."""
        doc = self.context.doc
        try:
            conn = storage.connect(doc.path, readonly=True)
        except (sqlite3.Error, AttributeError):
            return "Someone"
        try:
            who, when = storage.last_saved_by(conn)
        finally:
            conn.close()
        if who == "someone":
            return "Someone"
        try:
            at = datetime.fromisoformat(when).astimezone()
        except ValueError:
            return who
        return f"{who} (at {at:%H:%M})"
