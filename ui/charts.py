"""Small painting helpers shared by the views: nice ticks, value and date axes, a line chart.

PySide6-Essentials has no QtCharts, so the views draw their charts with QPainter. Every colour for
text and axes comes from the widget's palette (so a dark palette just works); only data colours
(challenges, RAG, special cause) are fixed, and those come from ``ui.style``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable, Mapping, Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPalette, QPen,
                           QPolygonF)
from PySide6.QtWidgets import QWidget

from graph import ActionDates, Analysis
from planner.dates import axis_date
from planner.spc import format_number
from ui.style import muted_text



# Making Data Count colours: improvement blue, concern orange, common cause grey.
IMPROVEMENT_COLOUR = QColor("#2F6FB3")
CONCERN_COLOUR = QColor("#E46C0A")
COMMON_COLOUR = QColor("#7F7F7F")
TARGET_COLOUR = QColor("#B22222")

def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """About ``count`` round values covering ``lo``..``hi`` (1, 2, 2.5 or 5 times a power of ten)."""
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        hi = lo + 1.0
    raw = (hi - lo) / max(1, count)
    mag = 10 ** math.floor(math.log10(raw))
    step = mag
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            step = m * mag
            break
    first = math.floor(lo / step) * step
    ticks = []
    v = first
    while v <= hi + step * 0.5:
        ticks.append(round(v, 10))
        v += step
        if len(ticks) > 50:
            break
    return ticks


def month_starts(d0: date, d1: date, step_months: int = 1) -> list[date]:
    """First days of months from the month holding ``d0`` to ``d1``, every ``step_months``."""
    y, m = d0.year, d0.month
    m -= (m - 1) % step_months
    out = []
    while True:
        d = date(y, m, 1)
        if d > d1:
            break
        out.append(d)
        m += step_months
        while m > 12:
            m -= 12
            y += 1
    return out


def axis_label_lefts(labels: list[tuple[float, float]], left: float, right: float,
                     gap: float = 6) -> list[float | None]:
    """Where each axis label (its tick's x and its width, left to right) starts: centred on its
    tick, kept between ``left`` and ``right``, and None (not drawn) where it would touch the
    label before it ("Jan 2025" pushed right by the axis ran into "Apr 25")."""
    out: list[float | None] = []
    end = -math.inf
    for x, w in labels:
        lx = min(max(x - w / 2, left), right - w)
        if lx < end + gap:
            out.append(None)
            continue
        out.append(lx)
        end = lx + w
    return out


def readable_on(colour: QColor, background: QColor) -> QColor:
    """``colour`` lightened on a dark background when it is too dark to see (e.g. indigo)."""
    if background.lightness() < 128 and colour.lightness() < 110:
        return colour.lighter(190)
    return colour


def text_pen(widget: QWidget, muted: bool = False) -> QPen:
    """A pen for text or axes taken from the widget's palette."""
    if muted:
        return QPen(muted_text(widget.palette()))
    return QPen(widget.palette().color(QPalette.ColorRole.WindowText))


def grid_colour(palette: QPalette) -> QColor:
    """A faint line colour that shows on light and dark backgrounds."""
    c = QColor(palette.color(QPalette.ColorRole.WindowText))
    c.setAlpha(40)
    return c


def diamond(centre: QPointF, radius: float) -> QPolygonF:
    """A diamond (milestone marker) around ``centre``."""
    x, y = centre.x(), centre.y()
    return QPolygonF([QPointF(x, y - radius), QPointF(x + radius, y), QPointF(x, y + radius),
                      QPointF(x - radius, y)])


@dataclass
class RefLine:
    """A horizontal line across a chart (or from ``start`` to ``end``): a target, a baseline, a
    mean or a process limit of one SPC period."""

    value: float
    label: str
    colour: QColor
    style: Qt.PenStyle = Qt.PenStyle.DashLine
    width: float = 1.5
    start: date | None = None
    end: date | None = None


@dataclass
class ChartPoint:
    """One point of a line chart; ``colour`` None = the series colour."""

    x: date
    y: float
    colour: QColor | None = None
    tip: str = ""


@dataclass
class ChartData:
    """What a LineChart shows: points, horizontal reference lines and y-axis labelling."""

    points: list[ChartPoint] = field(default_factory=list)
    lines: list[RefLine] = field(default_factory=list)
    colour: QColor | None = None                         # None: the palette's text colour
    step: bool = False                                   # draw as a staircase (stages)
    y_range: tuple[float, float] | None = None           # fixed range, else from the data
    y_labels: Callable[[float], str] | None = None       # custom tick labels
    y_ticks: Sequence[float] | None = None               # fixed tick positions
    x_range: tuple[date, date] | None = None
    empty_text: str = "No readings yet"


class LineChart(QWidget):
    """A small line chart over dates with reference lines and a legend, drawn with QPainter."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.data = ChartData()
        self.setMinimumSize(260, 170)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # reachable by keyboard; read by screen readers

    def sizeHint(self) -> QSize:
        return QSize(420, 220)

    def set_data(self, data: ChartData) -> None:
        """Show new data."""
        self.data = data
        self.update()

    # geometry ------------------------------------------------------------------------------
    def _y_bounds(self) -> tuple[float, float]:
        d = self.data
        if d.y_range:
            return d.y_range
        vals = [p.y for p in d.points] + [ln.value for ln in d.lines]
        if not vals:
            return 0.0, 1.0
        lo, hi = min(vals), max(vals)
        pad = (hi - lo) * 0.08 or max(1.0, abs(hi) * 0.1)
        return lo - pad, hi + pad

    def _x_bounds(self) -> tuple[date, date]:
        d = self.data
        if d.x_range:
            return d.x_range
        xs = [p.x for p in d.points]
        if not xs:
            today = date.today()
            return today - timedelta(days=180), today
        lo, hi = min(xs), max(xs)
        if lo == hi:
            lo, hi = lo - timedelta(days=30), hi + timedelta(days=30)
        return lo, hi

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        p.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        fm = QFontMetrics(self.font())
        d = self.data
        y_lo, y_hi = self._y_bounds()
        ticks = list(d.y_ticks) if d.y_ticks is not None else [
            t for t in nice_ticks(y_lo, y_hi, 4) if y_lo <= t <= y_hi]
        label = d.y_labels or format_number
        left = 8 + max([fm.horizontalAdvance(label(t)) for t in ticks] + [20])
        legend_h = fm.height() + 6 if d.lines else 0
        plot = QRectF(left + 6, 8, self.width() - left - 14 - self._right_margin(fm),
                      self.height() - 8 - fm.height() - 10 - legend_h)
        if plot.width() < 20 or plot.height() < 20:
            return
        x0, x1 = self._x_bounds()
        span = max(1, (x1 - x0).days)

        def X(dt: date) -> float:
            return plot.left() + (dt - x0).days / span * plot.width()

        def Y(v: float) -> float:
            return plot.bottom() - (v - y_lo) / (y_hi - y_lo) * plot.height()

        # grid and y axis
        p.setPen(QPen(grid_colour(pal), 1))
        for t in ticks:
            p.drawLine(QPointF(plot.left(), Y(t)), QPointF(plot.right(), Y(t)))
        p.setPen(text_pen(self, muted=True))
        for t in ticks:
            s = label(t)
            p.drawText(QRectF(0, Y(t) - fm.height() / 2, left, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, s)
        # x axis: month ticks thinned to fit
        months = month_starts(x0, x1)
        step = max(1, math.ceil(len(months) * (fm.horizontalAdvance("Mmm 00") + 10) / plot.width()))
        for q in (1, 2, 3, 4, 6, 12, 24):
            if q >= step:
                step = q
                break
        ticks_x = [m for m in month_starts(x0, x1, step) if m >= x0]
        texts = [axis_date(m, "month" if step < 12 else "year") for m in ticks_x]
        lefts = axis_label_lefts([(X(m), fm.horizontalAdvance(s)) for m, s in zip(ticks_x, texts)],
                                 plot.left(), self.width() - 2)
        for m, s, lx in zip(ticks_x, texts, lefts):
            x = X(m)
            p.setPen(QPen(grid_colour(pal), 1))
            p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            if lx is not None:
                p.setPen(text_pen(self, muted=True))
                p.drawText(QPointF(lx, plot.bottom() + fm.ascent() + 4), s)
        p.setPen(text_pen(self, muted=True))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        p.drawLine(plot.bottomLeft(), plot.topLeft())
        # reference lines, labelled at the right edge
        for ln in d.lines:
            if not (y_lo <= ln.value <= y_hi):
                continue
            pen = QPen(ln.colour, ln.width, ln.style)
            p.setPen(pen)
            xa = X(ln.start) if ln.start else plot.left()
            xb = X(ln.end) if ln.end else plot.right()
            p.drawLine(QPointF(xa, Y(ln.value)), QPointF(xb, Y(ln.value)))
        # series
        if not d.points:
            p.setPen(text_pen(self, muted=True))
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, d.empty_text)
        else:
            path = QPainterPath()
            pts = sorted(d.points, key=lambda q: q.x)
            for i, pt in enumerate(pts):
                pos = QPointF(X(pt.x), Y(pt.y))
                if i == 0:
                    path.moveTo(pos)
                elif d.step:
                    path.lineTo(QPointF(pos.x(), path.currentPosition().y()))
                    path.lineTo(pos)
                else:
                    path.lineTo(pos)
            if d.step and d.x_range:
                path.lineTo(QPointF(plot.right(), path.currentPosition().y()))
            series = QColor(d.colour or pal.color(QPalette.ColorRole.Text))
            if d.colour is None:
                series.setAlpha(170)
            else:
                series = readable_on(series, pal.color(QPalette.ColorRole.Base))
            p.setPen(QPen(series, 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)
            for pt in pts:
                c = readable_on(pt.colour, pal.color(QPalette.ColorRole.Base)) if pt.colour else series
                p.setPen(QPen(pal.color(QPalette.ColorRole.Base), 1))
                p.setBrush(c)
                p.drawEllipse(QPointF(X(pt.x), Y(pt.y)), 4, 4)
        # legend of reference lines under the axis
        if d.lines:
            x = plot.left()
            y = self.height() - legend_h / 2 - 2
            for ln in d.lines:
                if not ln.label:
                    continue
                p.setPen(QPen(ln.colour, ln.width, ln.style))
                p.drawLine(QPointF(x, y), QPointF(x + 18, y))
                p.setPen(text_pen(self))
                w = fm.horizontalAdvance(ln.label)
                if x + 22 + w > self.width():
                    break
                p.drawText(QPointF(x + 22, y + fm.ascent() / 2 - 1), ln.label)
                x += 22 + w + 14
        p.end()

    def _right_margin(self, _fm: QFontMetrics) -> float:
        return 4


def bold(font: QFont) -> QFont:
    """A bold copy of ``font``."""
    f = QFont(font)
    f.setBold(True)
    return f


def elide(fm: QFontMetrics, text: str, width: float) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` pixels."""
    return fm.elidedText(text, Qt.TextElideMode.ElideRight, int(max(0, width)))


# ----- fast reading of the engine's schedule ------------------------------------------------

def schedule_facts(analysis: Analysis | None) -> Mapping[str, ActionDates]:
    """Action id -> the engine's ``ActionDates`` (start, finish, float, critical, wave, done).

    ``analysis.rows`` builds a full ScheduleRow (with its explanation sentence) per action, which
    costs tens of milliseconds on a 2,000-action plan; the views need only the dates and flags.
    """
    return analysis.dates if analysis is not None else {}


_COLOUR_CACHE: dict = {}


def cached_challenge_colour(number: int | None) -> QColor:
    """``ui.style.challenge_colour`` without building a new QColor each time (do not modify it)."""
    c = _COLOUR_CACHE.get(number)
    if c is None:
        from ui.style import challenge_colour

        c = _COLOUR_CACHE[number] = challenge_colour(number)
    return c
