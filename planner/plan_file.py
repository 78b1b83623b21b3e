"""The plan file behind a ``PlanDocument``: opening (checked, migrated, locked), creating, closing,
the one write transaction every save goes through (a file changed elsewhere is refused; the first
save of a day keeps a backup), snapshots and "Save a copy as".

The edits themselves (operations, change sets, undo and redo, the journal) are in
planner/edits.py; planner/document.py puts the two together as ``PlanDocument``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Self

from . import codec, migrations, storage
from .errors import ChangedElsewhere, NotAPlanError, PlanError, ReadOnlyPlan, write_failure
from .model import Plan, new_uid, ten_challenges


@dataclass
class SnapshotInfo:
    """A stored copy of the plan taken when a board report was exported."""

    uid: str
    created: datetime
    label: str



def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _default_user() -> str:
    """The login name, found as ``getpass.getuser`` finds it: the first of the LOGNAME, USER,
    LNAME and USERNAME variables that is set, else the password database; "unknown" when there
    is none (some containers). Every open asks, so getpass itself is not imported: it loads the
    terminal modules too, about 7 M instructions of each command (issue 13)."""
    for name in _LOGIN_VARIABLES:
        user = os.environ.get(name)
        if user:
            return user
    try:
        import pwd

        return pwd.getpwuid(os.getuid())[0]
    except (ImportError, KeyError, OSError):  # no password database, no entry for this user
        return "unknown"


_LOGIN_VARIABLES = ("LOGNAME", "USER", "LNAME", "USERNAME")
"""Where ``getpass.getuser`` looks for the login name, in its order."""


class PlanFile:
    """The file side of ``PlanDocument`` (planner/document.py): its attributes are set there."""

    @functools.cached_property
    def db(self):
        """The sqlite-utils view of the file, made on the first edit (reading needs none, and
        importing sqlite-utils costs a command-line run about 60 ms; issue 13)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn, execute_plugins=False)

    # ----- opening and creating -------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike, user: str | None = None, *,
             readonly: bool = False, take_over: bool = False,
             columns: dict[str, dict[str, tuple]] | None = None,
             unbuilt: dict[str, Any] | None = None) -> Self:
        """Open a plan file after checking it; raises ``NotAPlanError`` or ``NewerVersionError``.

        ``readonly``: read the plan without ever writing the file (``validate``, ``info``...): it
        is copied into memory through a read-only connection and every edit is refused.
        Opening for editing takes the plan's lock (planner/lock.py); if someone else holds it, the
        plan opens read-only and ``locked_by`` says who (``locked_by.stale``: their program seems
        to have gone, and ``take_over=True`` takes the plan from them).
        ``columns`` (a dict, read-only opens): the stored columns of the tables read exactly are
        put in it (``storage.load_plan``), for checks that read whole columns (``validate``).
        ``unbuilt`` (with ``columns``): kinds whose records may be left unbuilt, as
        ``storage.load_plan`` says (``validate``: the links, until a check needs them).
        """
        path = Path(path)
        lock, holder = None, None
        if not readonly and path.is_file():
            from .lock import PlanLock

            lock = PlanLock(path)
            holder = lock.acquire(take_over=take_over)
            readonly = holder is not None  # someone else is editing it: read it only
        try:
            doc = cls._open_checked(path, user, readonly, columns, unbuilt)
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        doc.lock = lock if lock is not None and lock.held else None
        doc.locked_by = holder
        return doc

    @classmethod
    def _open_checked(cls, path: Path, user: str | None, readonly: bool,
                      columns: dict[str, dict[str, tuple]] | None = None,
                      unbuilt: dict[str, Any] | None = None) -> Self:
        recovered = storage.recover_interrupted_save(path)
        notices: list[str] = []
        backup = None
        reader = False  # the plan is read through the checking connection, then another opened
        if readonly:
            # the quick check, of the copy in memory that is read; the record tables' keys are
            # checked as they are read
            version, conn = storage.checked_copy(path)
            try:
                conn = migrations.forward_in_memory(conn, path, version)
            except BaseException:
                conn.close()
                raise
        else:
            # the full check; a current file is then read through the same connection, in the
            # same read transaction, before the connection that writes is opened
            version, conn = storage.checked_reader(path)
            reader = version == storage.SCHEMA_VERSION
            if not reader:
                conn.close()
                if not os.access(path, os.W_OK):
                    raise NotAPlanError(f"'{path.name}' was made by an older version and must "
                                        "be updated, but the file is read-only.")
                from . import backups  # imported where used: reading a plan needs none of it

                try:
                    backups.backup_file(path, f"before format {storage.SCHEMA_VERSION} update")
                except PlanError as exc:
                    notices.append(f"No backup was kept in the backups folder before updating "
                                   f"'{path.name}' ({exc}); a copy is kept beside it.")
                backup = migrations.migrate(path, version)
                conn = cls._writer(path)
        try:
            plan = storage.load_plan(
                conn, path, check_keys=readonly and version == storage.SCHEMA_VERSION,
                columns=columns if readonly else None, unbuilt=unbuilt if readonly else None)
            seen = storage.change_counter(conn)  # of the state read
            if reader:  # the checked file was read: now the connection that writes
                conn.close()
                conn = cls._writer(path)
        except BaseException:
            conn.close()
            raise
        doc = cls(path, conn, plan, user)
        doc.backup = backup
        doc.readonly = readonly
        doc._seen_changes = seen
        doc.notices.extend(notices)
        if recovered:
            doc.notices.append(f"'{path.name}' was recovered after an interrupted save: the "
                               "change being saved when the program stopped was not kept; "
                               "everything saved before it is here.")
        return doc

    @staticmethod
    def _writer(path: Path) -> sqlite3.Connection:
        """The connection an open for editing writes through."""
        try:
            return storage.connect(path)
        except sqlite3.Error as exc:
            raise NotAPlanError(f"'{path.name}' could not be opened ({exc}).") from None

    @classmethod
    def create(cls, path: str | os.PathLike, plan: Plan | None = None, *, overwrite: bool = False,
               user: str | None = None) -> Self:
        """Write ``plan`` (default: the ten challenges and nothing else) as a new plan file.

        The file is built under a temporary name and renamed into place, so a failure never
        leaves a half-written plan. Creating a plan is not an undoable step.
        """
        path = Path(path)
        if path.exists() and not overwrite:
            raise PlanError(f"'{path}' already exists; choose another name (or --force to "
                            "replace it).")
        if plan is None:
            plan = Plan(challenges=ten_challenges())
            plan.settings.start = plan.settings.as_of = date.today()
        from .files import new_database  # not needed to read a plan

        with new_database(path, "The plan was not created") as conn:
            import sqlite_utils

            db = sqlite_utils.Database(conn, execute_plugins=False)
            conn.execute("PRAGMA journal_mode = DELETE")
            with db.atomic():
                storage.create_schema(db)
                storage.write_plan(db, plan)
                db["journal_groups"].insert({"grp": 1, "ts": _now(),
                                             "who": user or _default_user(),
                                             "label": "create plan", "state": "origin",
                                             "step": new_uid()})
            import secrets  # only a new plan needs it: not part of opening one

            db["meta"].insert({"key": "signing_key", "value": secrets.token_hex(32)})
        return cls.open(path, user)

    def close(self) -> None:
        """Close the file (every edit is already stored) and give up its lock."""
        self.closed = True
        self.conn.close()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def changed_on_disk(self) -> bool:
        """Whether someone else has saved to the file since this program last read or wrote it."""
        on_disk = storage.changes_on_disk(self.path)
        return on_disk is not None and on_disk != self._seen_changes

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ----- snapshots, copies -----------------------------------------------------------------

    def save_snapshot(self, label: str) -> str:
        """Store a copy of the plan as it is now (taken at each board export); return its uid."""
        uid = new_uid()
        data = json.dumps(codec.plan_to_json(self.plan))
        with self._writing():
            self.db["snapshots"].insert({"uid": uid, "created": _now(), "label": label,
                                         "data": data})
        return uid

    def snapshots(self) -> list[SnapshotInfo]:
        """Stored snapshots, oldest first."""
        return [SnapshotInfo(r["uid"], datetime.fromisoformat(r["created"]), r["label"])
                for r in self.conn.execute("SELECT uid, created, label FROM snapshots "
                                           "ORDER BY created, rowid")]

    def load_snapshot(self, uid: str) -> Plan:
        """The plan as it was when a snapshot was taken."""
        row = self.conn.execute("SELECT data FROM snapshots WHERE uid = ?", (uid,)).fetchone()
        if row is None:
            raise PlanError(f"There is no snapshot '{uid}' in this plan.")
        try:
            return codec.plan_from_json(json.loads(row["data"]))
        except (ValueError, TypeError, codec.BadValue) as exc:
            raise PlanError(f"The snapshot '{uid}' is damaged ({exc}).") from None

    @property
    def state_id(self) -> str:
        """The lasting identity of the plan's current state: its last journal step's."""
        row = self.conn.execute(
            "SELECT step FROM journal_groups ORDER BY grp DESC LIMIT 1").fetchone()
        return row["step"] if row and row["step"] else ""

    def save_copy(self, path: str | os.PathLike) -> Path:
        """Write a copy of the plan file elsewhere ("Save a copy as"); this file stays open.

        The copy records what it was made from (plan id and state), its fork point: a later
        merge of the two files finds their common ancestor from it.
        """
        dest = Path(path)
        if dest.resolve() == self.path.resolve():
            raise PlanError("Choose a different file for the copy.")
        made_from = json.dumps({"plan_id": self.plan.settings.plan_id, "state": self.state_id,
                                "made": _now(), "from": self.path.name})
        from .files import new_database  # not needed to read a plan

        with new_database(dest, "The copy was not saved") as target:
            self.conn.backup(target)
            with target:
                target.execute("INSERT OR REPLACE INTO meta (key, value) VALUES "
                               "('made_from', ?)", (made_from,))
        return dest

    # ----- the write transaction ---------------------------------------------------------------

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """One write transaction; a database or disk failure becomes a SaveError naming the file.

        On failure the transaction is rolled back, so the file holds what it held before.
        """
        if self.readonly:
            if self.locked_by is not None:
                stale = (" Their program seems to have stopped: open the plan in the window and "
                         "choose Take over to edit it." if self.locked_by.stale else "")
                raise ReadOnlyPlan(f"'{self.path.name}' is open read-only because "
                                   f"{self.locked_by.describe()} is editing it; the change was "
                                   f"not saved.{stale}")
            raise ReadOnlyPlan(f"'{self.path.name}' is open read-only, so it cannot be changed "
                               "here.")
        try:
            with self.db.atomic():
                seen = storage.change_counter(self.conn)
                if seen != self._seen_changes:
                    who, when = storage.last_saved_by(self.conn)
                    raise ChangedElsewhere(
                        f"'{self.path.name}' was changed by {who}"
                        + (f" at {when.replace('T', ' ')[:16]}" if when else "")
                        + " since you opened it, so this change was not saved (it could have "
                        "undone theirs). Reload the plan first, then make the change again.")
                rows_before = self.conn.total_changes
                yield
                wrote = self.conn.total_changes != rows_before
                if wrote:  # a step that changed nothing leaves the file as it was
                    storage.set_change_counter(self.conn, seen + 1)
            if wrote:
                self._seen_changes = seen + 1
                if self.lock is not None:
                    self.lock.refresh()
                self._daily_backup()
        except (sqlite3.Error, OSError) as exc:
            if self.conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.rollback()
            if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_READONLY_DBMOVED:
                raise ChangedElsewhere(
                    f"'{self.path.name}' was replaced since you opened it (restored from a "
                    "backup, or copied over), so this change was not saved. Reload the plan "
                    "first, then make the change again.") from None
            raise write_failure(self.path, exc) from None

    def _daily_backup(self) -> None:
        """On the first save of a day, keep a copy in the backups folder (planner/backups.py).

        A backup that cannot be made never undoes the save; the user is told once.
        """
        today = date.today()
        if self._backup_day == today:
            return
        self._backup_day = today
        try:
            from . import backups

            if backups.daily_due(backups.plan_id_of(self.conn), self.path, today):
                backups.make_backup(self.conn, self.path, "daily")
        except PlanError as exc:
            self.notices.append(f"Today's backup of '{self.path.name}' was not made ({exc}).")
