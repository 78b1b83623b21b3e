"""What an operation changed: field-level changes for the journal, and a change set for the views.

Every operation, undo and redo of a ``PlanDocument`` returns a :class:`ChangeSet`, computed once
here from the field changes, in the terms a window (and the engine) care about: did the schedule's
inputs change (which actions' own schedule fields, the links between actions, the calendar), and
which actions, milestones, measures, readings, people, assessments, risks, initiatives and settings
changed. Views refresh from these facts and never decode the field changes themselves (the model
is Anki's ``OpChanges``). The field changes stay inside, in order, for the change journal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SETTINGS = "settings"
WHOLE = "*"

SCHEDULE_FIELDS: dict[str, frozenset[str]] = {
    "action": frozenset({"title", "duration", "not_before", "deadline", "status", "percent",
                         "actual_start", "actual_finish", "phase"}),
}
"""Fields of an action that the schedule reads (the title too: the schedule's sentences name it)."""

CALENDAR_SETTINGS = frozenset({"start", "as_of", "end", "holidays"})
"""Plan settings that move the working-day calendar (with phase start dates)."""


@dataclass
class FieldChange:
    """One field of one record changing (``field == '*'``: the whole record added or removed)."""

    kind: str
    key: Any
    uid: str
    field: str
    old: Any
    new: Any

    def inverse(self) -> "FieldChange":
        """The change that puts the old value back."""
        return FieldChange(self.kind, self.key, self.uid, self.field, self.new, self.old)


_EMPTY: frozenset = frozenset()


@dataclass(frozen=True)
class ChangeSet:
    """What one operation (or undo, or redo) changed, in the terms views care about.

    ``ChangeSet(label, field_changes)`` computes every fact once, when it is made; ``changes``
    holds the field changes in the order they were made (what the journal records).
    """

    label: str
    changes: tuple[FieldChange, ...] = ()
    records: dict[str, frozenset] = field(init=False, repr=False, compare=False)
    """kind -> keys of the records of that kind added, removed or edited."""
    reshaped: frozenset[str] = field(init=False, repr=False, compare=False)
    """Kinds of record of which one was added or removed (a table's rows change)."""
    fields: dict[str, frozenset[str]] = field(init=False, repr=False, compare=False)
    """kind -> names of the fields edited (``'*'`` for a record added or removed)."""
    schedule_actions: frozenset[str] = field(init=False, repr=False, compare=False)
    """Actions whose own schedule fields changed, with both ends of every changed link."""
    links: bool = field(init=False, repr=False, compare=False)
    """Links between actions changed, or actions were added or removed (the graph's shape)."""
    link_edits: tuple[tuple[bool, Any, Any, Any, Any], ...] = field(init=False, repr=False,
                                                                     compare=False)
    """When the graph's shape changed only by actions and links added or removed (no link
    edited in place): each link, in the order made, as ``(added,
    action, needs, type, lag)``; with ``actions_added``, the engine takes them into its
    compiled graph instead of recompiling the plan (issue 13). Empty otherwise."""
    actions_added: tuple = field(init=False, repr=False, compare=False)
    """Ids of the actions added, in the order made, when these and ``link_edits`` and
    ``actions_removed`` describe every change to the graph's shape (see ``link_edits``)."""
    actions_removed: tuple = field(init=False, repr=False, compare=False)
    """Ids of the actions removed, likewise."""
    calendar: bool = field(init=False, repr=False, compare=False)
    """Holidays, plan dates or phases changed (every date may move)."""

    def __post_init__(self) -> None:
        changes = tuple(self.changes)
        records: dict[str, set] = {}
        fields: dict[str, set] = {}
        reshaped: set[str] = set()
        schedule: set[str] = set()
        links = calendar = False
        link_edits: list[tuple[bool, Any, Any, Any, Any]] = []
        actions_added: list = []
        actions_removed: list = []
        whole_links = True  # every change to the graph's shape is an action added, or a link
        # added or removed
        for fc in changes:
            records.setdefault(fc.kind, set()).add(fc.key)
            fields.setdefault(fc.kind, set()).add(fc.field)
            if fc.field == WHOLE:
                reshaped.add(fc.kind)
            if fc.kind == "action":
                if fc.field == WHOLE:
                    links = True
                    if fc.old is None and isinstance(fc.new, dict):
                        actions_added.append(fc.key)
                    elif fc.new is None and isinstance(fc.old, dict):
                        actions_removed.append(fc.key)
                    else:
                        whole_links = False
                    schedule.add(fc.key)
                elif fc.field in SCHEDULE_FIELDS["action"]:
                    schedule.add(fc.key)
            elif fc.kind == "dependency":
                links = True
                for rec in (fc.old, fc.new):
                    if isinstance(rec, dict):
                        schedule.update(x for x in (rec.get("action"), rec.get("needs")) if x)
                rec = fc.new if fc.old is None else fc.old
                if fc.field == WHOLE and isinstance(rec, dict) and (fc.old is None) != (
                        fc.new is None):
                    link_edits.append((fc.old is None, rec.get("action"), rec.get("needs"),
                                       rec.get("type"), rec.get("lag")))
                else:
                    whole_links = False
            elif fc.kind == "phase":
                calendar = True
            elif fc.kind == SETTINGS and fc.field in CALENDAR_SETTINGS:
                calendar = True
        facts = {"changes": changes,
                 "records": {k: frozenset(v) for k, v in records.items()},
                 "reshaped": frozenset(reshaped),
                 "fields": {k: frozenset(v) for k, v in fields.items()},
                 "schedule_actions": frozenset(schedule), "links": links, "calendar": calendar,
                 "link_edits": tuple(link_edits) if whole_links else (),
                 "actions_added": tuple(actions_added) if whole_links else (),
                 "actions_removed": tuple(actions_removed) if whole_links else ()}
        for name, value in facts.items():
            object.__setattr__(self, name, value)  # frozen: computed here, once

    # ----- what views ask ----------------------------------------------------------------------

    def __bool__(self) -> bool:
        return bool(self.changes)

    @property
    def kinds(self) -> set[str]:
        """Kinds of record touched (``'settings'`` for plan settings)."""
        return set(self.records)

    def keys(self, kind: str) -> frozenset:
        """Keys of the records of ``kind`` added, removed or edited."""
        return self.records.get(kind, _EMPTY)

    def touches(self, *kinds: str) -> bool:
        """Whether records of any of ``kinds`` changed."""
        return any(k in self.records for k in kinds)

    def fields_of(self, kind: str) -> frozenset[str]:
        """Names of the fields of ``kind`` edited (``'*'``: a record added or removed)."""
        return self.fields.get(kind, _EMPTY)

    @property
    def schedule(self) -> bool:
        """Whether the schedule's inputs changed (dates may move)."""
        return bool(self.schedule_actions) or self.links or self.calendar

    @property
    def actions(self) -> frozenset:
        """Ids of actions added, removed or edited."""
        return self.keys("action")

    @property
    def milestones(self) -> frozenset:
        """Ids of milestones added, removed or edited."""
        return self.keys("milestone")

    @property
    def measures(self) -> frozenset:
        """Ids of outcome measures added, removed or edited."""
        return self.keys("measure")

    @property
    def readings(self) -> frozenset:
        """Uids of readings added, removed or edited."""
        return self.keys("reading")

    @property
    def people(self) -> frozenset:
        """Ids of people added, removed or edited."""
        return self.keys("person")

    @property
    def assessments(self) -> frozenset:
        """Uids of assessments added, removed or edited."""
        return self.keys("assessment")

    @property
    def risks(self) -> frozenset:
        """Ids of risks added, removed or edited."""
        return self.keys("risk")

    @property
    def initiatives(self) -> frozenset:
        """Ids of initiatives added, removed or edited."""
        return self.keys("initiative")

    @property
    def settings(self) -> frozenset[str]:
        """Names of the plan settings changed."""
        return self.fields_of(SETTINGS)


Change = ChangeSet
"""The older name of :class:`ChangeSet` (kept for code written against it)."""
