"""Where an SPC chart's plot, lines and labels fall on the slide, worked out before it is drawn.

A native chart places its own data labels, and LibreOffice and PowerPoint place them
differently: labels of known changes landed on the process limits, the mean and each other.
So the deck fixes the chart's geometry instead of leaving it to the renderer:

- the value axis runs over a fixed range with a fixed step (``nice_axis``), and the plot area
  (the rectangle inside the axes) is put at a fixed place in the chart frame (the chart's
  ``manualLayout``, "inner"), so the height of every value on the slide is known;
- a line chart puts category ``i`` of ``n`` at the middle of its slot, ``(i + 0.5) / n`` of
  the plot's width, and joins consecutive points with straight lines (a missing value breaks
  the line);
- the mean, the process limits and the target are labelled with their figures in a column to
  the right of the plot, each beside its line's end and pushed apart so that none touches
  another (``line_labels``);
- notes on readings ("Roll-out began") are put inside the plot at the free place nearest their
  point: clear of every line, every marker, the plot's edges and the other labels
  (``note_labels``); a note with no free place is left to the speaker notes and alt text;
- dates are written under the plot, one line each, every ``skip``-th category as room allows
  (``date_labels``): LibreOffice neither skips category labels nor keeps them on one line, so
  the chart's own category labels are turned off.

Sizes are estimated cautiously (characters at 0.62 of the font size, a line at 1.4: LibreOffice
draws Arial as the wider Noto Sans), so a label's real text stays inside its box. Lengths are
in EMU (12,700 to a point).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from reports.slide_text import MUTED

PT = 12700
LABEL_PT = 7.0  # labels of lines and notes
TICK_PT = 9.0  # value axis labels
CATEGORY_PT = 8.0  # category axis labels
TITLE_PT = 10.0
CHAR_W = 0.62  # a character's width as a share of the font size (wide fonts included)
BOLD_CHAR_W = 0.68
LINE_PITCH = 1.4  # a line's height as a share of the font size (Noto Sans: 1.36)
CLEAR = 1.5 * PT  # clearance between a label and any line, marker or edge
GAP = 4 * PT  # between the plot's right edge and the line labels
NOTE_CHARS = 18  # a note's line length before it wraps (two lines at most)
SKIPS = (1, 2, 3, 4, 6, 12, 24)  # every category, every 2nd, ... (months: quarters, years)


@dataclass(frozen=True)
class Rect:
    """A rectangle on the slide (EMU)."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def overlaps(self, other: "Rect") -> bool:
        """The two share some area (touching edges is not overlapping)."""
        return (self.left < other.right and other.left < self.right
                and self.top < other.bottom and other.top < self.bottom)

    def grown(self, d: float) -> "Rect":
        return Rect(self.left - d, self.top - d, self.right + d, self.bottom + d)

    def inside(self, other: "Rect") -> bool:
        return (other.left <= self.left and self.right <= other.right
                and other.top <= self.top and self.bottom <= other.bottom)


def segment_hits(rect: Rect, x1: float, y1: float, x2: float, y2: float) -> bool:
    """The straight line from (x1, y1) to (x2, y2) passes through ``rect``'s inside
    (Liang-Barsky clipping)."""
    dx, dy = x2 - x1, y2 - y1
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x1 - rect.left), (dx, rect.right - x1),
                 (-dy, y1 - rect.top), (dy, rect.bottom - y1)):
        if p == 0:
            if q <= 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 >= t1:
            return False
    return True


def text_size(lines: list[str] | tuple[str, ...], pt: float, bold: bool = False) -> tuple[int, int]:
    """A cautious width and height (EMU) of ``lines`` at ``pt`` points, on one line each."""
    w = max((len(t) for t in lines), default=0) * pt * (BOLD_CHAR_W if bold else CHAR_W)
    return int((w + 2) * PT), int(len(lines) * pt * LINE_PITCH * PT)


def wrap_note(text: str, width: int = NOTE_CHARS) -> tuple[str, ...]:
    """A note on two lines at most, each ``width`` characters at most (cut with "…")."""
    words, lines, cur = text.split(), [], ""
    for word in words:
        if cur and len(cur) + 1 + len(word) > width:
            lines.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    lines.append(cur)
    lines = [ln if len(ln) <= width else ln[: width - 1] + "…" for ln in lines]
    if len(lines) > 2:
        lines = [lines[0], (lines[1][: width - 1] if len(lines[1]) >= width else lines[1]) + "…"]
    return tuple(lines)


def nice_axis(values: list[float], floor_zero: bool, steps: int = 4) -> tuple[float, float, float]:
    """The value axis's minimum, maximum and step: the values with a little room either side,
    from and to a multiple of a round step (1, 2, 2.5 or 5 times a power of ten), at most
    ``steps`` steps; from 0 rather than below it when ``floor_zero``."""
    lo, hi = min(values), max(values)
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    pad = (hi - lo) * 0.08
    lo, hi = lo - pad, hi + pad
    if floor_zero and lo < 0:
        lo = 0.0
    power = 10.0 ** math.floor(math.log10((hi - lo) / steps))
    for unit in (power * m for m in (1, 2, 2.5, 5, 10, 20, 25, 50)):
        a, b = math.floor(lo / unit + 1e-9), math.ceil(hi / unit - 1e-9)
        if b - a <= steps:
            break
    return _tidy(a * unit), _tidy(b * unit), _tidy(unit)


def _tidy(v: float) -> float:
    return float(f"{v:.10g}")


def tick_text(v: float) -> str:
    """A value axis label as the chart's General format writes it (no thousands separator)."""
    return f"{v:.10g}"


@dataclass(frozen=True)
class Label:
    """A text box beside the chart: a line's name and figure, or a note on a reading."""

    name: str
    lines: tuple[str, ...]
    colour: str
    rect: Rect
    point: int | None = None  # the reading a note belongs to
    pt: float = LABEL_PT
    kind: str = "line"  # "line", "note" or "date"


@dataclass
class ChartGeometry:
    """A chart's frame and plot area on the slide, its axes and its labels."""

    frame: Rect
    plot: Rect
    lo: float
    hi: float
    major: float
    n: int
    skip: int
    title: str
    title_left: float
    labels: list[Label] = field(default_factory=list)

    def x(self, i: float) -> float:
        """The middle of category ``i``'s slot."""
        return self.plot.left + (i + 0.5) * self.plot.width / self.n

    def y(self, v: float) -> float:
        return self.plot.bottom - (v - self.lo) / (self.hi - self.lo) * self.plot.height

    def fractions(self) -> tuple[float, float, float, float]:
        """The plot area as shares of the frame (the chart's manualLayout x, y, w, h)."""
        f = self.frame
        return ((self.plot.left - f.left) / f.width, (self.plot.top - f.top) / f.height,
                self.plot.width / f.width, self.plot.height / f.height)


@dataclass(frozen=True)
class Series:
    """A chart series as drawn: its values (None: no point), whether a line joins them and the
    radius of its markers (0: none)."""

    values: list[float | None]
    line: bool
    marker_pt: float
    line_pt: float = 1.5


def polylines(geo: ChartGeometry, series: list[Series]):
    """Every drawn segment (x1, y1, x2, y2) with its half width, and every marker's rectangle."""
    segs, marks = [], []
    for s in series:
        prev = None
        for i, v in enumerate(s.values):
            if v is None:
                prev = None
                continue
            p = (geo.x(i), geo.y(v))
            if s.line and prev is not None:
                segs.append((prev[0], prev[1], p[0], p[1], s.line_pt * PT / 2))
            if s.marker_pt:
                r = s.marker_pt * PT / 2
                marks.append(Rect(p[0] - r, p[1] - r, p[0] + r, p[1] + r))
            prev = p
    return segs, marks


def collides(rect: Rect, segs, marks, others: list[Rect]) -> bool:
    """``rect`` (with clearance) touches a drawn line, a marker or another label."""
    for x1, y1, x2, y2, half in segs:
        if segment_hits(rect.grown(CLEAR + half), x1, y1, x2, y2):
            return True
    grown = rect.grown(CLEAR)
    return any(grown.overlaps(m) for m in marks) or any(grown.overlaps(o) for o in others)


def layout(frame: Rect, categories: list[str], values: list[float], floor_zero: bool,
           title: str, line_texts: list[str]) -> ChartGeometry:
    """The plot area inside ``frame``: room on the left for the value axis's labels, above for
    the title (one line), below for one line of category labels, and on the right for the
    longest of ``line_texts``; the value axis over ``values``; every ``skip``-th category
    labelled so that labels never crowd into two lines."""
    lo, hi, major = nice_axis(values, floor_zero)
    ticks = [lo + k * major for k in range(int(round((hi - lo) / major)) + 1)]
    left = text_size([max((tick_text(t) for t in ticks), key=len)], TICK_PT)[0] + 6 * PT
    right = (GAP + max(text_size([t], LABEL_PT)[0] for t in line_texts) + 2 * PT
             if line_texts else 10 * PT)
    top = (TITLE_PT * LINE_PITCH + 8) * PT
    bottom = (DATE_DROP + CATEGORY_PT * LINE_PITCH + 2) * PT
    plot = Rect(frame.left + left, frame.top + top, frame.right - right, frame.bottom - bottom)
    n = max(1, len(categories))
    # the title: one line across the frame, above the highest a line label may go
    cpl = int(frame.width / (TITLE_PT * BOLD_CHAR_W * PT))
    geo = ChartGeometry(frame, plot, lo, hi, major, n, 1, title_fit(title, cpl), frame.left)
    for skip in SKIPS + tuple(range(SKIPS[-1] + 1, n + 1)):
        dates = date_labels(geo, categories, skip)
        if all(a.rect.right + 4 * PT <= b.rect.left for a, b in zip(dates, dates[1:])):
            break
    geo.skip, geo.labels = skip, dates
    return geo


DATE_DROP = 5  # points from the plot's bottom edge to the date labels (below the tick marks)


def date_labels(geo: ChartGeometry, categories: list[str], skip: int) -> list[Label]:
    """Every ``skip``-th category's label, on one line under its point, kept within the plot's
    width (so the first never runs under the value axis's labels, the last never under the
    line labels)."""
    out = []
    for i in range(0, len(categories), skip):
        w, h = text_size([categories[i]], CATEGORY_PT)
        left = min(max(geo.x(i) - w / 2, geo.plot.left), geo.plot.right - w)
        top = geo.plot.bottom + DATE_DROP * PT
        out.append(Label(f"date {i}", (categories[i],), MUTED,
                         Rect(left, top, left + w, top + h), pt=CATEGORY_PT, kind="date"))
    return out


def title_fit(title: str, cpl: int) -> str:
    """``title`` if it fits ``cpl`` characters; else without its bracketed unit; else cut at
    a word with "…" (the alt text and notes give the whole name)."""
    if len(title) <= cpl:
        return title
    if title.endswith(")") and " (" in title:
        title = title[: title.rindex(" (")]
        if len(title) <= cpl:
            return title
    cut = title[: max(1, cpl - 1)]
    if " " in cut.strip():
        cut = cut[: cut.rstrip().rindex(" ")]
    return cut.rstrip(" ,;:(") + "…"


def line_labels(geo: ChartGeometry, lines: list[tuple[str, str, float, str]]) -> list[Label]:
    """Labels of horizontal lines, ``(name, text, value, colour)``, in a column just right of
    the plot, each as near its line's height as the others allow: none touches another, none
    rises above the plot's top by more than half a label, none falls below its bottom."""
    items = [(geo.y(v), name, text, colour) for name, text, v, colour in lines
             if geo.lo <= v <= geo.hi]
    items.sort(key=lambda it: it[0])
    if not items:
        return []
    h = text_size(["x"], LABEL_PT)[1]
    pitch = h + 1 * PT
    top_min, bottom_max = geo.plot.top - h / 2, geo.plot.bottom
    tops = [y - h / 2 for y, *_ in items]
    for i in range(len(tops)):  # push down from the top
        tops[i] = max(tops[i], top_min if i == 0 else tops[i - 1] + pitch)
    for i in reversed(range(len(tops))):  # then up from the bottom
        tops[i] = min(tops[i], bottom_max - h if i == len(tops) - 1 else tops[i + 1] - pitch)
    left = geo.plot.right + GAP
    out = []
    for top, (_y, name, text, colour) in zip(tops, items):
        w = text_size([text], LABEL_PT)[0]
        out.append(Label(name, (text,), colour, Rect(left, top, left + w, top + h)))
    return out


def note_labels(geo: ChartGeometry, notes: list[tuple[int, str]], series: list[Series],
                taken: list[Rect], colour: str) -> list[Label]:
    """Notes on readings, ``(point index, text)``, each at the free place in the plot nearest its
    point (clear of every line, marker, edge and earlier label); a note with no free place is
    left out (the chart's alt text and notes give every note)."""
    segs, marks = polylines(geo, series)
    inner = geo.plot.grown(-CLEAR)
    placed: list[Label] = []
    others = list(taken)
    values = next(s.values for s in series)
    for i, text in notes:
        v = values[i] if 0 <= i < len(values) else None
        if v is None:
            continue
        lines = wrap_note(text)
        w, h = text_size(lines, LABEL_PT)
        px, py = geo.x(i), geo.y(v)
        best = None
        step = 1.5 * PT
        lefts = [px - w * k / 8 for k in range(9)] + [px + 5 * PT, px - w - 5 * PT]
        lefts = [min(max(x, inner.left), inner.right - w) for x in lefts]
        n_tops = int((inner.height - h) / step) + 1
        cands = []
        for x in set(lefts):
            for k in range(max(0, n_tops)):
                y = inner.top + k * step
                r = Rect(x, y, x + w, y + h)
                # distance from the point to the box, a little in favour of above
                dx = max(r.left - px, 0, px - r.right)
                dy = max(r.top - py, 0, py - r.bottom)
                cands.append((math.hypot(dx, dy) + (0 if r.bottom <= py else PT), x, y, r))
        cands.sort(key=lambda c: c[:3])
        for _d, _x, _y, r in cands:
            if r.inside(inner) and not collides(r, segs, marks, others):
                best = r
                break
        if best is None:
            continue
        placed.append(Label(f"note {i}", lines, colour, best, point=i, kind="note"))
        others.append(best)
    return placed
