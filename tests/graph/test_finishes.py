"""An action's scheduled finish has one definition, ``Analysis.finishes``: a read-only mapping
read from the schedule when asked, which the tiles' RAG (``OverviewMemo``), the Overview's
deadline line and the deck (``reports.facts.Schedule.finishes``) all read. Here it is compared
with the plain dict of every scheduled action's finish, after random edits made as the window
makes them (cancelled actions, actions added and deleted, Undo and Redo)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_graph_properties import DERANDOMIZE, SCALE
from test_milestone_memo import follow_edits
from test_overview_memo import _edit, opened, plans

import graph
from graph.analysis import Finishes
from planner import operations
from planner.model import ActionStatus, Plan
from reports import facts


def plain_finishes(plan: Plan, an) -> dict[str, date]:
    """Every scheduled action's finish, as a dict: the schedule's own early finishes turned into
    dates, one by one, and the same as a fresh analysis's rows give."""
    d = an.data
    plain = {aid: an.calendar.date(d.ef[i]) for i, aid in enumerate(d.ids)}
    fresh = graph.analyse(plan)
    assert plain == {aid: row.finish for aid, row in fresh.rows.items()}
    return plain


def same_finishes(plan: Plan, an) -> None:
    got = an.finishes
    plain = plain_finishes(plan, an)
    assert isinstance(got, Finishes)
    live = [a.id for a in plan.actions.values() if a.status != ActionStatus.CANCELLED]
    assert list(got) == list(plain) == live  # cancelled actions absent, in the plan's order
    assert len(got) == len(plain)
    assert dict(got) == plain and dict(got.items()) == plain and got == plain
    assert list(got.values()) == list(plain.values())
    for aid in plan.actions:
        assert (aid in got) == (aid in plain)
        assert got.get(aid) == plain.get(aid)
        if aid in plain:
            assert got[aid] == plain[aid]
        else:
            with pytest.raises(KeyError):
                got[aid]
    assert "A999" not in got and got.get("A999", "none") == "none"
    with pytest.raises(KeyError):
        got["A999"]


@settings(deadline=None, max_examples=80 * SCALE, derandomize=DERANDOMIZE,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(plans(), st.data())
def test_finishes_equal_every_actions_finish_after_edits(plan, data):
    """After every edit the window's analysis's finishes are the plain dict of every scheduled
    action's finish, whichever way they are read."""
    with opened(plan) as doc:
        follow_edits(doc, data, _edit, same_finishes, lambda: data.draw(st.integers(0, 7)) == 0,
                     12, first=lambda an: same_finishes(doc.plan, an))


def test_a_deleted_and_a_cancelled_action_have_no_finish(doc):
    """After an action is deleted (its position left in the engine until the next compile) and
    another cancelled, neither has a finish, and every other action keeps the one a fresh
    analysis gives."""
    sched = graph.Scheduler(doc.plan)
    first = sched.analyse()
    ids = list(doc.plan.actions)
    gone, cancelled = ids[3], ids[5]
    sched.refresh_for(operations.delete_action(doc, gone))
    an = sched.refresh_for(operations.edit_action(doc, cancelled, status="cancelled"))
    assert gone in first.finishes and cancelled in first.finishes
    assert gone not in an.finishes and cancelled not in an.finishes
    assert an.finishes.get(gone) is None and len(an.finishes) == len(first.finishes) - 2
    same_finishes(doc.plan, an)


def test_the_decks_finishes_are_the_analysis_finishes(doc):
    """The deck rates challenges by the engine's finishes (the same mapping), and without a
    schedule by the finishes of the plan's own dates."""
    as_of = doc.plan.settings.as_of
    sched = facts.schedule(doc.plan, as_of)
    assert sched.finishes is sched.analysis.finishes
    assert dict(sched.finishes) == {aid: f for aid, (_s, f) in sched.actions.items()}
    plain = facts._plain_schedule(doc.plan, as_of)
    assert plain.finishes == {aid: f for aid, (_s, f) in plain.actions.items()}
