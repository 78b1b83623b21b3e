"""An open plan file and the record-level operations that change it.

Every edit is an operation: it checks the new values against the plan's rules, writes them in one
transaction, appends one entry per changed field to the change journal (when, who, which record and
field, old and new value) and returns a ``ChangeSet`` (planner/changes.py) saying what changed in
the terms a window cares about. The named user actions ("mark achieved", "add a reading") are in
planner/operations.py and are built from these.
Undo and redo replay the journal backwards and forwards; they reach only edits made since the
file was opened, so opening a file is never undoable. The file is the save: nothing is pending.
"""

from __future__ import annotations

import contextlib
import functools
import dataclasses
import json
import os
import sqlite3
from dataclasses import dataclass, field
from operator import attrgetter
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from . import codec, limits, migrations, storage
from .changes import SETTINGS, WHOLE, ChangeSet, FieldChange
from .errors import (
    ChangedElsewhere, NotAPlanError, PlanError, ReadOnlyPlan, ValidationError, write_failure,
)
from .links import LinkIndex
from .model import KINDS, Plan, Settings, field_types, new_uid, ten_challenges
from .errors import LoopError

if TYPE_CHECKING:  # the lock is imported where a plan is opened for editing, the rules where
    # an edit is checked: a command that only reads a plan (info) needs neither (issue 13)
    from .lock import LockInfo, PlanLock

_FIELD_WORDS = {"actual_finish": "finish", "actual_start": "start", "percent": "percent complete",
                "not_before": "not-before date", "coproduced": "co-production"}


@dataclass
class _Step:
    """The field changes of one undoable step while it is being made (a ``batch``)."""

    label: str
    changes: list[FieldChange] = field(default_factory=list)
    step: str = ""
    """The lasting identity of the journal step that recorded it (set once it is journaled)."""


@dataclass
class SnapshotInfo:
    """A stored copy of the plan taken when a board report was exported."""

    uid: str
    created: datetime
    label: str


@dataclass
class HistoryEntry:
    """One entry of the change journal as the user sees it."""

    group: int
    when: datetime
    who: str
    label: str
    changes: list[FieldChange]


class _UidCounts:
    """How many records of each kind carry each uid, kept edit by edit, so that adding a record
    asks one dict whether its uid is taken (issue 13: adding a link on 20,000 actions read the
    uid of each of 60,000 links). Counted again from the plan whenever it cannot be sure it is
    current (another collection, or a record count that does not match: something changed the
    plan behind the document's back), as ``LinkIndex`` is."""

    def __init__(self) -> None:
        self._kept: dict[str, list] = {}  # kind -> [collection, its length, {uid: count}]

    def taken(self, plan: Plan, kind: str, uid: Any) -> bool:
        """Whether a record of ``kind`` carries ``uid``."""
        coll = plan.collection(kind)
        got = self._kept.get(kind)
        if got is None or got[0] is not coll or got[1] != len(coll):
            counts: dict = {}
            for u in map(attrgetter("uid"), coll.values()):
                counts[u] = counts.get(u, 0) + 1
            got = self._kept[kind] = [coll, len(coll), counts]
        return uid in got[2]

    def _current(self, plan: Plan, fc: FieldChange) -> list | None:
        got = self._kept.get(fc.kind)
        if got is None:
            return None
        if got[0] is not plan.collection(fc.kind) or got[1] != len(got[0]):
            del self._kept[fc.kind]  # counted again when next asked
            return None
        return got

    def before(self, plan: Plan, fc: FieldChange) -> None:
        """Before ``fc`` is applied: the record it replaces or removes no longer counts."""
        if fc.field != WHOLE or fc.kind == SETTINGS:
            return
        got = self._current(plan, fc)
        if got is not None:
            rec = got[0].get(fc.key)
            if rec is not None:
                counts = got[2]
                left = counts.get(rec.uid, 0) - 1
                if left > 0:
                    counts[rec.uid] = left
                else:
                    counts.pop(rec.uid, None)
                got[1] -= 1

    def after(self, plan: Plan, fc: FieldChange) -> None:
        """After ``fc`` is applied: the record it added counts."""
        if fc.field != WHOLE or fc.kind == SETTINGS:
            return
        got = self._kept.get(fc.kind)
        if got is None or got[0] is not plan.collection(fc.kind):
            self._kept.pop(fc.kind, None)
            return
        rec = got[0].get(fc.key)
        if rec is not None:
            got[2][rec.uid] = got[2].get(rec.uid, 0) + 1
            got[1] += 1
        if got[1] != len(got[0]):
            del self._kept[fc.kind]


def apply_to_plan(plan: Plan, fc: FieldChange) -> None:
    """Make one journaled field change on a plan in memory (no checks: it was checked once)."""
    if fc.kind == SETTINGS:
        tp = field_types(Settings)[fc.field]
        setattr(plan.settings, fc.field, codec.decode(tp, fc.new))
        return
    k = KINDS[fc.kind]
    collection = plan.collection(fc.kind)
    if fc.field == WHOLE:
        if fc.new is None:
            collection.pop(fc.key, None)
        else:
            collection[fc.key] = codec.record_from_row(k.cls, fc.new, k.label)
    else:
        setattr(collection[fc.key], fc.field, codec.decode(field_types(k.cls)[fc.field], fc.new))


def _a(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun


def _field_words(name: str) -> str:
    return _FIELD_WORDS.get(name, name.replace("_", " "))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _default_user() -> str:
    try:
        import getpass  # only here: a command that reads a plan need not load it

        return getpass.getuser()
    except (KeyError, OSError):  # no login name on some containers
        return "unknown"


class PlanDocument:
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
        self.lock: PlanLock | None = None  # our hold on the file while editing it
        self.locked_by: LockInfo | None = None  # who else is editing it (then readonly)
        self._seen_changes = 0  # the file's save counter as this program last knew it
        self._backup_day: date | None = None  # the day of the last daily-backup check
        self._links = LinkIndex()  # each action's links, kept between edits (issue 13)
        self._chain = limits.ChainGuard(self._links)  # the longest-chain check, kept between edits
        self._uids = _UidCounts()  # which uids records carry, kept between edits

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
             columns: dict[str, dict[str, tuple]] | None = None) -> "PlanDocument":
        """Open a plan file after checking it; raises ``NotAPlanError`` or ``NewerVersionError``.

        ``readonly``: read the plan without ever writing the file (``validate``, ``info``...): it
        is copied into memory through a read-only connection and every edit is refused.
        Opening for editing takes the plan's lock (planner/lock.py); if someone else holds it, the
        plan opens read-only and ``locked_by`` says who (``locked_by.stale``: their program seems
        to have gone, and ``take_over=True`` takes the plan from them).
        ``columns`` (a dict, read-only opens): the stored columns of the tables read exactly are
        put in it (``storage.load_plan``), for checks that read whole columns (``validate``).
        """
        path = Path(path)
        lock, holder = None, None
        if not readonly and path.is_file():
            from .lock import PlanLock

            lock = PlanLock(path)
            holder = lock.acquire(take_over=take_over)
            readonly = holder is not None  # someone else is editing it: read it only
        try:
            doc = cls._open_checked(path, user, readonly, columns)
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        doc.lock = lock if lock is not None and lock.held else None
        doc.locked_by = holder
        return doc

    @classmethod
    def _open_checked(cls, path: Path, user: str | None, readonly: bool,
                      columns: dict[str, dict[str, tuple]] | None = None) -> "PlanDocument":
        recovered = storage.recover_interrupted_save(path)
        notices: list[str] = []
        backup = None
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
            version = storage.check_file(path)
            if version < storage.SCHEMA_VERSION:
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
            try:
                conn = storage.connect(path)
            except sqlite3.Error as exc:
                raise NotAPlanError(f"'{path.name}' could not be opened ({exc}).") from None
        try:
            plan = storage.load_plan(
                conn, path, check_keys=readonly and version == storage.SCHEMA_VERSION,
                columns=columns if readonly else None)
        except BaseException:
            conn.close()
            raise
        doc = cls(path, conn, plan, user)
        doc.backup = backup
        doc.readonly = readonly
        doc._seen_changes = storage.change_counter(conn)
        doc.notices.extend(notices)
        if recovered:
            doc.notices.append(f"'{path.name}' was recovered after an interrupted save: the "
                               "change being saved when the program stopped was not kept; "
                               "everything saved before it is here.")
        return doc

    @classmethod
    def create(cls, path: str | os.PathLike, plan: Plan | None = None, *, overwrite: bool = False,
               user: str | None = None) -> "PlanDocument":
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
        try:
            from .files import replaced_atomically  # not needed to read a plan

            with replaced_atomically(path) as tmp:
                conn = sqlite3.connect(tmp, isolation_level="")
                try:
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
                finally:
                    conn.close()
        except (sqlite3.Error, OSError) as exc:
            raise write_failure(path, exc, what="The plan was not created") from None
        return cls.open(path, user)

    def close(self) -> None:
        """Close the file (every edit is already stored) and give up its lock."""
        self.conn.close()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def changed_on_disk(self) -> bool:
        """Whether someone else has saved to the file since this program last read or wrote it."""
        on_disk = storage.changes_on_disk(self.path)
        return on_disk is not None and on_disk != self._seen_changes

    def __enter__(self) -> "PlanDocument":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ----- operations ------------------------------------------------------------------------

    def add(self, kind: str, record: Any) -> ChangeSet:
        """Add a record; refused (nothing changed) if its key is taken or it breaks a rule."""
        k = self._kind(kind)
        if not isinstance(record, k.cls):
            raise PlanError(f"Expected {_a(k.label)} record.")
        record = k.cls(**self._decoded(k.cls, codec.record_to_json(record)))  # checked, normalised
        key = getattr(record, k.key)
        if key in self.plan.collection(kind) or key in (None, ""):
            raise ValidationError(f"There is already {_a(k.label)} with the ID '{key}'; "
                                  "each needs its own." if key else f"The {k.label} needs an ID.")
        if self._uids.taken(self.plan, kind, record.uid):
            record = dataclasses.replace(record, uid=new_uid())
        self._refuse_problems(kind, record)
        self._refuse_future_actuals(kind, record)
        label = f"add {k.label} {key}" if k.key != "uid" else f"add {k.label}"
        fc = FieldChange(kind, key, record.uid, WHOLE, None, codec.record_to_json(record))
        return self._run(label, [fc])

    def update(self, kind: str, key: Any, **fields: Any) -> ChangeSet:
        """Change some fields of a record; refused (nothing changed) if the result breaks a rule."""
        k = self._kind(kind)
        old = self._get(kind, key)
        if k.key in fields and fields[k.key] != key:
            raise ValidationError(f"The ID of {k.label} {key} cannot be changed.")
        if "uid" in fields and fields["uid"] != old.uid:
            raise ValidationError("A record's identity cannot be changed.")
        types_ = field_types(k.cls)
        unknown = [f for f in fields if f not in types_]
        if unknown:
            raise PlanError(f"{_a(k.label).capitalize()} has no field {', '.join(unknown)}.")
        decoded = self._decoded(k.cls, fields)
        new_json = {f: codec.to_json(v) for f, v in decoded.items()}
        new = dataclasses.replace(old, **decoded)
        self._refuse_problems(kind, new)
        self._refuse_future_actuals(kind, new, fields)
        changes = [FieldChange(kind, key, old.uid, f, codec.to_json(getattr(old, f)), new_json[f])
                   for f in fields if codec.to_json(getattr(old, f)) != new_json[f]]
        if len(changes) == 1:
            label = f"change {_field_words(changes[0].field)} of {k.label} {key}"
            if kind in ("action", "milestone", "measure", "risk", "person", "initiative"):
                label = f"change {_field_words(changes[0].field)} of {key}"
        else:
            label = f"edit {k.label} {key}"
        return self._run(label, changes)

    def delete(self, kind: str, key: Any) -> ChangeSet:
        """Remove a record, and what only made sense with it (e.g. an action's dependencies)."""
        k = self._kind(kind)
        rec = self._get(kind, key)
        if kind == "challenge":
            raise ValidationError("The ten challenges are part of every plan and cannot be removed.")
        label = f"delete {k.label} {key}" if k.key != "uid" else f"delete {k.label}"
        with self.batch(label) as group:
            first = len(group.changes)
            for sub_kind, sub_key, fields in self._cascade(kind, key):
                if fields is None:
                    self.delete(sub_kind, sub_key)
                else:
                    self.update(sub_kind, sub_key, **fields)
            self._run(None, [FieldChange(kind, key, rec.uid, WHOLE, codec.record_to_json(rec), None)])
            mine = group.changes[first:]
        return ChangeSet(label, mine)

    def update_settings(self, **fields: Any) -> ChangeSet:
        """Change plan-wide settings (name, dates, holidays, stage scale, board cover...)."""
        types_ = field_types(Settings)
        unknown = [f for f in fields if f not in types_]
        if unknown:
            raise PlanError(f"The plan has no setting {', '.join(unknown)}.")
        if "plan_id" in fields and fields["plan_id"] != self.plan.settings.plan_id:
            raise ValidationError("A plan's identity cannot be changed.")
        decoded = self._decoded(Settings, fields)
        new_json = {f: codec.to_json(v) for f, v in decoded.items()}
        new = dataclasses.replace(self.plan.settings, **decoded)
        from .validate import settings_problems

        problems = settings_problems(self.plan, new)
        if problems:
            raise ValidationError(problems)
        old = self.plan.settings
        changes = [FieldChange(SETTINGS, "plan", old.plan_id, f, codec.to_json(getattr(old, f)),
                               new_json[f])
                   for f in fields if codec.to_json(getattr(old, f)) != new_json[f]]
        label = (f"change plan {_field_words(changes[0].field)}" if len(changes) == 1
                 else "edit plan settings")
        return self._run(label, changes)

    @contextlib.contextmanager
    def batch(self, label: str, *, check_at_end: bool = False,
              who: str | None = None) -> Iterator[_Step]:
        """Group several operations into one transaction and one undoable step.

        What the step changed is ``doc.last_change`` afterwards (a ``ChangeSet``). With
        ``check_at_end`` the rules are checked once on the result rather than after each edit, so
        a replay (a merge) may pass through states no single edit could make; a result that
        breaks a rule (a loop, an unknown owner...) refuses the whole batch with the reason.
        ``who`` names the author in the journal (an update pack's owner) instead of this user.
        """
        if self._group is not None:  # nested: part of the outer step
            yield self._group
            return
        group = _Step(label)
        self._group = group
        before = self._end_problems() if check_at_end else None
        self._check_at_end = check_at_end
        try:
            with self._writing():
                yield group
                self._check_at_end = False
                if before is not None and group.changes:
                    known = set(before)
                    problems = [p for p in self._end_problems() if p not in known]
                    if problems:
                        raise ValidationError(problems)
                if group.changes:
                    group.step = self._journal(group, who)
        except BaseException:
            self._group = None
            self._check_at_end = False
            for fc in reversed(group.changes):
                self._apply_memory(fc.inverse())
            raise
        self._group = None
        change = ChangeSet(group.label, group.changes)
        self.last_change = change
        if change:
            self._undo.append(change)
            self._redo.clear()
            self._notify(change)

    # ----- undo and redo -----------------------------------------------------------------------

    @property
    def undo_label(self) -> str | None:
        """What Undo would undo, e.g. ``'change finish of A12'`` (None if nothing)."""
        return self._undo[-1].label if self._undo else None

    @property
    def redo_label(self) -> str | None:
        """What Redo would redo (None if nothing)."""
        return self._redo[-1].label if self._redo else None

    def undo(self) -> ChangeSet | None:
        """Undo the last step made since the file was opened."""
        if not self._undo:
            return None
        step = self._undo[-1]
        change = ChangeSet(f"undo: {step.label}", [fc.inverse() for fc in reversed(step.changes)])
        self._replay(change)
        self._undo.pop()  # only once stored: a failed undo can be tried again
        self._redo.append(step)
        self._notify(change)  # after the stacks are right, so listeners see the new labels
        return change

    def redo(self) -> ChangeSet | None:
        """Redo the last undone step."""
        if not self._redo:
            return None
        step = self._redo[-1]
        change = ChangeSet(f"redo: {step.label}", step.changes)
        self._replay(change)
        self._redo.pop()
        self._undo.append(step)
        self._notify(change)
        return change

    # ----- history, snapshots, copies -------------------------------------------------------

    def history(self, limit: int = 200) -> list[HistoryEntry]:
        """The latest entries of the change journal, newest first."""
        groups = list(self.conn.execute(
            "SELECT grp, ts, who, label FROM journal_groups ORDER BY grp DESC LIMIT ?", (limit,)))
        out = []
        for g in groups:
            rows = self.conn.execute("SELECT kind, key, uid, field, old, new FROM journal "
                                     "WHERE grp = ? ORDER BY seq", (g["grp"],))
            changes = [FieldChange(r["kind"], storage.read_json(r["key"]), r["uid"], r["field"],
                                   storage.read_json(r["old"]), storage.read_json(r["new"]))
                       for r in rows]
            out.append(HistoryEntry(g["grp"], datetime.fromisoformat(g["ts"]), g["who"],
                                    g["label"], changes))
        return out

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
        try:
            from .files import replaced_atomically  # not needed to read a plan

            with replaced_atomically(dest) as tmp:
                target = sqlite3.connect(tmp)
                try:
                    self.conn.backup(target)
                    with target:
                        target.execute("INSERT OR REPLACE INTO meta (key, value) VALUES "
                                       "('made_from', ?)", (made_from,))
                finally:
                    target.close()
        except (sqlite3.Error, OSError) as exc:
            raise write_failure(dest, exc, what="The copy was not saved") from None
        return dest

    # ----- internals ---------------------------------------------------------------------------

    def _kind(self, kind: str):
        try:
            return KINDS[kind]
        except KeyError:
            raise PlanError(f"A plan has no records of kind '{kind}'.") from None

    def _refuse_problems(self, kind: str, rec: Any) -> None:
        """Raise ValidationError (LoopError for a loop) if ``rec`` breaks a rule."""
        if self._check_at_end:
            return
        from .validate import loop_message, loop_through, record_problems

        problems = record_problems(self.plan, kind, rec, check_loops=False, links=self._links)
        if not problems and kind in ("action", "dependency"):
            problems = [p for p in [self._chain.problem(self.plan, kind, rec)] if p]
        if problems:
            raise ValidationError(problems)
        if kind == "dependency":
            chain = loop_through(self.plan, rec, self._links)
            if chain is not None:
                raise LoopError(loop_message(self.plan, rec, chain), [rec.needs] + chain)

    def _end_problems(self) -> list[str]:
        """What a batch checked at its end refuses: broken rules, actual dates after the status
        date (so a pack cannot mark something achieved in the future)."""
        from .validate import future_actuals, validate_plan

        return validate_plan(self.plan) + future_actuals(self.plan)

    def _refuse_future_actuals(self, kind: str, rec: Any, fields: Any = None) -> None:
        """Raise ValidationError if an actual date being set is after the status date."""
        if self._check_at_end:
            return  # a replayed batch (a merged pack) is checked as a whole at its end
        from .validate import future_actual_problems

        problems = future_actual_problems(self.plan, kind, rec, fields)
        if problems:
            raise ValidationError(problems)

    def _get(self, kind: str, key: Any) -> Any:
        rec = self.plan.collection(kind).get(key)
        if rec is None:
            raise ValidationError(f"There is no {KINDS[kind].label} '{key}' in this plan.")
        return rec

    @staticmethod
    def _decoded(cls: type, values: dict[str, Any]) -> dict[str, Any]:
        """``values`` checked and converted to their fields' types; every misfit is reported."""
        types_ = field_types(cls)
        out, problems = {}, []
        for name, value in values.items():
            try:
                out[name] = codec.decode_field(name, types_[name], codec.to_json(value))
            except codec.BadValue as exc:
                problems.append(f"{_field_words(name).capitalize()} {exc}.")
        if problems:
            raise ValidationError(problems)
        return out

    def _cascade(self, kind: str, key: Any) -> list[tuple[str, Any, dict | None]]:
        """Edits that must go with deleting a record: (kind, key, fields) or fields None = delete."""
        plan = self.plan
        out: list[tuple[str, Any, dict | None]] = []
        if kind == "action":
            out += [("dependency", uid, None) for uid in self._links.links_of(plan, key)]
            out += [("milestone", m.id, {"action": None}) for m in plan.milestones.values()
                    if m.action == key]
            out += [("risk", r.id, {"actions": [a for a in r.actions if a != key]})
                    for r in plan.risks.values() if key in r.actions]
        elif kind == "person":
            for coll in ("action", "initiative", "milestone", "risk"):
                out += [(coll, r_key, {"owner": None})
                        for r_key, r in plan.collection(coll).items() if r.owner == key]
        elif kind == "initiative":
            out += [("action", a.id, {"initiative": None}) for a in plan.actions.values()
                    if a.initiative == key]
            out += [("milestone", m.id, {"initiative": None}) for m in plan.milestones.values()
                    if m.initiative == key]
        elif kind == "measure":
            out += [("reading", r.uid, None) for r in plan.readings.values() if r.measure == key]
        elif kind == "phase":
            out += [("action", a.id, {"phase": None}) for a in plan.actions.values()
                    if a.phase == key]
        return out

    def _run(self, label: str | None, changes: list[FieldChange]) -> ChangeSet:
        """Apply validated changes inside the current step, or as a step of their own."""
        if not changes:
            return ChangeSet(label or "no change")
        with self.batch(label or "edit") as group:
            for fc in changes:
                self._apply_db(fc)
                self._apply_memory(fc)
                group.changes.append(fc)
        return ChangeSet(label or group.label, changes)

    def _replay(self, change: ChangeSet) -> None:
        """Apply undo or redo changes in one transaction and journal them."""
        with self._writing():
            for fc in change.changes:
                self._apply_db(fc)
            self._journal(change)
        for fc in change.changes:
            self._apply_memory(fc)

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

    def _apply_db(self, fc: FieldChange) -> None:
        if fc.kind == SETTINGS:
            self.db["settings"].upsert({"key": fc.field, "value": json.dumps(fc.new)}, pk="key")
            return
        k = KINDS[fc.kind]
        table = self.db[k.table]
        if fc.field == WHOLE:
            if fc.new is None:
                self.conn.execute(f"DELETE FROM [{k.table}] WHERE [{k.key}] = ?", (fc.key,))
            else:
                rec = codec.record_from_row(k.cls, fc.new, k.label)
                table.insert(codec.record_to_row(rec))
        else:
            value = codec.encode(codec.decode(field_types(k.cls)[fc.field], fc.new))
            self.conn.execute(f"UPDATE [{k.table}] SET [{fc.field}] = ? WHERE [{k.key}] = ?",
                              (value, fc.key))

    def _apply_memory(self, fc: FieldChange) -> None:
        self._uids.before(self.plan, fc)
        apply_to_plan(self.plan, fc)
        self._uids.after(self.plan, fc)
        self._links.note(self.plan, fc)  # first: the chain check reads it
        self._chain.note(self.plan, fc.kind, fc.field, fc.old, fc.new)

    def _journal(self, change: ChangeSet | _Step, who: str | None = None) -> str:
        """Append one step to the journal; returns its lasting identity."""
        step = new_uid()
        cur = self.conn.execute(
            "INSERT INTO journal_groups (ts, who, label, state, step) VALUES (?, ?, ?, 'done', ?)",
            (_now(), who or self.user, change.label, step))
        grp = cur.lastrowid
        self.conn.executemany(
            "INSERT INTO journal (grp, kind, key, uid, field, old, new) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(grp, fc.kind, json.dumps(fc.key), fc.uid, fc.field, json.dumps(fc.old),
              json.dumps(fc.new)) for fc in change.changes])
        return step

    def _notify(self, change: ChangeSet) -> None:
        for listener in list(self.listeners):
            listener(change)
