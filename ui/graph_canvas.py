"""The Graph view's canvas: zoom, pan, click to select, drag from box to box to add a link."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsScene, QGraphicsView, QWidget

from ui.graph_items import NODE_H, NODE_W, ActionNode


class GraphCanvas(QGraphicsView):
    """The scene's view: zoom, pan, click to select, drag from box to box to add a link."""

    link_requested = Signal(str, str)   # (prerequisite id, waiting action id)
    clicked = Signal(str)
    # The canvas knows nothing of its view (issue 8: no two modules import each other); it says
    # what the user asked for and the view answers.
    menu_requested = Signal(str, QPoint)  # box under the pointer ("" from the keyboard), where
    arrow_pressed = Signal(int)           # an arrow key without Ctrl: move the selection

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
        if event.reason() == event.Reason.Mouse:
            node = self.node_at(self.mapToScene(event.pos()))
            if node is not None:
                self.menu_requested.emit(node.action_id, event.globalPos())
        else:
            self.menu_requested.emit("", QPoint())

    def global_centre(self, node: ActionNode) -> QPoint:
        """Screen position of a box's centre (where a keyboard-opened menu appears)."""
        return self.viewport().mapToGlobal(self.mapFromScene(node.sceneBoundingRect().center()))

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
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(1.2)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(1 / 1.2)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right) and \
                not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.arrow_pressed.emit(key)
        else:
            super().keyPressEvent(event)
