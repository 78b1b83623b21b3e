"""The Graph view: actions as boxes laid out by wave (or phase), joined by their dependencies.

Boxes are tinted by the action's first challenge; critical actions and the links between them are
outlined in red; milestones are diamonds beside the action (or the last action of the initiative)
they mark. Click a box to select the action everywhere; drag from one box to another to make the
second wait for the first (the planner refuses a loop and the message shows in a banner); zoom
with Ctrl+wheel or + and -, pan by dragging the background; export to PNG or SVG.

Scene items are built once. After an edit to actions' fields the view looks only at the boxes
whose dates, critical flag or fields changed (the schedule's lists compared in C, the edits'
change sets for the fields) and at what hangs on them: a duration change repaints a few boxes
and the diamonds whose forecast moved. After links, boxes or settings changed it compares what
every item shows with the new analysis and touches only items that changed: a new link may
move the boxes whose wave changed, and only the links attached to them.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QFont, QImage, QKeySequence, QPainter, QPalette, QShortcut
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QGraphicsItem,
                               QGraphicsScene, QGraphicsSimpleTextItem, QLabel, QMenu, QPushButton,
                               QToolButton, QWidget)

from graph.overview_memo import EditsSince, positions_moved
from graph.snapshot import DONE
from planner import operations, places, rules
from planner.changes import SETTINGS, WHOLE, ChangeSet
from planner.model import ActionStatus
from ui.context import AppContext
from ui.graph_canvas import GraphCanvas
from ui.graph_items import HEADER_Y, ActionNode, Link, LinkLayer, MilestoneMarker, NodeLook
from ui.graph_layout import (NO_PHASE, MilestoneAnchors, cell_position, column_grid, column_heading,
                             milestone_tip, scene_rect)
from ui.view_common import (PlanView, hbox, id_key, page_layout, set_combo_quietly,
                            short)
from ui.widgets import UpToDate

_READS = ("title", "status", "challenges", "phase", "initiative")
"""The fields of an action the Graph reads besides its dates: what its box shows, its column
and place in it, the initiative a milestone may fall back on."""

_READ_KINDS = ("action", "dependency", "phase", SETTINGS)
"""Kinds of record whose edits the Graph hands to ``EditsSince`` (an action's fields: its box
alone; links, phases and settings: every box looked at)."""


def _field_changes(changes: tuple) -> SimpleNamespace:
    """A change set as ``EditsSince.note`` reads it: its field changes."""
    return SimpleNamespace(changes=changes)


__all__ = ["ActionNode", "GraphCanvas", "GraphView", "Link", "LinkLayer", "MilestoneMarker",
           "NodeLook"]


class GraphView(PlanView):
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
        self._dep_keys: set = set()
        self._links_dirty = False
        self._grid: dict[str, tuple[int, int]] = {}
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

        bar = hbox(layout_label, self.layout_combo, self.show_done, *buttons, 16, self.needs_label,
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
        """Look at every box again (other columns, done ones shown or hidden)."""
        self._edits.lost()
        self.sync()

    def _looks(self, d, which=None) -> dict[str, tuple[NodeLook, object]]:
        """What each box should show and its column: of every scheduled action shown, or of
        the ids ``which`` only. A box whose inputs did not change gets its own NodeLook back.

        Read from the schedule's lists (working-day numbers) rather than ``analysis.dates``,
        which builds 20,000 records and 40,000 dates on a big plan for a handful that changed.
        """
        actions = self.context.plan.actions
        if d.cal is not self._cal:  # the same day numbers are other dates now
            self._cal = d.cal
            self._date_text.clear()
            self._seen.clear()
        memo, seen, nodes = self._date_text, self._seen, self.nodes
        by_wave = self.layout_by == "wave"
        hide_done = not self.show_done.isChecked()
        es, ef, state, crit, to_date = d.es, d.ef, d.state, d.critical_set, d.cal.date
        waves = d.waves() if by_wave else None
        pos = d.pos
        out = {}
        for i, aid in (enumerate(d.ids) if which is None else
                       ((pos[a], a) for a in which if a in pos)):
            a = actions.get(aid)
            if a is None or (hide_done and state[i] == DONE):
                continue
            ch = a.challenges[0] if a.challenges else None  # rules.primary_challenge
            key = waves[i] if by_wave else (a.phase if a.phase is not None else NO_PHASE)
            s, f, critical = es[i], ef[i], i in crit
            sig = (s, f, critical, a.title, a.status, ch)
            node = nodes.get(aid)
            if node is not None and seen.get(aid) == sig:
                out[aid] = (node.look, key)
                continue
            seen[aid] = sig
            dates = memo.get((s, f))
            if dates is None:
                start, finish = to_date(s), to_date(f)
                dates = memo[(s, f)] = (
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
        self._anchors = MilestoneAnchors()
        self._edits.lost()
        self.links = LinkLayer()
        self.scene.addItem(self.links)

    def sync(self) -> None:
        """Bring the scene in line with the plan and its latest analysis, touching only what changed."""
        self._stale = False
        try:
            self._sync()
        finally:
            pending, self._select_pending = getattr(self, "_select_pending", None), None
            if pending:
                self._on_selection_changed(pending)

    def _sync(self) -> None:
        plan, analysis = self.context.plan, self.context.analysis
        if plan is None or analysis is None:
            self._edits.lost()
            if self.nodes:
                self._clear_scene()
            error = self.context.analysis_error
            if error:
                self.banner.show_message(error, "warning")
            return
        touched = self._edits.take(plan, analysis.data)
        try:
            if touched is None or not self._sync_in_place(plan, analysis.data, touched):
                self._sync_all(plan, analysis.data)
        except BaseException:
            self._edits.lost()  # items half updated: everything looked at again next time
            raise

    def _sync_all(self, plan, d) -> None:
        """Look at every box, link and milestone (after links, boxes or settings changed)."""
        looks = self._looks(d)
        structure_changed = False
        nodes_before = set(self.nodes)
        for aid in [a for a in self.nodes if a not in looks]:
            node = self.nodes.pop(aid)
            for m in list(node.milestones):
                self._remove_marker(m.milestone_id)
            self.scene.removeItem(node)
            structure_changed = True
        columns = {}
        nodes = self.nodes
        critical_changed = False  # a box turned critical or stopped being so
        reorder = False           # a box's first challenge changed: it orders its column
        for aid, (look, key) in looks.items():
            node = nodes.get(aid)
            if node is None:
                node = ActionNode(aid, look)
                nodes[aid] = node
                self.scene.addItem(node)
                node.selected = aid == self.context.selected_action
                structure_changed = True
            elif node.look is not look:  # _looks hands an unchanged box its own look back
                critical_changed = critical_changed or node.look.critical != look.critical
                reorder = reorder or node.look.challenge != look.challenge
                node.set_look(look)
            columns[aid] = key
        # Rebuilding 6,000 Link records costs ~10 ms: do it only when links or boxes came or went,
        # or a link itself was edited (plan_changed sets _links_dirty for that).
        if structure_changed or self._links_dirty or plan.dependencies.keys() != self._dep_keys:
            self._links_dirty = False
            self._dep_keys = set(plan.dependencies)
            links = {uid: Link(uid, dep.needs, dep.action, dep.type)
                     for uid, dep in plan.dependencies.items()
                     if dep.action in nodes and dep.needs in nodes}  # not self.nodes: UpToDate
            if links != self.edges:
                self.edges = links
                structure_changed = True
        moved: set = set()
        if structure_changed or reorder or columns != self._columns:
            self._columns = columns
            moved = self._layout()
        if moved or structure_changed:
            self.links.set_links(self.edges, self.nodes, moved)
        self._mark_critical_links(moved or structure_changed, critical_changed)
        self._sync_milestones(self._anchors.anchor_all(plan, d, self.nodes))
        if set(self.nodes) != nodes_before or self.needs_combo.count() == 0:
            self._refill_needs_combo()
        if getattr(self, "_fit_pending", False) and not nodes_before and self.isVisible():
            self._initial_view()  # the analysis of a big plan arrived after the plan opened

    def _sync_in_place(self, plan, d, touched: dict[str, set[str]]) -> bool:
        """After edits that kept the schedule's actions, links and calendar (``EditsSince``):
        update only the boxes whose dates, critical flag or fields moved, and what hangs on
        them. False when that cannot be done so (every box is then looked at)."""
        old, nodes = self._edits.old, self.nodes
        if old is None or not nodes or d.cal is not self._cal:
            return False
        was, now = old.state, d.state
        if any(was[i] == DONE or now[i] == DONE for i in positions_moved(old, d, ("state",))):
            return False  # done or not: the action's wave (every wave after it), hidden or shown
        finished = positions_moved(old, d, ("ef",))
        changed = positions_moved(old, d, ("es",)) | finished | (old.critical_set ^ d.critical_set)
        ids = d.ids
        names = {ids[i] for i in changed}
        names.update(aid for aid, fields in touched.items() if fields)
        looks = self._looks(d, names)
        if any((aid in looks) != (aid in nodes) for aid in names):
            return False  # a box to add or take away
        columns = self._columns
        critical_changed = relayout = False
        for aid, (look, key) in looks.items():
            node = nodes[aid]
            if node.look is not look:
                critical_changed = critical_changed or node.look.critical != look.critical
                relayout = relayout or node.look.challenge != look.challenge
                node.set_look(look)
            if columns[aid] != key:
                columns[aid] = key
                relayout = True
        moved = self._layout() if relayout else set()
        if moved:
            self.links.set_links(self.edges, nodes, moved)
        self._mark_critical_links(bool(moved), critical_changed)
        anchors = self._anchors
        if self._milestones_dirty or any("initiative" in fields for fields in touched.values()):
            self._sync_milestones(anchors.anchor_all(plan, d, nodes))
        else:  # a milestone may fall back on an initiative's last box: did that one change?
            moved_on = anchors.finishes_moved(plan, d, nodes, finished)
            self._sync_milestones(anchors.wanted if moved_on else None)
        self._retitle_needs_combo(plan, touched)
        return True

    def _mark_critical_links(self, redraw: bool, critical_changed: bool) -> None:
        """The red links: those between two critical boxes. They change only with the links,
        the boxes' places (``redraw``) or a box's critical flag."""
        if not (redraw or critical_changed):
            return
        edges, nodes = self.edges, self.nodes
        critical = frozenset(uid for uid, ln in edges.items()
                             if nodes[ln.needs].look.critical and nodes[ln.action].look.critical)
        if redraw or critical != self._critical_links:
            self._critical_links = critical
            self.links.set_critical([edges[u] for u in critical], nodes)

    def _on_analysis_changed(self) -> None:
        self._stale = True
        if self.isVisible():
            # an analysis with no edit after it (a plan opened, analysed again): synced soon;
            # after an edit, apply_change syncs first, knowing what the edit changed
            QTimer.singleShot(0, self.up_to_date)

    def apply_change(self, change: ChangeSet) -> None:
        # The analysis (analysis_changed) comes before the change set: the scene is synced here,
        # once the edits since its last sync are known. Records the Graph does not draw are
        # left out (a measure's value changes no box); milestones only mark the diamonds.
        self._edits.note(_field_changes(tuple(fc for fc in change.changes if fc.kind in _READ_KINDS)))
        if change.touches("milestone"):
            self._milestones_dirty = True
        # an edit of a link's fields keeps its key, so the links are compared again
        if change.fields_of("dependency") - {WHOLE}:
            self._links_dirty = True
        if self._stale or change.touches(*_READ_KINDS, "milestone"):
            self.refresh_when_shown()

    def _remove_marker(self, mid: str) -> None:
        m = self.markers.pop(mid, None)
        if m is None:
            return
        if m in m.anchor.milestones:
            m.anchor.milestones.remove(m)
        self.scene.removeItem(m)

    def _layout(self) -> set[str]:
        """Place boxes in columns (by wave or phase), ordered to keep links short; move only what moved."""
        d = self.context.analysis.data
        waves = dict(zip(d.ids, d.waves())) if self.layout_by == "phase" else {}
        keys, by_col, grid = column_grid(self._columns, self.edges, self.context.plan, waves,
                                         by_phase=self.layout_by == "phase")
        moved = []
        for aid, (ci, ri) in grid.items():
            node = self.nodes[aid]
            pos = cell_position(ci, ri)
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
            h = QGraphicsSimpleTextItem(column_heading(key, len(by_col[key]), self.layout_by == "wave"))
            h.setFont(font)
            h.setBrush(self.palette().color(QPalette.ColorRole.WindowText))
            h.setPos(cell_position(ci, 0).x(), HEADER_Y)
            self.scene.addItem(h)
            self.headers.append(h)
        self.scene.setSceneRect(scene_rect(len(keys), max([len(v) for v in by_col.values()] + [1])))
        return {node.action_id for node in moved}

    def _sync_milestones(self, wanted: dict[str, str] | None) -> None:
        """Diamonds beside their boxes, coloured by state. ``wanted``: milestone id -> the box
        each now sits beside (None: where they are). Only diamonds whose forecast or milestone
        changed are looked at (the engine hands an unchanged forecast back as the same object)."""
        plan, analysis = self.context.plan, self.context.analysis
        forecasts = analysis.milestones if analysis is not None else {}
        markers = self.markers
        if wanted is not None:
            moved = [mid for mid, m in markers.items() if wanted.get(mid) != m.anchor.action_id]
            boxes = {markers[mid].anchor.action_id for mid in moved}
            boxes.update(anchor for mid, anchor in wanted.items() if mid not in markers
                         or markers[mid].anchor.action_id != anchor)
            # every diamond beside a box that gains or loses one is placed again, in the
            # plan's order (as a fresh view places and stacks them)
            for mid in [mid for mid, m in markers.items() if m.anchor.action_id in boxes]:
                self._remove_marker(mid)
        else:
            wanted = self._anchors.wanted
        every = self._milestones_dirty
        self._milestones_dirty = False
        for mid, anchor in wanted.items():
            marker = markers.get(mid)
            f = forecasts.get(mid)
            if marker is None:
                node = self.nodes[anchor]
                marker = MilestoneMarker(mid, node)
                node.milestones.append(marker)
                markers[mid] = marker
                self.scene.addItem(marker)
                marker.place(len(node.milestones) - 1)
            elif f is marker.forecast and f is not None and not every:
                continue
            marker.forecast = f
            m = plan.milestones[mid]
            slip = (f.slip_days if f is not None else None) or 0
            state = rules.milestone_state(m, slip)
            forecast = f.forecast if f is not None else None
            sig = (m.title, m.baseline, forecast, slip, state)
            if marker.sig == sig:
                continue
            marker.sig = sig
            tip = milestone_tip(mid, m, forecast, slip)
            if (marker.state, marker.slip, marker.toolTip()) != (state, slip, tip):
                marker.state, marker.slip = state, slip
                marker.setToolTip(tip)
                marker.update()

    def _retitle_needs_combo(self, plan, touched: dict[str, set[str]]) -> None:
        """The prerequisite list names each action by its title: follow a renamed one."""
        combo = self.needs_combo
        for aid, fields in touched.items():
            if "title" in fields and aid in plan.actions:
                i = combo.findData(aid)
                if i >= 0:
                    combo.setItemText(i, f"{aid}  {plan.actions[aid].title}")

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

    def _add_link_from_form(self) -> None:
        action = self.context.selected_action
        needs = self.needs_combo.currentData()
        if needs is None:  # typed text: match an id or a title
            text = self.needs_combo.currentText().strip()
            i = self.needs_combo.findText(text, Qt.MatchFlag.MatchContains)
            needs = self.needs_combo.itemData(i) if i >= 0 else None
        if not action:
            self.context.refuse("Select the action that should wait first.")
        elif not needs:
            self.context.refuse("Choose the action it should wait for.")
        else:
            self.add_link(needs, action)

    def _refill_needs_combo(self) -> None:
        plan = self.context.plan
        self.needs_combo.blockSignals(True)
        self.needs_combo.clear()
        if plan is not None:  # every action, shown or not (a done one can still be waited for)
            for aid in sorted(plan.actions, key=id_key):
                if plan.actions[aid].status != ActionStatus.CANCELLED:
                    self.needs_combo.addItem(f"{aid}  {plan.actions[aid].title}", aid)
        self.needs_combo.setCurrentIndex(-1)
        self.needs_combo.blockSignals(False)

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
        self.up_to_date()
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

        self.up_to_date()
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
                                              str(places.start_folder(
                                                  self.context.doc.path if self.context.doc
                                                  else None) / f"{name} graph.{suffix}"),
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
