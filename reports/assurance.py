"""Does the data support the level of assurance the board paper claims?

A board paper states a level of assurance (Substantial, Reasonable, Limited, No assurance). The
outcome measures say something about it too: a measure whose process limits sit wholly on the
wrong side of where it should be by now (its trajectory towards the target) consistently misses,
and a latest point signalling special-cause concern is a warning. The rule, in plain words:

* **Substantial** is contradicted when any measure with a target consistently misses its
  trajectory, or any measure's latest point is a special-cause concern.
* **Reasonable** is contradicted when half or more of the measures with a target consistently
  miss their trajectory.
* **Limited** and **No assurance** are never contradicted by the data (a cautious claim is the
  board's call).

Cumulative measures (run charts) make no claim either way. The check is shown in the export
dialog and printed by ``python main.py export``; it never stops the export.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner import spc
from planner.model import Plan


@dataclass(frozen=True)
class AssuranceCheck:
    """The measures' verdicts and whether they contradict the claimed level."""

    claimed: str
    with_target: int
    failing: tuple[str, ...]     # measure ids consistently missing their trajectory
    concerns: tuple[str, ...]    # measure ids whose latest point is special-cause concern
    contradicted: bool
    message: str


def check_assurance(plan: Plan, claimed: str | None = None) -> AssuranceCheck:
    """Check the claimed level of assurance (the plan's, unless given) against the measures."""
    claimed = claimed if claimed is not None else plan.settings.board_assurance
    with_target = 0
    failing: list[str] = []
    concerns: list[str] = []
    for m in sorted(plan.measures.values(), key=lambda m: (len(m.id), m.id)):
        r = spc.measure_xmr(plan, m)
        if r.kind == "run" or not r.points:
            continue
        if r.variation == "concern":
            concerns.append(m.id)
        if r.assurance is not None:
            with_target += 1
            if r.assurance == "fail":
                failing.append(m.id)
    contradicted = False
    why = ""
    if claimed == "Substantial" and (failing or concerns):
        contradicted = True
        parts = []
        if failing:
            parts.append(f"{len(failing)} measure{'s' if len(failing) != 1 else ''} "
                         f"consistently miss{'' if len(failing) != 1 else 'es'} its trajectory "
                         f"({', '.join(failing)})")
        if concerns:
            parts.append(f"{len(concerns)} show{'s' if len(concerns) == 1 else ''} special-cause "
                         f"concern ({', '.join(concerns)})")
        why = " and ".join(parts)
    elif claimed == "Reasonable" and with_target and len(failing) * 2 >= with_target:
        contradicted = True
        why = (f"{len(failing)} of the {with_target} measures with a target consistently miss "
               f"their trajectory ({', '.join(failing)})")
    if contradicted:
        message = (f"The paper claims {claimed.lower()} assurance, but {why}. Consider a lower "
                   "level, or say in the recommendation why the board can still take it.")
    else:
        message = (f"{claimed} assurance is consistent with the measures: {len(failing)} of "
                   f"{with_target} with a target consistently miss their trajectory.")
    return AssuranceCheck(claimed, with_target, tuple(failing), tuple(concerns), contradicted,
                          message)
