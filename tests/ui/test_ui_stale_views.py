"""A view off screen does no work on an edit and shows it when shown (issue 13).

An edit on a big plan used to redraw the Timeline and the Graph even when another view was on
screen. Now they are marked stale and brought up to date when the user shows them; what they
show must then be what a freshly opened view shows.
"""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from planner.dates import short_range  # noqa: E402
from tests.ui_helpers import shown  # noqa: E402
from ui.graph_view import GraphView  # noqa: E402
from ui.timeline_view import TimelineView  # noqa: E402


def timeline_picture(view: TimelineView) -> tuple:
    """Everything the Timeline draws from the plan: its rows, their bars, span and legend."""
    return ([(r.kind, r.label, r.colour.name(), r.action_id, r.start, r.finish, r.critical,
              r.percent, r.status, list(r.milestones)) for r in view.rows],
            {r.action_id: view.bar_rect(r.action_id) for r in view.rows if r.kind == "action"},
            view.origin, view.end, view.as_of, view.legend.text())


def graph_picture(view: GraphView) -> tuple:
    """Everything the Graph draws from the plan: its boxes, where they stand, links, markers."""
    return ({aid: (n.look, n.pos().toTuple(), n.selected) for aid, n in view.nodes.items()},
            dict(view.edges), sorted(view._critical_links), sorted(view.markers),
            sorted((h.text(), h.pos().toTuple()) for h in view.headers))


def fresh_pictures(qtbot, context) -> tuple:
    """What a freshly opened Timeline and Graph show for the plan as it is now."""
    t, g = shown(qtbot, TimelineView(context)), shown(qtbot, GraphView(context))
    pictures = timeline_picture(t), graph_picture(g)
    t.close()
    g.close()
    return pictures


def critical_pair(ctx) -> tuple[str, str]:
    path = [a for a in ctx.analysis.critical_path if ctx.plan.actions[a].status == "not started"]
    return path[0], path[1]


def build_all(window) -> tuple[TimelineView, GraphView]:
    for key in ("timeline", "graph", "actions"):
        window.show_view(key)
    return window.views["timeline"], window.views["graph"]


def count_work(monkeypatch, timeline: TimelineView, graph: GraphView) -> list[str]:
    """Record each rebuild of the Timeline's rows and each sync of the Graph's scene."""
    calls: list[str] = []
    rebuild, sync = timeline._rebuild_rows, graph._sync
    monkeypatch.setattr(timeline, "_rebuild_rows", lambda: (calls.append("timeline"), rebuild()))
    monkeypatch.setattr(graph, "_sync", lambda: (calls.append("graph"), sync()))
    return calls


def test_an_edit_while_actions_is_shown_redraws_neither_hidden_view_until_it_is_shown(
        window, qtbot, monkeypatch):
    ctx = window.context
    timeline, graph = build_all(window)
    assert window.current_view_key() == "actions"
    calls = count_work(monkeypatch, timeline, graph)
    first, successor = critical_pair(ctx)

    ctx.doc.update("action", first, duration=ctx.plan.actions[first].duration + 20)

    assert calls == []  # nothing redrawn off screen
    fresh_timeline, fresh_graph = fresh_pictures(qtbot, ctx)
    window.show_view("timeline")
    assert calls == ["timeline"]
    assert timeline_picture(timeline) == fresh_timeline
    row = ctx.analysis.rows[successor]
    window.show_view("graph")
    assert calls == ["timeline", "graph"]
    assert graph.nodes[successor].look.dates == short_range(row.start, row.finish)
    assert graph_picture(graph) == fresh_graph


def test_an_edit_while_timeline_is_shown_then_undone_elsewhere_shows_in_the_graph(
        window, qtbot, monkeypatch):
    ctx = window.context
    timeline, graph = build_all(window)
    window.show_view("timeline")
    calls = count_work(monkeypatch, timeline, graph)
    first, successor = critical_pair(ctx)
    before_timeline, before_graph = timeline_picture(timeline), graph_picture(graph)

    ctx.doc.update("action", first, duration=ctx.plan.actions[first].duration + 20)
    assert calls == ["timeline"]  # the view on screen only
    window.show_view("graph")
    assert graph_picture(graph) == fresh_pictures(qtbot, ctx)[1]
    assert graph_picture(graph) != before_graph

    window.show_view("actions")
    calls.clear()
    window.undo()
    assert calls == []
    window.show_view("graph")
    assert graph_picture(graph) == before_graph
    window.show_view("timeline")
    assert timeline_picture(timeline) == before_timeline
    assert calls == ["graph", "timeline"]


def test_an_action_selected_while_the_graph_is_stale_is_the_one_selected_when_shown(
        window, monkeypatch):
    ctx = window.context
    timeline, graph = build_all(window)
    first, successor = critical_pair(ctx)
    ctx.select_action(first)
    ctx.doc.update("action", first, duration=ctx.plan.actions[first].duration + 5)
    ctx.select_action(successor)  # while both are stale
    window.show_view("graph")
    assert [aid for aid, n in graph.nodes.items() if n.selected] == [successor]
    window.show_view("timeline")
    assert successor in timeline.canvas.accessibleDescription()
