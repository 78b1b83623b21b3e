"""The Graph view's scene kept in line with the plan and its latest analysis.

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

from types import SimpleNamespace

from PySide6.QtCore import QTimer

from graph.lists import common_ends, differing
from graph.overview_memo import positions_moved
from graph.snapshot import DONE
from planner import rules
from planner.changes import SETTINGS, ChangeSet
from planner.dates import short_range
from ui.graph_items import ActionNode, Link, LinkLayer, MilestoneMarker, NodeLook
from ui.graph_layout import NO_PHASE, MilestoneAnchors, milestone_tip

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


class GraphSync:
    """The part of the Graph view that brings its scene in line with the plan and its analysis:
    boxes, links, red links and diamonds made, restyled or taken away where edits changed them.
    Mixed into ``GraphView``, whose scene, items and records it keeps (``nodes``, ``edges``,
    ``links``, ``markers``, ``_columns``...); boxes are put in their places by ``GraphPlaces``."""

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
