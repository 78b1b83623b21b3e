"""The Graph view's scene items: action boxes, the layer of dependency curves, milestone diamonds.

Boxes are tinted by the action's first challenge; critical actions and the links between them are
outlined in red; milestones are diamonds beside the action (or the last action of the initiative)
they mark. Each item keeps what it shows, so the view can repaint only items that changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QApplication, QGraphicsItem, QStyleOptionGraphicsItem

from planner.model import ActionStatus
from planner.rules import MilestoneState
from ui.charts import diamond
from ui.style import CRITICAL_COLOUR, DONE_COLOUR, challenge_colour, muted_text

NODE_W = 216
NODE_H = 48
COL_GAP = 84       # room for a milestone diamond and the links' curves
ROW_GAP = 14
HEADER_Y = -40


def _palette(widget) -> QPalette:
    return widget.palette() if widget is not None else QApplication.palette()


def _blend(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` mixed with ``t`` of ``b``."""
    return QColor(int(a.red() * (1 - t) + b.red() * t), int(a.green() * (1 - t) + b.green() * t),
                  int(a.blue() * (1 - t) + b.blue() * t))


@dataclass(frozen=True)
class NodeLook:
    """What an action box shows; compared after each edit to repaint only boxes that changed."""

    title: str
    challenge: int | None
    critical: bool
    status: str
    dates: str


class ActionNode(QGraphicsItem):
    """One action: a tinted box with its id, dates and title."""

    def __init__(self, action_id: str, look: NodeLook):
        super().__init__()
        self.action_id = action_id
        self.look = look
        self.selected = False
        self.drop_target = False
        self.milestones: list["MilestoneMarker"] = []
        self.setAcceptHoverEvents(False)
        # repaints of an unchanged box blit a cached picture (a full repaint of the view on a big
        # plan drops from ~16 ms of box painting to ~2 ms); Qt's pixmap cache bounds the memory
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._update_tip()

    def top_line(self) -> str:
        """The box's small first line: "A12 · 25 Nov–3 Dec 2027 · critical" (the dates as
        ``short_range`` writes them; NODE_W leaves room for a span across a new year)."""
        lk = self.look
        top = f"{self.action_id} · {lk.dates}"
        if lk.status == ActionStatus.DONE:
            top += " · done"
        elif lk.critical:
            top += " · critical"
        return top

    def _update_tip(self) -> None:
        lk = self.look
        self.setToolTip(f"{self.action_id}  {lk.title}\n{lk.dates}"
                        + ("\nCritical: a slip here delays the plan's finish" if lk.critical else "")
                        + f"\nStatus: {lk.status}")

    def set_look(self, look: NodeLook) -> None:
        if look != self.look:
            self.look = look
            self._update_tip()
            self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(-3, -3, NODE_W + 6, NODE_H + 6)

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        pal = _palette(widget)
        lk = self.look
        colour = challenge_colour(lk.challenge)
        base = pal.color(QPalette.ColorRole.Base)
        lod = option.levelOfDetailFromTransform(p.worldTransform())
        rect = QRectF(0, 0, NODE_W, NODE_H)
        fill = _blend(base, colour, 0.30 if lk.status != ActionStatus.DONE else 0.12)
        if lod < 0.3:  # far out: a tinted block is all that can be seen
            p.fillRect(rect, CRITICAL_COLOUR if lk.critical else colour)
            if self.selected:
                p.setPen(QPen(pal.color(QPalette.ColorRole.Highlight), 12))
                p.drawRect(rect)
            return
        if self.selected:
            border = QPen(pal.color(QPalette.ColorRole.Highlight), 4)
        elif self.drop_target:
            border = QPen(pal.color(QPalette.ColorRole.Highlight), 3, Qt.PenStyle.DashLine)
        elif lk.critical:
            border = QPen(CRITICAL_COLOUR, 3)
        else:
            border = QPen(colour, 1.5)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(border)
        p.setBrush(fill)
        p.drawRoundedRect(rect, 6, 6)
        p.fillRect(QRectF(1.5, 1.5, 6, NODE_H - 3), colour)
        if self.selected and lk.critical:
            p.setPen(QPen(CRITICAL_COLOUR, 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(rect.adjusted(4, 4, -4, -4), 4, 4)
        if lod < 0.55:
            return
        text = pal.color(QPalette.ColorRole.Text)
        font = QFont(widget.font() if widget is not None else QApplication.font())
        small = QFont(font)
        small.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        fm_small = QFontMetrics(small)
        p.setFont(small)
        p.setPen(muted_text(pal))
        top = self.top_line()
        p.drawText(QRectF(12, 3, NODE_W - 16, fm_small.height() + 2),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   fm_small.elidedText(top, Qt.TextElideMode.ElideRight, NODE_W - 16))
        p.setFont(font)
        p.setPen(text)
        fm = QFontMetrics(font)
        p.drawText(QRectF(12, 4 + fm_small.height(), NODE_W - 16, NODE_H - 6 - fm_small.height()),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   fm.elidedText(lk.title, Qt.TextElideMode.ElideRight, NODE_W - 18))


def _heads_path() -> QPainterPath:
    """A path for arrowheads. The links into one box end at one point: their arrowheads lie
    one on another, all drawn the same way round, so the nonzero rule fills them however many
    there are (the even-odd rule left two of them hollow)."""
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)
    return path


@dataclass(frozen=True)
class Link:
    """A dependency as drawn: ``needs`` -> ``action``, finish-to-start or start-to-start."""

    uid: str
    needs: str
    action: str
    kind: str


class LinkLayer(QGraphicsItem):
    """Every dependency drawn as one item: curves from the prerequisite's right side to the
    waiting action's left, critical links in red on top.

    One item with a few QPainterPaths instead of one item per link: on the 2,000-action plan
    about 900 of its 6,000 links cross the view at once, and painting them one item at a time
    cost ~40 ms of Python per repaint. The links are kept in chunks, each with its bounds and
    its paths (``_chunk_of`` says which), so that a repaint draws only the chunks that cross
    the view and an edit touches only the chunks of the links it changed. A chunk's paths are
    built when it is first painted (or read) after a change: an edit whose links lie off
    screen builds none. A change of which links are critical rebuilds only the small red path.
    """

    CELL_W = 1200
    """Chunks are this wide a strip of the scene (by the left end of a link's bounds)..."""
    BAND = 700
    """...and hold links of about one height (shorter than BAND, then up to twice, four
    times... as high: a level) whose tops lie in one band of the scene, BAND high for links up
    to four BANDs high, twice that up to 16, four times up to 64..."""

    def __init__(self):
        super().__init__()
        self.setZValue(-1)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._geom: dict[str, tuple] = {}       # uid -> (start, end, Link, chunk, bounds)
        self._cells: dict[tuple, set] = {}      # chunk -> uids of its links
        self._bounds: dict[tuple, tuple] = {}   # chunk -> (x0, y0, x1, y1) of its links
        self._rects: dict[tuple, QRectF] = {}   # the same as rectangles, 12 px larger
        self._paths: dict[tuple, tuple] = {}    # chunk -> (fs, ss, heads), once built
        self._order: list[tuple] = []           # the chunks in painting order
        self._at: dict[str, set] = {}           # box id -> uids of the links drawn to or from it
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)  # exposedRect
        self.critical = QPainterPath()
        self.critical_heads = _heads_path()
        self._rect = QRectF()

    @staticmethod
    def _controls(s: tuple, t: tuple) -> tuple:
        """The curve's four control points and its arrowhead's tip and direction (+1: it
        points right, into a box's left side; -1: into the right side of a box in the same
        column)."""
        sx, sy = s
        tx, ty = t
        if tx >= sx:  # into the left side of a box further right
            dx = max(30.0, (tx - sx) / 2)
            return sx, sy, sx + dx, tx - dx, tx, ty, 1
        tx += NODE_W  # same column: a bow on the right, into the right side of the waiting box
        bow = sx + 30 + min(60.0, abs(ty - sy) / 8)
        return sx, sy, bow, bow, tx, ty, -1

    @classmethod
    def _curve(cls, path: QPainterPath, heads: QPainterPath, s: tuple, t: tuple) -> None:
        # plain floats, not QPointF: this runs for thousands of links after a layout change
        sx, sy, c1, c2, tx, ty, way = cls._controls(s, t)
        path.moveTo(sx, sy)
        path.cubicTo(c1, sy, c2, ty, tx, ty)
        heads.moveTo(tx, ty)
        heads.lineTo(tx - 9 * way, ty - 5)
        heads.lineTo(tx - 9 * way, ty + 5)
        heads.closeSubpath()

    @classmethod
    def _chunk_of(cls, s: tuple, t: tuple) -> tuple[tuple, tuple]:
        """The chunk a link between ``s`` and ``t`` lies in, (strip, level, band), and the
        bounds of its control points. A chunk's links are of about one height and start near
        each other, so a view crosses few chunks whose links do not cross it. On 20,000
        actions (links ~10,000 px high at the median), chunked by the links' middles, a view
        840 px high at the plan's start crossed chunks holding 14,800 links, of which 290
        crossed it; now 1,100. Lower in the plan, where ~4,300 links cross a view: 24,500,
        now 11,700 (bands of one height for every level: 10,800 in more, smaller chunks)."""
        sx, sy, c1, c2, tx, ty, _w = cls._controls(s, t)
        x0, y0, y1 = min(sx, c1, c2, tx), min(sy, ty), max(sy, ty)
        level = int((y1 - y0) // cls.BAND).bit_length()
        band = cls.BAND << max(0, (level - 2) // 2)
        return (int(x0 // cls.CELL_W), level, int(y0 // band)), (x0, y0, max(sx, c1, c2, tx), y1)

    @staticmethod
    def _ends(link: Link, nodes: dict) -> tuple[tuple, tuple]:
        """Start (prerequisite's right side, or its bottom for start-to-start) and end (the
        waiting box's left side; ``_curve`` moves it to the right side for a box in the same
        column, whose x is then less than the start's)."""
        a, b = nodes[link.needs].pos(), nodes[link.action].pos()
        if link.kind == "SS":
            start = (a.x() + 12, a.y() + NODE_H)
        else:
            start = (a.x() + NODE_W, a.y() + NODE_H / 2)
        return start, (b.x(), b.y() + NODE_H / 2)

    def set_links(self, links: dict[str, Link], nodes: dict, moved: set | None = None) -> None:
        """Bring the grey curves up to date: ``links`` by uid; ``moved`` = ids of boxes that
        moved (None: everything changed, e.g. a new layout)."""
        geom = self._geom
        if moved is None:
            geom.clear()
            self._cells.clear()
            self._bounds.clear()
            self._rects.clear()
            self._paths.clear()
            self._at.clear()
        dirty: dict = {}
        for uid in [u for u in geom if u not in links]:
            self._forget(uid, dirty)
        for uid, link in links.items():
            old = geom.get(uid)
            if old is not None and old[2] == link and (
                    moved is None or (link.needs not in moved and link.action not in moved)):
                continue
            self._draw(link, nodes, dirty)
        self._rebuild(dirty)

    def update_links(self, nodes: dict, add=(), drop=(), moved=()) -> None:
        """The same as ``set_links`` after a few changes, without looking at every link: the
        links ``drop`` (uids) taken away, the Links ``add`` drawn (in place of any of the same
        uid), and the links of the boxes ``moved`` (ids) drawn again where their ends are."""
        dirty: dict = {}
        for uid in drop:
            self._forget(uid, dirty)
        for link in add:
            self._draw(link, nodes, dirty)
        geom, at = self._geom, self._at
        for aid in moved:
            for uid in list(at.get(aid, ())):
                self._draw(geom[uid][2], nodes, dirty)
        if dirty:
            self._rebuild(dirty)

    def links_at(self, action_id: str) -> set:
        """Uids of the links drawn to or from a box."""
        return self._at.get(action_id, set())

    def _forget(self, uid: str, dirty: dict) -> None:
        old = self._geom.pop(uid, None)
        if old is None:
            return
        cell, link, b = old[3], old[2], old[4]
        self._cells[cell].discard(uid)
        # a link on the chunk's edge taken away: its bounds are worked out again
        edge = self._bounds.get(cell)
        dirty[cell] = dirty.get(cell, False) or edge is None or (
            b[0] == edge[0] or b[1] == edge[1] or b[2] == edge[2] or b[3] == edge[3])
        for end in (link.needs, link.action):
            uids = self._at.get(end)
            if uids is not None:
                uids.discard(uid)
                if not uids:
                    del self._at[end]

    def _draw(self, link: Link, nodes: dict, dirty: dict) -> None:
        uid = link.uid
        if uid in self._geom:
            self._forget(uid, dirty)
        s, t = self._ends(link, nodes)
        cell, b = self._chunk_of(s, t)
        self._geom[uid] = (s, t, link, cell, b)
        self._cells.setdefault(cell, set()).add(uid)
        self._at.setdefault(link.needs, set()).add(uid)
        self._at.setdefault(link.action, set()).add(uid)
        edge = self._bounds.get(cell)
        if edge is not None and not dirty.get(cell):  # the chunk grows to take it in
            self._bounds[cell] = (min(edge[0], b[0]), min(edge[1], b[1]),
                                  max(edge[2], b[2]), max(edge[3], b[3]))
            dirty.setdefault(cell, False)
        else:
            dirty[cell] = True

    def _rebuild(self, dirty: dict) -> None:
        """The chunks ``dirty`` (chunk -> whether its bounds must be worked out from its links
        again) get their new bounds, and their paths are dropped, to be built when painted;
        repaint only where they were and are (unless the layer's bounds change)."""
        geom, cells, bounds, rects, paths = self._geom, self._cells, self._bounds, self._rects, self._paths
        changed = QRectF()
        order_changed = False
        for cell, again in dirty.items():
            old = rects.get(cell)
            if old is not None:
                changed = changed.united(old)
            paths.pop(cell, None)
            members = cells.get(cell)
            if not members:
                cells.pop(cell, None)
                if bounds.pop(cell, None) is not None:
                    order_changed = True
                rects.pop(cell, None)
                continue
            if again or cell not in bounds:
                if cell not in bounds:
                    order_changed = True
                bs = [geom[uid][4] for uid in members]
                bounds[cell] = b = (min(b[0] for b in bs), min(b[1] for b in bs),
                                    max(b[2] for b in bs), max(b[3] for b in bs))
            else:
                b = bounds[cell]
            rects[cell] = r = QRectF(b[0] - 12, b[1] - 12, b[2] - b[0] + 24, b[3] - b[1] + 24)
            changed = changed.united(r)
        if order_changed:
            self._order = sorted(bounds)
        if bounds:  # the layer's bounds: its chunks' (QRectF.united over 2,000 chunks: ~2 ms)
            bs = bounds.values()
            x0, y0 = min(b[0] for b in bs), min(b[1] for b in bs)
            x1, y1 = max(b[2] for b in bs), max(b[3] for b in bs)
            rect = QRectF(x0 - 12, y0 - 12, x1 - x0 + 24, y1 - y0 + 24)
        else:
            rect = QRectF()
        if rect != self._rect:
            self.prepareGeometryChange()  # repaints all it covered
            self._rect = rect
            self.update()
        else:
            self.update(changed)

    def _paths_of(self, cell: tuple) -> tuple:
        """A chunk's grey paths (finish-to-start, start-to-start, arrowheads), built if need be."""
        got = self._paths.get(cell)
        if got is None:
            geom, curve = self._geom, self._curve
            fs, ss, heads = QPainterPath(), QPainterPath(), _heads_path()
            # in one order whatever the edits before: overlapping curves blend the same
            for uid in sorted(self._cells[cell]):
                s, t, link, _c, _b = geom[uid]
                curve(ss if link.kind == "SS" else fs, heads, s, t)
            got = self._paths[cell] = (fs, ss, heads)
        return got

    @property
    def chunks(self) -> list[tuple[QRectF, QPainterPath, QPainterPath, QPainterPath]]:
        """Every chunk in painting order: its bounds and grey paths (all built)."""
        return [(self._rects[cell], *self._paths_of(cell)) for cell in self._order]

    def set_critical(self, links, nodes: dict) -> None:
        """Rebuild the red curves of the links between critical actions."""
        crit, heads = QPainterPath(), _heads_path()
        for link in links:
            s, t = self._ends(link, nodes)
            self._curve(crit, heads, s, t)
        self.critical, self.critical_heads = crit, heads
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        pal = _palette(widget)
        lod = option.levelOfDetailFromTransform(p.worldTransform())
        grey = _blend(pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text), 0.42)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, lod >= 0.3)
        p.setBrush(Qt.BrushStyle.NoBrush)
        dpr = widget.devicePixelRatioF() if widget is not None else 1.0
        pen = QPen(grey, max(1.0, round(dpr)))
        pen.setCosmetic(True)  # opaque 1-pixel (device) lines are the cheapest to rasterise
        exposed, rects, paths_of = option.exposedRect, self._rects, self._paths_of
        visible = [paths_of(cell) for cell in self._order if rects[cell].intersects(exposed)]
        p.setPen(pen)
        for fs, _ss, _h in visible:
            p.drawPath(fs)
        pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        for _fs, ss, _h in visible:
            p.drawPath(ss)
        if lod >= 0.3:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(grey)
            for _fs, _ss, heads in visible:
                p.drawPath(heads)
        red = QPen(CRITICAL_COLOUR, (2.5 if lod >= 0.3 else 1.5) * max(1.0, dpr))
        red.setCosmetic(True)
        p.setPen(red)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(self.critical)
        if lod >= 0.3:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(CRITICAL_COLOUR)
            p.drawPath(self.critical_heads)


class MilestoneMarker(QGraphicsItem):
    """A milestone diamond beside the action whose finish dates it."""

    R = 10

    def __init__(self, milestone_id: str, anchor: ActionNode):
        super().__init__()
        self.milestone_id = milestone_id
        self.anchor = anchor
        self.state = MilestoneState.OPEN   # planner.rules.milestone_state
        self.slip = 0
        self.sig: tuple = ()
        self.forecast = None  # the engine's MilestoneForecast last drawn (kept while unchanged)
        self.setZValue(2)

    def place(self, index: int) -> None:
        self.setPos(self.anchor.pos() + QPointF(NODE_W + 22 + index * 10, NODE_H / 2 - index * 4))

    def boundingRect(self) -> QRectF:
        r = self.R + 2
        return QRectF(-r, -r, 2 * r, 2 * r)

    def paint(self, p: QPainter, option, widget=None) -> None:
        pal = _palette(widget)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.state == MilestoneState.ACHIEVED:
            fill = DONE_COLOUR
        elif self.state in (MilestoneState.LATE, MilestoneState.MISSED):
            fill = CRITICAL_COLOUR
        else:
            fill = pal.color(QPalette.ColorRole.Text)
        p.setPen(QPen(pal.color(QPalette.ColorRole.Base), 1.5))
        p.setBrush(fill)
        p.drawPolygon(diamond(QPointF(0, 0), self.R))
