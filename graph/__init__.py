"""Graph engine: sequence, schedule and explain a plan (pure Python + networkx; never imports Qt).

Public API (everything below is importable from ``graph``; dates are ``datetime.date``, durations,
float, lags and slips are whole *working days*: Monday to Friday less the plan's holidays):

``analyse(plan, starts=(), *, as_of=None) -> Analysis``
    Schedule the whole plan and derive everything the window, the board deck and the command line
    show. ``starts`` are starting points chosen by a leader: ``"C3"`` (challenge 3) or ``"A12"``
    (action A12); when given, the phases shown are the ones :func:`plan_phases` would assign (a
    preview; the plan itself is not changed). Raises ``planner.errors.LoopError`` naming the loop
    by action titles if the plan holds one, ``PlanError`` for an unknown starting point.

``Analysis`` (read-only result)
    ``plan_start``, ``as_of``, ``plan_finish`` (dates); ``rows``: a mapping action id ->
    ``ScheduleRow`` (``start``, ``finish``, ``early_start``, ``early_finish``, ``late_start``,
    ``late_finish``, ``float_days``, ``critical``, ``phase``, ``wave``, ``fixed`` = "done" /
    "in progress" / None, ``driver`` = one plain sentence on what sets its start; cancelled
    actions are left out); ``critical_path`` (action ids in order, the chain that ends the plan);
    ``critical_paths`` (every critical chain, longest first, capped); ``milestones``: id ->
    ``MilestoneForecast`` (``baseline``, ``forecast``, ``scheduled``, ``slip_days``,
    ``owner_forecast``, ``disagrees``); ``waves`` (lists of action ids, wave 1 = no unfinished
    prerequisite; done actions are wave 0); ``ready_now`` (not-started actions whose
    prerequisites are met); ``phases`` (action id -> phase number or None) and
    ``phase_changes`` (what the starting points would change); ``recommendations``
    (``Recommendation``: ``challenge``, ``title``, ``score`` 0-100, ``reason`` one sentence,
    ``gap``, ``leverage``, ``unlocked_challenges``, ``readiness``), ``overloads``
    (``Overload``: person, week, count, capacity, action ids), ``warnings`` (``PlanWarning``:
    ``kind``, ``message``, ``ids``); ``to_json()`` gives the command line's JSON shape.
    Expensive parts (recommendations, overloads, critical paths) are computed on first use.
    Fast path for big views: ``analysis.data`` (``ScheduleData``) holds integer working-day
    numbers per action position: ``ids``, ``pos`` (id -> position), ``es``, ``ef``, ``ls``,
    ``lf``, ``state`` (0 not started, 1 in progress, 2 done), ``critical_flags``, ``phase``,
    ``waves()``, ``order`` (topological), ``preds``/``succs`` (tuples (prerequisite, successor,
    start_to_start, lag)), and ``cal`` (``WorkCalendar``: ``cal.date(n)`` gives the date).

``Scheduler(plan)``
    Keeps the compiled graph between edits so the window can recompute quickly:
    ``scheduler.analyse(starts=())`` the first time, then ``scheduler.refresh(actions=[ids])``
    after editing those actions' own fields, ``refresh(links_changed=True)`` after adding,
    removing or changing links, or adding or removing actions, and
    ``refresh(settings_changed=True)`` after changing holidays, plan dates or phase starts
    (those are also noticed without the flag). ``scheduler.refresh_for(change)`` takes a ``planner.changes.ChangeSet`` and
    picks the route from its schedule facts. Each returns a fresh ``Analysis``; earlier ones never change.

``impact(plan, action_id, slip, *, analysis=None) -> Impact``
    "If this action finishes ``slip`` working days late": ``moved_actions`` and
    ``moved_milestones`` (``Move``: id, title, old and new dates, ``days``), plan finish before
    and after, and ``text`` (plain English).

``why(plan, target_id, *, analysis=None) -> Explanation``
    "Why is this milestone (or action) dated as it is": ``steps`` (``WhyStep``: the chain of
    driving actions from the target back to the root cause, each with a plain reason),
    ``root_cause``, ``late_days`` against the baseline, and ``text``.

``plan_phases(plan, starts) -> list[PhaseChange]``
    Phase 1 = the chosen actions (for a challenge, its unfinished actions) plus all their
    unfinished prerequisites. Returns the changes it would make (``action_id``, ``title``,
    ``old``, ``new``, ``reason``) without changing anything.
``assign_phase(plan, action_id, phase) -> list[PhaseChange]``
    Putting an action in a phase pulls its unfinished prerequisites into that phase (or keeps
    them where they are if already earlier); the list says which and why. Moving an action to a
    later phase than an action that needs it is refused with a ``PlanError`` naming that action.
The engine never changes a plan: to apply a proposal, pass it as data to the core's operation,
``planner.operations.apply_phase_plan(doc, [(c.action_id, c.new) for c in changes], label)``.

``recommend(plan, analysis.data) -> list[Recommendation]`` (also ``analysis.recommendations``).

``build_graph(plan) -> networkx.MultiDiGraph``
    The typed graph: nodes ``("challenge", 3)``, ``("action", "A12")``, ``("milestone", "M1")``,
    ``("initiative", ..)``, ``("measure", ..)``, ``("person", ..)`` with attribute ``kind``;
    edges with attribute ``kind`` in ``needs`` (action -> the action it waits on, with ``type``
    and ``lag``), ``addresses`` (action -> challenge), ``marks`` (milestone -> action or
    initiative), ``measured_by`` (challenge -> measure), ``owns`` (person -> action).
``find_loop(plan) -> list[str] | None``
    Action ids forming a loop (first id repeated at the end), or None.

``WorkCalendar(holidays)``: working-day arithmetic (``index(d)``, ``date(i)``) used throughout.

Command line entry points (called by ``main.py``): ``graph.cli.run_sequence``,
``graph.cli.run_impact``, ``graph.cli.run_why``.

See docs/graph-engine.md for the scheduling rules in full.
"""

from planner.validate import find_loop
from planner.workdays import WorkCalendar

from .analysis import (ActionDates, Analysis, ChallengeStatus, MilestoneForecast, PlanWarning,
                       Scheduler, ScheduleRow, analyse)
from .coverage import Overload
from .phases import PhaseChange, assign_phase, parse_starts, plan_phases, preview_phases
from .recommend import Recommendation, recommend
from .typed import build_graph, dependency_graph

_LAZY = {name: "explain" for name in ("Explanation", "Impact", "Move", "WhyStep", "impact", "why")}


def __getattr__(name: str):
    """``impact`` and ``why`` load on first use: ``sequence`` and the window's first paint need
    neither, and a command imports only what it uses (issue 13)."""
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'graph' has no attribute {name!r}")

__all__ = [
    "ActionDates", "Analysis", "ChallengeStatus", "Explanation", "Impact", "MilestoneForecast",
    "Move", "Overload", "PhaseChange",
    "PlanWarning", "Recommendation", "ScheduleRow", "Scheduler", "WhyStep", "WorkCalendar", "analyse",
    "assign_phase", "build_graph", "dependency_graph", "find_loop",
    "impact", "parse_starts", "plan_phases", "preview_phases", "recommend", "why",
]
