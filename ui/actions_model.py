"""Qt models of the plan's actions: a table model that edits through the planner's operations, and
a sorting/filtering proxy for the Actions view.

The table holds action ids in a list and reads each cell from the plan and the analysis on demand,
so a 20,000-action plan costs a list of strings, not a copy of the plan. Edits go through
``context.run(operations.edit_action, ...)``; a refused edit leaves the plan as it was and shows
in the view's banner like every refusal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QFont

from graph import Analysis
from planner import operations, rules
from planner.changes import ChangeSet
from planner.dates import short_date
from planner.model import Action, ActionStatus
from ui import style
from ui.columns import Column, Columns, ColumnTableModel
from ui.context import AppContext

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
"""A plain sortable value (str or number) for every cell."""
VALUE_ROLE = Qt.ItemDataRole.UserRole + 2
"""The cell's raw value as the editors use it (date, list of challenges, person id...)."""
ID_ROLE = Qt.ItemDataRole.UserRole + 3
"""The action's id, on every cell of its row."""


COLUMNS = Columns(
    Column("id", "ID", None, "The action's ID", 58),
    Column("title", "Action", "title", "What is to be done", 300),
    Column("challenges", "Challenges", "challenges", "The challenges this action serves", 96),
    Column("owner", "Owner", "owner", "Who is responsible", 124),
    Column("status", "Status", "status", "Not started, in progress, done, on hold, cancelled", 92),
    Column("phase", "Phase", "phase", "The programme phase the action belongs to", 52),
    Column("duration", "Days", "duration", "Duration in working days", 50),
    Column("start", "Start", None, "Scheduled start (from the dependencies and dates)", 86),
    Column("finish", "Finish", None, "Scheduled finish", 86),
    Column("deadline", "Deadline", "deadline", "The date it must be finished by", 86),
    Column("float", "Float", None, "Working days it can slip before the plan finish moves", 50),
    Column("percent", "Done", "percent", "Percent complete", 50),
)
COLUMN_INDEX = COLUMNS.index
COMPUTED_KEYS = ("start", "finish", "float")


def shown_value(value: Any) -> str:
    """A typed value as a table cell shows it (dates short, as in every table)."""
    if isinstance(value, date):
        return short_date(value)
    return "" if value is None else str(value)


_NUMBERED = re.compile(r"^([A-Za-z]*)(\d+)$")


@lru_cache(maxsize=1 << 17)  # ids are few and sorted again on every reload
def natural_key(ident: str) -> str:
    """'A7' sorts before 'A12': pad the number."""
    m = _NUMBERED.match(ident or "")
    return f"{m.group(1)}{int(m.group(2)):09d}" if m else (ident or "")


def ordered_ids(ids: list[str], values: dict | None, descending: bool) -> list[str]:
    """``ids`` sorted by ``values`` (numbers, else their text), ties by ``natural_key``;
    ``values`` None: by ``natural_key`` alone (the ID column: a tie-break would repeat it)."""
    if values is None:
        return sorted(ids, key=natural_key, reverse=descending)
    numeric = all(isinstance(v, (int, float)) for v in values.values())

    def k(aid):
        v = values[aid]
        return (v if numeric else str(v), natural_key(aid))

    return sorted(ids, key=k, reverse=descending)


_HANDLED_ROLES = frozenset({
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.AccessibleTextRole, SORT_ROLE, VALUE_ROLE, ID_ROLE})


class ScheduleFacts:
    """Start, finish, float and the critical flag of actions from one analysis, read on demand."""

    def __init__(self, analysis: Analysis | None):
        self.analysis = analysis

    def get(self, aid: str) -> tuple | None:
        """(start, finish, float_days, critical) or None if the action is not scheduled."""
        d = self.analysis.action_dates(aid) if self.analysis is not None else None
        return None if d is None else (d.start, d.finish, d.float_days, d.critical)


class ActionsTableModel(ColumnTableModel):
    """Every action of the open plan, one per row; cells edit the plan through its operations."""

    columns = COLUMNS

    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.context = context
        self._ids: list[str] = []
        self._row_of: dict[str, int] = {}
        self._display_cache: dict[str, list[str]] = {}
        self._facts = ScheduleFacts(None)
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._held = False        # the view is off screen: rows added or removed wait
        self._reload_due = False  # rows came or went while held: reload when let go
        self._bold = QFont()
        self._bold.setBold(True)
        context.document_replaced.connect(self.reload)
        context.plan_changed.connect(self._on_plan_changed)
        context.analysis_changed.connect(self._on_analysis_changed)
        context.unsaved_changed.connect(lambda _edit: self.repaint_rows())
        self.reload()
    # ----- structure ------------------------------------------------------------------------

    def reload(self) -> None:
        """Rebuild the row list from the plan."""
        self._reload_due = False
        self.beginResetModel()
        plan = self.context.plan
        self._facts = ScheduleFacts(self.context.analysis)
        self._display_cache.clear()
        self._ids = list(plan.actions) if plan is not None else []
        if self._sort is not None:
            self._ids = self._sorted_ids(*self._sort)
        self._row_of = {aid: i for i, aid in enumerate(self._ids)}
        self.endResetModel()

    def hold(self, held: bool) -> None:
        """While ``held`` (the view off screen), actions added or removed only mark the rows
        out of date: reloading and sorting 20,000 rows took 210-295 ms of every action added
        or deleted with another view on screen (issue 13). Let go, the rows are reloaded if
        they are out of date: the same rows in the same order as a reload at once would give
        (a reload sorts every row afresh in any case)."""
        self._held = held
        if not held:
            self.up_to_date()

    @property
    def reload_due(self) -> bool:
        """Whether actions came or went since the rows were last loaded (while held)."""
        return self._reload_due

    def up_to_date(self) -> None:
        """Reload the rows now if actions came or went while held."""
        if self._reload_due:
            self.reload()

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows by a column (keys are computed once per row, so 20,000 rows are quick)."""
        self._sort = (column, order)
        if self._reload_due:  # other rows now: a reload sorts them (a layout change cannot)
            self.reload()
            return
        self.layoutAboutToBeChanged.emit()
        old_persistent = self.persistentIndexList()
        old_ids = [self._ids[i.row()] if i.isValid() and i.row() < len(self._ids) else None
                   for i in old_persistent]
        self._ids = self._sorted_ids(column, order)
        self._row_of = {aid: i for i, aid in enumerate(self._ids)}
        new = [self.index(self._row_of[aid], i.column()) if aid in self._row_of else QModelIndex()
               for aid, i in zip(old_ids, old_persistent)]
        self.changePersistentIndexList(old_persistent, new)
        self.layoutChanged.emit()

    def _sorted_ids(self, column: int, order) -> list[str]:
        plan = self.context.plan
        if plan is None:
            return []
        key = COLUMNS[column].key
        ids = list(plan.actions)
        values = None if key == "id" else {aid: self._sort_value(plan.actions[aid], key)
                                           for aid in ids}
        return ordered_ids(ids, values, order == Qt.SortOrder.DescendingOrder)

    def action_id(self, row: int) -> str:
        """The id of the action on ``row``."""
        return self._ids[row]

    def row_of(self, action_id: str) -> int:
        """The row of an action (-1 if it is not in the table)."""
        return self._row_of.get(action_id, -1)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt name)
        return 0 if parent.isValid() else len(self._ids)

    # ----- cells ------------------------------------------------------------------------------

    def _row(self, action_id: str):
        """The engine's full schedule row (with its explanation) for tooltips and the panel."""
        analysis = self.context.analysis
        return analysis.rows.get(action_id) if analysis is not None else None

    def facts(self, action_id: str) -> tuple | None:
        """(start, finish, float_days, critical) of an action, or None if not scheduled."""
        if self._facts.analysis is not self.context.analysis:
            self._facts = ScheduleFacts(self.context.analysis)
        return self._facts.get(action_id)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role not in _HANDLED_ROLES or not index.isValid():
            return None  # most roles asked for while painting are not used: answer fast
        aid = self._ids[index.row()]
        action: Action | None = self.context.plan.actions.get(aid)
        if action is None:
            return None
        key = COLUMNS[index.column()].key
        if self.context.unsaved is not None and role != VALUE_ROLE:
            unsaved = self.unsaved_cell(self.context, "action", aid, index, role, shown_value)
            if unsaved is not None:
                return unsaved
        if role == Qt.ItemDataRole.DisplayRole:
            cached = self._display_cache.get(aid)
            if cached is None:
                cached = [self._display(action, c.key) for c in COLUMNS]
                self._display_cache[aid] = cached
            return cached[index.column()]
        if role == Qt.ItemDataRole.EditRole or role == VALUE_ROLE:
            field = COLUMNS[index.column()].field
            return getattr(action, field) if field else None
        if role == SORT_ROLE:
            return self._sort_value(action, key)
        if role == ID_ROLE:
            return aid
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(action, key)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(action, key)
        if role == Qt.ItemDataRole.FontRole and key == "id":
            facts = self.facts(aid)
            if facts is not None and facts[3]:
                return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("phase", "duration", "float",
                                                                 "percent"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{COLUMNS[index.column()].header}: {self._display(action, key) or 'none'}"
        return None

    def _display(self, a: Action, key: str) -> str:
        plan = self.context.plan
        if key == "id":
            return a.id
        if key == "title":
            return a.title
        if key == "challenges":
            return ", ".join(str(n) for n in sorted(a.challenges))
        if key == "owner":
            person = plan.people.get(a.owner) if a.owner else None
            return person.name if person else (a.owner or "")
        if key == "status":
            return a.status
        if key == "phase":
            return "" if a.phase is None else str(a.phase)
        if key == "duration":
            return str(a.duration)
        if key == "deadline":
            return short_date(a.deadline)
        if key == "percent":
            return f"{a.percent}%"
        facts = self.facts(a.id)
        if facts is None:
            return "…" if self.context.analysis_pending else ""
        if key == "start":
            return short_date(facts[0])
        if key == "finish":
            return short_date(facts[1])
        if key == "float":
            return f"{facts[2]:g}"
        return ""

    def _sort_value(self, a: Action, key: str):
        if key == "id":
            return natural_key(a.id)
        if key in ("phase", "duration", "percent"):
            v = getattr(a, key)
            return float(v) if v is not None else 1e12
        if key == "challenges":
            return " ".join(f"{n:02d}" for n in sorted(a.challenges)) or "~"
        if key == "deadline":
            return a.deadline.isoformat() if a.deadline else "9999"
        if key in COMPUTED_KEYS:
            facts = self.facts(a.id)
            if facts is None:
                return "9999" if key != "float" else 1e12
            if key == "float":
                return float(facts[2])
            d = facts[0] if key == "start" else facts[1]
            return d.isoformat() if d else "9999"
        return self._display(a, key).casefold()

    def _tooltip(self, a: Action, key: str) -> str | None:
        plan = self.context.plan
        if key == "challenges":
            return "\n".join(f"{n}. {plan.challenges[n].title}" for n in sorted(a.challenges)
                             if n in plan.challenges) or "No challenge yet"
        if key in ("start", "finish", "id"):
            row = self._row(a.id)
            if row is not None:
                parts = []
                if getattr(row, "critical", False):
                    parts.append("On the critical path: any slip moves the plan finish.")
                driver = getattr(row, "driver", "")
                if driver:
                    parts.append(driver)
                return "\n".join(parts) or None
        if key == "title":
            tip = a.description or a.title
            init = plan.initiatives.get(a.initiative) if a.initiative else None
            if init is not None:
                tip += f"\n\nInitiative {init.id}: {init.title}"
                if init.rationale:
                    tip += f"\nWhy this order: {init.rationale}"
            return tip
        return None

    def _foreground(self, a: Action, key: str):
        if key == "deadline" and a.deadline:
            facts = self.facts(a.id)
            if rules.misses_deadline(a, facts[1] if facts is not None else None):
                return QBrush(style.alert_colour())
        if key == "id":
            facts = self.facts(a.id)
            if facts is not None and facts[3]:
                return QBrush(style.alert_colour())
        if a.status == ActionStatus.CANCELLED:
            return QBrush(style.RAG_COLOURS["grey"])
        return None

    # ----- editing ----------------------------------------------------------------------------

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        field = COLUMNS[index.column()].field
        if field is None:
            return False
        aid = self._ids[index.row()]
        action = self.context.plan.actions[aid]
        if field == "title":
            value = str(value).strip()
        if getattr(action, field) == value:
            return False
        return self.update(aid, **{field: value})

    def update(self, action_id: str, **fields: Any) -> bool:
        """Change fields of an action through the window's one path; False if refused."""
        return self.context.run(operations.edit_action, action_id, **fields) is not None

    # ----- redrawing after changes --------------------------------------------------------------

    def _on_plan_changed(self, change: ChangeSet) -> None:
        if not change.touches("action", "person"):
            return
        if "action" in change.reshaped or change.people:
            if self._held:
                self._reload_due = True
            else:
                self.reload()
            return
        for aid in change.actions:
            self._display_cache.pop(aid, None)
            row = self._row_of.get(aid)
            if row is not None:
                self.repaint_rows(row, row)

    def _on_analysis_changed(self) -> None:
        self._facts = ScheduleFacts(self.context.analysis)
        self._display_cache.clear()
        if self._ids:
            # Dates, float and the critical flag may move on any row: repaint, do not rebuild.
            self.repaint_rows()


@dataclass
class ActionFilter:
    """What the Actions view's filter bar asks for (None / empty = no restriction)."""

    text: str = ""
    challenge: int | None = None
    owner: str | None = None          # person id; "" = actions with no owner
    status: str | None = None
    phase: int | None = None          # 0 = no phase
    overdue: bool = False
    critical: bool = False


class ActionsFilterModel(QSortFilterProxyModel):
    """Sorts the actions table by any column and filters it by the filter bar's choices."""

    def __init__(self, source: ActionsTableModel, parent=None):
        super().__init__(parent)
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(False)  # resorting on every edit would make rows jump
        self.filter = ActionFilter()
        self._source = source
        self._everything = True  # the filter lets every action through

    def set_filter(self, flt: ActionFilter) -> None:
        """Apply new filter settings."""
        self.beginFilterChange()
        self.filter = flt
        self._everything = flt == ActionFilter()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def is_overdue(self, a: Action) -> bool:
        """Late or overdue: forecast to finish after its deadline, or past it and not done."""
        if a.deadline is None or a.status in (ActionStatus.DONE, ActionStatus.CANCELLED):
            return False
        ctx = self._source.context
        as_of = ctx.plan.settings.as_of or date.today()
        if a.deadline < as_of:
            return True
        facts = self._source.facts(a.id)
        return rules.misses_deadline(a, facts[1] if facts is not None else None)

    def filterAcceptsRow(self, source_row, source_parent):  # noqa: N802
        ctx = self._source.context
        if self._everything:  # asked of every row on each reload (20,000 calls): answer fast
            return self._source.action_id(source_row) in ctx.plan.actions
        f = self.filter
        a = ctx.plan.actions.get(self._source.action_id(source_row))
        if a is None:
            return False
        if f.challenge is not None and f.challenge not in a.challenges:
            return False
        if f.owner is not None and (a.owner or "") != f.owner:
            return False
        if f.status is not None and a.status != f.status:
            return False
        if f.phase is not None and (a.phase or 0) != f.phase:
            return False
        if f.critical:
            facts = self._source.facts(a.id)
            if facts is None or not facts[3]:
                return False
        if f.overdue and not self.is_overdue(a):
            return False
        if f.text:
            needle = f.text.casefold()
            person = ctx.plan.people.get(a.owner) if a.owner else None
            hay = f"{a.id} {a.title} {person.name if person else ''}".casefold()
            if needle not in hay:
                return False
        return True

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is done by the table model itself (much faster than pairwise comparisons in
        Python on 20,000 rows); this proxy keeps its order and only filters."""
        if column < 0:
            return
        self._source.sort(column, order)
