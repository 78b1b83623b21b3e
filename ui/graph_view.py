"""The Graph view: actions as boxes laid out by wave (or phase), joined by their dependencies.

Boxes are tinted by the action's first challenge; critical actions and the links between them are
outlined in red; milestones are diamonds beside the action (or the last action of the initiative)
they mark. Click a box to select the action everywhere; drag from one box to another to make the
second wait for the first (the planner refuses a loop and the message shows in a banner); zoom
with Ctrl+wheel or + and -, pan by dragging the background; export to PNG or SVG.

Scene items are built once. After an edit to actions' fields the view looks only at the boxes
whose dates, critical flag or fields changed (the schedule's lists compared in C, the edits'
change sets for the fields) and at what hangs on them: a duration change repaints a few boxes
and the diamonds whose forecast moved. After links or boxes came or went, boxes that stay in
their column keep their places: a new link between them draws that link and restyles the boxes
and red links whose critical flag changed; a box that changes column (its wave moved) or is new
takes the free row of its new column nearest its prerequisites, and only its links are drawn
again; a box taken away leaves its row free. The layout is then no longer the one a fresh
Graph makes (boxes ordered to keep links short) and Tidy is offered, which lays every box out
afresh, as opening the plan, the Columns choice and Show done do.
"""

from __future__ import annotations

from bisect import bisect_left
from pathlib import Path
from types import SimpleNamespace

from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QFont, QImage, QKeySequence, QPainter, QPalette, QShortcut
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QGraphicsItem,
                               QGraphicsScene, QGraphicsSimpleTextItem, QLabel, QMenu, QPushButton,
                               QToolButton, QWidget)

from graph.lists import common_ends, differing
from graph.overview_memo import EditsSince, positions_moved
from graph.snapshot import DONE
from planner import operations, places, rules
from planner.changes import SETTINGS, ChangeSet
from planner.dates import short_range
from planner.model import ActionStatus
from ui.context import AppContext
from ui.graph_canvas import GraphCanvas
from ui.graph_items import (COL_GAP, HEADER_Y, NODE_H, NODE_W, ROW_GAP, ActionNode, Link, LinkLayer,
                            MilestoneMarker, NodeLook)
from ui.graph_layout import (NO_PHASE, MilestoneAnchors, cell_position, column_grid, column_heading,
                             milestone_tip, scene_rect)
from ui.view_common import (PlanView, chosen_action, hbox, id_key, page_layout,
                            set_combo_quietly, short)
from ui.widgets import UpToDate

_READS = ("title", "status", "challenges", "phase", "initiative")
"""The fields of an action the Graph reads besides its dates: what its box shows, its column
and place in it, the initiative a milestone may fall back on."""

_FEW = 64
"""At most this many actions added or removed in one place are followed box by box; more, and
every box is looked at."""

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
                dates = memo[(s, f)] = short_range(start, finish)
            out[aid] = (NodeLook(a.title, ch, critical, a.status, dates), key)
        return out

    def _clear_scene(self) -> None:
        self.scene.clear()
        self.nodes, self.edges, self.markers, self.headers = {}, {}, {}, []
        self._columns, self._grid, self._keys, self._rows = {}, {}, [], {}
        self._critical_links = frozenset()
        self._seen = {}
        self._ends, self._at, self._deps_noted, self._actions_noted = {}, {}, None, None
        self._tidy_wanted = True
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
        acts, self._actions_noted = self._actions_noted, set()
        try:
            if self._tidy_wanted or not self.nodes or self._deps_noted is None:
                self._sync_all(plan, analysis.data)
            elif touched is None or not self._sync_in_place(plan, analysis.data, touched):
                self._sync_structure(plan, analysis.data, acts)
        except BaseException:
            self._edits.lost()  # items half updated: everything looked at again next time
            self._tidy_wanted = True
            raise

    def _sync_all(self, plan, d) -> None:
        """Look at every box, link and milestone and lay every box out afresh (a plan opened,
        other columns, Show done, Tidy)."""
        self._tidy_wanted = False
        looks = self._looks(d)
        structure_changed = False
        nodes_before = set(self.nodes)
        for aid in [a for a in self.nodes if a not in looks]:
            self._drop_box(aid)
            structure_changed = True
        columns = {}
        nodes = self.nodes
        for aid, (look, key) in looks.items():
            node = nodes.get(aid)
            if node is None:
                self._add_box(aid, look)
                structure_changed = True
            elif node.look is not look:  # _looks hands an unchanged box its own look back
                node.set_look(look)
            columns[aid] = key
        # Rebuilding 60,000 Link records costs ~0.5 s: here only (a plan opened, Tidy...)
        self._deps_noted = set()
        self._ends = ends = {uid: (dep.action, dep.needs) for uid, dep in plan.dependencies.items()}
        at = self._at = {}
        for uid, (a, n) in ends.items():
            at.setdefault(a, set()).add(uid)
            at.setdefault(n, set()).add(uid)
        links = {uid: Link(uid, dep.needs, dep.action, dep.type)
                 for uid, dep in plan.dependencies.items()
                 if dep.action in nodes and dep.needs in nodes}  # not self.nodes: UpToDate
        if links != self.edges:
            self.edges = links
            structure_changed = True
        self._columns = columns
        moved = self._layout()
        if moved or structure_changed:
            self.links.set_links(self.edges, self.nodes, moved)
        self._mark_critical_links(True, True)
        self._sync_milestones(self._anchors.anchor_all(plan, d, self.nodes))
        self._sync_needs_combo(plan, refill=set(self.nodes) != nodes_before)
        self._set_tidy(True)
        if getattr(self, "_fit_pending", False) and not nodes_before and self.isVisible():
            self._initial_view()  # the analysis of a big plan arrived after the plan opened

    def _add_box(self, aid: str, look: NodeLook) -> ActionNode:
        node = ActionNode(aid, look)
        self.nodes[aid] = node
        self.scene.addItem(node)
        node.selected = aid == self.context.selected_action
        return node

    def _drop_box(self, aid: str) -> None:
        """Take a box, its diamonds and its row away (its links are the caller's)."""
        node = self.nodes.pop(aid)
        for m in list(node.milestones):
            self._remove_marker(m.milestone_id)
        self.scene.removeItem(node)
        self._columns.pop(aid, None)
        self._free_row(aid)

    def _free_row(self, aid: str) -> None:
        cell = self._grid.pop(aid, None)
        if cell is not None:
            rows = self._rows.get(self._keys[cell[0]])
            if rows is not None and rows.get(cell[1]) == aid:
                del rows[cell[1]]

    def _sync_structure(self, plan, d, acts: set | None) -> None:
        """After links or boxes came or went (or a box changed column): boxes that stay in
        their column keep their places; a box new to a column takes the free row nearest its
        prerequisites' rows; only the links of boxes that moved, came or went are drawn again
        (on 20,000 actions laying every box out and drawing 60,000 links took ~1.5 s). The
        layout is then no longer the tidy one: Tidy is offered. ``acts``: the actions the
        change sets since named (None: not known)."""
        names = self._boxes_changed(plan, d, acts)
        looks = self._looks(d, names)
        nodes, columns = self.nodes, self._columns
        gone = [a for a in (nodes if names is None else names) if a in nodes and a not in looks]
        drop: set[str] = set()
        for aid in gone:
            for uid in self.links.links_at(aid):
                drop.add(uid)
                self.edges.pop(uid, None)
            self._drop_box(aid)
        added, to_place, flipped = [], [], set()
        untidy = bool(gone)
        for aid, (look, key) in looks.items():
            node = nodes.get(aid)
            if node is None:
                self._add_box(aid, look)
                added.append(aid)
            elif node.look is not look:
                if node.look.critical != look.critical:
                    flipped.add(aid)
                untidy = untidy or node.look.challenge != look.challenge
                node.set_look(look)
            if columns.get(aid) != key:
                columns[aid] = key
                to_place.append(aid)
        add, dropped = self._reconcile_links(plan, added)
        drop |= dropped
        moved = self._place(to_place, removed=bool(gone))
        self.links.update_links(nodes, add.values(), drop - add.keys(), moved)
        self._mark_some_critical_links(flipped | set(added), add.keys(), drop, moved)
        anchors = self._anchors
        if names is None or acts or gone or added or self._milestones_dirty:
            self._sync_milestones(anchors.anchor_all(plan, d, nodes))
        else:  # links alone changed: a milestone on an initiative's last box may move
            finished = positions_moved(self._edits.old, d, ("ef",))
            self._sync_milestones(anchors.wanted if anchors.finishes_moved(plan, d, nodes, finished)
                                  else None)
        self._sync_needs_combo(plan, names=acts)
        if untidy or moved or add or drop:
            self._set_tidy(False)

    def _boxes_changed(self, plan, d, acts: set | None) -> set[str] | None:
        """The actions whose box may have changed since the last sync, when the schedule kept
        its calendar and its actions or gained or lost a few in one place (an action added,
        deleted, or that undone): those whose dates, done state, critical flag or wave moved
        (the schedule's lists compared in C, before and after those that came or went, whose
        places then differ by their number) and those ``acts`` names; None: every box."""
        old = self._edits.old
        if acts is None or old is None or d.cal is not self._cal:
            return None
        ids, was = d.ids, old.ids
        n, m = len(ids), len(was)
        if was is ids or was == ids:
            p, s = n, 0
        else:  # actions came or went: the lists still agree before and after them
            p, s = common_ends(was, ids)
            if n - p - s > _FEW or m - p - s > _FEW:
                return None
        changed: set[int] = set()
        lists = [(old.es, d.es), (old.ef, d.ef), (old.state, d.state)]
        if self.layout_by == "wave":
            lists.append((old.waves(), d.waves()))
        for a, b in lists:
            if a is not b:
                changed.update(differing(a, b, p, s))
        shift = m - n  # an old position past the block is this much further on
        crit = {i if i < p else i - shift for i in old.critical_set if i < p or i >= m - s}
        changed.update(i for i in crit.symmetric_difference(d.critical_set)
                       if i < p or i >= n - s)
        names = {ids[i] for i in changed}
        names.update(ids[p:n - s])   # the block's actions, new or moved
        names.update(was[p:m - s])   # and those it held before (gone or moved)
        names.update(acts)
        return names

    def _reconcile_links(self, plan, added: list[str]) -> tuple[dict[str, Link], set[str]]:
        """The links to draw anew (uid -> Link) and to take away, from the links the change sets
        named, those the plan gained or lost, and those of the boxes ``added``."""
        deps, ends, at, edges, nodes = plan.dependencies, self._ends, self._at, self.edges, self.nodes
        noted, self._deps_noted = self._deps_noted, set()
        names = set(noted) if noted is not None else set(deps)
        # every edit reaches the view as a change set: after those links the counts agree,
        # else the plan's links and those seen are compared (60,000 keys: ~10 ms)
        if len(deps) != len(ends) + sum((u in deps) - (u in ends) for u in names):
            names.update(deps.keys() - ends.keys())
            names.update(ends.keys() - deps.keys())
        for aid in added:  # boxes shown again: their links, named by no change set
            names.update(at.get(aid, ()))
        add: dict[str, Link] = {}
        drop: set[str] = set()
        for uid in names:
            was = ends.pop(uid, None)
            if was is not None:
                for end in was:
                    uids = at.get(end)
                    if uids is not None:
                        uids.discard(uid)
                        if not uids:
                            del at[end]
            dep = deps.get(uid)
            link = None
            if dep is not None:
                ends[uid] = (dep.action, dep.needs)
                at.setdefault(dep.action, set()).add(uid)
                at.setdefault(dep.needs, set()).add(uid)
                if dep.action in nodes and dep.needs in nodes:
                    link = Link(uid, dep.needs, dep.action, dep.type)
            if link is None:
                if edges.pop(uid, None) is not None:
                    drop.add(uid)
            elif edges.get(uid) != link:
                edges[uid] = link
                add[uid] = link
        return add, drop

    def _place(self, boxes: list[str], removed: bool = False) -> set[str]:
        """Put ``boxes`` (new, or in another column now) in their columns, each in the free row
        nearest the average row of its prerequisites (the end of its column if it has none);
        every other box keeps its row (``removed``: boxes were taken away, leaving their rows
        free). Returns the ids of the boxes that moved."""
        grid, rows_of, columns, nodes = self._grid, self._rows, self._columns, self.nodes
        for aid in boxes:
            self._free_row(aid)
        keys = sorted({k for k, rows in rows_of.items() if rows} | {columns[a] for a in boxes},
                      key=lambda k: (k is None, k))
        moved: set[str] = set()
        if keys != self._keys:  # a column came or went: the columns after it move sideways
            index = {k: ci for ci, k in enumerate(keys)}
            for key, rows in list(rows_of.items()):
                if not rows:
                    del rows_of[key]
                    continue
                ci = index[key]
                if ci != self._keys.index(key):
                    for ri, aid in rows.items():
                        grid[aid] = (ci, ri)
                        nodes[aid].setPos(cell_position(ci, ri))
                        moved.add(aid)
            self._keys = keys
        index = {k: ci for ci, k in enumerate(keys)}
        ends, at = self._ends, self._at
        for aid in sorted(boxes, key=lambda a: (index[columns[a]], id_key(a))):
            key = columns[aid]
            rows = rows_of.setdefault(key, {})
            above = [grid[n][1] for n in (ends[u][1] for u in at.get(aid, ()) if ends[u][0] == aid)
                     if n in grid]
            if above:
                want = int(round(sum(above) / len(above)))
            else:
                want = max(rows) + 1 if rows else 0
            ri = next(r for step in range(len(rows) + 2)
                      for r in (want + step, want - step) if r >= 0 and r not in rows)
            rows[ri] = aid
            ci = index[key]
            grid[aid] = (ci, ri)
            nodes[aid].setPos(cell_position(ci, ri))
            moved.add(aid)
        for aid in moved:
            for i, m in enumerate(nodes[aid].milestones):
                m.place(i)
        if boxes or moved or removed:
            self._headings()
        return moved

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
        flipped, to_place, untidy = set(), [], False
        for aid, (look, key) in looks.items():
            node = nodes[aid]
            if node.look is not look:
                if node.look.critical != look.critical:
                    flipped.add(aid)
                untidy = untidy or node.look.challenge != look.challenge
                node.set_look(look)
            if columns[aid] != key:
                columns[aid] = key
                to_place.append(aid)
        moved = self._place(to_place)
        if moved:
            self.links.update_links(nodes, moved=moved)
        self._mark_some_critical_links(flipped, (), (), moved)
        if untidy or moved:
            self._set_tidy(False)
        anchors = self._anchors
        if self._milestones_dirty or any("initiative" in fields for fields in touched.values()):
            self._sync_milestones(anchors.anchor_all(plan, d, nodes))
        else:  # a milestone may fall back on an initiative's last box: did that one change?
            moved_on = anchors.finishes_moved(plan, d, nodes, finished)
            self._sync_milestones(anchors.wanted if moved_on else None)
        self._retitle_needs_combo(plan, touched)
        return True

    def _mark_critical_links(self, redraw: bool, critical_changed: bool) -> None:
        """The red links: those between two critical boxes, all looked at (``redraw``: the
        boxes moved or the links changed; else only when a box's critical flag changed)."""
        if not (redraw or critical_changed):
            return
        edges, nodes = self.edges, self.nodes
        critical = frozenset(uid for uid, ln in edges.items()
                             if nodes[ln.needs].look.critical and nodes[ln.action].look.critical)
        if redraw or critical != self._critical_links:
            self._critical_links = critical
            self.links.set_critical([edges[u] for u in sorted(critical)], nodes)

    def _mark_some_critical_links(self, boxes, added, dropped, moved) -> None:
        """The red links after a few changes: the links of ``boxes`` (whose critical flag
        changed, or new) and the links ``added`` looked at again, ``dropped`` taken away; the
        red curves drawn again when that changed them or a box of theirs ``moved``."""
        edges, nodes, links = self.edges, self.nodes, self.links
        critical = set(self._critical_links)
        critical.difference_update(dropped)
        names = set(added)
        for aid in boxes:
            names.update(links.links_at(aid))
        for uid in names:
            ln = edges.get(uid)
            if ln is not None and nodes[ln.needs].look.critical and nodes[ln.action].look.critical:
                critical.add(uid)
            else:
                critical.discard(uid)
        if critical != self._critical_links or any(
                edges[u].needs in moved or edges[u].action in moved for u in critical):
            self._critical_links = frozenset(critical)
            self.links.set_critical([edges[u] for u in sorted(critical)], nodes)

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
        if self._deps_noted is not None:  # links added, removed or edited: looked at again
            self._deps_noted.update(change.records.get("dependency", ()))
        if change.touches(SETTINGS, "phase"):
            self._actions_noted = None
        elif self._actions_noted is not None:
            self._actions_noted.update(change.records.get("action", ()))
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
        self._keys = keys
        self._rows = {key: dict(enumerate(members)) for key, members in by_col.items()}
        for node in moved:
            for i, m in enumerate(node.milestones):
                m.place(i)
        self._headings(afresh=True)
        return {node.action_id for node in moved}

    def _headings(self, afresh: bool = False) -> None:
        """Column headings (each column's key and number of boxes) and the scene's extent
        (``afresh``: every box was laid out again)."""
        for h in self.headers:
            self.scene.removeItem(h)
        self.headers = []
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        for ci, key in enumerate(self._keys):
            h = QGraphicsSimpleTextItem(column_heading(key, len(self._rows[key]),
                                                       self.layout_by == "wave"))
            h.setFont(font)
            h.setBrush(self.palette().color(QPalette.ColorRole.WindowText))
            h.setPos(cell_position(ci, 0).x(), HEADER_Y)
            self.scene.addItem(h)
            self.headers.append(h)
        rect = scene_rect(len(self._keys), max([max(r) + 1 for r in self._rows.values() if r] + [1]))
        self.canvas.setSceneRect(rect)  # what can be scrolled to and shown: the graph itself
        # the scene's own rect bounds its index of items, which Qt builds again over every box
        # when that rect changes (~100 ms on 20,000 boxes, after a link that makes a new
        # column): it only grows, by a few columns and rows at a time, until laid out afresh
        have = self.scene.sceneRect()
        if afresh or not have.contains(rect):
            self.scene.setSceneRect(rect if afresh else have.united(rect.adjusted(
                0, 0, 2 * (NODE_W + COL_GAP), 32 * (NODE_H + ROW_GAP))))

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
                    text = f"{aid}  {plan.actions[aid].title}"
                    combo.setItemText(i, text)
                    self._combo_text[aid] = text

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
        if not action:
            self.context.refuse("Select the action that should wait first.")
            return
        needs, why_not = self._chosen_prerequisite()
        if needs is None:
            self.context.refuse(why_not)
        else:
            self.add_link(needs, action)

    def _chosen_prerequisite(self) -> tuple[str | None, str]:
        """The action the prerequisite box names, or None and why not (``chosen_action``)."""
        plan = self.context.plan
        return chosen_action(self.needs_combo, getattr(self, "_combo_text", {}),
                             lambda aid: plan.actions[aid].title)

    def _refill_needs_combo(self) -> None:
        self._sync_needs_combo(self.context.plan, refill=True)

    def _sync_needs_combo(self, plan, refill: bool = False, names=None) -> None:
        """The prerequisite list: every action, shown or not (a done one can still be waited
        for), but the cancelled, by id. Only actions that came, went or were renamed are put in
        or taken out (of ``names`` only, when given), unless ``refill`` or many changed."""
        combo = self.needs_combo
        have = getattr(self, "_combo_text", None)
        actions = plan.actions if plan is not None else {}
        if names is not None and have is not None and not refill and combo.count() == len(have):
            want = dict(have)
            for aid in names:
                a = actions.get(aid)
                if a is None or a.status == ActionStatus.CANCELLED:
                    want.pop(aid, None)
                else:
                    want[aid] = f"{aid}  {a.title}"
            changed = [aid for aid in names if want.get(aid) != have.get(aid)]
            gone = [aid for aid in changed if aid in have]
            new = [aid for aid in changed if aid in want]
        else:
            want = {aid: f"{aid}  {a.title}" for aid, a in actions.items()
                    if a.status != ActionStatus.CANCELLED}
            if have is None or refill or combo.count() != len(have):
                have = None
            else:
                gone = [aid for aid, text in have.items() if want.get(aid) != text]
                new = [aid for aid, text in want.items() if have.get(aid) != text]
        if have is not None and len(gone) + len(new) > 200:
            have = None
        combo.blockSignals(True)
        try:
            if have is None:
                order = sorted(want, key=id_key)
                combo.clear()
                for aid in order:
                    combo.addItem(want[aid], aid)
                combo.setCurrentIndex(-1)
            elif gone or new:
                order = self._combo_order
                keys = self._combo_keys
                for aid in gone:
                    i = bisect_left(keys, id_key(aid))
                    del order[i], keys[i]
                    combo.removeItem(i)
                for aid in new:
                    k = id_key(aid)
                    i = bisect_left(keys, k)
                    order.insert(i, aid)
                    keys.insert(i, k)
                    combo.insertItem(i, want[aid], aid)
        finally:
            combo.blockSignals(False)
        if have is None:
            self._combo_order = order
            self._combo_keys = [id_key(a) for a in order]
        self._combo_text = want

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
