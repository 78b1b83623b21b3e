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
    cost ~40 ms of Python per repaint; one path costs ~9 ms (bench/bench_views.py). The paths
    are rebuilt only when boxes move or links come and go (~20 ms for 6,000 links); a change of
    which links are critical rebuilds only the small red path.
    """

    def __init__(self):
        super().__init__()
        self.setZValue(-1)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.chunks: list[tuple[QRectF, QPainterPath, QPainterPath, QPainterPath]] = []
        self._chunks: dict[tuple[int, int], tuple] = {}
        self._geom: dict[str, tuple] = {}       # uid -> (start, end, Link, cell)
        self._cells: dict[tuple[int, int], set] = {}
        self._at: dict[str, set] = {}           # box id -> uids of the links drawn to or from it
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)  # exposedRect
        self.critical = QPainterPath()
        self.critical_heads = QPainterPath()
        self._rect = QRectF()

    @staticmethod
    def _curve(path: QPainterPath, heads: QPainterPath, s: tuple, t: tuple) -> None:
        # plain floats, not QPointF: this runs for thousands of links after a layout change
        sx, sy = s
        tx, ty = t
        if tx >= sx:  # into the left side of a box further right
            dx = max(30.0, (tx - sx) / 2)
            path.moveTo(sx, sy)
            path.cubicTo(sx + dx, sy, tx - dx, ty, tx, ty)
            heads.moveTo(tx, ty)
            heads.lineTo(tx - 9, ty - 5)
            heads.lineTo(tx - 9, ty + 5)
        else:  # same column: a bow on the right, into the right side of the waiting box
            tx += NODE_W
            bow = sx + 30 + min(60.0, abs(ty - sy) / 8)
            path.moveTo(sx, sy)
            path.cubicTo(bow, sy, bow, ty, tx, ty)
            heads.moveTo(tx, ty)
            heads.lineTo(tx + 9, ty - 5)
            heads.lineTo(tx + 9, ty + 5)
        heads.closeSubpath()

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

    CELL_W, CELL_H = 1200, 700

    def set_links(self, links: dict[str, Link], nodes: dict, moved: set | None = None) -> None:
        """Bring the grey curves up to date: ``links`` by uid; ``moved`` = ids of boxes that
        moved (None: everything changed, e.g. a new layout).

        Links are kept in chunks of links whose middles lie in the same cell of a coarse grid,
        each chunk with its own bounds: a repaint skips chunks outside the view (Qt would
        otherwise walk all 6,000 curves of one path, ~20 ms), and an edit rebuilds only the
        chunks of links whose ends moved (building all 6,000 curves costs ~50 ms of Python).
        """
        geom = self._geom
        if moved is None:
            geom.clear()
            self._cells.clear()
            self._chunks.clear()
            self._at.clear()
        dirty: set = set()
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
        dirty: set = set()
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

    def _forget(self, uid: str, dirty: set) -> None:
        old = self._geom.pop(uid, None)
        if old is None:
            return
        cell, link = old[3], old[2]
        self._cells[cell].discard(uid)
        dirty.add(cell)
        for end in (link.needs, link.action):
            uids = self._at.get(end)
            if uids is not None:
                uids.discard(uid)
                if not uids:
                    del self._at[end]

    def _draw(self, link: Link, nodes: dict, dirty: set) -> None:
        uid = link.uid
        if uid in self._geom:
            self._forget(uid, dirty)
        s, t = self._ends(link, nodes)
        cell = (int((s[0] + t[0]) / 2 // self.CELL_W), int((s[1] + t[1]) / 2 // self.CELL_H))
        self._geom[uid] = (s, t, link, cell)
        self._cells.setdefault(cell, set()).add(uid)
        self._at.setdefault(link.needs, set()).add(uid)
        self._at.setdefault(link.action, set()).add(uid)
        dirty.add(cell)

    def _rebuild(self, dirty: set) -> None:
        """Build the chunks of the cells ``dirty`` again from their links; repaint only where
        they were and are (unless the layer's bounds change)."""
        geom, cells = self._geom, self._cells
        changed = QRectF()
        for cell in dirty:
            old = self._chunks.get(cell)
            if old is not None:
                changed = changed.united(old[0])
            members = cells.get(cell)
            if not members:
                self._chunks.pop(cell, None)
                cells.pop(cell, None)
                continue
            fs, ss, heads = QPainterPath(), QPainterPath(), QPainterPath()
            # in one order whatever the edits before: overlapping curves blend the same
            for uid in sorted(members):
                s, t, link, _c = geom[uid]
                self._curve(ss if link.kind == "SS" else fs, heads, s, t)
            bounds = fs.controlPointRect().united(ss.controlPointRect()).adjusted(-12, -12, 12, 12)
            self._chunks[cell] = (bounds, fs, ss, heads)
            changed = changed.united(bounds)
        rect = QRectF()
        for chunk in self._chunks.values():
            rect = rect.united(chunk[0])
        self.chunks = [self._chunks[cell] for cell in sorted(self._chunks)]
        if rect != self._rect:
            self.prepareGeometryChange()  # repaints all it covered
            self._rect = rect
            self.update()
        else:
            self.update(changed)

    def set_critical(self, links, nodes: dict) -> None:
        """Rebuild the red curves of the links between critical actions."""
        crit, heads = QPainterPath(), QPainterPath()
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
        exposed = option.exposedRect
        visible = [c for c in self.chunks if c[0].intersects(exposed)]
        p.setPen(pen)
        for _b, fs, _ss, _h in visible:
            p.drawPath(fs)
        pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        for _b, _fs, ss, _h in visible:
            p.drawPath(ss)
        if lod >= 0.3:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(grey)
            for _b, _fs, _ss, heads in visible:
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
