"""Backups of a plan in the user's data folder, and restoring one (issue 9).

Before a plan is brought forward to a new file format, and on the first save of each day while it
is edited, a consistent copy is taken with SQLite's online backup (a copy taken during a save is
never half a save) into ``<data folder>/Recovery Change Planner/backups/<plan id>/``. The newest
``KEEP`` copies of each plan are kept. ``python main.py backups PLAN`` lists them and
``python main.py restore PLAN BACKUP`` puts one back, after backing up the plan as it is.

The data folder is ``RCP_BACKUP_DIR`` if set (the tests set it), else the XDG data home
(``$XDG_DATA_HOME``, or ``~/.local/share``).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from . import storage
from .errors import PlanError, ReadOnlyPlan, write_failure
from .files import replaced_atomically
from .lock import PlanLock

KEEP = 10
"""Backups kept per plan (the oldest go first)."""
APP = "Recovery Change Planner"


@dataclass
class BackupInfo:
    """One stored copy of a plan."""

    path: Path
    when: datetime
    reason: str
    size: int

    @property
    def name(self) -> str:
        return self.path.name

    def describe(self) -> str:
        """'20260302-140501_daily_northmoor.rcplan  2 Mar 2026 14:05  148 KB  daily'."""
        kb = max(1, round(self.size / 1024))
        return (f"{self.name}  {self.when.day} {self.when:%b %Y %H:%M}  {kb} KB  "
                f"{self.reason}")


def data_folder() -> Path:
    """Where this user's backups live (see the module docstring)."""
    override = os.environ.get("RCP_BACKUP_DIR")
    if override:
        return Path(override)
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / APP / "backups"


def folder_for(plan_id: str) -> Path:
    """The backups of one plan (by its identity, so a renamed or moved plan keeps them)."""
    safe = "".join(c for c in plan_id if c.isalnum() or c in "-_")[:64] or "unknown"
    return data_folder() / safe


def plan_id_of(conn: sqlite3.Connection) -> str:
    """The plan identity stored in an open plan file ('unknown' if it cannot be read)."""
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = 'plan_id'").fetchone()
        return str(json.loads(row[0])) if row and row[0] else "unknown"
    except (sqlite3.Error, ValueError, TypeError):
        return "unknown"


def plan_id_at(path: Path) -> str:
    """The plan identity of a plan file, read without changing it ('unknown' if unreadable)."""
    try:
        conn = storage.connect(path, readonly=True)
    except sqlite3.Error:
        return "unknown"
    try:
        return plan_id_of(conn)
    finally:
        conn.close()


def make_backup(conn: sqlite3.Connection, plan_path: Path, reason: str) -> Path:
    """Copy the plan behind ``conn`` into its backup folder; keep the newest ``KEEP``."""
    folder = folder_for(plan_id_of(conn))
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    slug = "-".join("".join(c if c.isalnum() else " " for c in reason).split())[:40] or "copy"
    stem = "".join(c if c.isalnum() or c in "-" else "-" for c in Path(plan_path).stem)[:60]
    dest = folder / f"{stamp}_{slug}_{stem}.rcplan"
    n = 2
    while dest.exists():
        dest = folder / f"{stamp}_{slug}_{stem}-{n}.rcplan"
        n += 1
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with replaced_atomically(dest) as tmp:
            target = sqlite3.connect(tmp)
            try:
                conn.backup(target)
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()
    except (sqlite3.Error, OSError) as exc:
        raise write_failure(dest, exc, what="The backup was not made") from None
    for old in list_backups(folder.name)[KEEP:]:
        with contextlib.suppress(OSError):
            old.path.unlink()
    return dest


def backup_file(plan_path: Path, reason: str) -> Path:
    """Back up a plan file that is not open (through a read-only connection)."""
    try:
        conn = storage.connect(plan_path, readonly=True)
    except sqlite3.Error as exc:
        raise write_failure(plan_path, exc, what="The backup was not made") from None
    try:
        return make_backup(conn, plan_path, reason)
    finally:
        conn.close()


def _keep_bytes(plan_path: Path, plan_id: str) -> Path:
    """Keep a damaged plan's bytes beside its backups (it cannot be copied through SQLite)."""
    import shutil

    folder = folder_for(plan_id)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    dest = folder / f"{stamp}_damaged-before-restore_{plan_path.stem}.rcplan"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(plan_path, dest)
    except OSError as exc:
        raise write_failure(dest, exc, what="The plan was not restored") from None
    return dest


def list_backups(plan_id: str) -> list[BackupInfo]:
    """The stored backups of a plan, newest first."""
    out = []
    folder = folder_for(plan_id)
    try:
        paths = [p for p in folder.iterdir() if p.suffix == ".rcplan" and not p.name.startswith(".")]
    except OSError:
        return []
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            continue
        parts = path.stem.split("_")
        reason = parts[1].replace("-", " ") if len(parts) > 2 else ""
        out.append(BackupInfo(path, datetime.fromtimestamp(st.st_mtime), reason, st.st_size))
    out.sort(key=lambda b: (b.when, b.name), reverse=True)
    return out


def daily_due(plan_id: str, today: date | None = None) -> bool:
    """Whether the day's backup of a plan is still to be taken (none taken today)."""
    today = today or date.today()
    newest = list_backups(plan_id)
    return not newest or newest[0].when.date() < today


def backups_of(plan_path: Path) -> list[BackupInfo]:
    """The backups of a plan file, newest first; for a plan too damaged to say who it is, the
    backups (of any plan) taken from a file of its name."""
    plan_id = plan_id_at(plan_path)
    if plan_id != "unknown":
        return list_backups(plan_id)
    try:
        folders = [f.name for f in data_folder().iterdir() if f.is_dir()]
    except OSError:
        return []
    tail = f"_{plan_path.stem}.rcplan"
    found = [b for f in folders for b in list_backups(f) if b.name.endswith(tail)]
    return sorted(found, key=lambda b: (b.when, b.name), reverse=True)


def find_backup(plan_path: Path, ref: str) -> Path:
    """A backup named by its listed name or its path."""
    for b in backups_of(plan_path):
        if ref == b.name:
            return b.path
    candidate = Path(ref)
    if candidate.is_file():
        return candidate
    raise PlanError(f"There is no backup '{ref}' of '{plan_path.name}'; "
                    f"'python main.py backups {plan_path.name}' lists them.")


def check_backup(path: Path) -> None:
    """Refuse (NotAPlanError, NewerVersionError) a file that would not open as a plan."""
    from .migrations import read_only_copy

    version = storage.check_file(path)
    conn = read_only_copy(path, version)
    try:
        storage.load_plan(conn, path)
    finally:
        conn.close()


def restore(plan_path: str | os.PathLike, ref: str) -> tuple[Path, Path | None]:
    """Put backup ``ref`` back as the plan; return (the backup restored, the backup of before).

    The backup is checked as opening checks a plan, and the plan is refused while another
    program holds its lock. The plan as it was is backed up first (when it can be read at all).
    The restored file's save counter is moved past the current one, so a window still holding
    the old state cannot save over it without reloading.
    """
    plan_path = Path(plan_path)
    source = find_backup(plan_path, ref)
    check_backup(source)
    lock = PlanLock(plan_path)
    holder = lock.acquire() if plan_path.exists() else None
    if holder is not None:
        raise ReadOnlyPlan(f"'{plan_path.name}' was not restored: {holder.describe()} is "
                           "editing it. Ask them to close it first; nothing was changed.")
    try:
        before = None
        counter = 0
        if plan_path.exists():
            with contextlib.suppress(PlanError):
                storage.recover_interrupted_save(plan_path)
            counter = storage.changes_on_disk(plan_path) or 0
            try:
                storage.check_file(plan_path)
                readable = True
            except PlanError:
                readable = False  # damaged: nothing consistent to copy, keep the bytes aside
            if readable:
                before = backup_file(plan_path, "before restore")
            else:
                before = _keep_bytes(plan_path, plan_id_at(source))
        try:
            with replaced_atomically(plan_path) as tmp:
                src = storage.connect(source, readonly=True)
                target = sqlite3.connect(tmp, isolation_level=None)
                try:
                    src.backup(target)
                    target.execute("PRAGMA journal_mode = DELETE")
                    new = max(counter, storage.change_counter(target)) + 1
                    target.execute("BEGIN")
                    storage.set_change_counter(target, new)
                    target.execute("COMMIT")
                finally:
                    target.close()
                    src.close()
        except (sqlite3.Error, OSError) as exc:
            raise write_failure(plan_path, exc, what="The plan was not restored") from None
    finally:
        lock.release()
    return source, before
