"""The edit path of a ``PlanDocument``: the record-level operations that change a plan.

Every edit is an operation: it checks the new values against the plan's rules, writes them in one
transaction, appends one entry per changed field to the change journal (when, who, which record and
field, old and new value) and returns a ``ChangeSet`` (planner/changes.py) saying what changed in
the terms a window cares about. The named user actions ("mark achieved", "add a reading") are in
planner/operations.py and are built from these.
Undo and redo replay the journal backwards and forwards; they reach only edits made since the
file was opened, so opening a file is never undoable. The file is the save: nothing is pending.
The file side (opening, the write transaction, snapshots, copies) is planner/plan_file.py.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
from dataclasses import dataclass, field
from operator import attrgetter
from datetime import datetime
from typing import Any, Callable, Iterator

from . import codec, storage
from .changes import SETTINGS, WHOLE, ChangeSet, FieldChange
from .errors import LoopError, PlanError, ValidationError
from .model import KINDS, Plan, Settings, field_types, new_uid
from .plan_file import _now

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
        return uid in self.prepare(plan, kind)[2]

    def prepare(self, plan: Plan, kind: str) -> list:
        """The counts kept for ``kind``, counted again from ``plan`` unless they describe it."""
        coll = plan.collection(kind)
        got = self._kept.get(kind)
        if got is None or got[0] is not coll or got[1] != len(coll):
            counts: dict = {}
            for u in map(attrgetter("uid"), coll.values()):
                counts[u] = counts.get(u, 0) + 1
            got = self._kept[kind] = [coll, len(coll), counts]
        return got

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



class RecordEdits:
    """The edit side of ``PlanDocument`` (planner/document.py): its attributes are set there."""

    def edit_preparations(self) -> list[Callable[[], Any]]:
        """What the first edit of a session would otherwise do before it is checked and written,
        as steps to run now: the links by action, the longest-chain bound, the uids in use and
        the sqlite-utils view of the file (importing it). The first link added to the
        20,000-action plan took 0.36-0.39 s, 10 ms once these had run; on the sample 0.10 s,
        10 ms (issue 13). The window runs one step at a time while the user reads a plan just
        shown. Nothing in the plan or the file changes; a document opened only to read has
        none."""
        if self.readonly or self.closed:
            return []
        plan = self.plan
        return [lambda: self._links.prepare(plan), lambda: self._chain.prepare(plan),
                lambda: self._uids.prepare(plan, "action"),
                lambda: self._uids.prepare(plan, "dependency"),
                lambda: self.db]

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

    # ----- the journal ---------------------------------------------------------------------

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
