"""The Graph view: actions as boxes laid out by wave (or phase), joined by their dependencies.

Boxes are tinted by the action's first challenge; critical actions and the links between them are
outlined in red; milestones are diamonds beside the action (or the last action of the initiative)
they mark. Click a box to select the action everywhere; drag from one box to another to make the
second wait for the first (the planner refuses a loop and the message shows in a banner); zoom
with Ctrl+wheel or + and -, pan by dragging the background; export to PNG or SVG.

The widget and its commands are here; the scene is kept in line with the plan by
``ui.graph_sync``, the boxes placed in their columns by ``ui.graph_places``, the prerequisite
list by ``ui.graph_prereqs``, the pictures written by ``ui.graph_export``.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QSize, Qt
from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (QCheckBox, QComboBox, QGraphicsScene, QGraphicsSimpleTextItem, QLabel,
                               QMenu, QPushButton, QToolButton, QWidget)

from graph.overview_memo import EditsSince
from planner import operations
from ui.context import AppContext
from ui.graph_canvas import GraphCanvas
from ui.graph_export import GraphExport
from ui.graph_items import ActionNode, Link, LinkLayer, MilestoneMarker, NodeLook
from ui.graph_layout import MilestoneAnchors
from ui.graph_places import GraphPlaces
from ui.graph_prereqs import GraphPrerequisites
from ui.graph_sync import _READS, GraphSync
from ui.view_common import PlanView, hbox, page_layout, set_combo_quietly, short
from ui.widgets import UpToDate

__all__ = ["ActionNode", "GraphCanvas", "GraphView", "Link", "LinkLayer", "MilestoneMarker",
           "NodeLook"]


class GraphView(GraphSync, GraphPlaces, GraphPrerequisites, GraphExport, PlanView):
    """Actions as a network laid out by wave or phase; drag between boxes to add a dependency."""

    # off screen, synced after an edit only when shown or read
    nodes, edges, markers = UpToDate(), UpToDate(), UpToDate()

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, "graphView", "Graph view", parent)
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
        self._grid: dict[str, tuple[int, int]] = {}   # box -> (column, row)
        self._keys: list = []                          # the columns' keys, in order
        self._rows: dict[object, dict[int, str]] = {}  # column key -> row -> box
        # the plan's links as last seen: uid -> (waiting action, prerequisite), and each
        # action's links (shown or not), so a box shown again finds its links
        self._ends: dict[str, tuple[str, str]] = {}
        self._at: dict[str, set[str]] = {}
        self._deps_noted: set | None = None  # links named by change sets since (None: unknown)
        self._actions_noted: set | None = None  # actions named by them (None: unknown)
        self._tidy_wanted = True   # next sync lays every box out afresh
        # kept between syncs, so an edit touches only the boxes it changed (issue 13)
        self._edits = EditsSince(_READS)
        self._cal = None                       # the calendar _seen and _date_text are of
        self._anchors = MilestoneAnchors()     # which box each milestone sits beside
        self._milestones_dirty = True          # a milestone edited since the last sync

        self.scene = QGraphicsScene(self)
        self.scene.addItem(self.links)
        self.canvas = GraphCanvas(self.scene, self)
        self.canvas.clicked.connect(self.context.select_action)
        self.canvas.link_requested.connect(self.add_link)
        self.canvas.menu_requested.connect(self._open_link_menu)
        self.canvas.arrow_pressed.connect(self.move_selection)

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
        self.show_done.toggled.connect(lambda _on: self._sync_again())
        self.tidy_button = QPushButton("&Tidy", self)
        self.tidy_button.setToolTip(
            "Boxes keep their places when links or actions change. Tidy puts every box in the "
            "order that keeps links short (as when the plan is opened)")
        self.tidy_button.setAccessibleName("Tidy the layout")
        self.tidy_button.setEnabled(False)
        self.tidy_button.clicked.connect(self.tidy)
        buttons = []
        for text, tip, slot in (("−", "Zoom out (−)", lambda: self.canvas.zoom_by(1 / 1.25)),
                                ("+", "Zoom in (+)", lambda: self.canvas.zoom_by(1.25)),
                                # Alt+F, Alt+V are the File and View menus (issue 10)
                                ("F&it", "Fit the whole graph in view", self.fit),
                                ("PN&G…", "Export the graph as a PNG picture", self.export_png_dialog),
                                ("&SVG…", "Export the graph as an SVG drawing", self.export_svg_dialog)):
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
                           "Red outline and links: critical path. ◆ milestone (red: later than baseline or missed, green: achieved).", self)
        self.hint.setWordWrap(True)
        self.hint.setObjectName("graphHint")

        bar = hbox(layout_label, self.layout_combo, self.show_done, self.tidy_button, *buttons, 16,
                   self.needs_label,
                   (self.needs_combo, 1), self.add_link_button)
        page_layout(self, bar, self.hint, self.banner, (self.canvas, 1))
        QShortcut(QKeySequence("Escape"), self, activated=self.banner.dismiss,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut).setWhatsThis(
            "Dismiss the message above the graph")

        context.document_replaced.connect(self.rebuild)
        # an analysis only marks the scene stale: on screen it is synced once the edit's change
        # set has come (apply_change), off screen when next shown or read (issue 13)
        context.analysis_changed.connect(self._on_analysis_changed)
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

    def refresh(self) -> None:
        """Bring the scene up to date (when shown after edits made while it was hidden)."""
        self.sync()

    def _sync_again(self) -> None:
        """Look at every box again and lay them all out afresh (other columns, done ones shown
        or hidden, Tidy)."""
        self._edits.lost()
        self._tidy_wanted = True
        self.sync()

    def tidy(self) -> None:
        """Put every box where a freshly opened Graph puts it (links kept short)."""
        self._sync_again()
        self._on_selection_changed(self.context.selected_action)

    def _set_tidy(self, tidy: bool) -> None:
        """Whether every box sits where a fresh layout puts it; if not, Tidy is offered."""
        self.tidy_button.setEnabled(not tidy)

    # commands ----------------------------------------------------------------------------
    def set_layout(self, by: str) -> None:
        """Columns by 'wave' or by 'phase'."""
        if by not in ("wave", "phase") or by == self.layout_by:
            return
        self.layout_by = by
        set_combo_quietly(self.layout_combo, 0 if by == "wave" else 1)
        self._sync_again()
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
        if needs == action:  # dropped back on itself: not a link
            return False
        if self.context.run(operations.add_dependency, action, needs) is None:
            return False
        plan = self.context.plan
        msg = (f"Added a link: '{plan.actions[action].title}' ({action}) now waits for "
               f"'{plan.actions[needs].title}' ({needs}). Undo reverses it.")
        self.banner.show_message(msg, "info")
        self.context.status_message.emit(msg)
        return True

    def _open_link_menu(self, action_id: str, pos: QPoint) -> None:
        """The box's link menu: at the pointer, or (from the keyboard) on the selected box."""
        if not action_id:
            action_id = self.context.selected_action or ""
            if action_id not in self.nodes:
                return
            pos = self.canvas.global_centre(self.nodes[action_id])
        self.link_menu(action_id).exec(pos)

    def link_menu(self, action_id: str) -> QMenu:
        """A menu of the action's links, each entry removing one (through the planner)."""
        plan = self.context.plan
        menu = QMenu(self)
        menu.setAccessibleName(f"Links of {action_id}")
        title = plan.actions[action_id].title
        for d in sorted(plan.predecessors(action_id), key=lambda d: d.needs):
            other = plan.actions[d.needs].title if d.needs in plan.actions else d.needs
            act = menu.addAction(f"Stop '{short(title)}' waiting for '{short(other)}' ({d.needs})")
            act.triggered.connect(lambda _c=False, uid=d.uid: self.remove_link(uid))
        for d in sorted(plan.successors(action_id), key=lambda d: d.action):
            other = plan.actions[d.action].title if d.action in plan.actions else d.action
            act = menu.addAction(f"Stop '{short(other)}' ({d.action}) waiting for '{short(title)}'")
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
        if self.context.run(operations.remove_dependency, uid) is None:
            return False
        msg = f"Removed the link: {d.action} no longer waits for {d.needs}. Undo puts it back."
        self.banner.show_message(msg, "info")
        self.context.status_message.emit(msg)
        return True

    def _on_selection_changed(self, action_id: str) -> None:
        if self._stale:  # boxes may be missing or out of date: select once synced
            self._select_pending = action_id
            return
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
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):  # the next box, over rows left free
            rows = self._rows[self._keys[ci]]
            down = key == Qt.Key.Key_Down
            near = [r for r in rows if (r > ri if down else r < ri)]
            cands = [rows[min(near) if down else max(near)]] if near else []
        else:
            col = ci + (1 if key == Qt.Key.Key_Right else -1)
            same = [(abs(g[1] - ri), a) for a, g in self._grid.items() if g[0] == col]
            cands = [min(same)[1]] if same else []
        if cands:
            self.context.select_action(cands[0])

    def node_centre(self, action_id: str) -> QPointF:
        """Scene position of the middle of an action's box (for tests and scripts)."""
        return self.nodes[action_id].sceneBoundingRect().center()

    def changeEvent(self, event) -> None:
        if event.type() == event.Type.PaletteChange:
            for h in self.headers:
                h.setBrush(self.palette().color(QPalette.ColorRole.WindowText))
        super().changeEvent(event)
