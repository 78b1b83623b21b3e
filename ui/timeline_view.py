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

from dataclasses import dataclass, field
from datetime import date, timedelta

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import (QAbstractScrollArea, QComboBox, QHBoxLayout, QLabel,
                               QPushButton, QToolTip, QVBoxLayout, QWidget)

from ui.charts import (MessageBanner, cached_challenge_colour, date_label, diamond, elide,
                       grid_colour, month_starts, schedule_facts)
from ui.context import AppContext
from ui.style import CRITICAL_COLOUR, DONE_COLOUR, challenge_colour, muted_text, text_colour_on

SCALES = {"week": 16.0, "month": 4.0, "quarter": 1.4}
"""Pixels per calendar day at each zoom."""

ROW_H = 24
LANE_H = 26
HEADER_H = 60
"""Default height of the date header (the canvas works out its own from the font: ``hh``)."""
LABEL_W = 280


@dataclass
class TimelineRow:
    """One row of the chart: a swimlane heading or an action."""

    kind: str                      # "lane" or "action"
    label: str
    colour: QColor
    action_id: str = ""
    lane_key: object = None
    start: date | None = None
    finish: date | None = None     # last working day (inclusive)
    critical: bool = False
    percent: int = 0
    status: str = ""
    milestones: list = field(default_factory=list)   # (title, forecast, baseline, achieved)


class TimelineCanvas(QAbstractScrollArea):
    """The painted Gantt chart with a frozen date header and a frozen label column."""

    row_clicked = Signal(str)

    def __init__(self, view: "TimelineView"):
        super().__init__(view)
        self.view = view
        self.setObjectName("timelineCanvas")
        self.setAccessibleName("Timeline chart")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.viewport().setAutoFillBackground(False)
        self.hh = HEADER_H
        self._measure_header()

    def _measure_header(self) -> None:
        """Header rows from the font, so large fonts are not clipped: years, as-of tag, ticks."""
        bold = QFont(self.font())
        bold.setBold(True)
        self._year_h = QFontMetrics(bold).height() + 4
        self._tag_h = QFontMetrics(self.font()).height() + 4
        self.hh = max(HEADER_H, self._year_h + self._tag_h + QFontMetrics(self.font()).height() + 8)

    def changeEvent(self, event) -> None:
        if event.type() == event.Type.FontChange:
            self._measure_header()
            self.update_scrollbars()
        super().changeEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(900, 600)

    # geometry -----------------------------------------------------------------------------
    def content_height(self) -> int:
        return self.view.rows_height()

    def update_scrollbars(self) -> None:
        vw = max(1, self.viewport().width() - LABEL_W)
        vh = max(1, self.viewport().height() - self.hh)
        self.horizontalScrollBar().setRange(0, max(0, int(self.view.content_width() - vw)))
        self.horizontalScrollBar().setPageStep(vw)
        self.horizontalScrollBar().setSingleStep(40)
        self.verticalScrollBar().setRange(0, max(0, self.content_height() - vh))
        self.verticalScrollBar().setPageStep(vh)
        self.verticalScrollBar().setSingleStep(ROW_H)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.update_scrollbars()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()

    def row_at(self, y: float) -> int:
        """Index of the row under viewport y, or -1."""
        cy = y - self.hh + self.verticalScrollBar().value()
        if y < self.hh or cy < 0:
            return -1
        return self.view.row_index_at(cy)

    # painting -----------------------------------------------------------------------------
    def paintEvent(self, _event) -> None:
        v = self.view
        p = QPainter(self.viewport())
        pal = self.palette()
        fm = QFontMetrics(self.font())
        w, h = self.viewport().width(), self.viewport().height()
        sx, sy = self.horizontalScrollBar().value(), self.verticalScrollBar().value()
        base = pal.color(QPalette.ColorRole.Base)
        text = pal.color(QPalette.ColorRole.Text)
        muted = muted_text(pal)
        p.fillRect(0, 0, w, h, base)
        if not v.rows:
            p.setPen(muted)
            ctx = v.context
            if ctx.plan is None:
                text = "Open a plan to see its timeline."
            elif getattr(ctx, "analysis_pending", False):
                text = "Scheduling the plan…"
            elif getattr(ctx, "analysis_error", ""):
                text = "The plan cannot be scheduled:\n" + ctx.analysis_error
            else:
                text = "No scheduled actions to show."
            p.drawText(QRectF(20, 0, w - 40, h), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                       text)
            p.end()
            return
        body_left = LABEL_W
        # vertical grid under everything
        p.setClipRect(QRectF(body_left, self.hh, w - body_left, h - self.hh))
        ticks = v.ticks()
        p.setPen(QPen(grid_colour(pal), 1))
        for d, _label, major in ticks:
            x = body_left + v.x_of(d) - sx
            if body_left <= x <= w:
                p.drawLine(QPointF(x, self.hh), QPointF(x, h))
        # rows in view
        first = v.row_index_at(sy)
        y = self.hh + v.row_top(first) - sy
        sel = v.context.selected_action
        highlight = QColor(pal.color(QPalette.ColorRole.Highlight))
        for i in range(max(0, first), len(v.rows)):
            if y > h:
                break
            row = v.rows[i]
            rh = LANE_H if row.kind == "lane" else ROW_H
            if row.kind == "lane":
                band = QColor(row.colour)
                band.setAlpha(36)
                p.fillRect(QRectF(body_left, y, w - body_left, rh), band)
                bold = QFont(self.font())
                bold.setBold(True)
                if QFontMetrics(bold).horizontalAdvance(row.label) > LABEL_W - 16:
                    # the label column cut the lane's title short: show it whole in the band
                    p.setFont(bold)
                    p.setPen(muted)
                    p.drawText(QRectF(body_left + 8, y, w - body_left - 16, rh),
                               Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, row.label)
                    p.setFont(self.font())
            elif row.action_id == sel:
                hl = QColor(highlight)
                hl.setAlpha(50)
                p.fillRect(QRectF(body_left, y, w - body_left, rh), hl)
            self._paint_row_body(p, row, y, rh, sx, fm, pal)
            y += rh
        self._paint_selected_links(p, sx, sy, pal)
        # as-of line
        if v.as_of is not None:
            x = body_left + v.x_of(v.as_of) - sx
            pen = QPen(_as_of_colour(pal), 2,
                       Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawLine(QPointF(x, self.hh), QPointF(x, h))
        p.setClipping(False)
        self._paint_labels(p, first, sy, w, h, fm, pal, sel)
        self._paint_header(p, ticks, sx, w, fm, pal)
        p.end()

    def _paint_row_body(self, p: QPainter, row: TimelineRow, y: float, rh: float, sx: int,
                        fm: QFontMetrics, pal: QPalette) -> None:
        v = self.view
        body_left = LABEL_W
        if row.kind == "action" and row.start is not None:
            base_dates = v.baseline.get(row.action_id)
            if base_dates is not None:
                bx0 = body_left + v.x_of(base_dates[0]) - sx
                bx1 = body_left + v.x_of(base_dates[1] + timedelta(days=1)) - sx
                ghost = QColor(pal.color(QPalette.ColorRole.Text))
                ghost.setAlpha(45)
                p.fillRect(QRectF(bx0, y + rh - 7, max(3.0, bx1 - bx0), 4), ghost)
            x0 = body_left + v.x_of(row.start) - sx
            x1 = body_left + v.x_of(row.finish + timedelta(days=1)) - sx
            bar = QRectF(x0, y + 4, max(4.0, x1 - x0), rh - 12)
            colour = QColor(row.colour)
            if row.status == "done":
                colour.setAlpha(130)
            edge = QColor(pal.color(QPalette.ColorRole.Text))
            edge.setAlpha(90)  # keeps dark challenge colours visible on a dark background
            p.setPen(QPen(edge, 1))
            p.setBrush(colour)
            p.drawRect(bar)
            if 0 < row.percent < 100 and row.status != "done":
                done = QRectF(bar.left(), bar.bottom() - 3, bar.width() * row.percent / 100, 3)
                p.fillRect(done, text_colour_on(colour))
            if row.critical:
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.setPen(QPen(CRITICAL_COLOUR, 2))
                p.drawRect(bar.adjusted(-1, -1, 1, 1))
            # the title after the bar (and after its milestones); a bar out of view to the left
            # keeps its title at the left edge with an arrow, so the row never looks empty
            label = row.label + ("  ● critical" if row.critical else "")
            tx = bar.right() + 6
            for _t, forecast, baseline, achieved in row.milestones:
                for d in (forecast, baseline, achieved):
                    if d is not None:
                        tx = max(tx, body_left + v.x_of(d) - sx + 10)
            if tx < body_left + 4:
                tx = body_left + 4
                label = "◂ " + label
                p.setPen(muted_text(pal))
            else:
                p.setPen(pal.color(QPalette.ColorRole.Text))
            if tx < self.viewport().width():
                p.drawText(QPointF(tx, y + rh / 2 + fm.ascent() / 2 - 2), elide(fm, label, 360))
        for title, forecast, baseline, achieved in row.milestones:
            cy = y + rh / 2
            if baseline is not None:
                bx = body_left + v.x_of(baseline) - sx
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.setPen(QPen(pal.color(QPalette.ColorRole.Text), 1.2))
                p.drawPolygon(diamond(QPointF(bx, cy), 6))
            when = achieved or forecast
            if when is not None:
                fx = body_left + v.x_of(when) - sx
                p.setPen(QPen(pal.color(QPalette.ColorRole.Base), 1))
                p.setBrush(DONE_COLOUR if achieved else pal.color(QPalette.ColorRole.Text))
                p.drawPolygon(diamond(QPointF(fx, cy), 6))

    def _paint_selected_links(self, p: QPainter, sx: int, sy: int, pal: QPalette) -> None:
        """The selected action's links: from each prerequisite's bar end to the waiting bar."""
        v = self.view
        sel = v.context.selected_action
        plan = v.context.plan
        if not sel or plan is None or sel not in v._index:
            return
        colour = QColor(pal.color(QPalette.ColorRole.Highlight))
        if pal.color(QPalette.ColorRole.Base).lightness() < 128:
            colour = colour.lighter(150)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        for d in plan.dependencies.values():
            if sel not in (d.action, d.needs):
                continue
            a, b = v._index.get(d.needs), v._index.get(d.action)
            if a is None or b is None:
                continue
            ra, rb = v.rows[a], v.rows[b]
            if d.type == "SS":
                x0 = LABEL_W + v.x_of(ra.start) - sx
            else:
                x0 = LABEL_W + v.x_of(ra.finish + timedelta(days=1)) - sx
            y0 = self.hh + v.row_top(a) + ROW_H / 2 - 2 - sy
            x1 = LABEL_W + v.x_of(rb.start) - sx
            y1 = self.hh + v.row_top(b) + ROW_H / 2 - 2 - sy
            pen = QPen(colour, 1.6, Qt.PenStyle.DashLine if d.type == "SS" else Qt.PenStyle.SolidLine)
            p.setPen(pen)
            xm = max(x0 + 6, min(x1 - 6, x0 + 12))
            p.drawPolyline([QPointF(x0, y0), QPointF(xm, y0), QPointF(xm, y1), QPointF(x1, y1)])
            p.setBrush(colour)
            p.setPen(Qt.PenStyle.NoPen)
            p.drawPolygon([QPointF(x1, y1), QPointF(x1 - 7, y1 - 4), QPointF(x1 - 7, y1 + 4)])
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    def _paint_labels(self, p: QPainter, first: int, sy: int, w: int, h: int,
                      fm: QFontMetrics, pal: QPalette, sel: str) -> None:
        v = self.view
        p.fillRect(QRectF(0, self.hh, LABEL_W, h - self.hh), pal.color(QPalette.ColorRole.Window))
        p.setClipRect(QRectF(0, self.hh, LABEL_W, h - self.hh))
        y = self.hh + v.row_top(first) - sy
        bold = QFont(self.font())
        bold.setBold(True)
        bfm = QFontMetrics(bold)
        for i in range(max(0, first), len(v.rows)):
            if y > h:
                break
            row = v.rows[i]
            rh = LANE_H if row.kind == "lane" else ROW_H
            if row.kind == "lane":
                p.fillRect(QRectF(0, y, 6, rh), row.colour)
                p.setFont(bold)
                p.setPen(pal.color(QPalette.ColorRole.WindowText))
                p.drawText(QRectF(12, y, LABEL_W - 16, rh),
                           Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                           elide(bfm, row.label, LABEL_W - 16))
                p.setFont(self.font())
            else:
                if row.action_id == sel:
                    p.fillRect(QRectF(0, y, LABEL_W, rh), pal.color(QPalette.ColorRole.Highlight))
                    p.setPen(pal.color(QPalette.ColorRole.HighlightedText))
                else:
                    p.setPen(pal.color(QPalette.ColorRole.WindowText))
                s = f"{row.action_id}  {row.label}"
                p.drawText(QRectF(14, y, LABEL_W - 18, rh),
                           Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                           elide(fm, s, LABEL_W - 18))
            y += rh
        p.setClipping(False)
        p.setPen(QPen(grid_colour(pal), 1))
        p.drawLine(QPointF(LABEL_W - 0.5, self.hh), QPointF(LABEL_W - 0.5, h))

    def _paint_header(self, p: QPainter, ticks, sx: int, w: int, fm: QFontMetrics,
                      pal: QPalette) -> None:
        v = self.view
        p.fillRect(QRectF(0, 0, w, self.hh), pal.color(QPalette.ColorRole.Window))
        p.setPen(pal.color(QPalette.ColorRole.WindowText))
        bold = QFont(self.font())
        bold.setBold(True)
        p.setFont(bold)
        p.drawText(QRectF(12, 0, LABEL_W - 16, self.hh),
                   Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                   "By challenge" if v.grouping == "challenge" else "By initiative")
        p.setFont(self.font())
        p.setClipRect(QRectF(LABEL_W, 0, w - LABEL_W, self.hh))
        # upper band: years (or quarters at week scale)
        upper_unit = "quarter" if v.scale == "week" else "year"
        uppers = v.upper_ticks()
        bfm = QFontMetrics(bold)
        p.setFont(bold)
        for k, d in enumerate(uppers):
            x = LABEL_W + v.x_of(d) - sx
            nxt = LABEL_W + v.x_of(uppers[k + 1]) - sx if k + 1 < len(uppers) else w + 1000
            if nxt < LABEL_W or x > w:
                continue
            p.setPen(QPen(grid_colour(pal), 1))
            p.drawLine(QPointF(x, 0), QPointF(x, self.hh))
            s = date_label(d, upper_unit)
            # keep the label of the period running at the left edge in view, until the next one
            tx = min(max(x + 4, LABEL_W + 4), nxt - bfm.horizontalAdvance(s) - 8)
            if tx < LABEL_W + 4 and x < LABEL_W:
                continue  # the next period's label is about to take the edge: no room
            p.setPen(pal.color(QPalette.ColorRole.WindowText))
            p.drawText(QPointF(tx, bfm.ascent() + 3), s)
        p.setFont(self.font())
        p.setPen(muted_text(pal))
        for d, label, _major in ticks:
            x = LABEL_W + v.x_of(d) - sx
            if x < LABEL_W - 80 or x > w:
                continue
            p.drawText(QPointF(x + 3, self.hh - 6), label)
        if v.as_of is not None:
            x = LABEL_W + v.x_of(v.as_of) - sx
            if LABEL_W <= x <= w:
                s = f"as of {v.as_of.day} {date_label(v.as_of, 'month')}"
                tw = fm.horizontalAdvance(s) + 8
                left = min(max(x - tw / 2, LABEL_W + 2), w - tw - 2)
                r = QRectF(left, self._year_h, tw, self._tag_h - 2)
                p.fillRect(r, _as_of_colour(pal))
                p.setPen(text_colour_on(_as_of_colour(pal)))
                p.drawText(r, Qt.AlignmentFlag.AlignCenter, s)
        p.setClipping(False)
        p.setPen(QPen(grid_colour(pal), 1))
        p.drawLine(QPointF(0, self.hh - 0.5), QPointF(w, self.hh - 0.5))

    # interaction --------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        i = self.row_at(event.position().y())
        if 0 <= i < len(self.view.rows) and self.view.rows[i].kind == "action":
            self.view._clicked = True  # the row is in view already: do not scroll to its bar
            try:
                self.row_clicked.emit(self.view.rows[i].action_id)
            finally:
                self.view._clicked = False
        # dragging the chart pans it (a click without movement only selects)
        self._pan_from = (event.position(), self.horizontalScrollBar().value(),
                          self.verticalScrollBar().value())
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        pan = getattr(self, "_pan_from", None)
        if pan is not None and event.buttons() & Qt.MouseButton.LeftButton:
            delta = event.position() - pan[0]
            if abs(delta.x()) + abs(delta.y()) > 4:
                self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
                self.horizontalScrollBar().setValue(int(pan[1] - delta.x()))
                self.verticalScrollBar().setValue(int(pan[2] - delta.y()))
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        self._pan_from = None
        self.viewport().unsetCursor()
        super().mouseReleaseEvent(event)

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.view.zoom(1 if event.angleDelta().y() > 0 else -1)
            event.accept()
            return
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value()
                                                - event.angleDelta().y())
            event.accept()
            return
        super().wheelEvent(event)

    def keyPressEvent(self, event) -> None:
        key = event.key()
        v = self.view
        moves = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 15,
                 Qt.Key.Key_PageUp: -15}
        if key in moves:
            v.move_selection(moves[key])
        elif key == Qt.Key.Key_Home:
            v.move_selection(-len(v.rows))
        elif key == Qt.Key.Key_End:
            v.move_selection(len(v.rows))
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            v.zoom(1)
        elif key == Qt.Key.Key_Minus:
            v.zoom(-1)
        elif key == Qt.Key.Key_Left:
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - 60)
        elif key == Qt.Key.Key_Right:
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + 60)
        else:
            super().keyPressEvent(event)

    def event(self, event) -> bool:
        if event.type() == event.Type.ToolTip:
            i = self.row_at(event.position().y() if hasattr(event, "position") else event.pos().y())
            tip = self.view.tooltip_for(i, event.pos().x()) if i >= 0 else ""
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)


class TimelineView(QWidget):
    """Gantt chart of the plan: swimlanes, scheduled and baseline bars, milestones, as-of line."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("timelineView")
        self.setAccessibleName("Timeline view")
        self.context = context
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
        self.banner = MessageBanner(self)
        self.canvas = TimelineCanvas(self)
        self.canvas.row_clicked.connect(self.context.select_action)

        bar = QHBoxLayout()
        bar.addWidget(group_label)
        bar.addWidget(self.group_combo)
        bar.addSpacing(12)
        bar.addWidget(scale_label)
        bar.addWidget(self.scale_combo)
        bar.addSpacing(12)
        bar.addWidget(self.today_button)
        bar.addSpacing(12)
        bar.addWidget(self.legend, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.banner)
        layout.addWidget(self.canvas, 1)

        context.document_replaced.connect(self._on_document_replaced)
        context.analysis_changed.connect(self.refresh)
        context.selection_changed.connect(self._on_selection_changed)
        if context.doc is not None:
            self._on_document_replaced()

    # data ---------------------------------------------------------------------------------
    def _on_document_replaced(self) -> None:
        self._row_cache.clear()
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

                source = graph.analyse(doc.load_snapshot(snaps[-1].uid))
                self.baseline_label = f"baseline = board snapshot of {snaps[-1].created:%d %b %Y}"
        except Exception:  # a damaged or unschedulable snapshot must not stop the view
            source = None
        if source is None:
            source = self.context.analysis
            self.baseline_label = "baseline = schedule when the plan was opened"
        self.baseline = {aid: (r[0], r[1]) for aid, r in schedule_facts(source).items()}

    def refresh(self) -> None:
        """Rebuild the rows from the plan and the latest analysis, then repaint."""
        plan, analysis = self.context.plan, self.context.analysis
        self.rows = []
        if plan is None or analysis is None:
            self._finish_rows()
            return
        sched = schedule_facts(analysis)
        cache = self._row_cache
        if len(cache) > 2 * len(sched) + 100:  # actions deleted: forget their rows
            cache.clear()
        self.as_of = getattr(analysis, "as_of", None) or plan.settings.as_of
        lanes: dict[object, list[TimelineRow]] = {}
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
        lo, hi = None, None
        for aid, r in sched.items():
            a = plan.actions.get(aid)
            if a is None:
                continue
            ch = a.challenges[0] if a.challenges else None
            key = ch if self.grouping == "challenge" else a.initiative
            if key not in lane_titles:
                key = None
            # reuse last refresh's row object: fewer allocations, fewer garbage-collector pauses
            row = cache.get(aid)
            if row is None:
                row = cache[aid] = TimelineRow("action", a.title, cached_challenge_colour(ch), aid)
            row.label, row.colour, row.lane_key = a.title, cached_challenge_colour(ch), key
            row.start, row.finish, row.critical = r[0], r[1], r[2]
            row.percent, row.status = a.percent, a.status
            if row.milestones:
                row.milestones = []
            lanes.setdefault(key, []).append(row)
            lo = r[0] if lo is None or r[0] < lo else lo
            hi = r[1] if hi is None or r[1] > hi else hi
        # milestones on their action's row, or on their initiative's lane heading
        lane_ms: dict[object, list] = {}
        forecasts = getattr(analysis, "milestones", {}) or {}
        by_action = {}
        for rows in lanes.values():
            for row in rows:
                by_action[row.action_id] = row
        for mid, m in plan.milestones.items():
            if m.status == "cancelled":
                continue
            f = forecasts.get(mid)
            forecast = getattr(f, "forecast", None) if f is not None else m.forecast
            entry = (f"{mid} {m.title}", forecast, m.baseline, m.actual)
            for d in (forecast, m.baseline, m.actual):
                if d is not None:
                    lo = d if lo is None or d < lo else lo
                    hi = d if hi is None or d > hi else hi
            if m.action and m.action in by_action:
                by_action[m.action].milestones.append(entry)
            else:
                key = None
                ini = plan.initiatives.get(m.initiative) if m.initiative else None
                if self.grouping == "initiative":
                    key = m.initiative if m.initiative in lane_titles else None
                elif ini is not None and ini.challenges:
                    key = ini.challenges[0]
                elif m.action and m.action in plan.actions and plan.actions[m.action].challenges:
                    key = plan.actions[m.action].challenges[0]
                lane_ms.setdefault(key, []).append(entry)
        for aid, (b0, b1) in self.baseline.items():
            if aid in by_action:
                lo = b0 if lo is None or b0 < lo else lo
                hi = b1 if hi is None or b1 > hi else hi
        for key, (title, colour) in lane_titles.items():
            members = lanes.get(key, [])
            if not members and not lane_ms.get(key):
                continue
            members.sort(key=lambda r: (r.start, r.finish, len(r.action_id), r.action_id))
            n = len(members)
            heading = TimelineRow("lane", f"{title}  ({n} action{'s' if n != 1 else ''})",
                                  colour, lane_key=key, milestones=lane_ms.get(key, []))
            self.rows.append(heading)
            self.rows.extend(members)
        if lo is None:
            lo = hi = plan.settings.start or date.today()
        if self.as_of:
            lo, hi = min(lo, self.as_of), max(hi, self.as_of)
        self.origin = _period_start(lo, self.scale) - timedelta(days=7)
        self.end = hi + timedelta(days=45)
        self._finish_rows()

    def _finish_rows(self) -> None:
        self._tops = []
        self._index = {}
        y = 0
        for i, row in enumerate(self.rows):
            self._tops.append(y)
            if row.kind == "action":
                self._index[row.action_id] = i
            y += LANE_H if row.kind == "lane" else ROW_H
        self._height = y
        n = sum(1 for r in self.rows if r.kind == "action")
        crit = sum(1 for r in self.rows if r.kind == "action" and r.critical)
        self.legend.setText(
            f"{n} actions, {crit} critical (red outline).  Bars: scheduled dates (strip: % done); "
            f"thin grey bar: {self.baseline_label or 'baseline'}; ◇ baseline, ◆ forecast "
            f"milestone; dashed line: as-of date.")
        self.canvas.setAccessibleDescription(
            f"Gantt chart of {n} actions in {sum(1 for r in self.rows if r.kind == 'lane')} lanes")
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
        import bisect

        if not self._tops:
            return -1
        i = bisect.bisect_right(self._tops, cy) - 1
        return max(0, min(i, len(self._tops) - 1))

    def row_of(self, action_id: str) -> int:
        """Index of the action's row, or -1."""
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
        if self.scale == "week":
            d = self.origin - timedelta(days=self.origin.weekday())
            out = []
            while d <= self.end:
                out.append((d, date_label(d, "week"), d.day <= 7))
                d += timedelta(days=7)
            return out
        step = 1 if self.scale == "month" else 3
        unit = "month" if self.scale == "month" else "quarter"
        return [(d, date_label(d, unit) if unit == "quarter" else _MONTH_ONLY[d.month - 1], True)
                for d in month_starts(self.origin, self.end, step)]

    def upper_ticks(self) -> list[date]:
        if self.scale == "week":
            return month_starts(self.origin, self.end, 3)
        return [date(y, 1, 1) for y in range(self.origin.year, self.end.year + 1)]

    # commands -----------------------------------------------------------------------------
    def set_scale(self, scale: str) -> None:
        """Zoom to 'week', 'month' or 'quarter', keeping the centre date in view."""
        if scale not in SCALES or scale == self.scale:
            return
        hbar = self.canvas.horizontalScrollBar()
        centre_days = (hbar.value() + (self.canvas.viewport().width() - LABEL_W) / 2) / SCALES[self.scale]
        self.scale = scale
        self.scale_combo.blockSignals(True)
        self.scale_combo.setCurrentIndex(list(SCALES).index(scale))
        self.scale_combo.blockSignals(False)
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
        self.group_combo.blockSignals(True)
        self.group_combo.setCurrentIndex(0 if grouping == "challenge" else 1)
        self.group_combo.blockSignals(False)
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
        if not getattr(self, "_clicked", False):
            self._ensure_visible(action_id)
        self.canvas.viewport().update()
        row = self._index.get(action_id)
        if row is not None:
            r = self.rows[row]
            self.canvas.setAccessibleDescription(
                f"Selected {action_id} {r.label}: {r.start:%d %b %Y} to {r.finish:%d %b %Y}"
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
                    return (f"Milestone {title}\n{what.capitalize()}: {d:%d %b %Y}"
                            + (f"\nBaseline: {baseline:%d %b %Y}" if baseline and what != "baseline" else ""))
        if row.kind != "action":
            return row.label
        r = (getattr(self.context.analysis, "rows", {}) or {}).get(row.action_id)
        lines = [f"{row.action_id}  {row.label}",
                 f"{row.start:%a %d %b %Y} to {row.finish:%a %d %b %Y}"]
        if r is not None:
            fl = getattr(r, "float_days", None)
            if row.critical:
                lines.append("Critical: any slip delays the plan's finish")
            elif fl is not None:
                lines.append(f"Float: {fl} working day{'s' if fl != 1 else ''}")
            driver = getattr(r, "driver", "")
            if driver:
                lines.append(driver)
        b = self.baseline.get(row.action_id)
        if b is not None and (b[0] != row.start or b[1] != row.finish):
            lines.append(f"Baseline: {b[0]:%d %b %Y} to {b[1]:%d %b %Y}")
        return "\n".join(lines)


_MONTH_ONLY = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _as_of_colour(pal: QPalette) -> QColor:
    """The status-date line: the palette's highlight, lightened on a dark background."""
    c = QColor(pal.color(QPalette.ColorRole.Highlight))
    return c.lighter(140) if pal.color(QPalette.ColorRole.Base).lightness() < 128 else c


def _period_start(d: date, scale: str) -> date:
    if scale == "week":
        return d - timedelta(days=d.weekday())
    if scale == "month":
        return date(d.year, d.month, 1)
    return date(d.year, (d.month - 1) // 3 * 3 + 1, 1)


def _id_key(aid: str) -> tuple:
    digits = "".join(ch for ch in aid if ch.isdigit())
    return (aid.rstrip("0123456789"), int(digits) if digits else 0, aid)
