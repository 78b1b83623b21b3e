"""Backups of a plan in the user's data folder, and restoring one (issue 9).

Before a plan is brought forward to a new file format, and on the first save of each day while it
is edited, a consistent copy is taken with SQLite's online backup (a copy taken during a save is
never half a save) into ``<data folder>/Recovery Change Planner/backups/<plan id>/<file key>/``,
where the file key is a short hash of the plan file's full path: copies of one plan (the same
plan id, in two files) keep their backups apart, so neither lists, restores nor rotates away the
other's. The newest ``KEEP`` copies of each file are kept. ``python main.py backups PLAN`` lists
them and ``python main.py restore PLAN BACKUP`` puts one back, after backing up the plan as it is.

Backups made before copies were kept apart lie directly in ``<plan id>/``; they are still listed
for a file of the name they were taken from (and never rotated). A moved or renamed plan starts a
new folder; its older backups stay where they are and ``restore`` takes a backup's full path.

The backups folder is ``RCP_BACKUP_DIR`` if set (the tests set it), else ``backups`` in the
program's data folder (``planner.places.data_folder``: the XDG data home on Linux).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from . import places, storage
from .dates import short_date
from .errors import PlanError, ReadOnlyPlan, write_failure
from .files import new_database
from .lock import PlanLock

KEEP = 10
"""Backups kept per plan (the oldest go first)."""
APP = places.APP


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

    @property
    def when_text(self) -> str:
        """'2 Mar 2026 14:05'."""
        return f"{short_date(self.when.date())} {self.when:%H:%M}"

    @property
    def size_text(self) -> str:
        """'148 KB'."""
        return f"{max(1, round(self.size / 1024)):,} KB"

    def describe(self) -> str:
        """'20260302-140501_daily_northmoor.rcplan  2 Mar 2026 14:05  148 KB  daily'."""
        return f"{self.name}  {self.when_text}  {self.size_text}  {self.reason}"


def data_folder() -> Path:
    """Where this user's backups live (see the module docstring)."""
    override = os.environ.get("RCP_BACKUP_DIR")
    if override:
        return Path(override)
    return places.data_folder() / "backups"


def _safe_id(plan_id: str) -> str:
    return "".join(c for c in plan_id if c.isalnum() or c in "-_")[:64] or "unknown"


def file_key(plan_path: Path) -> str:
    """A short, stable name for one plan file: a hash of its full, resolved path."""
    import hashlib  # at the first backup, not when a plan is opened

    try:
        full = str(Path(plan_path).resolve())
    except OSError:
        full = os.path.abspath(plan_path)
    return hashlib.sha256(full.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def folder_for(plan_id: str, plan_path: Path) -> Path:
    """The backups of one plan file: by its plan identity and its path, so two copies of one
    plan never mix their backups."""
    return data_folder() / _safe_id(plan_id) / file_key(plan_path)


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
    folder = folder_for(plan_id_of(conn), plan_path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    slug = "-".join("".join(c if c.isalnum() else " " for c in reason).split())[:40] or "copy"
    stem = "".join(c if c.isalnum() or c in "-" else "-" for c in Path(plan_path).stem)[:60]
    dest = folder / f"{stamp}_{slug}_{stem}.rcplan"
    n = 2
    while dest.exists():
        dest = folder / f"{stamp}_{slug}_{stem}-{n}.rcplan"
        n += 1
    with new_database(dest, "The backup was not made", make_folder=True) as target:
        conn.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")
    for old in _in_folder(folder)[KEEP:]:
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

    folder = folder_for(plan_id, plan_path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    dest = folder / f"{stamp}_damaged-before-restore_{plan_path.stem}.rcplan"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(plan_path, dest)
    except OSError as exc:
        raise write_failure(dest, exc, what="The plan was not restored") from None
    return dest


def _in_folder(folder: Path) -> list[BackupInfo]:
    """The backups stored directly in ``folder``, newest first."""
    out = []
    try:
        paths = [p for p in folder.iterdir() if p.suffix == ".rcplan" and not p.name.startswith(".")
                 and p.is_file()]
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
    return _newest_first(out)


def _newest_first(found: list[BackupInfo]) -> list[BackupInfo]:
    return sorted(found, key=lambda b: (b.when, b.name), reverse=True)


def _older_of(folder: Path, plan_path: Path) -> list[BackupInfo]:
    """Backups of the older layout (one folder per plan id) taken from a file of this name."""
    stem = "".join(c if c.isalnum() or c in "-" else "-" for c in Path(plan_path).stem)[:60]
    taken_from = stem.lower()
    return [b for b in _in_folder(folder)
            if b.path.stem.split("_", 2)[-1].lower() in
            (taken_from, *(f"{taken_from}-{n}" for n in range(2, 10)))]


def list_backups(plan_id: str, plan_path: Path) -> list[BackupInfo]:
    """The stored backups of one plan file, newest first."""
    return _newest_first(_in_folder(folder_for(plan_id, plan_path))
                         + _older_of(data_folder() / _safe_id(plan_id), plan_path))


def daily_due(plan_id: str, plan_path: Path, today: date | None = None) -> bool:
    """Whether the day's backup of a plan file is still to be taken (none taken today)."""
    today = today or date.today()
    newest = _in_folder(folder_for(plan_id, plan_path))
    return not newest or newest[0].when.date() < today


def backups_of(plan_path: Path) -> list[BackupInfo]:
    """The backups of a plan file, newest first. A plan too damaged to say who it is is found
    by its path (under any plan id)."""
    plan_id = plan_id_at(plan_path)
    if plan_id != "unknown":
        return list_backups(plan_id, plan_path)
    try:
        ids = [f for f in data_folder().iterdir() if f.is_dir()]
    except OSError:
        return []
    key = file_key(plan_path)
    found = [b for f in ids for b in _in_folder(f / key) + _older_of(f, plan_path)]
    return _newest_first(found)


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
        with new_database(plan_path, "The plan was not restored",
                          isolation_level=None) as target:
            src = storage.connect(source, readonly=True)
            try:
                src.backup(target)
                target.execute("PRAGMA journal_mode = DELETE")
                new = max(counter, storage.change_counter(target)) + 1
                target.execute("BEGIN")
                storage.set_change_counter(target, new)
                target.execute("COMMIT")
            finally:
                src.close()
    finally:
        lock.release()
    return source, before
