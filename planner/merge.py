"""Bringing changes made elsewhere into an open plan: another copy, an update pack or a workbook.

Whatever the source, the changes arrive as net per-field changes (``Incoming``: kind, record uid,
field, the value the source started from and its new value; field ``*`` adds or removes a whole
record) and are merged three-way against this plan's current values:

- a field this plan still holds at the source's starting value takes the new value;
- a field this plan already holds at the new value is left alone (merging twice changes nothing);
- a field both changed, differently, is a conflict: listed with base, mine and theirs, and left
  alone unless the lead prefers the incoming side (for all, or conflict by conflict);
- a record removed on one side and changed on the other is a conflict too;
- a record added elsewhere keeps its identity (uid); if its user ID is taken here it gets the next
  free ID, the report says so, and references to it in the incoming changes follow.

Everything is applied through the document's operations in one batch: one undoable step, checked
once at the end (a loop or broken rule refuses the whole merge, with the reason).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from planner import codec
from planner.changes import SETTINGS, WHOLE
from planner.dates import short_date
from planner.document import PlanDocument
from planner.errors import PlanError, ValidationError
from planner.lineage import Step, known_steps, read_steps
from planner.model import KINDS
from planner.validate import validate_plan

REFS: dict[tuple[str, str], str] = {
    ("action", "owner"): "person", ("action", "initiative"): "initiative",
    ("action", "phase"): "phase", ("initiative", "owner"): "person",
    ("milestone", "owner"): "person", ("milestone", "action"): "action",
    ("milestone", "initiative"): "initiative", ("risk", "owner"): "person",
    ("risk", "actions"): "action", ("dependency", "action"): "action",
    ("dependency", "needs"): "action", ("reading", "measure"): "measure",
}
"""Fields that refer to another record by its user ID, and the kind they refer to."""

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ADD_ORDER = ["person", "initiative", "phase", "action", "measure", "milestone", "dependency",
             "reading", "assessment", "risk", "challenge"]


class MergeRefused(PlanError):
    """A merge, pack or workbook was refused whole; nothing was changed."""


class _DryRun(Exception):
    """Raised inside the batch to roll a trial merge back."""


@dataclass
class Incoming:
    """One net change arriving from elsewhere (``field == '*'``: a whole record added or removed)."""

    kind: str
    uid: str
    key: Any
    field: str
    old: Any
    new: Any


@dataclass
class Conflict:
    """A field (or record) changed on both sides; ``resolution`` says which side won, if any."""

    kind: str
    uid: str
    key: Any
    title: str
    field: str
    base: Any
    mine: Any
    theirs: Any
    reason: str = "changed on both sides"
    resolution: str | None = None  # "theirs" applied, "mine" kept by choice, None left open

    @property
    def ident(self) -> tuple[str, str, str]:
        """What identifies the conflict between a trial run and the real one."""
        return (self.kind, self.uid, self.field)

    def line(self) -> str:
        """One line for the command line."""
        what = "the whole record" if self.field == WHOLE else _words(self.field)
        where = f"{KINDS[self.kind].label if self.kind in KINDS else 'plan'} {self.key}"
        title = f" '{self.title}'" if self.title else ""
        kept = {"theirs": "incoming value applied", "mine": "kept as it is here"}.get(
            self.resolution, "left as it is here")
        if self.field == WHOLE:
            return f"{where}{title}: {self.reason} ({kept})"
        return (f"{where}{title}, {what}: base {show(self.base)}, here {show(self.mine)}, "
                f"incoming {show(self.theirs)} ({kept})")


@dataclass
class MergeReport:
    """What a merge did, or would do (``dry_run``)."""

    source: str
    label: str
    applied: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False
    step: str = ""

    @property
    def conflicts_left(self) -> list[Conflict]:
        """Conflicts nobody settled (neither side chosen)."""
        return [c for c in self.conflicts if c.resolution is None]

    def lines(self) -> list[str]:
        """The report as the command line prints it."""
        verb = "Would apply" if self.dry_run else "Applied"
        out = [f"{verb} {len(self.applied)} change{'s' if len(self.applied) != 1 else ''} from "
               f"{self.source}" + ("" if self.dry_run or not self.applied
                                   else f" (one step: Undo '{self.label}')") + "."]
        out += [f"  {a}" for a in self.applied]
        out += [f"  renumbered: {r}" for r in self.renamed]
        out += [f"  note: {n}" for n in self.notes]
        if self.conflicts:
            left = len(self.conflicts_left)
            out.append(f"{len(self.conflicts)} conflict{'s' if len(self.conflicts) != 1 else ''}"
                       + (f", {left} left for you to settle:" if left else ", all settled:"))
            out += [f"  {c.line()}" for c in self.conflicts]
        if self.dry_run:
            out.append("Nothing was changed (dry run).")
        return out


def show(value: Any) -> str:
    """A field value as a lead reads it: a date (stored as ISO text) as every screen writes it,
    ``8 Jun 2026`` (``planner.dates.short_date``), other text quoted."""
    if value is None or value == "" or value == []:
        return "(blank)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str):
        return _day(value) if _ISO_DATE.fullmatch(value) else repr(value)
    return str(value)


def _day(iso: str) -> str:
    """An ISO date as ``short_date`` writes it (the text as it is if it is no real day)."""
    try:
        return short_date(date.fromisoformat(iso))
    except ValueError:
        return iso


def _words(name: str) -> str:
    return name.replace("_", " ")


def _title(rec: dict | None) -> str:
    if not rec:
        return ""
    if "needs" in rec and "action" in rec:
        return f"{rec['action']} waits for {rec['needs']}"
    if "measure" in rec and "value" in rec:
        when = rec.get("date")
        return f"{rec['measure']} on {_day(when) if isinstance(when, str) else when}"
    return str(rec.get("title") or rec.get("name") or rec.get("stage") or "")


# ----- net changes from journal steps -------------------------------------------------------------

@dataclass
class _Net:
    key: Any
    existed: bool | None = None
    exists: bool = True
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)


def net_changes(steps: Iterable[Step]) -> list[Incoming]:
    """The net effect of journal steps, per record and field, in the order records were touched."""
    nets: dict[tuple[str, str], _Net] = {}
    for step in steps:
        for fc in step.changes:
            net = nets.get((fc.kind, fc.uid))
            if net is None:
                net = nets[(fc.kind, fc.uid)] = _Net(fc.key)
            if fc.field == WHOLE:
                if net.existed is None:
                    net.existed = fc.old is not None
                if fc.old is not None and net.existed:
                    for f, v in fc.old.items():
                        net.before.setdefault(f, v)
                net.exists = fc.new is not None
                net.after = dict(fc.new) if fc.new is not None else {}
            else:
                if net.existed is None:
                    net.existed = True
                if net.existed:
                    net.before.setdefault(fc.field, fc.old)
                net.after[fc.field] = fc.new
    out: list[Incoming] = []
    for (kind, uid), net in nets.items():
        if net.existed and net.exists:
            out += [Incoming(kind, uid, net.key, f, net.before.get(f), v)
                    for f, v in net.after.items() if f != "uid" and net.before.get(f) != v]
        elif net.exists:
            out.append(Incoming(kind, uid, net.key, WHOLE, None, net.after))
        elif net.existed:
            out.append(Incoming(kind, uid, net.key, WHOLE, net.before, None))
    return out


# ----- the merge itself ---------------------------------------------------------------------------

def merge_incoming(doc: PlanDocument, incoming: list[Incoming], *, source: str, label: str,
                   who: str | None = None, prefer: str | None = None,
                   choices: dict[tuple, str] | None = None, dry_run: bool = False,
                   restore: dict[str, dict] | None = None,
                   merged_ids: Iterable[str] = ()) -> MergeReport:
    """Merge net incoming changes into ``doc`` as one undoable step; see the module docstring.

    ``prefer`` is ``"theirs"`` to apply the incoming side of every conflict (else "mine");
    ``choices`` maps a conflict's ``ident`` to "mine" or "theirs" one by one. ``restore`` holds
    full incoming records by uid (to bring back a record removed here when theirs wins).
    ``merged_ids`` are journal steps or pack ids recorded as merged. Raises MergeRefused.
    """
    plan = doc.plan
    choices = choices or {}
    restore = restore or {}
    report = MergeReport(source, label, dry_run=dry_run)
    uid_key = {kind: {rec.uid: key for key, rec in plan.collection(kind).items()}
               for kind in KINDS}
    taken = {kind: set(plan.collection(kind)) for kind in KINDS}
    renames: dict[str, dict[Any, Any]] = {}
    incoming_uids = {i.uid for i in incoming}

    def wins(conflict: Conflict) -> bool:
        choice = choices.get(conflict.ident, prefer)
        if choice in ("theirs", "mine"):
            conflict.resolution = choice
        report.conflicts.append(conflict)
        return choice == "theirs"

    def remap(kind: str, name: str, value: Any) -> Any:
        target = REFS.get((kind, name))
        table = renames.get(target) if target else None
        if not table or value is None:
            return value
        if isinstance(value, list):
            return [table.get(v, v) for v in value]
        return table.get(value, value)

    def remap_record(kind: str, rec: dict) -> dict:
        return {f: remap(kind, f, v) for f, v in rec.items()}

    def free_key(kind: str) -> Any:
        k = KINDS[kind]
        if k.key == "number":
            return max(taken[kind], default=0) + 1
        highest = 0
        for key in taken[kind]:
            tail = str(key)[len(k.prefix):]
            if str(key).startswith(k.prefix) and tail.isdigit():
                highest = max(highest, int(tail))
        return f"{k.prefix}{highest + 1}"

    adds: list[tuple[str, dict]] = []
    updates: list[tuple[str, Any, dict]] = []
    settings: dict[str, Any] = {}
    deletes: list[tuple[str, Any]] = []

    def plan_add(kind: str, uid: str, rec: dict) -> None:
        k = KINDS[kind]
        key = rec.get(k.key)
        if k.key != "uid" and (key in taken[kind] or key in (None, "")):
            new_key = free_key(kind)
            if key not in (None, ""):
                renames.setdefault(kind, {})[key] = new_key
                report.renamed.append(f"{k.label} {key} '{_title(rec)}' is {new_key} here "
                                      f"({key} was already used by another {k.label})")
            rec = {**rec, k.key: new_key}
        taken[kind].add(rec.get(k.key))
        adds.append((kind, rec))

    # adds first, so renumbering is known before any reference is read
    for inc in incoming:
        if inc.field == WHOLE and inc.old is None and inc.new is not None:
            if inc.kind not in KINDS:
                continue
            if inc.uid in uid_key[inc.kind]:  # already here: compare field by field below
                key_field = KINDS[inc.kind].key
                here, there = uid_key[inc.kind][inc.uid], inc.new.get(key_field)
                if key_field != "uid" and there is not None and there != here:
                    renames.setdefault(inc.kind, {})[there] = here  # renumbered by a past merge
                continue
            plan_add(inc.kind, inc.uid, dict(inc.new))
    adds = [(kind, remap_record(kind, rec)) for kind, rec in adds]
    dep_pairs = {(d.action, d.needs) for d in plan.dependencies.values()}
    kept_adds = []
    for kind, rec in adds:
        if kind == "dependency":
            pair = (rec["action"], rec["needs"])
            if pair in dep_pairs:
                report.notes.append(f"{rec['action']} already waits for {rec['needs']} here; the "
                                    "same link from the other side was not added twice")
                continue
            dep_pairs.add(pair)
        kept_adds.append((kind, rec))
    adds = kept_adds
    added_keys = {kind: set() for kind in KINDS}
    for kind, rec in adds:
        added_keys[kind].add(rec.get(KINDS[kind].key))

    def missing(kind: str, fields: dict) -> list[str]:
        """References in ``fields`` to records that are neither here nor arriving."""
        out = []
        for name, value in fields.items():
            target = REFS.get((kind, name))
            if not target or value in (None, "", []):
                continue
            for v in value if isinstance(value, list) else [value]:
                if v not in plan.collection(target) and v not in added_keys[target]:
                    out.append(f"{_words(name)} {v}")
        return out

    checked_adds = []
    for kind, rec in adds:
        gone = missing(kind, rec)
        if gone:
            k = KINDS[kind]
            shown = "" if k.key == "uid" else f" {rec.get(k.key)}"
            report.conflicts.append(Conflict(
                kind, rec.get("uid", ""), rec.get(k.key), _title(rec), WHOLE, None, None, rec,
                f"added on the other side, but it refers to what was removed here "
                f"({', '.join(gone)}); {k.label}{shown} was not added"))
            added_keys[kind].discard(rec.get(k.key))
            continue
        checked_adds.append((kind, rec))
    adds = checked_adds

    # field changes, grouped per record
    per_record: dict[tuple[str, str], list[Incoming]] = {}
    for inc in incoming:
        if inc.field != WHOLE:
            per_record.setdefault((inc.kind, inc.uid), []).append(inc)
        elif inc.old is None and inc.new is not None and inc.kind in KINDS \
                and inc.uid in uid_key[inc.kind]:
            mine = codec.record_to_json(plan.collection(inc.kind)[uid_key[inc.kind][inc.uid]])
            theirs = remap_record(inc.kind, inc.new)
            for f, v in theirs.items():
                if f in mine and f not in ("uid", KINDS[inc.kind].key) and mine[f] != v:
                    if wins(Conflict(inc.kind, inc.uid, mine[KINDS[inc.kind].key],
                                     _title(mine), f, None, mine[f], v,
                                     "added on both sides with different values")):
                        per_record.setdefault((inc.kind, inc.uid), []).append(
                            Incoming(inc.kind, inc.uid, inc.key, f, mine[f], v))
    for (kind, uid), items in per_record.items():
        if kind == SETTINGS:
            current = codec.record_to_json(plan.settings)
            for inc in items:
                if inc.field == "plan_id" or inc.field not in current:
                    continue
                cur = current[inc.field]
                if cur == inc.new:
                    continue
                if cur == inc.old or wins(Conflict(kind, uid, "settings", plan.settings.name,
                                                   inc.field, inc.old, cur, inc.new)):
                    settings[inc.field] = inc.new
            continue
        if kind not in KINDS:
            continue
        if uid not in uid_key[kind]:
            rec = restore.get(uid)
            key = items[0].key
            conflict = Conflict(kind, uid, key, _title(rec), WHOLE, None, None, None,
                                "removed here, changed on the other side ("
                                + ", ".join(_words(i.field) for i in items) + ")")
            if wins(conflict):
                if rec is not None:
                    plan_add(kind, uid, dict(rec))
                    kind_, new = adds.pop()
                    adds.append((kind_, remap_record(kind_, new)))
                else:
                    conflict.resolution = None
                    report.notes.append(f"{KINDS[kind].label} {key} cannot be brought back: the "
                                        "incoming side holds only some of its fields")
            continue
        key = uid_key[kind][uid]
        current = codec.record_to_json(plan.collection(kind)[key])
        fields: dict[str, Any] = {}
        for inc in items:
            if inc.field not in current or inc.field in ("uid", KINDS[kind].key):
                continue
            old, new = remap(kind, inc.field, inc.old), remap(kind, inc.field, inc.new)
            cur = current[inc.field]
            if cur == new:
                continue
            if cur == old or wins(Conflict(kind, uid, key, _title(current), inc.field, old, cur,
                                           new)):
                fields[inc.field] = new
        gone = missing(kind, fields)
        if gone:
            report.conflicts.append(Conflict(
                kind, uid, key, _title(current), WHOLE, None, None, fields,
                f"changed on the other side to refer to what was removed here ({', '.join(gone)}); "
                "that change was not made"))
            fields = {f: v for f, v in fields.items() if not missing(kind, {f: v})}
        if fields:
            updates.append((kind, key, fields))

    # removals
    for inc in incoming:
        if not (inc.field == WHOLE and inc.new is None and inc.kind in KINDS):
            continue
        key = uid_key[inc.kind].get(inc.uid)
        if key is None:
            continue  # gone here too
        current = codec.record_to_json(plan.collection(inc.kind)[key])
        base = remap_record(inc.kind, inc.old or {})
        changed = [f for f, v in current.items() if f in base and base[f] != v and f != "uid"]
        dependants = [(k2, key2) for k2, key2, _ in doc._cascade(inc.kind, key)
                      if plan.collection(k2)[key2].uid not in incoming_uids]
        if changed or dependants:
            users = ", ".join(KINDS[k2].label + ("" if KINDS[k2].key == "uid" else f" {key2}")
                              for k2, key2 in dependants[:5])
            why = ("changed here (" + ", ".join(_words(f) for f in changed) + ")" if changed
                   else f"here {users} still use{'s' if len(dependants) == 1 else ''} it")
            if not wins(Conflict(inc.kind, inc.uid, key, _title(current), WHOLE, None, None, None,
                                 f"removed on the other side, but {why}")):
                continue
        deletes.append((inc.kind, key))

    # apply, as one step checked at the end
    before = set(validate_plan(plan)) if dry_run else None
    try:
        with doc.batch(label, check_at_end=True, who=who) as group:
            for kind, rec in sorted(adds, key=lambda a: ADD_ORDER.index(a[0])):
                k = KINDS[kind]
                record = codec.record_from_row(k.cls, rec, k.label)
                doc.add(kind, record)
                key = rec[k.key] if k.key != "uid" else ""
                report.applied.append(f"added {k.label} {key} '{_title(rec)}'".replace("  ", " ")
                                      .replace(" ''", ""))
            for kind, key, fields in updates:
                doc.update(kind, key, **fields)
                report.applied.append(f"{KINDS[kind].label} {key}: "
                                      + ", ".join(f"{_words(f)} → {show(v)}"
                                                  for f, v in fields.items()))
            if settings:
                doc.update_settings(**settings)
                report.applied.append("plan settings: " + ", ".join(
                    f"{_words(f)} → {show(v)}" for f, v in settings.items()))
            for kind, key in sorted(deletes, key=lambda d: d[0] != "dependency"):
                if key in plan.collection(kind):
                    title = _title(codec.record_to_json(plan.collection(kind)[key]))
                    doc.delete(kind, key)
                    shown = key if KINDS[kind].key != "uid" else ""
                    report.applied.append(f"removed {KINDS[kind].label} {shown} '{title}'"
                                          .replace("  ", " ").replace(" ''", ""))
            ids = list(dict.fromkeys(merged_ids))
            if ids and not report.conflicts_left:  # open conflicts come back next time
                doc.conn.executemany("INSERT OR IGNORE INTO merged_steps (step, grp, source) "
                                     "VALUES (?, NULL, ?)", [(i, source) for i in ids])
            if dry_run:
                problems = [p for p in validate_plan(plan) if p not in before]
                if problems:
                    raise ValidationError(problems)
                raise _DryRun()
    except _DryRun:
        return report
    except ValidationError as exc:
        raise MergeRefused("The merge was refused and nothing was changed, because the merged "
                           "plan would break a rule:\n" + "\n".join(
                               f"  - {p}" for p in exc.problems)) from None
    report.step = group.step
    return report


# ----- copies -------------------------------------------------------------------------------------

def merge_copy(doc: PlanDocument, other: str | os.PathLike, *, prefer: str | None = None,
               choices: dict[tuple, str] | None = None, dry_run: bool = False) -> MergeReport:
    """Merge the changes another copy of this plan made since the two parted; one undoable step.

    The other file is read from a private copy and never changed. Its journal steps that this
    plan has not seen (its own steps, and steps merged before) are the changes to bring in; the
    last step both share is the common ancestor.
    """
    other = Path(other)
    if not other.exists():
        raise MergeRefused(f"There is no file '{other}'.")
    if other.resolve() == doc.path.resolve():
        raise MergeRefused("That is this plan's own file; choose the other copy.")
    with tempfile.TemporaryDirectory(prefix="rcp-merge-") as tmp:
        private = Path(tmp) / other.name
        shutil.copyfile(other, private)
        with PlanDocument.open(private) as theirs:
            if theirs.plan.settings.plan_id != doc.plan.settings.plan_id:
                raise MergeRefused(f"'{other.name}' is a different plan ('"
                                   f"{theirs.plan.settings.name}'), not a copy of this one, so "
                                   "it was not merged. Nothing was changed.")
            seen = known_steps(doc.conn)
            steps = read_steps(theirs.conn)
            shared = [s for s in steps if s.step in seen]
            if not shared:
                raise MergeRefused(f"'{other.name}' shares no history with this plan, so there "
                                   "is no common starting point to merge from. Nothing was "
                                   "changed.")
            new_steps = [s for s in steps if s.step not in seen]
            incoming = net_changes(new_steps)
            restore = {rec.uid: codec.record_to_json(rec)
                       for kind in KINDS for rec in theirs.plan.collection(kind).values()}
    label = f"merge {other.name}"
    report = merge_incoming(doc, incoming, source=f"'{other.name}'", label=label,
                            prefer=prefer, choices=choices, dry_run=dry_run, restore=restore,
                            merged_ids=[s.step for s in new_steps])
    report.notes.insert(0, f"common ancestor: step '{shared[-1].label}' of "
                           f"{shared[-1].step[:8]}; {len(new_steps)} new step"
                           f"{'s' if len(new_steps) != 1 else ''} in the other copy")
    return report


def exit_code(report: MergeReport) -> int:
    """0 applied (or nothing to do), 1 applied with conflicts left for the lead."""
    return 1 if report.conflicts_left else 0


__all__ = ["Conflict", "Incoming", "MergeRefused", "MergeReport", "exit_code",
           "merge_copy", "merge_incoming", "net_changes"]
