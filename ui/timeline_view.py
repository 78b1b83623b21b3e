"""The Timeline view: a Gantt chart with one swimlane per challenge (or initiative).

Each action is a bar from its scheduled start to its finish (the graph engine's dates), coloured by
its challenge; critical actions carry a red outline and a "critical" tag; a faint ghost bar under
each bar shows the baseline (the schedule at the latest board report snapshot, else as the plan
was opened); milestones are diamonds (hollow = baseline, filled = forecast); a dashed line marks
the as-of date. Zoom by week, month or quarter.

The chart is painted directly (no item per bar): an edit only rebuilds a list of rows, which is a
few milliseconds on a 2,000-action plan, and a repaint only draws the rows in view.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from datetime import date, timedelta
from operator import attrgetter

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QWidget

from graph.overview_memo import EditsSince, positions_moved
from planner import rules
from planner.model import MilestoneStatus
from planner.dates import short_date
from ui.charts import cached_challenge_colour, schedule_facts
from ui.context import AppContext
from ui.style import challenge_colour
from ui.timeline_canvas import TimelineCanvas
from ui.timeline_scale import (HEADER_H, LABEL_W, ROW_H, SCALES, TimelineRow, period_start,
                               row_height, ticks, upper_ticks)
from ui.view_common import PlanView, hbox, page_layout, set_combo_quietly
from ui.widgets import UpToDate

_ROW_READS = ("title", "challenges", "initiative", "percent", "status")
"""What a row shows of its action besides its dates (and the lane it goes in)."""
_ACTION_ID = attrgetter("action_id")
_CRITICAL = attrgetter("critical")


def _row_order(row: TimelineRow) -> tuple:
    """The order of the rows in a lane: by start, finish, then id (as numbers sort)."""
    return (row.start, row.finish, len(row.action_id), row.action_id)


def _widened(lo: date | None, hi: date | None, days) -> tuple[date | None, date | None]:
    """The span ``lo``..``hi`` (None: no span yet) widened to take in each of ``days`` that is
    not None."""
    for day in days:
        if day is not None:
            lo = day if lo is None or day < lo else lo
            hi = day if hi is None or day > hi else hi
    return lo, hi


__all__ = ["HEADER_H", "LABEL_W", "ROW_H", "SCALES", "TimelineCanvas", "TimelineRow", "TimelineView"]


class TimelineView(PlanView):
    """Gantt chart of the plan: swimlanes, scheduled and baseline bars, milestones, as-of line."""

    rows = UpToDate()  # off screen, rebuilt after an edit only when shown or read

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, "timelineView", "Timeline view", parent)
        self.rows: list[TimelineRow] = []
        self._tops: list[int] = []
        self._index: dict[str, int] = {}
        self.grouping = "challenge"
        self.scale = "month"
        self.origin = date.today()
        self.end = date.today()
        self.as_of: date | None = None
        self.baseline: dict[str, tuple[date, date]] = {}
        self.baseline_label = ""
        self._row_cache: dict[str, TimelineRow] = {}
        # kept between rebuilds, so an edit moves only the rows it changed (issue 13)
        self._edits = EditsSince(_ROW_READS)
        self._lanes: dict[object, list[TimelineRow]] = {}   # lane key -> its rows, in order
        self._lane_titles: dict[object, tuple[str, QColor]] = {}
        self._by_action: dict[str, TimelineRow] = {}       # every action row, by id
        self._marked: list[TimelineRow] = []               # rows holding milestones
        self._base_span: tuple[date | None, date | None] = (None, None)

        self.group_combo = QComboBox(self)
        self.group_combo.addItem("One lane per challenge", "challenge")
        self.group_combo.addItem("One lane per initiative", "initiative")
        self.group_combo.setAccessibleName("Swimlanes")
        self.group_combo.currentIndexChanged.connect(
            lambda _i: self.set_grouping(self.group_combo.currentData()))
        group_label = QLabel("&Lanes:", self)
        group_label.setBuddy(self.group_combo)
        self.scale_combo = QComboBox(self)
        for name in SCALES:
            self.scale_combo.addItem(name.capitalize(), name)
        self.scale_combo.setCurrentIndex(1)
        self.scale_combo.setAccessibleName("Zoom")
        self.scale_combo.currentIndexChanged.connect(
            lambda _i: self.set_scale(self.scale_combo.currentData()))
        scale_label = QLabel("&Zoom:", self)
        scale_label.setBuddy(self.scale_combo)
        self.today_button = QPushButton("Go to &as-of date", self)
        self.today_button.setAccessibleName("Scroll to the as-of date")
        self.today_button.clicked.connect(self.scroll_to_as_of)
        self.legend = QLabel(self)
        self.legend.setObjectName("timelineLegend")
        self.legend.setTextFormat(Qt.TextFormat.PlainText)
        self.legend.setWordWrap(True)
        self.canvas = TimelineCanvas(self)
        self.canvas.row_clicked.connect(self.context.select_action)

        bar = hbox(group_label, self.group_combo, 12, scale_label, self.scale_combo, 12,
                   self.today_button, 12, (self.legend, 1))
        page_layout(self, bar, self.banner, (self.canvas, 1))

        context.document_replaced.connect(self._on_document_replaced)
        # an edit only marks the chart stale: on screen it is redrawn once the edit's change set
        # has come (apply_change), off screen when next shown or read (issue 13)
        context.analysis_changed.connect(self._on_analysis_changed)
        context.selection_changed.connect(self._on_selection_changed)
        if context.doc is not None:
            self._on_document_replaced()

    # data ---------------------------------------------------------------------------------
    def _on_analysis_changed(self) -> None:
        self._stale = True
        if self.isVisible():
            # an analysis with no edit after it (a plan opened, analysed again): redrawn soon;
            # after an edit, apply_change redraws first, knowing what the edit changed
            QTimer.singleShot(0, self.up_to_date)

    def apply_change(self, change) -> None:
        self._edits.note(change)
        if change.touches("dependency"):
            self.canvas.links_changed()
        if self._stale and self.isVisible():
            self.refresh()

    def _on_document_replaced(self) -> None:
        self._row_cache.clear()
        self._edits.lost()
        self._take_baseline()
        self.refresh()
        self._scroll_pending = True
        if self.isVisible():
            self.scroll_to_as_of()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if getattr(self, "_scroll_pending", False):
            self.canvas.update_scrollbars()
            self.scroll_to_as_of()

    def _take_baseline(self) -> None:
        """Baseline bars: the latest board snapshot's schedule if there is one, else as opened."""
        self.baseline = {}
        self.baseline_label = ""
        doc = self.context.doc
        if doc is None:
            return
        source = None
        try:
            snaps = doc.snapshots()
            if snaps:
                import graph
                from reports.deck import snapshot_as_of

                before = doc.load_snapshot(snaps[-1].uid)
                source = graph.analyse(before)
                # the report's status date, as the deck's footers give it ("Previous report 4 Sep
                # 2026"), not the day the snapshot was stored (it said "10 Sep 2026")
                self.baseline_label = ("baseline = the board report of "
                                       f"{short_date(snapshot_as_of(snaps[-1], before))}")
        except Exception:  # a damaged or unschedulable snapshot must not stop the view
            source = None
        if source is None:
            source = self.context.analysis
            self.baseline_label = "baseline = schedule when the plan was opened"
        self.baseline = {aid: (r.start, r.finish) for aid, r in schedule_facts(source).items()}

    def refresh(self) -> None:
        """Rebuild the rows from the plan and the latest analysis, then repaint."""
        self._stale = False
        self._rebuild_rows()
        pending, self._select_pending = getattr(self, "_select_pending", None), None
        if pending:
            self._on_selection_changed(pending)

    def _rebuild_rows(self) -> None:
        plan, analysis = self.context.plan, self.context.analysis
        if plan is None or analysis is None:
            self._edits.lost()
            self._lanes, self._by_action, self._marked = {}, {}, []
            self._finish_rows([])
            return
        touched = self._edits.take(plan, analysis.data)
        try:
            if touched is None or not self._move_rows(plan, analysis, touched):
                self._file_rows(plan, analysis)
        except BaseException:
            self._edits.lost()  # rows half moved: every row filed again next time
            raise
        self.as_of = analysis.as_of or plan.settings.as_of
        lanes, lane_titles, by_action = self._lanes, self._lane_titles, self._by_action
        d = analysis.data
        if len(by_action) == len(d.ids) and d.ids:  # every scheduled action has its row
            lo, hi = d.cal.date(min(d.es)), d.cal.date(max(d.ef))
        else:
            starts = [r.start for r in by_action.values()]
            lo = min(starts, default=None)
            hi = max((r.finish for r in by_action.values()), default=None)
        # milestones on their action's row, or on their initiative's lane heading
        for row in self._marked:
            row.milestones = []
        marked = self._marked = []
        lane_ms: dict[object, list] = {}
        forecasts = analysis.milestones
        for mid, m in plan.milestones.items():
            if m.status == MilestoneStatus.CANCELLED:
                continue
            f = forecasts.get(mid)
            forecast = f.forecast if f is not None else m.forecast
            entry = (f"{mid} {m.title}", forecast, m.baseline, m.actual)
            lo, hi = _widened(lo, hi, (forecast, m.baseline, m.actual))
            if m.action and m.action in by_action:
                row = by_action[m.action]
                if not row.milestones:
                    marked.append(row)
                row.milestones.append(entry)
            else:
                key = None
                ini = plan.initiatives.get(m.initiative) if m.initiative else None
                if self.grouping == "initiative":
                    key = m.initiative if m.initiative in lane_titles else None
                elif ini is not None and ini.challenges:
                    key = ini.challenges[0]
                elif m.action and m.action in plan.actions:
                    key = rules.primary_challenge(plan.actions[m.action])
                lane_ms.setdefault(key, []).append(entry)
        lo, hi = _widened(lo, hi, self._base_span)
        statuses = analysis.challenges if self.grouping == "challenge" else {}
        blocks = []
        for key, (title, colour) in lane_titles.items():
            members = lanes.get(key, [])
            if not members and not lane_ms.get(key):
                continue
            n = len(members)
            count = f"{n} action{'s' if n != 1 else ''}"
            if self.grouping == "challenge" and key is not None:
                # A lane holds the actions filed under the challenge (their first); the Overview
                # counts every action serving it. Say so, so the two figures never look at odds.
                status = statuses.get(key)
                serving = (status.progress if status is not None
                           else rules.challenge_progress(plan, key)).actions
                count = f"{n} filed here of {serving} serving it"
            heading = TimelineRow("lane", f"{title}  ({count})",
                                  colour, lane_key=key, milestones=lane_ms.get(key, []))
            blocks.append((heading, members))
        if lo is None:
            lo = hi = plan.settings.start or date.today()
        lo, hi = _widened(lo, hi, (self.as_of,))
        self.origin = period_start(lo, self.scale) - timedelta(days=7)
        self.end = hi + timedelta(days=45)
        self._finish_rows(blocks)

    def _lane_key(self, a, lane_titles) -> tuple[object, int | None]:
        """The lane an action's row goes in, and the challenge it is filed under."""
        ch = rules.primary_challenge(a)
        key = ch if self.grouping == "challenge" else a.initiative
        return (key if key in lane_titles else None), ch

    @staticmethod
    def _fill_row(row: TimelineRow, a, key, ch, start: date, finish: date,
                  critical: bool) -> None:
        row.label, row.colour, row.lane_key = a.title, cached_challenge_colour(ch), key
        row.start, row.finish, row.critical = start, finish, critical
        row.percent, row.status = a.percent, a.status

    def _file_rows(self, plan, analysis) -> None:
        """Every action's row again, in its lane, in order (the lanes from the plan)."""
        sched = schedule_facts(analysis)
        cache = self._row_cache
        if len(cache) > 2 * len(sched) + 100:  # actions deleted: forget their rows
            cache.clear()
        lane_titles: dict[object, tuple[str, QColor]] = {}
        if self.grouping == "challenge":
            for n, ch in sorted(plan.challenges.items()):
                lane_titles[n] = (f"{n}. {ch.title}", challenge_colour(n))
        else:
            for iid, ini in plan.initiatives.items():
                first = ini.challenges[0] if ini.challenges else None
                lane_titles[iid] = (f"{iid}  {ini.title}", challenge_colour(first))
        lane_titles[None] = ("No challenge" if self.grouping == "challenge" else "No initiative",
                             challenge_colour(None))
        lanes: dict[object, list[TimelineRow]] = {}
        by_action: dict[str, TimelineRow] = {}
        for aid, r in sched.items():
            a = plan.actions.get(aid)
            if a is None:
                continue
            key, ch = self._lane_key(a, lane_titles)
            # reuse last refresh's row object: fewer allocations, fewer garbage-collector pauses
            row = cache.get(aid)
            if row is None:
                row = cache[aid] = TimelineRow("action", a.title, cached_challenge_colour(ch), aid)
            self._fill_row(row, a, key, ch, r.start, r.finish, r.critical)
            row.milestones = []
            lanes.setdefault(key, []).append(row)
            by_action[aid] = row
        for members in lanes.values():
            members.sort(key=_row_order)
        lo = hi = None
        for aid, (b0, b1) in self.baseline.items():
            if aid in by_action:
                lo = b0 if lo is None or b0 < lo else lo
                hi = b1 if hi is None or b1 > hi else hi
        self._lanes, self._lane_titles, self._by_action = lanes, lane_titles, by_action
        self._marked, self._base_span = [], (lo, hi)

    def _move_rows(self, plan, analysis, touched: dict[str, set[str]]) -> bool:
        """Bring up to date only the rows of the actions whose dates or critical flag moved or
        whose fields an edit changed, each moved within its lane or to another (False when
        the rows kept cannot be brought up to date so: then every row is filed again)."""
        d, old = analysis.data, self._edits.old
        by_action, lanes, lane_titles = self._by_action, self._lanes, self._lane_titles
        if len(by_action) != len(d.ids):
            return False
        ids, to_date, crit = d.ids, d.cal.date, d.critical_set
        changed = positions_moved(old, d, ("es", "ef"))
        changed.update(old.critical_set ^ crit)
        names = {ids[i] for i in changed}
        names.update(aid for aid, fields in touched.items() if fields)
        for aid in names:
            row, a, i = by_action.get(aid), plan.actions.get(aid), d.pos.get(aid)
            if row is None or a is None or i is None:
                return False
            key, ch = self._lane_key(a, lane_titles)
            start, finish = to_date(d.es[i]), to_date(d.ef[i])
            if key == row.lane_key and start == row.start and finish == row.finish:
                self._fill_row(row, a, key, ch, start, finish, i in crit)
                continue
            lane = lanes.get(row.lane_key, [])
            at = bisect.bisect_left(lane, _row_order(row), key=_row_order)
            if at >= len(lane) or lane[at] is not row:
                return False
            del lane[at]
            self._fill_row(row, a, key, ch, start, finish, i in crit)
            bisect.insort(lanes.setdefault(key, []), row, key=_row_order)
        return True

    def _finish_rows(self, blocks: list[tuple[TimelineRow, list[TimelineRow]]]) -> None:
        """The rows in order (each lane's heading, then its actions), their tops and index."""
        rows: list[TimelineRow] = []
        tops: list[int] = []
        index: dict[str, int] = {}
        y = n = crit = 0
        for heading, members in blocks:
            tops.append(y)
            rows.append(heading)
            y += row_height(heading)
            if members:  # every action row is as high as the first
                h, k = row_height(members[0]), len(members)
                index.update(zip(map(_ACTION_ID, members), range(len(rows), len(rows) + k)))
                tops.extend(range(y, y + h * k, h))
                rows.extend(members)
                y += h * k
                n += k
                crit += sum(map(_CRITICAL, members))
        self.rows, self._tops, self._index, self._height = rows, tops, index, y
        self.legend.setText(
            f"{n} actions, {crit} critical (red outline).  Bars: scheduled dates (the strip along a "
            f"bar's foot: the share of its work done); "
            f"thin grey bar: {self.baseline_label or 'baseline'}; ◇ baseline, ◆ forecast "
            f"milestone; dashed line: the status date."
            + ("  A challenge lane holds the actions filed under that challenge (their first); "
               "an action serving several appears once." if self.grouping == "challenge" else ""))
        self.canvas.setAccessibleDescription(f"Gantt chart of {n} actions in {len(blocks)} lanes")
        self.canvas.update_scrollbars()
        self.canvas.viewport().update()

    # geometry helpers (content coordinates: x from the origin date, y from the first row) --
    def x_of(self, d: date) -> float:
        return (d - self.origin).days * SCALES[self.scale]

    def content_width(self) -> float:
        return self.x_of(self.end)

    def rows_height(self) -> int:
        return getattr(self, "_height", 0)

    def row_top(self, i: int) -> int:
        return self._tops[i] if 0 <= i < len(self._tops) else 0

    def row_index_at(self, cy: float) -> int:
        """Row index at content y (binary search over row tops)."""
        if not self._tops:
            return -1
        i = bisect.bisect_right(self._tops, cy) - 1
        return max(0, min(i, len(self._tops) - 1))

    def visible_rows(self, first: int, y: float, bottom: float) -> Iterator[tuple[TimelineRow, float, int]]:
        """(row, top, height) of the rows from index ``first`` down, the first placed at ``y``,
        until a row would start below ``bottom``."""
        rows = self.rows
        for i in range(max(0, first), len(rows)):
            if y > bottom:
                break
            row = rows[i]
            rh = row_height(row)
            yield row, y, rh
            y += rh

    def row_of(self, action_id: str) -> int:
        """Index of the action's row, or -1."""
        self.up_to_date()
        return self._index.get(action_id, -1)

    def bar_rect(self, action_id: str) -> QRectF | None:
        """The action's scheduled bar in content coordinates (for tests and scrolling)."""
        i = self.row_of(action_id)
        if i < 0:
            return None
        row = self.rows[i]
        x0 = self.x_of(row.start)
        x1 = self.x_of(row.finish + timedelta(days=1))
        return QRectF(x0, self._tops[i] + 4, max(4.0, x1 - x0), ROW_H - 12)

    def ticks(self) -> list[tuple[date, str, bool]]:
        """Grid ticks for the current zoom: (date, label, major)."""
        return ticks(self.origin, self.end, self.scale)

    def upper_ticks(self) -> list[date]:
        """Starts of the header's upper band at the current zoom."""
        return upper_ticks(self.origin, self.end, self.scale)

    # commands -----------------------------------------------------------------------------
    def set_scale(self, scale: str) -> None:
        """Zoom to 'week', 'month' or 'quarter', keeping the centre date in view."""
        if scale not in SCALES or scale == self.scale:
            return
        hbar = self.canvas.horizontalScrollBar()
        centre_days = (hbar.value() + (self.canvas.viewport().width() - LABEL_W) / 2) / SCALES[self.scale]
        self.scale = scale
        set_combo_quietly(self.scale_combo, list(SCALES).index(scale))
        self.refresh()
        hbar.setValue(int(centre_days * SCALES[scale] - (self.canvas.viewport().width() - LABEL_W) / 2))

    def zoom(self, step: int) -> None:
        """One step in (+1) or out (-1) through week, month, quarter."""
        names = list(SCALES)
        i = max(0, min(len(names) - 1, names.index(self.scale) - step))
        self.set_scale(names[i])

    def set_grouping(self, grouping: str) -> None:
        """One lane per 'challenge' or per 'initiative'."""
        if grouping == self.grouping or grouping not in ("challenge", "initiative"):
            return
        self.grouping = grouping
        set_combo_quietly(self.group_combo, 0 if grouping == "challenge" else 1)
        self._edits.lost()  # other lanes: every row filed again
        self.refresh()
        self._ensure_visible(self.context.selected_action)

    def scroll_to_as_of(self) -> None:
        """Bring the as-of date into view, a little from the left edge."""
        self._scroll_pending = False
        if self.as_of is not None:
            view_w = self.canvas.viewport().width() - LABEL_W
            self.canvas.horizontalScrollBar().setValue(int(self.x_of(self.as_of) - max(120, view_w / 3)))

    def move_selection(self, step: int) -> None:
        """Select the action ``step`` rows down (negative: up), skipping lane headings."""
        actions = [r.action_id for r in self.rows if r.kind == "action"]
        if not actions:
            return
        cur = self.context.selected_action
        pos = actions.index(cur) if cur in actions else (-1 if step > 0 else len(actions))
        new = actions[max(0, min(len(actions) - 1, pos + step))]
        self.context.select_action(new)

    def _on_selection_changed(self, action_id: str) -> None:
        if self._stale:  # the rows are out of date: scroll to it once they are rebuilt
            self._select_pending = action_id
            return
        if not getattr(self, "_clicked", False):
            self._ensure_visible(action_id)
        self.canvas.viewport().update()
        row = self._index.get(action_id)
        if row is not None:
            r = self.rows[row]
            self.canvas.setAccessibleDescription(
                f"Selected {action_id} {r.label}: {short_date(r.start)} to {short_date(r.finish)}"
                + (", critical" if r.critical else ""))

    def _ensure_visible(self, action_id: str) -> None:
        i = self._index.get(action_id)
        if i is None:
            return
        vbar = self.canvas.verticalScrollBar()
        top = self._tops[i]
        vh = self.canvas.viewport().height() - self.canvas.hh
        if top < vbar.value() or top + ROW_H > vbar.value() + vh:
            vbar.setValue(int(top - vh / 2))  # out of view: bring it to the middle
        rect = self.bar_rect(action_id)
        hbar = self.canvas.horizontalScrollBar()
        vw = self.canvas.viewport().width() - LABEL_W
        if rect is not None and (rect.left() < hbar.value() or rect.left() > hbar.value() + vw - 40):
            hbar.setValue(int(rect.left() - 80))

    def tooltip_for(self, i: int, x: float) -> str:
        """Tooltip text for row ``i`` at viewport x."""
        if not (0 <= i < len(self.rows)):
            return ""
        row = self.rows[i]
        sx = self.canvas.horizontalScrollBar().value()
        cx = x - LABEL_W + sx
        for title, forecast, baseline, achieved in row.milestones:
            for d, what in ((achieved, "achieved"), (forecast, "forecast"), (baseline, "baseline")):
                if d is not None and abs(self.x_of(d) - cx) <= 7:
                    return (f"Milestone {title}\n{what.capitalize()}: {short_date(d)}"
                            + (f"\nBaseline: {short_date(baseline)}" if baseline and what != "baseline" else ""))
        if row.kind != "action":
            return row.label
        analysis = self.context.analysis
        r = analysis.rows.get(row.action_id) if analysis is not None else None
        lines = [f"{row.action_id}  {row.label}",
                 f"{short_date(row.start, weekday=True)} to {short_date(row.finish, weekday=True)}"]
        if r is not None:
            fl = r.float_days
            if row.critical:
                lines.append("Critical: any slip delays the plan's finish")
            else:
                lines.append(f"Float: {fl} working day{'s' if fl != 1 else ''}")
            if r.driver:
                lines.append(r.driver)
        b = self.baseline.get(row.action_id)
        if b is not None and (b[0] != row.start or b[1] != row.finish):
            lines.append(f"Baseline: {short_date(b[0])} to {short_date(b[1])}")
        return "\n".join(lines)
