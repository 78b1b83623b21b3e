"""The Graph view: actions as boxes laid out by wave (or phase), joined by their dependencies.

Boxes are tinted by the action's first challenge; critical actions and the links between them are
outlined in red; milestones are diamonds beside the action (or the last action of the initiative)
they mark. Click a box to select the action everywhere; drag from one box to another to make the
second wait for the first (the planner refuses a loop and the message shows in a banner); zoom
with Ctrl+wheel or + and -, pan by dragging the background; export to PNG or SVG.

Scene items are built once. After an edit the view compares what each item shows with the new
analysis and only touches items that changed: a duration change usually repaints a few boxes;
a new link may move the boxes whose wave changed, and only the links attached to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (QColor, QFont, QFontMetrics, QImage, QKeySequence, QPainter,
                           QPainterPath, QPalette, QPen, QShortcut)
from PySide6.QtWidgets import (QApplication, QCheckBox, QComboBox, QFileDialog, QGraphicsItem,
                               QGraphicsLineItem, QGraphicsScene, QGraphicsSimpleTextItem,
                               QGraphicsView, QHBoxLayout, QLabel, QMenu, QPushButton,
                               QStyleOptionGraphicsItem, QToolButton, QVBoxLayout, QWidget)

from planner.document import WHOLE
from planner.errors import PlanError
from planner.model import Dependency
from ui.charts import MessageBanner, diamond, schedule_facts
from ui.context import AppContext
from ui.style import CRITICAL_COLOUR, DONE_COLOUR, challenge_colour, muted_text

NODE_W = 196
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
        fill = _blend(base, colour, 0.30 if lk.status != "done" else 0.12)
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
        top = f"{self.action_id}  ·  {lk.dates}"
        if lk.status == "done":
            top += "  ·  done"
        elif lk.critical:
            top += "  ·  critical"
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
        self.prepareGeometryChange()
        geom, cells = self._geom, self._cells
        if moved is None:
            geom.clear()
            cells.clear()
            self._chunks.clear()
        dirty: set = set()
        for uid in [u for u in geom if u not in links]:
            cell = geom.pop(uid)[3]
            cells[cell].discard(uid)
            dirty.add(cell)
        for uid, link in links.items():
            old = geom.get(uid)
            if old is not None and old[2] == link and (
                    moved is None or (link.needs not in moved and link.action not in moved)):
                continue
            s, t = self._ends(link, nodes)
            cell = (int((s[0] + t[0]) / 2 // self.CELL_W), int((s[1] + t[1]) / 2 // self.CELL_H))
            if old is not None:
                cells[old[3]].discard(uid)
                dirty.add(old[3])
            geom[uid] = (s, t, link, cell)
            cells.setdefault(cell, set()).add(uid)
            dirty.add(cell)
        for cell in dirty:
            members = cells.get(cell)
            if not members:
                self._chunks.pop(cell, None)
                cells.pop(cell, None)
                continue
            fs, ss, heads = QPainterPath(), QPainterPath(), QPainterPath()
            for uid in members:
                s, t, link, _c = geom[uid]
                self._curve(ss if link.kind == "SS" else fs, heads, s, t)
            bounds = fs.controlPointRect().united(ss.controlPointRect()).adjusted(-12, -12, 12, 12)
            self._chunks[cell] = (bounds, fs, ss, heads)
        rect = QRectF()
        for chunk in self._chunks.values():
            rect = rect.united(chunk[0])
        self.chunks = list(self._chunks.values())
        self._rect = rect
        self.update()

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
        self.achieved = False
        self.slip = 0
        self.sig: tuple = ()
        self.setZValue(2)

    def place(self, index: int) -> None:
        self.setPos(self.anchor.pos() + QPointF(NODE_W + 22 + index * 10, NODE_H / 2 - index * 4))

    def boundingRect(self) -> QRectF:
        r = self.R + 2
        return QRectF(-r, -r, 2 * r, 2 * r)

    def paint(self, p: QPainter, option, widget=None) -> None:
        pal = _palette(widget)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.achieved:
            fill = DONE_COLOUR
        elif self.slip and self.slip > 0:
            fill = CRITICAL_COLOUR
        else:
            fill = pal.color(QPalette.ColorRole.Text)
        p.setPen(QPen(pal.color(QPalette.ColorRole.Base), 1.5))
        p.setBrush(fill)
        p.drawPolygon(diamond(QPointF(0, 0), self.R))


class GraphCanvas(QGraphicsView):
    """The scene's view: zoom, pan, click to select, drag from box to box to add a link."""

    link_requested = Signal(str, str)   # (prerequisite id, waiting action id)
    clicked = Signal(str)

    def __init__(self, scene: QGraphicsScene, parent: QWidget):
        super().__init__(scene, parent)
        self.setObjectName("graphCanvas")
        self.setAccessibleName("Action graph")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._drag_from: ActionNode | None = None
        self._drag_line: QGraphicsLineItem | None = None
        self._hover: ActionNode | None = None
        self._moved = False

    def node_at(self, scene_pos: QPointF) -> ActionNode | None:
        for item in self.scene().items(scene_pos):
            if isinstance(item, ActionNode):
                return item
        return None

    # drag to link -------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if event.button() == Qt.MouseButton.LeftButton:
            node = self.node_at(self.mapToScene(event.position().toPoint()))
            if node is not None:
                self.begin_link(node)
                event.accept()
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self._drag_from is not None:
            self.drag_to(self.mapToScene(event.position().toPoint()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if self._drag_from is not None and event.button() == Qt.MouseButton.LeftButton:
            self.end_link(self.mapToScene(event.position().toPoint()))
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def begin_link(self, node: ActionNode) -> None:
        """Start a drag from ``node`` (a press on it)."""
        self._drag_from = node
        self._moved = False

    def drag_to(self, scene_pos: QPointF) -> None:
        """Follow the pointer: draw the rubber line and mark the box under it."""
        src = self._drag_from
        if src is None:
            return
        start = src.pos() + QPointF(NODE_W, NODE_H / 2)
        if self._drag_line is None:
            if (scene_pos - start).manhattanLength() < 6 and src.contains(src.mapFromScene(scene_pos)):
                return
            self._drag_line = QGraphicsLineItem()
            pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 2.5, Qt.PenStyle.DashLine)
            self._drag_line.setPen(pen)
            self._drag_line.setZValue(10)
            self.scene().addItem(self._drag_line)
        self._moved = True
        self._drag_line.setLine(start.x(), start.y(), scene_pos.x(), scene_pos.y())
        target = self.node_at(scene_pos)
        if target is src:
            target = None
        if target is not self._hover:
            if self._hover is not None:
                self._hover.drop_target = False
                self._hover.update()
            self._hover = target
            if target is not None:
                target.drop_target = True
                target.update()

    def end_link(self, scene_pos: QPointF) -> None:
        """Finish the drag: a click selects; a drop on another box asks for a link."""
        src = self._drag_from
        self._drag_from = None
        if self._drag_line is not None:
            self.scene().removeItem(self._drag_line)
            self._drag_line = None
        if self._hover is not None:
            self._hover.drop_target = False
            self._hover.update()
            self._hover = None
        target = self.node_at(scene_pos)
        if src is None:
            return
        if not self._moved or target is src or target is None:
            self.clicked.emit(src.action_id)
            return
        self.link_requested.emit(src.action_id, target.action_id)

    def contextMenuEvent(self, event) -> None:
        # mouse: the box under the pointer; keyboard (Menu key, Shift+F10): the selected box
        view = self.parent()
        if not isinstance(view, GraphView):
            return
        node = None
        if event.reason() == event.Reason.Mouse:
            node = self.node_at(self.mapToScene(event.pos()))
        elif view.context.selected_action in view.nodes:
            node = view.nodes[view.context.selected_action]
        if node is None:
            return
        menu = view.link_menu(node.action_id)
        pos = event.globalPos()
        if event.reason() != event.Reason.Mouse:
            pos = self.viewport().mapToGlobal(self.mapFromScene(node.sceneBoundingRect().center()))
        menu.exec(pos)

    # zoom ---------------------------------------------------------------------------------
    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(1.2 if event.angleDelta().y() > 0 else 1 / 1.2)
            event.accept()
            return
        super().wheelEvent(event)

    def zoom_by(self, factor: float) -> None:
        scale = self.transform().m11() * factor
        if 0.05 <= scale <= 4.0:
            self.scale(factor, factor)

    def keyPressEvent(self, event) -> None:
        parent = self.parent()
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(1.2)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(1 / 1.2)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right) and \
                not event.modifiers() & Qt.KeyboardModifier.ControlModifier and \
                isinstance(parent, GraphView):
            parent.move_selection(key)
        else:
            super().keyPressEvent(event)


class GraphView(QWidget):
    """Actions as a network laid out by wave or phase; drag between boxes to add a dependency."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("graphView")
        self.setAccessibleName("Graph view")
        self.context = context
        self.layout_by = "wave"
        self.nodes: dict[str, ActionNode] = {}
        self.edges: dict[str, Link] = {}
        self.links = LinkLayer()
        self._critical_links: frozenset = frozenset()
        self.markers: dict[str, MilestoneMarker] = {}
        self.headers: list[QGraphicsSimpleTextItem] = []
        self._columns: dict[str, tuple] = {}
        self._date_text: dict[tuple, str] = {}
        self._seen: dict[str, tuple] = {}
        self._dep_keys: set = set()
        self._links_dirty = False
        self._grid: dict[str, tuple[int, int]] = {}

        self.scene = QGraphicsScene(self)
        self.scene.addItem(self.links)
        self.canvas = GraphCanvas(self.scene, self)
        self.canvas.clicked.connect(self.context.select_action)
        self.canvas.link_requested.connect(self.add_link)

        self.layout_combo = QComboBox(self)
        self.layout_combo.addItem("By wave", "wave")
        self.layout_combo.addItem("By phase", "phase")
        self.layout_combo.setAccessibleName("Lay out actions")
        self.layout_combo.currentIndexChanged.connect(
            lambda _i: self.set_layout(self.layout_combo.currentData()))
        layout_label = QLabel("&Columns:", self)
        layout_label.setBuddy(self.layout_combo)
        self.show_done = QCheckBox("Show d&one", self)
        self.show_done.setChecked(True)
        self.show_done.setToolTip("Show actions already done (they sit in the first column)")
        self.show_done.setAccessibleName("Show actions already done")
        self.show_done.toggled.connect(lambda _on: self.sync())
        buttons = []
        for text, tip, slot in (("−", "Zoom out (−)", lambda: self.canvas.zoom_by(1 / 1.25)),
                                ("+", "Zoom in (+)", lambda: self.canvas.zoom_by(1.25)),
                                ("&Fit", "Fit the whole graph in view", self.fit),
                                ("PN&G…", "Export the graph as a PNG picture", self.export_png_dialog),
                                ("S&VG…", "Export the graph as an SVG drawing", self.export_svg_dialog)):
            b = QToolButton(self)
            b.setText(text)
            b.setToolTip(tip)
            b.setAccessibleName(tip)
            b.clicked.connect(slot)
            buttons.append(b)
        # keyboard route to the same operation as a drag
        self.needs_combo = QComboBox(self)
        self.needs_combo.setEditable(True)
        self.needs_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.needs_combo.setMinimumContentsLength(22)
        self.needs_combo.setAccessibleName("Prerequisite action")
        self.needs_combo.lineEdit().setPlaceholderText("choose a prerequisite")
        self.needs_combo.lineEdit().setAccessibleName("Prerequisite action")
        self.needs_label = QLabel("Selected action &waits for:", self)
        self.needs_label.setBuddy(self.needs_combo)
        self.add_link_button = QPushButton("Add &link", self)
        self.add_link_button.setAccessibleName("Add a link: the selected action waits for the chosen one")
        self.add_link_button.clicked.connect(self._add_link_from_form)
        self.hint = QLabel("Drag from one action to another to make the second wait for the first; "
                           "right-click (or the Menu key) on an action to remove a link. "
                           "Red outline and links: critical path. ◆ milestone (red: later than baseline, green: achieved).", self)
        self.hint.setWordWrap(True)
        self.hint.setObjectName("graphHint")
        self.banner = MessageBanner(self)

        bar = QHBoxLayout()
        bar.addWidget(layout_label)
        bar.addWidget(self.layout_combo)
        bar.addWidget(self.show_done)
        for b in buttons:
            bar.addWidget(b)
        bar.addSpacing(16)
        bar.addWidget(self.needs_label)
        bar.addWidget(self.needs_combo, 1)
        bar.addWidget(self.add_link_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.hint)
        layout.addWidget(self.banner)
        layout.addWidget(self.canvas, 1)
        QShortcut(QKeySequence("Escape"), self, activated=self.banner.dismiss,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

        context.document_replaced.connect(self.rebuild)
        context.analysis_changed.connect(self.sync)
        context.plan_changed.connect(self._on_plan_changed)
        context.selection_changed.connect(self._on_selection_changed)
        if context.doc is not None:
            self.rebuild()

    def sizeHint(self) -> QSize:
        return QSize(1000, 700)

    # building and syncing ----------------------------------------------------------------
    def rebuild(self) -> None:
        """Drop every item and build the scene again (a different plan was opened)."""
        self._clear_scene()
        self.banner.dismiss()
        self.sync()
        self._refill_needs_combo()
        self._fit_pending = True
        if self.isVisible():
            self._initial_view()

    def _initial_view(self) -> None:
        """Small plans: fit the whole graph; big ones: 100 % at the start of the plan."""
        self._fit_pending = False
        self.fit()
        if self.canvas.transform().m11() < 0.45:
            self.canvas.resetTransform()
            self.canvas.scale(0.85, 0.85)
            rect = self.scene.itemsBoundingRect()
            self.canvas.centerOn(rect.left() + self.canvas.viewport().width() / 1.7 - 60,
                                 rect.top() + self.canvas.viewport().height() / 1.7 - 60)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if getattr(self, "_fit_pending", False):
            self._initial_view()

    def _looks(self) -> dict[str, tuple[NodeLook, object]]:
        """What each box should show and its column; unchanged boxes keep their NodeLook."""
        plan = self.context.plan
        out = {}
        memo = self._date_text
        seen = self._seen
        nodes = self.nodes
        by_wave = self.layout_by == "wave"
        hide_done = not self.show_done.isChecked()
        for aid, r in schedule_facts(self.context.analysis).items():
            a = plan.actions.get(aid)
            if a is None or (hide_done and r[4]):
                continue
            ch = a.challenges[0] if a.challenges else None
            key = r[3] if by_wave else (a.phase if a.phase is not None else 10**6)
            sig = (r, a.title, a.status, ch)
            node = nodes.get(aid)
            if node is not None and seen.get(aid) == sig:
                out[aid] = (node.look, key)
                continue
            seen[aid] = sig
            start, finish, critical, _wave, _done = r
            dates = memo.get((start, finish))
            if dates is None:
                dates = memo[(start, finish)] = (
                    f"{start:%d %b}–{finish:%d %b %y}" if start != finish else f"{start:%d %b %y}")
            out[aid] = (NodeLook(a.title, ch, critical, a.status, dates), key)
        return out

    def _clear_scene(self) -> None:
        self.scene.clear()
        self.nodes, self.edges, self.markers, self.headers = {}, {}, {}, []
        self._columns, self._grid = {}, {}
        self._critical_links = frozenset()
        self._seen = {}
        self._dep_keys = set()
        self.links = LinkLayer()
        self.scene.addItem(self.links)

    def sync(self) -> None:
        """Bring the scene in line with the plan and its latest analysis, touching only what changed."""
        plan = self.context.plan
        if plan is None or self.context.analysis is None:
            if self.nodes:
                self._clear_scene()
            error = getattr(self.context, "analysis_error", "")
            if error:
                self.banner.show_message(error, "warning")
            return
        looks = self._looks()
        structure_changed = False
        nodes_before = set(self.nodes)
        for aid in [a for a in self.nodes if a not in looks]:
            node = self.nodes.pop(aid)
            for m in list(node.milestones):
                self._remove_marker(m.milestone_id)
            self.scene.removeItem(node)
            structure_changed = True
        columns = {}
        for aid, (look, key) in looks.items():
            node = self.nodes.get(aid)
            if node is None:
                node = ActionNode(aid, look)
                self.nodes[aid] = node
                self.scene.addItem(node)
                node.selected = aid == self.context.selected_action
                structure_changed = True
            else:
                node.set_look(look)
            columns[aid] = key
        # Rebuilding 6,000 Link records costs ~10 ms: do it only when links or boxes came or went,
        # or a link itself was edited (plan_changed sets _links_dirty for that).
        if structure_changed or self._links_dirty or plan.dependencies.keys() != self._dep_keys:
            self._links_dirty = False
            self._dep_keys = set(plan.dependencies)
            links = {uid: Link(uid, d.needs, d.action, d.type)
                     for uid, d in plan.dependencies.items()
                     if d.action in self.nodes and d.needs in self.nodes}
            if links != self.edges:
                self.edges = links
                structure_changed = True
        moved: set = set()
        if structure_changed or columns != self._columns:
            self._columns = columns
            moved = self._layout()
        if moved or structure_changed:
            self.links.set_links(self.edges, self.nodes, moved)
        nodes = self.nodes
        critical = frozenset(uid for uid, ln in self.edges.items()
                             if nodes[ln.needs].look.critical and nodes[ln.action].look.critical)
        if moved or structure_changed or critical != self._critical_links:
            self._critical_links = critical
            self.links.set_critical([self.edges[u] for u in critical], nodes)
        self._sync_milestones()
        if set(self.nodes) != nodes_before or self.needs_combo.count() == 0:
            self._refill_needs_combo()
        if getattr(self, "_fit_pending", False) and not nodes_before and self.isVisible():
            self._initial_view()  # the analysis of a big plan arrived after the plan opened

    def _on_plan_changed(self, change) -> None:
        # The analysis (and so sync) comes before plan_changed; an edit of a link's fields keeps
        # its key, so sync could not see it: look again now.
        if change is not None and any(fc.kind == "dependency" and fc.field != WHOLE
                                      for fc in change.changes):
            self._links_dirty = True
            self.sync()

    def _remove_marker(self, mid: str) -> None:
        m = self.markers.pop(mid, None)
        if m is None:
            return
        if m in m.anchor.milestones:
            m.anchor.milestones.remove(m)
        self.scene.removeItem(m)

    def _layout(self) -> set[str]:
        """Place boxes in columns (by wave or phase), ordered to keep links short; move only what moved."""
        plan = self.context.plan
        by_col: dict[object, list[str]] = {}
        for aid, key in self._columns.items():
            by_col.setdefault(key, []).append(aid)
        preds: dict[str, list[str]] = {}
        for ln in self.edges.values():
            preds.setdefault(ln.action, []).append(ln.needs)
        row_of: dict[str, float] = {}
        grid: dict[str, tuple[int, int]] = {}
        waves = {aid: r[3] for aid, r in schedule_facts(self.context.analysis).items()}
        keys = sorted(by_col, key=lambda k: (k is None, k))
        for ci, key in enumerate(keys):
            members = by_col[key]

            def order(aid: str) -> tuple:
                ps = [row_of[p] for p in preds.get(aid, ()) if p in row_of]
                bary = sum(ps) / len(ps) if ps else float("inf")
                a = plan.actions[aid]
                # by phase, a column holds several waves: keep each wave's boxes together
                wave = waves.get(aid, 0) if self.layout_by == "phase" else 0
                return (wave, bary, a.challenges[0] if a.challenges else 99, _id_key(aid))

            members.sort(key=order)
            for ri, aid in enumerate(members):
                row_of[aid] = ri
                grid[aid] = (ci, ri)
        moved = []
        for aid, (ci, ri) in grid.items():
            node = self.nodes[aid]
            pos = QPointF(ci * (NODE_W + COL_GAP), ri * (NODE_H + ROW_GAP))
            if node.pos() != pos:
                node.setPos(pos)
                moved.append(node)
        self._grid = grid
        for node in moved:
            for i, m in enumerate(node.milestones):
                m.place(i)
        # column headings
        for h in self.headers:
            self.scene.removeItem(h)
        self.headers = []
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        for ci, key in enumerate(keys):
            if self.layout_by == "wave":
                text = "Done" if key == 0 else f"Wave {key}"
            else:
                text = "No phase" if key == 10**6 else f"Phase {key}"
            text += f"  ({len(by_col[key])})"
            h = QGraphicsSimpleTextItem(text)
            h.setFont(font)
            h.setBrush(self.palette().color(QPalette.ColorRole.WindowText))
            h.setPos(ci * (NODE_W + COL_GAP), HEADER_Y)
            self.scene.addItem(h)
            self.headers.append(h)
        width = len(keys) * (NODE_W + COL_GAP)
        height = max([len(v) for v in by_col.values()] + [1]) * (NODE_H + ROW_GAP)
        self.scene.setSceneRect(QRectF(-60, HEADER_Y - 60, width + 120, height - HEADER_Y + 140))
        return {node.action_id for node in moved}

    def _sync_milestones(self) -> None:
        plan, analysis = self.context.plan, self.context.analysis
        forecasts = getattr(analysis, "milestones", {}) or {}
        facts = schedule_facts(analysis)
        last_of_initiative: dict[str, tuple] = {}
        if any(m.action is None and m.initiative for m in plan.milestones.values()):
            for aid, r in facts.items():
                ini = plan.actions[aid].initiative if aid in plan.actions else None
                if ini is not None:
                    best = last_of_initiative.get(ini)
                    if best is None or r[1] > best[0]:
                        last_of_initiative[ini] = (r[1], aid)
        wanted: dict[str, str] = {}
        for mid, m in plan.milestones.items():
            if m.status == "cancelled":
                continue
            anchor = m.action if m.action in self.nodes else None
            if anchor is None and m.initiative in last_of_initiative:
                anchor = last_of_initiative[m.initiative][1]
            if anchor is not None:
                wanted[mid] = anchor
        for mid in [k for k in self.markers if wanted.get(k) != self.markers[k].anchor.action_id]:
            self._remove_marker(mid)
        for mid, anchor in wanted.items():
            marker = self.markers.get(mid)
            if marker is None:
                node = self.nodes[anchor]
                marker = MilestoneMarker(mid, node)
                node.milestones.append(marker)
                self.markers[mid] = marker
                self.scene.addItem(marker)
                marker.place(len(node.milestones) - 1)
            m = plan.milestones[mid]
            f = forecasts.get(mid)
            slip = getattr(f, "slip_days", None) or 0
            achieved = m.status == "achieved" or m.actual is not None
            forecast = getattr(f, "forecast", None)
            sig = (m.title, m.baseline, forecast, slip, achieved)
            if marker.sig == sig:
                continue
            marker.sig = sig
            tip = (f"Milestone {mid}: {m.title}\nForecast: {forecast:%d %b %Y}" if forecast
                   else f"Milestone {mid}: {m.title}")
            if m.baseline:
                tip += f"\nBaseline: {m.baseline:%d %b %Y}"
            if slip:
                tip += f"\n{'Late' if slip > 0 else 'Early'} by {abs(slip)} working days"
            if (marker.achieved, marker.slip, marker.toolTip()) != (achieved, slip, tip):
                marker.achieved, marker.slip = achieved, slip
                marker.setToolTip(tip)
                marker.update()

    # commands ----------------------------------------------------------------------------
    def set_layout(self, by: str) -> None:
        """Columns by 'wave' or by 'phase'."""
        if by not in ("wave", "phase") or by == self.layout_by:
            return
        self.layout_by = by
        self.layout_combo.blockSignals(True)
        self.layout_combo.setCurrentIndex(0 if by == "wave" else 1)
        self.layout_combo.blockSignals(False)
        self.sync()
        self._on_selection_changed(self.context.selected_action)

    def fit(self) -> None:
        """Zoom to show the whole graph (not beyond 100%)."""
        rect = self.scene.itemsBoundingRect()
        if rect.isEmpty():
            return
        self.canvas.fitInView(rect.adjusted(-20, -20, 20, 20), Qt.AspectRatioMode.KeepAspectRatio)
        if self.canvas.transform().m11() > 1.0:
            self.canvas.resetTransform()
            self.canvas.centerOn(rect.center())

    def add_link(self, needs: str, action: str) -> bool:
        """Make ``action`` wait for ``needs`` through the planner; show the refusal if any."""
        doc = self.context.doc
        if doc is None or needs == action:
            return False
        try:
            doc.add("dependency", Dependency(action=action, needs=needs))
        except PlanError as exc:
            self.banner.show_message(str(exc), "error")
            self.context.status_message.emit(f"Link not added: {exc}")
            return False
        plan = self.context.plan
        msg = (f"Added a link: '{plan.actions[action].title}' ({action}) now waits for "
               f"'{plan.actions[needs].title}' ({needs}). Undo reverses it.")
        self.banner.show_message(msg, "info")
        self.context.status_message.emit(msg)
        return True

    def link_menu(self, action_id: str) -> QMenu:
        """A menu of the action's links, each entry removing one (through the planner)."""
        plan = self.context.plan
        menu = QMenu(self)
        menu.setAccessibleName(f"Links of {action_id}")
        title = plan.actions[action_id].title
        for d in sorted(plan.predecessors(action_id), key=lambda d: d.needs):
            other = plan.actions[d.needs].title if d.needs in plan.actions else d.needs
            act = menu.addAction(f"Stop '{_short(title)}' waiting for '{_short(other)}' ({d.needs})")
            act.triggered.connect(lambda _c=False, uid=d.uid: self.remove_link(uid))
        for d in sorted(plan.successors(action_id), key=lambda d: d.action):
            other = plan.actions[d.action].title if d.action in plan.actions else d.action
            act = menu.addAction(f"Stop '{_short(other)}' ({d.action}) waiting for '{_short(title)}'")
            act.triggered.connect(lambda _c=False, uid=d.uid: self.remove_link(uid))
        if menu.isEmpty():
            menu.addAction("No links to remove").setEnabled(False)
        return menu

    def remove_link(self, uid: str) -> bool:
        """Remove a dependency through the planner (undoable); show the refusal if any."""
        plan = self.context.plan
        d = plan.dependencies.get(uid)
        if d is None:
            return False
        try:
            self.context.doc.delete("dependency", uid)
        except PlanError as exc:
            self.banner.show_message(str(exc), "error")
            return False
        msg = f"Removed the link: {d.action} no longer waits for {d.needs}. Undo puts it back."
        self.banner.show_message(msg, "info")
        self.context.status_message.emit(msg)
        return True

    def _add_link_from_form(self) -> None:
        action = self.context.selected_action
        needs = self.needs_combo.currentData()
        if needs is None:  # typed text: match an id or a title
            text = self.needs_combo.currentText().strip()
            i = self.needs_combo.findText(text, Qt.MatchFlag.MatchContains)
            needs = self.needs_combo.itemData(i) if i >= 0 else None
        if not action:
            self.banner.show_message("Select the action that should wait first.", "warning")
        elif not needs:
            self.banner.show_message("Choose the action it should wait for.", "warning")
        else:
            self.add_link(needs, action)

    def _refill_needs_combo(self) -> None:
        plan = self.context.plan
        self.needs_combo.blockSignals(True)
        self.needs_combo.clear()
        if plan is not None:  # every action, shown or not (a done one can still be waited for)
            for aid in sorted(plan.actions, key=_id_key):
                if plan.actions[aid].status != "cancelled":
                    self.needs_combo.addItem(f"{aid}  {plan.actions[aid].title}", aid)
        self.needs_combo.setCurrentIndex(-1)
        self.needs_combo.blockSignals(False)

    def _on_selection_changed(self, action_id: str) -> None:
        for node in self.nodes.values():
            if node.selected and node.action_id != action_id:
                node.selected = False
                node.update()
        node = self.nodes.get(action_id)
        if node is not None:
            node.selected = True
            node.update()
            self.canvas.ensureVisible(node, 60, 60)
            lk = node.look
            self.canvas.setAccessibleDescription(
                f"Selected {action_id} {lk.title}, {lk.dates}" + (", critical" if lk.critical else ""))
            self.needs_label.setText(f"{action_id} &waits for:")
        else:
            self.needs_label.setText("Selected action &waits for:")

    def move_selection(self, key: int) -> None:
        """Arrow keys: up/down within a column, left/right to the nearest box in the next column."""
        if not self._grid:
            return
        cur = self.context.selected_action
        if cur not in self._grid:
            first = min(self._grid, key=lambda a: self._grid[a])
            self.context.select_action(first)
            return
        ci, ri = self._grid[cur]
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            target = (ci, ri + (1 if key == Qt.Key.Key_Down else -1))
            cands = [a for a, g in self._grid.items() if g == target]
        else:
            col = ci + (1 if key == Qt.Key.Key_Right else -1)
            same = [(abs(g[1] - ri), a) for a, g in self._grid.items() if g[0] == col]
            cands = [min(same)[1]] if same else []
        if cands:
            self.context.select_action(cands[0])

    def node_centre(self, action_id: str) -> QPointF:
        """Scene position of the middle of an action's box (for tests and scripts)."""
        return self.nodes[action_id].sceneBoundingRect().center()

    # export ------------------------------------------------------------------------------
    def _render(self, painter: QPainter, target: QRectF, source: QRectF) -> None:
        # cached boxes would be drawn as pictures: an SVG must get real text and shapes
        for node in self.nodes.values():
            node.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        try:
            self.scene.render(painter, target, source)
        finally:
            for node in self.nodes.values():
                node.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def export_png(self, path: str | Path, scale: float = 2.0) -> Path:
        """Write the whole graph as a PNG (at ``scale`` x, capped to keep the file manageable)."""
        rect = self.scene.itemsBoundingRect().adjusted(-20, -20, 20, 20)
        scale = min(scale, 16000 / max(1.0, rect.width()), 16000 / max(1.0, rect.height()))
        image = QImage(max(1, int(rect.width() * scale)), max(1, int(rect.height() * scale)),
                       QImage.Format.Format_ARGB32)
        image.fill(self.palette().color(QPalette.ColorRole.Base))
        p = QPainter(image)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._render(p, QRectF(image.rect()), rect)
        p.end()
        image.save(str(path), "PNG")
        return Path(path)

    def export_svg(self, path: str | Path) -> Path:
        """Write the whole graph as an SVG drawing."""
        from PySide6.QtSvg import QSvgGenerator

        rect = self.scene.itemsBoundingRect().adjusted(-20, -20, 20, 20)
        gen = QSvgGenerator()
        gen.setFileName(str(path))
        gen.setSize(rect.size().toSize())
        gen.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
        gen.setTitle(f"{self.context.plan.settings.name}: action graph" if self.context.plan else "Graph")
        p = QPainter(gen)
        p.fillRect(QRectF(0, 0, rect.width(), rect.height()), self.palette().color(QPalette.ColorRole.Base))
        self._render(p, QRectF(0, 0, rect.width(), rect.height()), rect)
        p.end()
        return Path(path)

    def _export_dialog(self, suffix: str, writer) -> None:
        name = (self.context.plan.settings.name if self.context.plan else "graph") or "graph"
        path, _ = QFileDialog.getSaveFileName(self, f"Export graph as {suffix.upper()}",
                                              f"{name} graph.{suffix}",
                                              f"{suffix.upper()} files (*.{suffix})")
        if path:
            writer(path)
            self.banner.show_message(f"Saved the graph to {path}.", "info")

    def export_png_dialog(self) -> None:
        self._export_dialog("png", self.export_png)

    def export_svg_dialog(self) -> None:
        self._export_dialog("svg", self.export_svg)

    def changeEvent(self, event) -> None:
        if event.type() == event.Type.PaletteChange:
            for h in self.headers:
                h.setBrush(self.palette().color(QPalette.ColorRole.WindowText))
        super().changeEvent(event)


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _id_key(aid: str) -> tuple:
    digits = "".join(ch for ch in aid if ch.isdigit())
    return (aid.rstrip("0123456789"), int(digits) if digits else 0, aid)
