"""An edit made while the Graph is on screen shows exactly what a freshly built Graph shows.

After an edit to actions' fields the Graph updates only the boxes whose dates, critical flag or
fields changed and the diamonds whose forecast moved (issue 13: on 20,000 actions it looked at
every box, link and milestone, ~135 ms an edit). Each test edits through the operations the
window calls, the Graph on screen, and after every step compares everything the Graph shows
(each box's look, place, tooltip; links, red links, diamonds, headings, the prerequisite list)
and the picture it renders with a new Graph built on a fresh analysis of the plan.
"""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QRectF  # noqa: E402
from PySide6.QtGui import QColor, QImage, QPainter  # noqa: E402

from planner import operations  # noqa: E402
from planner.document import PlanDocument  # noqa: E402
from planner.model import Milestone  # noqa: E402
from tests.ui_helpers import shown  # noqa: E402
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
            view.scene.sceneRect().getRect(),
            [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())])


def rendered(view: GraphView) -> QImage:
    """The whole scene drawn at half size (boxes, curves, red links, diamonds)."""
    rect = view.scene.sceneRect()
    image = QImage(int(rect.width() / 2), int(rect.height() / 2), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    p = QPainter(image)
    view._render(p, QRectF(image.rect()), rect)
    p.end()
    return image


def fresh(qtbot, ctx, like: GraphView) -> tuple[tuple, QImage]:
    """What a new Graph of the plan shows, with the columns and done boxes of the one on screen."""
    ref = fresh_context(ctx)
    ref.selected_action = ctx.selected_action
    view = shown(qtbot, GraphView(ref))
    view.set_layout(like.layout_by)
    view.show_done.setChecked(like.show_done.isChecked())
    got = picture(view), rendered(view)
    view.close()
    return got


def same_as_fresh(qtbot, ctx, view: GraphView, step) -> None:
    want, image = fresh(qtbot, ctx, view)
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
        same_as_fresh(qtbot, ctx, view, step)
    # only a cancelled action, a new link and a done action (its wave) made it look at every box
    assert len(every_box) == 3
    assert picture(view) != before
    for step in range(steps):
        window.undo()
        same_as_fresh(qtbot, ctx, view, ("undo", step))
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
