"""Starting points and phases: which actions go first, and keeping phases in dependency order.

Rule: an action never sits in an earlier phase than one of its unfinished prerequisites.
The decision (explained to the user in every change's ``reason``):

* Bringing an action *forward* (to an earlier phase, or into a phase for the first time) pulls its
  unfinished prerequisites forward with it, because starting them earlier is always possible.
* Moving an action to a *later* phase than an action that needs it is refused with a
  ``PlanError`` naming that action, because silently pushing dependent work back would change
  commitments the leader did not ask to change.

Phase 1 from starting points = the chosen actions (for a challenge, its unfinished actions) plus
all their unfinished prerequisites. Actions that were in phase 1 but are no longer needed there
move to phase 2. Other phases stay as the leader assigned them.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

from planner.errors import PlanError
from planner.model import ActionStatus, Plan
from planner.rules import challenge_title
from planner.validate import find_loop, loop_error

_CHALLENGE_RE = re.compile(r"^[Cc](\d+)$")


@dataclass
class PhaseChange:
    """One action's phase changing from ``old`` to ``new``, with the reason in plain words."""

    action_id: str
    title: str
    old: int | None
    new: int | None
    reason: str


def parse_starts(plan: Plan, starts) -> tuple[list[int], list[str]]:
    """Split starting points into challenge numbers (``"C3"``) and action ids (``"A12"``)."""
    challenges: list[int] = []
    actions: list[str] = []
    for raw in starts or ():
        s = str(raw).strip()
        if s in plan.actions:
            actions.append(s)
            continue
        m = _CHALLENGE_RE.match(s)
        if m:
            n = int(m.group(1))
            if n in plan.challenges or (not plan.challenges and 1 <= n <= 10):
                challenges.append(n)
                continue
            raise PlanError(f"There is no challenge {n} in this plan.")
        raise PlanError(f"'{s}' is not an action or a challenge in this plan. Use C3 for "
                        f"challenge 3, or an action id such as A12.")
    return challenges, actions


def _open(plan: Plan, aid: str) -> bool:
    a = plan.actions.get(aid)
    return a is not None and a.status not in (ActionStatus.DONE, ActionStatus.CANCELLED)


def _prereq_map(plan: Plan) -> dict[str, list[str]]:
    needs: dict[str, list[str]] = {}
    for d in plan.dependencies.values():
        if d.action in plan.actions and d.needs in plan.actions:
            needs.setdefault(d.action, []).append(d.needs)
    return needs


def _dependents_map(plan: Plan) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for d in plan.dependencies.values():
        if d.action in plan.actions and d.needs in plan.actions:
            out.setdefault(d.needs, []).append(d.action)
    return out


def _topological(plan: Plan) -> list[str]:
    needs = _prereq_map(plan)
    indeg = {aid: 0 for aid in plan.actions}
    dependents = _dependents_map(plan)
    for aid, ps in needs.items():
        indeg[aid] = len(ps)
    queue = deque(a for a, k in indeg.items() if k == 0)
    order = []
    while queue:
        a = queue.popleft()
        order.append(a)
        for s in dependents.get(a, ()):
            indeg[s] -= 1
            if indeg[s] == 0:
                queue.append(s)
    if len(order) < len(indeg):
        loop = find_loop(plan)
        if loop:
            raise loop_error(plan, loop)
    return order


def _pull_forward(plan: Plan, phases: dict[str, int | None],
                  reasons: dict[str, str]) -> None:
    """Give every unfinished prerequisite a phase no later than the actions that need it."""
    dependents = _dependents_map(plan)
    for aid in reversed(_topological(plan)):
        if not _open(plan, aid):
            continue
        best: int | None = None
        by: str | None = None
        for s in dependents.get(aid, ()):
            ps = phases.get(s)
            if ps is not None and _open(plan, s) and (best is None or ps < best):
                best, by = ps, s
        mine = phases.get(aid)
        if best is not None and (mine is None or best < mine):
            phases[aid] = best
            reasons[aid] = (f"'{plan.actions[by].title}' ({by}, phase {best}) needs it first, so it "
                            f"comes forward to phase {best}")


def _changes(plan: Plan, phases: dict[str, int | None], reasons: dict[str, str]) -> list[PhaseChange]:
    out = []
    for aid, a in plan.actions.items():
        new = phases.get(aid, a.phase)
        if new != a.phase:
            out.append(PhaseChange(aid, a.title, a.phase, new, reasons.get(aid, "")))
    return out


def plan_phases(plan: Plan, starts) -> list[PhaseChange]:
    """The phase changes that starting from ``starts`` would make (nothing is changed)."""
    challenges, chosen = parse_starts(plan, starts)
    reasons: dict[str, str] = {}
    first: list[str] = []
    for aid in chosen:
        if _open(plan, aid):
            first.append(aid)
            reasons[aid] = "chosen as a starting point"
    for n in challenges:
        for a in plan.actions.values():
            if n in a.challenges and _open(plan, a.id) and a.id not in reasons:
                first.append(a.id)
                reasons[a.id] = (f"serves challenge {n}, {challenge_title(plan, n)}, a chosen "
                                 f"starting point")
    needs = _prereq_map(plan)
    in_first = set(first)
    queue = deque(first)
    while queue:
        aid = queue.popleft()
        for p in needs.get(aid, ()):
            if p not in in_first and _open(plan, p):
                in_first.add(p)
                reasons[p] = (f"'{plan.actions[aid].title}' ({aid}) needs it first, so it comes "
                              f"forward to phase 1")
                queue.append(p)
    phases: dict[str, int | None] = {aid: a.phase for aid, a in plan.actions.items()}
    for aid in in_first:
        phases[aid] = 1
    if in_first:
        for aid, a in plan.actions.items():
            if a.phase == 1 and aid not in in_first and _open(plan, aid):
                phases[aid] = 2
                reasons[aid] = "no longer needed for the chosen starting points, so it moves to phase 2"
    _pull_forward(plan, phases, reasons)
    return _changes(plan, phases, reasons)


def assign_phase(plan: Plan, action_id: str, phase: int | None) -> list[PhaseChange]:
    """The changes made by putting one action in ``phase`` (its prerequisites come forward).

    Raises PlanError if an action that needs this one sits in an earlier phase than ``phase``.
    """
    a = plan.actions.get(action_id)
    if a is None:
        raise PlanError(f"There is no action {action_id} in this plan.")
    if phase is not None and phase < 1:
        raise PlanError("Phases are numbered from 1.")
    for s in _dependents_map(plan).get(action_id, ()):
        other = plan.actions[s]
        if not _open(plan, s) or other.phase is None:
            continue
        if phase is None or other.phase < phase:
            where = "leave every phase" if phase is None else f"go in phase {phase}"
            raise PlanError(
                f"'{a.title}' cannot {where}: '{other.title}' ({s}) is in phase {other.phase} and "
                f"needs it first. Move '{other.title}' to a later phase first, or choose phase "
                f"{other.phase} or earlier.")
    phases: dict[str, int | None] = {aid: x.phase for aid, x in plan.actions.items()}
    phases[action_id] = phase
    reasons = {action_id: "chosen by you" if phase is not None else "removed from its phase"}
    _pull_forward(plan, phases, reasons)
    return _changes(plan, phases, reasons)


def preview_phases(plan: Plan, changes: list[PhaseChange]) -> dict[str, int | None]:
    """Every action's phase after ``changes``, without changing the plan."""
    phases = {aid: a.phase for aid, a in plan.actions.items()}
    for c in changes:
        phases[c.action_id] = c.new
    return phases
