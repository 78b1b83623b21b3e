"""The People view: each person's open actions per week against their capacity, overloads flagged.

A grid (one row per person, one column per week) counts the unfinished actions each person owns
that are scheduled in that week, as the graph engine counts them; a cell over capacity is flagged
in red with a "!" (the engine's ``analysis.overloads`` decides which). Choosing a cell shows that
person's weekly load as a bar chart against their capacity, and lists the week's actions; choosing
an action there selects it in every view.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QHeaderView, QLabel,
                               QListWidget, QListWidgetItem, QSplitter, QStyle, QStyledItemDelegate,
                               QTableView, QVBoxLayout, QWidget)

from graph import Analysis
from planner import rules
from planner.dates import MONTH_ABBREVIATIONS, axis_date, short_date
from planner.workdays import week_of
from ui.charts import elide, format_number, grid_colour, month_starts, nice_ticks
from ui.context import AppContext
from ui.style import CRITICAL_COLOUR, muted_text, text_colour_on
from ui.view_common import LazyPlanView, hbox, page_layout

OVERLOAD_COLOUR = CRITICAL_COLOUR


class Workload:
    """Open actions per person per week (``analysis.workload``: ``planner.rules.weekly_load``)."""

    def __init__(self, plan, analysis: Analysis | None):
        self.people: list[str] = []
        self.names: dict[str, str] = {}
        self.capacity: dict[str, int] = {}
        self.weeks: list[date] = []
        self.cells: dict[tuple[str, date], list[str]] = {}
        self.overloaded: set[tuple[str, date]] = set()
        if plan is None or analysis is None:
            return
        for pid, weeks in analysis.workload.items():
            for w, ids in weeks.items():
                self.cells[(pid, w)] = ids
        self.overloaded = {(o.person, o.week) for o in analysis.overloads}
        self.people = sorted(plan.people, key=lambda p: (plan.people[p].name.lower(), p))
        self.names = {p: plan.people[p].name for p in self.people}
        self.capacity = {p: rules.capacity_of(plan, p) for p in self.people}
        if self.cells:
            w, hi = min(w for _p, w in self.cells), max(w for _p, w in self.cells)
            while w <= hi:
                self.weeks.append(w)
                w += timedelta(days=7)

    def count(self, person: str, week: date) -> int:
        return len(self.cells.get((person, week), ()))

    def overload_weeks(self, person: str) -> int:
        return sum(1 for p, _w in self.overloaded if p == person)


class WorkloadModel(QAbstractTableModel):
    """Rows: people; columns: weeks; a cell's text is "count/capacity" and "!" when overloaded.

    The one table whose columns are not a fixed ``ui.columns.Columns`` list: they are the weeks the
    plan spans, so the headers come from the workload itself.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.load = Workload(None, None)
        self.people: list[str] = []

    def set_workload(self, load: Workload, only_overloaded: bool) -> None:
        self.beginResetModel()
        self.load = load
        self.people = [p for p in load.people
                       if not only_overloaded or load.overload_weeks(p)]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.people)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.load.weeks)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        pid = self.people[index.row()]
        week = self.load.weeks[index.column()]
        n = self.load.count(pid, week)
        cap = self.load.capacity[pid]
        over = (pid, week) in self.load.overloaded
        if role == Qt.ItemDataRole.DisplayRole:
            return (f"{n}!" if over else str(n)) if n else ""
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            text = (f"{self.load.names[pid]}, week of {short_date(week)}: {n} open action"
                    f"{'s' if n != 1 else ''}, capacity {cap}")
            if over:
                return text + " - overloaded"
            if n > cap:  # the week holds more than capacity, but one after another
                return text + f"; never more than {cap} under way on the same day, so not overloaded"
            return text
        if role == Qt.ItemDataRole.UserRole:
            return (n, cap, over)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            if not (0 <= section < len(self.load.weeks)):
                return None
            w = self.load.weeks[section]
            if role == Qt.ItemDataRole.DisplayRole:
                # the day as every date gives it ("2", not "02"), the month as the deck's axes
                # do ("Nov 26", "Jan 27": "Jan 2027" is wider than the column)
                return f"{w.day}\n{MONTH_ABBREVIATIONS[w.month - 1]} {w.year % 100:02d}" \
                    if (w.day <= 7 or section == 0) else f"{w.day}\n"
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"Week of {short_date(w)}"
            return None
        if not (0 <= section < len(self.people)):
            return None
        pid = self.people[section]
        if role == Qt.ItemDataRole.DisplayRole:
            weeks = self.load.overload_weeks(pid)
            flag = f"  ⚠ {weeks} wk" if weeks else ""
            return f"{self.load.names[pid]} (cap {self.load.capacity[pid]}){flag}"
        if role == Qt.ItemDataRole.ToolTipRole:
            weeks = self.load.overload_weeks(pid)
            return (f"{self.load.names[pid]} ({pid}) can carry {self.load.capacity[pid]} actions at "
                    f"once; overloaded in {weeks} week{'s' if weeks != 1 else ''}")
        return None


class HeatDelegate(QStyledItemDelegate):
    """Paints a cell as a bar of load against capacity; overloads red with a "!"."""

    def paint(self, p: QPainter, option, index: QModelIndex) -> None:
        n, cap, over = index.data(Qt.ItemDataRole.UserRole)
        pal = option.palette
        rect = QRectF(option.rect)
        p.save()
        if over:
            p.fillRect(rect, OVERLOAD_COLOUR)
        elif n:
            c = QColor(pal.color(QPalette.ColorRole.Highlight))
            c.setAlpha(int(40 + 140 * min(1.0, n / max(1, cap))))
            p.fillRect(rect, c)
        if option.state & (QStyle.StateFlag.State_HasFocus | QStyle.StateFlag.State_Selected):
            p.setPen(QPen(pal.color(QPalette.ColorRole.Text), 2))
            p.drawRect(rect.adjusted(1, 1, -1, -1))
        if n:
            bg = OVERLOAD_COLOUR if over else pal.color(QPalette.ColorRole.Base)
            p.setPen(text_colour_on(bg) if over else pal.color(QPalette.ColorRole.Text))
            f = QFont(option.font)
            f.setBold(over)
            p.setFont(f)
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, f"{n}!" if over else str(n))
        p.restore()


class LoadChart(QWidget):
    """One person's open actions per week as bars, with their capacity as a line."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMinimumHeight(150)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setAccessibleName("Weekly workload chart")
        self.name = ""
        self.capacity = 0
        self.bars: list[tuple[date, int, bool]] = []
        self.current: date | None = None

    def sizeHint(self) -> QSize:
        return QSize(600, 170)

    def set_person(self, name: str, capacity: int, bars, current: date | None) -> None:
        self.name, self.capacity, self.bars, self.current = name, capacity, list(bars), current
        over = sum(1 for _w, _n, o in self.bars if o)
        self.setAccessibleDescription(
            f"{name}: capacity {capacity}; {over} overloaded week{'s' if over != 1 else ''} of "
            f"{len(self.bars)}")
        self.update()

    def paintEvent(self, _e) -> None:
        p = QPainter(self)
        pal = self.palette()
        p.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        fm = QFontMetrics(self.font())
        if not self.bars:
            p.setPen(muted_text(pal))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter,
                       "Choose a person (a row of the grid) to see their weekly load.")
            p.end()
            return
        top_val = max([n for _w, n, _o in self.bars] + [self.capacity, 1])
        ticks = [t for t in nice_ticks(0, top_val, 4) if t <= top_val * 1.05 and t == int(t)]
        left = 10 + fm.horizontalAdvance(format_number(max(ticks)))
        title_h = fm.height() + 6
        plot = QRectF(left + 6, title_h + 4, self.width() - left - 16,
                      self.height() - title_h - fm.height() - 14)
        p.setPen(pal.color(QPalette.ColorRole.Text))
        bold = QFont(self.font())
        bold.setBold(True)
        p.setFont(bold)
        p.drawText(QPointF(8, fm.ascent() + 3),
                   elide(QFontMetrics(bold), f"{self.name}: open actions per week "
                         f"(capacity {self.capacity})", self.width() - 16))
        p.setFont(self.font())

        y_max = max(ticks[-1], top_val) * 1.15  # headroom so the capacity line never hits the title

        def Y(v: float) -> float:
            return plot.bottom() - v / y_max * plot.height()

        for t in ticks:
            p.setPen(QPen(grid_colour(pal), 1))
            p.drawLine(QPointF(plot.left(), Y(t)), QPointF(plot.right(), Y(t)))
            p.setPen(muted_text(pal))
            p.drawText(QRectF(0, Y(t) - fm.height() / 2, left, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, format_number(t))
        n = len(self.bars)
        bw = plot.width() / n
        for i, (w, count, over) in enumerate(self.bars):
            x = plot.left() + i * bw
            c = OVERLOAD_COLOUR if over else pal.color(QPalette.ColorRole.Highlight)
            if w == self.current:
                p.fillRect(QRectF(x, plot.top(), bw, plot.height()), grid_colour(pal))
            p.fillRect(QRectF(x + bw * 0.12, Y(count), max(1.0, bw * 0.76), plot.bottom() - Y(count)), c)
        # capacity line
        pen = QPen(pal.color(QPalette.ColorRole.Text), 2, Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.drawLine(QPointF(plot.left(), Y(self.capacity)), QPointF(plot.right(), Y(self.capacity)))
        label = f"capacity {self.capacity}"
        above = Y(self.capacity) - fm.height() - 3
        box = QRectF(plot.left() + 4, above if above > plot.top() else Y(self.capacity) + 3,
                     fm.horizontalAdvance(label) + 8, fm.height() + 2)
        p.fillRect(box, pal.color(QPalette.ColorRole.Base))
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, label)
        # month labels
        p.setPen(muted_text(pal))
        first, last = self.bars[0][0], self.bars[-1][0]
        months = month_starts(first, last)
        step = max(1, int(len(months) * 60 / max(1.0, plot.width())) + 1)
        for k, m in enumerate(months):
            if k % step or m < first:
                continue
            x = plot.left() + (m - first).days / 7 * bw
            label = axis_date(m)  # as the Timeline's axis: "Mar 26", "Jan 2027"
            if x + fm.horizontalAdvance(label) > self.width():
                continue
            p.drawText(QPointF(x, plot.bottom() + fm.ascent() + 4), label)
        p.setPen(muted_text(pal))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        p.end()


class PeopleView(LazyPlanView):
    """Workload per person per week against capacity, with overloads flagged."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        # Counting is cheap, but not free on big plans: a hidden view counts when it is shown.
        super().__init__(context, "peopleView", "People view", parent)
        self.load = Workload(None, None)

        self.summary = QLabel(self)
        self.summary.setObjectName("overloadSummary")
        self.summary.setWordWrap(True)
        self.only_over = QCheckBox("Show only people &with overloads", self)
        self.only_over.toggled.connect(lambda _on: self.refresh())
        self.model = WorkloadModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("workloadGrid")
        self.table.setAccessibleName("Workload per person per week")
        self.table.setModel(self.model)
        self.table.setItemDelegate(HeatDelegate(self.table))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setDefaultSectionSize(50)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.selectionModel().currentChanged.connect(self._on_cell)
        self.overloads = QListWidget(self)
        self.overloads.setObjectName("overloadList")
        self.overloads.setAccessibleName("Overloads")
        self.overloads.itemActivated.connect(self._on_overload_activated)
        self.overloads.setWordWrap(True)
        self.chart = LoadChart(self)
        self.week_title = QLabel("Actions in the chosen week", self)
        self.week_actions = QListWidget(self)
        self.week_actions.setObjectName("weekActions")
        self.week_actions.setAccessibleName("Actions in the chosen week")
        self.week_actions.currentItemChanged.connect(self._on_week_action)
        self.week_title.setBuddy(self.week_actions)
        over_title = QLabel("&Overloads (engine warnings):", self)
        over_title.setBuddy(self.overloads)

        side = QWidget(self)
        side_l = QVBoxLayout(side)
        side_l.setContentsMargins(0, 0, 0, 0)
        side_l.addWidget(over_title)
        side_l.addWidget(self.overloads, 2)
        side_l.addWidget(self.week_title)
        side_l.addWidget(self.week_actions, 1)
        left = QSplitter(Qt.Orientation.Vertical, self)
        left.addWidget(self.table)
        left.addWidget(self.chart)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([820, 300])
        page_layout(self, hbox((self.summary, 1), self.only_over), self.banner, (split, 1))

        self._scroll_to_as_of = False  # set when a plan arrives: shown with none, it waits
        context.document_replaced.connect(self._on_document_replaced)
        context.analysis_changed.connect(self._changed)
        if context.doc is not None:
            self._on_document_replaced()

    def _on_document_replaced(self) -> None:
        self.only_over.blockSignals(True)
        self.only_over.setChecked(False)  # another plan: everyone again
        self.only_over.blockSignals(False)
        self._scroll_to_as_of = True
        self._changed()

    def showEvent(self, event) -> None:
        super().showEvent(event)  # refreshes first if out of date
        if self._scroll_to_as_of:
            QTimer.singleShot(0, self._scroll_as_of)

    def _scroll_as_of(self) -> None:
        """Start the grid at the as-of week: past weeks matter less than the coming ones."""
        self._scroll_to_as_of = False
        analysis = self.context.analysis
        as_of = analysis.as_of if analysis is not None else None
        if as_of is None or not self.load.weeks:
            return
        target = week_of(as_of)
        col = min(range(len(self.load.weeks)), key=lambda i: abs((self.load.weeks[i] - target).days))
        self.table.horizontalScrollBar().setValue(
            max(0, col - 2) * self.table.horizontalHeader().defaultSectionSize())

    def refresh(self) -> None:
        """Recount the workload from the latest analysis."""
        self._stale = False
        cur = self.table.currentIndex()
        keep = None
        if cur.isValid() and self.model.people:
            keep = (self.model.people[cur.row()], self.load.weeks[cur.column()])
        self.load = Workload(self.context.plan, self.context.analysis)
        self.model.set_workload(self.load, self.only_over.isChecked())
        analysis = self.context.analysis
        overloads = analysis.overloads if analysis is not None else []
        people_over = sorted({o.person for o in overloads})
        self.overloads.clear()
        warnings = [w for w in (analysis.warnings if analysis is not None else [])
                    if w.kind == "capacity"]
        for w in warnings:
            item = QListWidgetItem("⚠ " + w.message)
            item.setData(Qt.ItemDataRole.UserRole, w.ids)
            item.setToolTip(w.message)
            self.overloads.addItem(item)
        if not overloads:
            self.overloads.addItem("No one has more open actions than their capacity.")
        if self.context.plan is None:
            self.summary.setText("Open a plan to see workloads.")
        elif people_over:
            names = ", ".join(self.load.names.get(p, p) for p in people_over[:6])
            more = f" and {len(people_over) - 6} more" if len(people_over) > 6 else ""
            self.summary.setText(
                f"⚠ Overloaded: {len(people_over)} of {len(self.load.people)} people "
                f"{'has' if len(people_over) == 1 else 'have'} more open "
                f"actions than their capacity in at least one week ({names}{more}). Red cells with "
                f"“!” are over capacity.")
        else:
            self.summary.setText(f"No one is over capacity ({len(self.load.people)} people). "
                                 "Cells count each person's open actions in a week.")
        self.table.verticalHeader().setMinimumWidth(220)
        if keep is not None and keep[0] in self.model.people and keep[1] in self.load.weeks:
            self.table.setCurrentIndex(self.model.index(self.model.people.index(keep[0]),
                                                        self.load.weeks.index(keep[1])))
        elif self.model.people and self.load.weeks:
            first_over = [p for p in self.model.people if p in people_over]
            self._show_person((first_over or self.model.people)[0], None)

    def is_overloaded(self, person_id: str) -> bool:
        """Whether the engine flags this person over capacity in any week."""
        return self.load.overload_weeks(person_id) > 0

    def _on_cell(self, current: QModelIndex, _previous=None) -> None:
        if not current.isValid():
            return
        pid = self.model.people[current.row()]
        week = self.load.weeks[current.column()]
        self._show_person(pid, week)

    def _show_person(self, pid: str, week: date | None) -> None:
        bars = [(w, self.load.count(pid, w), (pid, w) in self.load.overloaded) for w in self.load.weeks]
        self.chart.set_person(self.load.names.get(pid, pid), self.load.capacity.get(pid, 0), bars, week)
        self.week_actions.clear()
        if week is None:
            self.week_title.setText("Choose a cell to list that week's actions")
            return
        ids = self.load.cells.get((pid, week), [])
        over = (pid, week) in self.load.overloaded
        self.week_title.setText(f"{self.load.names.get(pid, pid)}, week of {short_date(week)}: "
                                f"{len(ids)} action{'s' if len(ids) != 1 else ''}"
                                + (" (over capacity)" if over else ""))
        plan = self.context.plan
        for aid in ids:
            item = QListWidgetItem(f"{aid}  {plan.actions[aid].title}")
            item.setData(Qt.ItemDataRole.UserRole, aid)
            self.week_actions.addItem(item)

    def _on_week_action(self, item, _prev=None) -> None:
        if item is not None and item.data(Qt.ItemDataRole.UserRole):
            self.context.select_action(item.data(Qt.ItemDataRole.UserRole))

    def _on_overload_activated(self, item) -> None:
        ids = item.data(Qt.ItemDataRole.UserRole)
        if ids:
            self.context.select_action(ids[0])
