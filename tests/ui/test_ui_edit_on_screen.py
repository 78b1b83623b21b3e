"""An edit made while the Overview or the Timeline is on screen shows exactly what a freshly built
view shows (issue 13: they now work again only on what an edit can change: the warnings and
tiles an edit touches, the rows whose dates or fields moved).

Each test edits through the operations the window calls (``context.run`` with
``planner.operations``, the window's Undo and Redo), the view on screen, and after every step
compares everything the view shows with a new view built on a fresh analysis of the plan.
"""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

import graph  # noqa: E402
from planner import operations  # noqa: E402
from tests.ui_helpers import shown  # noqa: E402
from ui.context import AppContext  # noqa: E402
from ui.overview_view import OverviewView  # noqa: E402
from ui.timeline_view import TimelineView  # noqa: E402

from test_ui_stale_views import timeline_picture  # noqa: E402


def fresh_context(ctx: AppContext) -> AppContext:
    """A context on the same plan with an analysis worked out from nothing (no edits kept)."""
    ref = AppContext()
    ref.doc = ctx.doc  # read only: no listener, so the window's edits reach it only through here
    ref.analysis = graph.analyse(ctx.plan)
    return ref


def _items(lst) -> list:
    from PySide6.QtCore import Qt

    return [(lst.item(i).text(), lst.item(i).data(Qt.ItemDataRole.UserRole),
             lst.item(i).toolTip(), lst.item(i).foreground().color().name())
            for i in range(lst.count())]


def overview_picture(view: OverviewView) -> tuple:
    """Everything the Overview shows: each tile, the finish line, milestones and warnings."""
    return ([(t.summary, t.stages, t.describe(), t.toolTip()) for t in view.tiles.values()],
            view.finish_label.text(), _items(view.milestones), _items(view.warnings))


def fresh_overview(qtbot, ctx: AppContext) -> tuple:
    view = shown(qtbot, OverviewView(fresh_context(ctx)))
    picture = overview_picture(view)
    view.close()
    return picture


def fresh_timeline(qtbot, ctx: AppContext, like: TimelineView) -> tuple:
    """A new Timeline of the plan, with the baseline and zoom of the one on screen."""
    view = shown(qtbot, TimelineView(fresh_context(ctx)))
    view.baseline, view.baseline_label = like.baseline, like.baseline_label
    view.set_scale(like.scale)
    view.set_grouping(like.grouping)
    view._edits.lost()  # every row again, with that baseline
    view.refresh()
    picture = timeline_picture(view)
    view.close()
    return picture


def edits(ctx: AppContext):
    """The edits a user makes, each an operation the window calls: durations of actions on the
    critical path and off it, progress, status, owner, title, challenges, deadline, a link."""
    plan, an = ctx.plan, ctx.analysis
    crit = [a for a in an.critical_path if plan.actions[a].status == "not started"]
    other = [a for a in plan.actions if a not in an.critical_path
             and plan.actions[a].status == "not started"]
    people = sorted(plan.people)
    first, late = crit[0], other[-1]
    yield operations.edit_action, (first,), {"duration": plan.actions[first].duration + 15}
    yield operations.edit_action, (late,), {"duration": plan.actions[late].duration + 40}
    yield operations.edit_action, (first,), {"percent": 60, "status": "in progress",
                                            "actual_start": ctx.plan.settings.as_of}
    yield operations.edit_action, (late,), {"owner": people[0]}
    yield operations.edit_action, (crit[1],), {"title": "Renamed on screen"}
    yield operations.edit_action, (other[0],), {"challenges": [7, 2]}
    yield operations.edit_action, (crit[1],), {"deadline": ctx.plan.settings.as_of}
    yield operations.edit_action, (other[1],), {"status": "cancelled"}
    yield operations.add_dependency, (other[2], crit[-1]), {}
    yield operations.edit_action, (crit[-1],), {"duration": plan.actions[crit[-1]].duration + 3}


def test_edits_with_the_overview_on_screen_show_what_a_fresh_overview_shows(window, qtbot):
    ctx = window.context
    window.show_view("overview")
    view = window.views["overview"]
    assert overview_picture(view) == fresh_overview(qtbot, ctx)
    before = overview_picture(view)
    done = 0
    for operation, args, fields in edits(ctx):
        assert ctx.run(operation, *args, **fields) is not None, (operation, args, fields)
        done += 1
        assert overview_picture(view) == fresh_overview(qtbot, ctx), (args, fields)
    assert overview_picture(view) != before
    for _ in range(done):
        window.undo()
        assert overview_picture(view) == fresh_overview(qtbot, ctx)
    assert overview_picture(view) == before
    for _ in range(3):
        window.redo()
        assert overview_picture(view) == fresh_overview(qtbot, ctx)


@pytest.mark.parametrize("grouping", ["challenge", "initiative"])
def test_edits_with_the_timeline_on_screen_show_what_a_fresh_timeline_shows(window, qtbot,
                                                                          grouping):
    ctx = window.context
    window.show_view("timeline")
    view = window.views["timeline"]
    view.set_grouping(grouping)
    ctx.select_action(ctx.analysis.critical_path[0])
    assert timeline_picture(view) == fresh_timeline(qtbot, ctx, view)
    before = timeline_picture(view)
    done = 0
    for operation, args, fields in edits(ctx):
        assert ctx.run(operation, *args, **fields) is not None, (operation, args, fields)
        done += 1
        qtbot.wait(1)  # the window handles its events, as after a key
        assert timeline_picture(view) == fresh_timeline(qtbot, ctx, view), (args, fields)
    assert timeline_picture(view) != before
    for _ in range(done):
        window.undo()
        assert timeline_picture(view) == fresh_timeline(qtbot, ctx, view)
    assert timeline_picture(view) == before
