"""The Timeline view's scale: row and column geometry, the row record, and date ticks per zoom."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Protocol

from PySide6.QtGui import QColor, QPalette

from planner.dates import MONTH_ABBREVIATIONS, axis_date
from ui.charts import month_starts

if TYPE_CHECKING:
    from ui.context import AppContext

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


def row_height(row: TimelineRow) -> int:
    """Height of a row of the chart: lane headings are a little taller than actions."""
    return LANE_H if row.kind == "lane" else ROW_H


def ticks(origin: date, end: date, scale: str) -> list[tuple[date, str, bool]]:
    """Grid ticks from ``origin`` to ``end`` at a zoom: (date, label, major)."""
    if scale == "week":
        d = origin - timedelta(days=origin.weekday())
        out = []
        while d <= end:
            out.append((d, axis_date(d, "week"), d.day <= 7))
            d += timedelta(days=7)
        return out
    step = 1 if scale == "month" else 3
    unit = "month" if scale == "month" else "quarter"
    return [(d, axis_date(d, unit) if unit == "quarter" else MONTH_ABBREVIATIONS[d.month - 1], True)
            for d in month_starts(origin, end, step)]


def upper_ticks(origin: date, end: date, scale: str) -> list[date]:
    """Starts of the header's upper band: quarters at week zoom, else years."""
    if scale == "week":
        return month_starts(origin, end, 3)
    return [date(y, 1, 1) for y in range(origin.year, end.year + 1)]


def as_of_colour(pal: QPalette) -> QColor:
    """The status-date line: the palette's highlight, lightened on a dark background."""
    c = QColor(pal.color(QPalette.ColorRole.Highlight))
    return c.lighter(140) if pal.color(QPalette.ColorRole.Base).lightness() < 128 else c


def period_start(d: date, scale: str) -> date:
    """The first day of the week, month or quarter holding ``d``."""
    if scale == "week":
        return d - timedelta(days=d.weekday())
    if scale == "month":
        return date(d.year, d.month, 1)
    return date(d.year, (d.month - 1) // 3 * 3 + 1, 1)


class TimelineLayout(Protocol):
    """What the canvas reads from the Timeline view: rows, geometry and commands.

    The canvas is typed against this, not the view, so the two modules do not import each other
    (issue 8).
    """

    context: AppContext
    rows: list[TimelineRow]
    as_of: date | None
    baseline: dict
    grouping: str
    scale: str
    _index: dict[str, int]
    _clicked: bool

    def x_of(self, d: date) -> float: ...
    def content_width(self) -> float: ...
    def rows_height(self) -> int: ...
    def row_top(self, i: int) -> int: ...
    def row_index_at(self, cy: float) -> int: ...
    def visible_rows(self, first: int, y: float,
                     bottom: float) -> Iterator[tuple[TimelineRow, float, int]]: ...
    def ticks(self) -> list[tuple[date, str, bool]]: ...
    def upper_ticks(self) -> list[date]: ...
    def zoom(self, step: int) -> None: ...
    def move_selection(self, step: int) -> None: ...
    def tooltip_for(self, i: int, x: float) -> str: ...
