"""An edit made while the Graph is on screen shows what a freshly built Graph shows.

After an edit to actions' fields the Graph updates only the boxes whose dates, critical flag or
fields changed and the diamonds whose forecast moved (issue 13: on 20,000 actions it looked at
every box, link and milestone, ~135 ms an edit). After links or actions came or went, boxes that
stay in their column keep their places (laying 20,000 boxes out again took ~1.5 s) and Tidy is
offered. Each test edits through the operations the window calls, the Graph on screen, and after
every step compares everything the Graph shows (each box's look, column, tooltip; links, red
links, diamonds, headings, the prerequisite list) and the picture it renders with a new Graph
built on a fresh analysis of the plan whose boxes are put in the same places; after Tidy, with
a new Graph as it lays itself out.
"""

from __future__ import annotations

import datetime as dt
import shutil
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("pytestqt")

from PySide6.QtCore import QRectF  # noqa: E402
from PySide6.QtGui import QColor, QImage, QPainter  # noqa: E402

from planner import operations  # noqa: E402
from planner.document import PlanDocument  # noqa: E402
from planner.model import Milestone  # noqa: E402
from tests.conftest import SAMPLE  # noqa: E402
from ui.context import AppContext  # noqa: E402
from tests.ui_helpers import shown  # noqa: E402
from ui.graph_items import LinkLayer  # noqa: E402
from ui.graph_layout import cell_position  # noqa: E402
from ui.graph_view import GraphView  # noqa: E402

from test_ui_edit_on_screen import edits, fresh_context  # noqa: E402


def picture(view: GraphView) -> tuple:
    """Everything the Graph shows of the plan, item by item."""
    combo = view.needs_combo
    return ({aid: (n.look, n.pos().toTuple(), n.selected, n.toolTip())
             for aid, n in view.nodes.items()},
            dict(view.edges), sorted(view._critical_links),
            {mid: (m.anchor.action_id, m.pos().toTuple(), m.state, m.slip, m.toolTip())
             for mid, m in view.markers.items()},
            sorted((h.text(), h.pos().toTuple()) for h in view.headers),
            view.canvas.sceneRect().getRect(),
            [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())],
            curves(view.links))


def curves(layer: LinkLayer) -> tuple:
    """The grey and red curves as drawn: each chunk's bounds and paths, the red paths."""
    return ([(b.getRect(), fs, ss, heads) for b, fs, ss, heads in layer.chunks],
            layer.critical, layer.critical_heads, layer.boundingRect().getRect())


def put_like(ref: GraphView, view: GraphView) -> None:
    """Put the boxes of ``ref`` (a fresh Graph) in the places of those of ``view``, and with
    them its diamonds, headings, scene extent and curves, all drawn from nothing."""
    assert set(ref.nodes) == set(view.nodes)
    ref._keys = list(view._keys)
    ref._rows = {k: dict(rows) for k, rows in view._rows.items()}
    ref._grid = dict(view._grid)
    for aid, node in ref.nodes.items():
        node.setPos(cell_position(*ref._grid[aid]))
        for i, m in enumerate(node.milestones):
            m.place(i)
    ref._headings()
    ref.scene.removeItem(ref.links)
    ref.links = LinkLayer()
    ref.scene.addItem(ref.links)
    ref.links.set_links(ref.edges, ref.nodes, None)
    ref._mark_critical_links(True, True)


def well_placed(view: GraphView) -> None:
    """Each box in its column, at its own row, no two in one place; the rows kept agree."""
    cells = {}
    for aid, node in view.nodes.items():
        ci, ri = view._grid[aid]
        assert view._keys[ci] == view._columns[aid], aid
        assert view._rows[view._keys[ci]][ri] == aid, aid
        assert node.pos() == cell_position(ci, ri), aid
        assert cells.setdefault((ci, ri), aid) == aid, aid
    assert sum(len(r) for r in view._rows.values()) == len(view.nodes)
    assert all(view._rows[k] for k in view._keys) and set(view._keys) >= set(view._rows)


def rendered(view: GraphView) -> QImage:
    """The whole scene drawn at half size (boxes, curves, red links, diamonds)."""
    rect = view.canvas.sceneRect()
    image = QImage(int(rect.width() / 2), int(rect.height() / 2), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    p = QPainter(image)
    view._render(p, QRectF(image.rect()), rect)
    p.end()
    return image


def fresh(qtbot, ctx, like: GraphView, places: bool = True) -> tuple[tuple, QImage]:
    """What a new Graph of the plan shows, with the columns and done boxes of the one on screen
    (``places``: with its boxes where it lays them out; else where ``like`` has them)."""
    ref = fresh_context(ctx)
    ref.selected_action = ctx.selected_action
    view = shown(qtbot, GraphView(ref))
    view.set_layout(like.layout_by)
    view.show_done.setChecked(like.show_done.isChecked())
    if not places:
        put_like(view, like)
    got = picture(view), rendered(view)
    view.close()
    return got


def same_as_fresh(qtbot, ctx, view: GraphView, step, tidy: bool = True) -> None:
    """What ``view`` shows is what a fresh Graph shows (``tidy``: laid out as it lays itself
    out; else with its boxes in the places they keep in ``view``)."""
    well_placed(view)
    want, image = fresh(qtbot, ctx, view, places=tidy)
    got = picture(view)
    for part, (a, b) in enumerate(zip(got, want)):
        assert a == b, (step, part)
    assert rendered(view) == image, step


def graph_edits(ctx):
    """The window's edits (durations, progress, title, challenges, a link...), then edits the
    Graph draws in its own way: a milestone falling back on an initiative's last box, that box
    finishing earlier, a later action joining the initiative, an earlier actual start, an
    action moving phase, one done, a milestone's baseline, two diamonds beside one box, one on
    an initiative all done."""
    yield from edits(ctx)
    plan, an = ctx.plan, ctx.analysis
    open_ = [a for a in plan.actions.values() if a.status == "not started" and a.initiative]
    ini = open_[0].initiative
    last = max((a for a in plan.actions.values() if a.initiative == ini and a.id in an.dates),
               key=lambda a: an.dates[a.id].finish)
    yield PlanDocument.add, ("milestone", Milestone(id="M900", title="Initiative lands",
                                                    initiative=ini,
                                                    baseline=dt.date(2027, 1, 4))), {}
    yield operations.edit_action, (last.id,), {"duration": max(1, last.duration - 30)}
    an = ctx.analysis
    mover = max((a for a in open_ if a.initiative != ini), key=lambda a: an.dates[a.id].finish)
    assert an.dates[mover.id].finish > max(an.dates[a].finish for a in an.dates
                                           if plan.actions[a].initiative == ini)
    yield operations.edit_action, (mover.id,), {"initiative": ini}  # the milestone moves over
    started = next(a for a in plan.actions.values() if a.status == "in progress" and a.actual_start)
    yield operations.edit_action, (started.id,), {"actual_start": started.actual_start
                                                  - dt.timedelta(days=21)}
    yield operations.edit_action, (open_[2].id,), {"phase": 1}
    yield operations.edit_action, (open_[3].id,), {"status": "done", "percent": 100,
                                                  "actual_start": plan.settings.as_of,
                                                  "actual_finish": plan.settings.as_of}
    yield operations.edit_milestone, ("M900",), {"baseline": dt.date(2026, 12, 1)}
    # a second diamond beside a box, then the first one moved to another box: the second
    # takes the first one's place
    first = next(m for m in plan.milestones.values() if m.action in an.dates
                 and m.status == "planned")
    yield PlanDocument.add, ("milestone", Milestone(id="M902", title="Second diamond",
                                                    action=first.action)), {}
    yield operations.edit_milestone, (first.id,), {"action": mover.id}
    # every action of this initiative is done: with done boxes hidden the diamond has no box
    # (it used to stop the Graph with a KeyError)
    done_ini = next(i for i in sorted({a.initiative for a in plan.actions.values()} - {None})
                    if all(a.status == "done" for a in plan.actions.values() if a.initiative == i))
    yield PlanDocument.add, ("milestone", Milestone(id="M901", title="Done initiative",
                                                    initiative=done_ini)), {}


def applied(ctx, qtbot, steps):
    """Make each edit as the window does, let the window handle its events (as after a key),
    then hand it on."""
    for step in steps:
        operation, args, fields = step
        assert ctx.run(operation, *args, **fields) is not None, step
        qtbot.wait(1)
        yield step


@pytest.mark.parametrize("layout,show_done", [("wave", True), ("phase", False)])
def test_edits_with_the_graph_on_screen_show_what_a_fresh_graph_shows(window, qtbot, monkeypatch,
                                                                    layout, show_done):
    ctx = window.context
    window.show_view("graph")
    view = window.views["graph"]
    view.set_layout(layout)
    view.show_done.setChecked(show_done)
    ctx.select_action(ctx.analysis.critical_path[0])
    every_box = []
    sync_all = view._sync_all
    monkeypatch.setattr(view, "_sync_all", lambda *a: (every_box.append(1), sync_all(*a)))
    same_as_fresh(qtbot, ctx, view, "before")
    before = picture(view)
    steps = 0
    for step in applied(ctx, qtbot, graph_edits(ctx)):
        steps += 1
        # Tidy not offered: every box where a fresh Graph puts it
        same_as_fresh(qtbot, ctx, view, step, tidy=not view.tidy_button.isEnabled())
    # no edit laid every box out again (a cancelled action, a new link and a done action, which
    # moves its wave, did before): the boxes kept their places, and Tidy is offered
    assert not every_box
    assert view.tidy_button.isEnabled()
    view.tidy()
    assert not view.tidy_button.isEnabled()
    same_as_fresh(qtbot, ctx, view, "tidy")
    assert picture(view) != before
    for step in range(steps):
        window.undo()
        same_as_fresh(qtbot, ctx, view, ("undo", step), tidy=not view.tidy_button.isEnabled())
    view.tidy()
    assert picture(view) == before


def test_a_duration_edit_touches_only_the_boxes_it_moved(window, qtbot, monkeypatch):
    ctx = window.context
    window.show_view("graph")
    view = window.views["graph"]
    crit = [a for a in ctx.analysis.critical_path if ctx.plan.actions[a].status == "not started"]
    looks = {aid: n.look for aid, n in view.nodes.items()}
    every_box = []
    monkeypatch.setattr(view, "_sync_all", lambda *a: every_box.append(1))
    assert ctx.run(operations.edit_action, crit[-1], duration=ctx.plan.actions[crit[-1]].duration + 5)
    qtbot.wait(1)
    assert not every_box
    changed = {aid for aid, n in view.nodes.items() if n.look is not looks[aid]}
    assert crit[-1] in changed and len(changed) < len(looks) / 4
    same_as_fresh(qtbot, ctx, view, "duration")


STEPS = ("link", "link", "link", "unlink", "add", "delete", "duration", "done", "cancel", "undo",
         "undo", "redo", "show done", "tidy", "columns")


def _step(ctx, view: GraphView, what: str, data) -> None:
    """One thing a user does with the Graph on screen, through the window's operations."""
    plan = ctx.plan
    ids = sorted(plan.actions)
    pick = lambda seq: data.draw(st.sampled_from(sorted(seq)))  # noqa: E731
    if what == "link":  # may be refused (a loop, or a link already there): then nothing changes
        view.add_link(pick(ids), pick(ids))
    elif what == "unlink" and plan.dependencies:
        view.remove_link(pick(plan.dependencies))
    elif what == "add":
        ctx.run(operations.add_action_after, pick(ids), "Added by a test")
    elif what == "delete":
        ctx.run(operations.delete_action, pick(ids))
    elif what == "duration":
        aid = pick(ids)
        ctx.run(operations.edit_action, aid, duration=data.draw(st.integers(0, 60)))
    elif what == "done":
        ctx.run(operations.edit_action, pick(ids), status="done", percent=100,
                actual_start=plan.settings.as_of, actual_finish=plan.settings.as_of)
    elif what == "cancel":
        ctx.run(operations.edit_action, pick(ids), status="cancelled")
    elif what == "undo":
        ctx.undo()
    elif what == "redo":
        ctx.redo()
    elif what == "show done":
        view.show_done.setChecked(not view.show_done.isChecked())
    elif what == "tidy":
        view.tidy()
    elif what == "columns":
        view.set_layout("phase" if view.layout_by == "wave" else "wave")


@contextmanager
def sample_on_screen(qtbot, tmp_path_factory):
    """A copy of the sample plan open, its Graph on screen: (context, view); closed after."""
    copy = tmp_path_factory.mktemp("graph") / "northmoor.rcplan"
    shutil.copyfile(SAMPLE, copy)
    doc = PlanDocument.open(copy)
    try:
        ctx = AppContext(doc)
        view = shown(qtbot, GraphView(ctx))
        qtbot.wait(1)
        yield ctx, view
    finally:
        doc.close()


@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_random_edits_undos_and_redos_show_what_a_fresh_graph_shows(qtbot, tmp_path_factory, data):
    """Links and actions added and removed, durations, done and cancelled actions, Undo and
    Redo, Show done, Tidy and the columns, in random order: after each step the Graph shows
    what a fresh one shows with its boxes in the same places, and (when Tidy is not offered,
    e.g. after Tidy) where a fresh one lays them out."""
    with sample_on_screen(qtbot, tmp_path_factory) as (ctx, view):
        for n in range(data.draw(st.integers(6, 14))):
            what = data.draw(st.sampled_from(STEPS))
            _step(ctx, view, what, data)
            qtbot.wait(1)
            same_as_fresh(qtbot, ctx, view, (n, what), tidy=not view.tidy_button.isEnabled())
        view.tidy()
        same_as_fresh(qtbot, ctx, view, "tidy")
        view.close()


def test_a_new_link_between_boxes_that_stay_in_their_columns_moves_no_box(window, qtbot):
    """A link that leaves every box in its column draws that link and moves nothing; Undo
    takes it away and moves nothing either."""
    ctx = window.context
    window.show_view("graph")
    view = window.views["graph"]
    places = {aid: n.pos().toTuple() for aid, n in view.nodes.items()}
    columns = dict(view._columns)
    plan = ctx.plan
    pairs = [(a, b) for a in sorted(view.nodes) for b in sorted(view.nodes)
             if columns[a] < columns[b] and a != b
             and not any(d.needs == a and d.action == b for d in plan.dependencies.values())]
    for needs, action in pairs:
        before = len(plan.dependencies)
        if view.add_link(needs, action):
            qtbot.wait(1)
            if dict(view._columns) == columns:
                break
            window.undo()
            qtbot.wait(1)
        assert len(plan.dependencies) == before or dict(view._columns) == columns
    else:
        pytest.fail("no link leaves every box in its column")
    uid = next(u for u, d in plan.dependencies.items() if d.needs == needs and d.action == action)
    assert uid in view.edges
    assert {aid: n.pos().toTuple() for aid, n in view.nodes.items()} == places
    assert view.tidy_button.isEnabled()
    same_as_fresh(qtbot, ctx, view, "link", tidy=False)
    window.undo()
    qtbot.wait(1)
    assert uid not in view.edges
    assert {aid: n.pos().toTuple() for aid, n in view.nodes.items()} == places
    same_as_fresh(qtbot, ctx, view, "undo", tidy=False)


def test_boxes_that_change_column_come_and_go_take_their_links(window, qtbot):
    """The structural edits one by one, each then undone: a link that moves a box (and the boxes
    after it) to a later column, an action cancelled and then not (its box and links shown
    again), one deleted, one added and linked, one done while done boxes are hidden."""
    ctx = window.context
    window.show_view("graph")
    view = window.views["graph"]
    plan = ctx.plan

    def check(step):
        qtbot.wait(1)
        same_as_fresh(qtbot, ctx, view, step, tidy=not view.tidy_button.isEnabled())

    def linked(aid):
        return sum(aid in (d.action, d.needs) for d in plan.dependencies.values())

    columns = view._columns
    # a box with links of its own made to wait for one in its own column or a later one
    mover = next(a for a in sorted(view.nodes) if linked(a) >= 2 and ctx.plan.actions[a].status
                 == "not started")
    needs = next(n for n in sorted(view.nodes) if columns[n] >= columns[mover] and n != mover
                 and view.add_link(n, mover))
    qtbot.wait(1)
    assert columns[mover] > columns[needs]
    check("link moves a box")
    window.undo()
    check("undo link")
    window.redo()
    check("redo link")
    for operation, fields in ((operations.edit_action, {"status": "cancelled"}),
                              (operations.delete_action, {})):
        aid = next(a for a in sorted(view.nodes) if linked(a) >= 3)
        assert ctx.run(operation, aid, **fields)
        check(("gone", aid))
        assert aid not in view.nodes
        window.undo()
        check(("back", aid))
        assert view.links.links_at(aid)
    new = ctx.run(operations.add_action_after, mover).actions
    check("added")
    (new,) = new
    assert view.add_link(mover, new)
    check("new one linked")
    window.undo()
    window.undo()
    check("undo both")
    view.show_done.setChecked(False)
    check("done hidden")
    first = next(a for a in sorted(view.nodes) if linked(a) >= 2
                 and ctx.plan.actions[a].status == "not started")
    assert ctx.run(operations.edit_action, first, status="done", percent=100,
                   actual_start=plan.settings.as_of, actual_finish=plan.settings.as_of)
    check("one done, hidden")
    window.undo()
    check("not done again")


def _looked_at_by_id(view: GraphView, d, acts: set) -> tuple[set, set]:
    """The plain way to what ``_boxes_changed`` finds after actions came or went: every action
    whose dates, done state, critical flag or wave differ, matched by id (not by position);
    with those that came or went and those the change sets named. Also those two sets alone."""
    old = view._edits.old
    by_wave = view.layout_by == "wave"
    ow, nw = (old.waves(), d.waves()) if by_wave else (None, None)

    def look(s, w, i):
        return s.es[i], s.ef[i], s.state[i], i in s.critical_set, w[i] if by_wave else None

    came = set(d.ids) - set(old.ids)
    went = set(old.ids) - set(d.ids)
    moved = {aid for i, aid in enumerate(d.ids)
             if aid not in came and look(old, ow, old.pos[aid]) != look(d, nw, i)}
    return moved | came | went | acts, came | went


@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_boxes_looked_at_after_actions_come_or_go_are_those_that_changed(qtbot, tmp_path_factory,
                                                                          data):
    """After an action is added or deleted (or that is undone or redone) the Graph looks only at
    the boxes whose dates, state, critical flag or wave changed, matching the schedule's lists
    before and after the actions that came or went (not every box: ~40 ms on 20,000 actions):
    exactly those an action-by-action comparison finds, and the scene is what a fresh Graph
    shows."""
    with sample_on_screen(qtbot, tmp_path_factory) as (ctx, view):
        real = view._boxes_changed
        checked = []

        def checking(plan, d, acts):
            old = view._edits.old
            names = real(plan, d, acts)
            if (names is not None and acts is not None and old is not None
                    and old.ids is not d.ids and old.ids != d.ids):
                want, block = _looked_at_by_id(view, d, acts)
                assert want <= names, sorted(want - names)
                assert names <= want | block, sorted(names - want)
                checked.append(len(names))
            return names

        view._boxes_changed = checking
        steps = ["add"] + [data.draw(st.sampled_from(("add", "delete", "undo", "redo", "link",
                                                       "duration", "columns")))
                           for _ in range(data.draw(st.integers(3, 8)))]
        for n, what in enumerate(steps):
            d = ctx.analysis.data
            if what == "delete":  # one before critical actions, which then move up a place
                early = d.ids[:max(d.critical_set)]
                ctx.run(operations.delete_action, data.draw(st.sampled_from(sorted(early))))
            else:
                _step(ctx, view, what, data)
            qtbot.wait(1)
            if what in ("add", "delete"):
                same_as_fresh(qtbot, ctx, view, (n, what), tidy=not view.tidy_button.isEnabled())
        assert checked  # the first step added an action: followed box by box
        view.close()


def _near(view: GraphView, x: float, y: float) -> QImage:
    """The canvas, zoomed in, centred on a point of the scene: as the screen shows it (the
    items paint only what the viewport exposes of them)."""
    view.canvas.centerOn(x, y)
    return view.canvas.viewport().grab().toImage()


@settings(max_examples=4, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_a_part_of_the_graph_shows_every_link_that_crosses_it(qtbot, tmp_path_factory, data,
                                                              monkeypatch):
    """A repaint draws only the chunks of links whose bounds cross the part of the scene it
    paints (on 20,000 actions a view's repaint drew 14,800 links for 290 that crossed it): after
    random edits, the canvas zoomed in on each link's middle (its bow, for a link within one
    column) and on its arrowhead looks as it does when every chunk is drawn; and each chunk's
    bounds hold its curves and arrowheads as Qt bounds them."""
    with sample_on_screen(qtbot, tmp_path_factory) as (ctx, view):
        for _ in range(data.draw(st.integers(0, 4))):
            _step(ctx, view, data.draw(st.sampled_from(("link", "unlink", "add", "delete", "undo",
                                                         "redo", "done"))), data)
            qtbot.wait(1)
        layer = view.links
        for bounds, fs, ss, heads in layer.chunks:
            for path in (fs, ss):
                assert path.isEmpty() or bounds.contains(path.controlPointRect()), bounds
            assert bounds.contains(heads.boundingRect()), bounds
        spots = []
        for s, t, _link, _chunk, _bounds in layer._geom.values():
            sx, sy, c1, c2, tx, ty, _way = layer._controls(s, t)
            spots += [((sx + 3 * c1 + 3 * c2 + tx) / 8, (sy + ty) / 2), (tx, ty)]
        assert len(spots) > 100
        view.resize(420, 300)
        view.canvas.resetTransform()
        view.canvas.scale(8, 8)
        qtbot.wait(1)
        culled = [_near(view, x, y) for x, y in spots]
        everywhere = QRectF(-1e9, -1e9, 2e9, 2e9)
        monkeypatch.setattr(layer, "_rects", {c: everywhere for c in layer._rects})
        for n, (x, y) in enumerate(spots):
            assert _near(view, x, y) == culled[n], (n, x, y)
        view.close()
