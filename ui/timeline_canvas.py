"""The Timeline view's canvas: the painted Gantt chart with its frozen date header and label column."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip

from planner.dates import short_date
from planner.model import ActionStatus
from ui.charts import bold as bold_copy
from planner.dates import axis_date
from ui.charts import diamond, elide, grid_colour
from ui.style import CRITICAL_COLOUR, DONE_COLOUR, muted_text, text_colour_on
from ui.timeline_scale import HEADER_H, LABEL_W, ROW_H, TimelineLayout, TimelineRow, as_of_colour


class TimelineCanvas(QAbstractScrollArea):
    """The painted Gantt chart with a frozen date header and a frozen label column."""

    row_clicked = Signal(str)

    def __init__(self, view: TimelineLayout):
        super().__init__(view)  # the view is a QWidget too
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
        bold = bold_copy(self.font())
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
            elif ctx.analysis_pending:
                text = "Scheduling the plan…"
            elif ctx.analysis_error:
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
        sel = v.context.selected_action
        highlight = QColor(pal.color(QPalette.ColorRole.Highlight))
        for row, y, rh in v.visible_rows(first, self.hh + v.row_top(first) - sy, h):
            if row.kind == "lane":
                band = QColor(row.colour)
                band.setAlpha(36)
                p.fillRect(QRectF(body_left, y, w - body_left, rh), band)
                bold = bold_copy(self.font())
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
        self._paint_selected_links(p, sx, sy, pal)
        # as-of line
        if v.as_of is not None:
            x = body_left + v.x_of(v.as_of) - sx
            pen = QPen(as_of_colour(pal), 2,
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
            if row.status == ActionStatus.DONE:
                colour.setAlpha(130)
            edge = QColor(pal.color(QPalette.ColorRole.Text))
            edge.setAlpha(90)  # keeps dark challenge colours visible on a dark background
            p.setPen(QPen(edge, 1))
            p.setBrush(colour)
            p.drawRect(bar)
            if 0 < row.percent < 100 and row.status != ActionStatus.DONE:
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

    def links_changed(self) -> None:
        """The plan's links changed: the selected action's are looked up again when painted."""
        self._selected_links = None

    def _links_of(self, plan, sel: str) -> list:
        """The links naming ``sel`` at either end, in the plan's order: looked up once per
        selection, not on every paint (a scan of 60,000 links on a big plan)."""
        got = getattr(self, "_selected_links", None)
        if got is None or got[0] is not plan or got[1] != sel or got[2] != len(plan.dependencies):
            found = [d for d in plan.dependencies.values() if sel in (d.action, d.needs)]
            got = self._selected_links = (plan, sel, len(plan.dependencies), found)
        return got[3]

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
        for d in self._links_of(plan, sel):
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
        bold = bold_copy(self.font())
        bfm = QFontMetrics(bold)
        for row, y, rh in v.visible_rows(first, self.hh + v.row_top(first) - sy, h):
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
        p.setClipping(False)
        p.setPen(QPen(grid_colour(pal), 1))
        p.drawLine(QPointF(LABEL_W - 0.5, self.hh), QPointF(LABEL_W - 0.5, h))

    def _paint_header(self, p: QPainter, ticks, sx: int, w: int, fm: QFontMetrics,
                      pal: QPalette) -> None:
        v = self.view
        p.fillRect(QRectF(0, 0, w, self.hh), pal.color(QPalette.ColorRole.Window))
        p.setPen(pal.color(QPalette.ColorRole.WindowText))
        bold = bold_copy(self.font())
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
            s = axis_date(d, upper_unit)
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
                s = f"as of {short_date(v.as_of)}"
                tw = fm.horizontalAdvance(s) + 8
                left = min(max(x - tw / 2, LABEL_W + 2), w - tw - 2)
                r = QRectF(left, self._year_h, tw, self._tag_h - 2)
                p.fillRect(r, as_of_colour(pal))
                p.setPen(text_colour_on(as_of_colour(pal)))
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
