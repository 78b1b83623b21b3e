"""Where to start: advice that prioritises, each reason naming the facts it used.

**Before anything else.** While no challenge has been assessed, the first recommendation is the
baseline self-assessment and the governance around it (steering group, rating panel): priorities
chosen without a baseline rest on guesses. It names the plan's own governance and baseline
actions (by tag, else by title) and the challenge they are filed under.

**Then, per challenge** with open work, six facts, each scaled 0 to 1:

* **gap** (weight 0.30): stages between the latest assessment and the target stage (not
  assessed = the lowest stage), over the scale's length;
* **unlocks** (0.25): open actions filed under *other* challenges that wait, directly or further
  downstream, on the open actions filed under this one. An action counts once, under the
  challenge it is filed under (its first challenge), however many challenges it is tagged with;
  scaled by the most any challenge unlocks;
* **slippage** (0.15): the latest open milestone of the challenge, in working days behind its
  baseline, over 40 (capped at 1);
* **SPC concerns** (0.10): measures of the challenge whose latest point is a special-cause
  concern, or whose limits consistently miss the trajectory while it is not improving
  (``planner.rules.outcome_concerns``; 1 for one or more);
* **risks** (0.10): open risks on the challenge scored 15 or more (likelihood x impact), 1 for
  one or more;
* **recovery checks** (0.10): open actions filed under the challenge that would decrease
  control, opportunity or hope (a -1 check), or that are not co-produced: the share of its open
  actions with either.

score = 100 x the weighted sum, rounded to one decimal. A challenge with no open actions scores 0
and is told to add actions first.

**"Can start now"** means one thing everywhere (this module, ``Analysis.ready_now``, the
command line and the wizard): an open action not yet started and not on hold, every action it
needs done (or started, for a start-to-start link), and no date holding it back at the status
date (:func:`can_start_now`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

from planner import rules
from planner.domain_checks import action_tag
from planner.model import ActionStatus, Plan
from planner.rules import challenge_title, milestone_challenges, primary_challenge

from .snapshot import DONE, IN_PROGRESS, ScheduleData

W_GAP, W_UNLOCK, W_SLIP, W_SPC, W_RISK, W_CHECKS = 0.30, 0.25, 0.15, 0.10, 0.10, 0.10
SLIP_SCALE = 40
"""Working days of slip that count in full."""
"""A risk scored this or more (likelihood x impact) counts as high (``planner.rules``)."""
_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


@dataclass
class Recommendation:
    """A place in the order of work, with a reason that names the facts used.

    ``kind`` is ``"baseline"`` for the baseline-first advice (``challenge`` is then the challenge
    its governance and baseline actions are filed under), else ``"challenge"``.
    """

    challenge: int
    title: str
    score: float
    reason: str
    gap: int
    leverage: int
    unlocked_challenges: list[int] = field(default_factory=list)
    readiness: float = 0.0
    open_actions: int = 0
    kind: str = "challenge"
    slip_days: int = 0
    concerns: list[str] = field(default_factory=list)
    extreme_risks: list[str] = field(default_factory=list)
    check_flags: list[str] = field(default_factory=list)
    ready_now: int = 0


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'s' if n != 1 else ''}"


def _challenges(numbers: list[int]) -> str:
    """'challenge 2', 'challenges 2 and 8', or '7 other challenges' when the list is long."""
    if len(numbers) > 4:
        return f"{len(numbers)} other challenges"
    return f"challenge{'s' if len(numbers) != 1 else ''} {_join([str(c) for c in numbers])}"


def _words(n: int) -> str:
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _ids(items: list[str], most: int = 3) -> str:
    shown = _join(items[:most]) if len(items) <= most else ", ".join(items[:most]) + \
        f" and {len(items) - most} more"
    return shown


def can_start_now(plan: Plan, data: ScheduleData) -> list[int]:
    """Positions of the actions that can start now (see the module's definition), in the order
    of Kahn's sort (``order``), worked out among them and what comes before them only."""
    ready = _ready(plan, data)
    if len(ready) < 2:
        return ready
    place = data.links.fifo_among(ready)
    return sorted(ready, key=place.__getitem__)


def _ready(plan: Plan, data: ScheduleData) -> list[int]:
    """Positions of the actions that can start now, in the plan's order: read from the links
    into each action as the schedule holds them (``Links.pred_side``), in no topological order.
    At 20,000 actions, taking them in Kahn's order from a tuple per link cost more than the
    whole schedule (issue 13)."""
    actions, ids, state, es = plan.actions, data.ids, data.state, data.es
    po, pn, pss, _lag = data.links.pred_side()
    asof = data.as_of_idx if data.as_of_idx is not None else data.start_idx
    on_hold = ActionStatus.ON_HOLD
    out = []
    for i in range(len(ids)):
        if state[i] != 0 or es[i] > asof or actions[ids[i]].status == on_hold:
            continue
        for k in range(po[i], po[i + 1]):
            st = state[pn[k]]
            if st != DONE and not (st == IN_PROGRESS and pss[k]):
                break
        else:
            out.append(i)
    return out


_BASELINE_WORDS = re.compile(r"self-assessment|baseline|steering group|rating panel|rating "
                             r"workshop|recovery champion", re.I)


def _baseline_first(plan: Plan, data: ScheduleData) -> Recommendation | None:
    """The baseline-and-governance advice, when no challenge has been assessed yet."""
    if plan.assessments:
        return None
    open_ids = [data.ids[i] for i in range(len(data.ids)) if data.state[i] != DONE]
    steps = [aid for aid in open_ids
             if action_tag(plan.actions[aid]) in ("governance", "baseline-assessment")
             or (not plan.actions[aid].tag and _BASELINE_WORDS.search(plan.actions[aid].title))]
    filed = [primary_challenge(plan.actions[a]) for a in steps]
    filed = [c for c in filed if c is not None]
    home = max(set(filed), key=filed.count) if filed else 4
    if steps:
        named = _ids([f"{a} '{plan.actions[a].title}'" for a in steps], 3)
        which = (f"The plan's own steps for it: {named}"
                 + (f" ({len(steps)} in all)." if len(steps) > 3 else "."))
    else:
        which = ("The plan has no such actions yet: add a steering group with a lived-experience "
                 "co-chair and a baseline rating of every challenge.")
    reason = (f"Start with the baseline self-assessment and governance: none of the "
              f"{len(plan.challenges) or 10} challenges has been assessed yet, so any priority "
              f"chosen now would rest on guesses. Set up the steering group, rate where each "
              f"challenge stands, then choose a small number of priorities. {which}")
    return Recommendation(home, "Baseline self-assessment and governance", 100.0, reason, 0,
                          0, [], 0.0, len(steps), kind="baseline")


def recommend(plan: Plan, data: ScheduleData,
              slips: Mapping[str, int | None] | None = None) -> list[Recommendation]:
    """Where to start, best first: the baseline while nothing is assessed, then challenges."""
    ids, state = data.ids, data.state
    po, pn, _ss, _lag = data.links.pred_side()
    actions = plan.actions
    numbers = sorted(plan.challenges) or sorted({c for a in actions.values() for c in a.challenges})
    top = max(1, len(plan.stages) - 1)
    slips = slips or {}
    filed: dict[int, set[int]] = {n: set() for n in numbers}
    home = [None] * len(ids)
    for i, aid in enumerate(ids):
        c = primary_challenge(actions[aid])
        home[i] = c
        if state[i] != DONE and c in filed:
            filed[c].add(i)
    bit = {n: 1 << k for k, n in enumerate(numbers)}
    own_bit = [bit.get(home[i], 0) if state[i] != DONE else 0 for i in range(len(ids))]
    upstream = [0] * len(ids)
    for i in data.sweep:  # a topological order: what waits on others after them
        if state[i] == DONE:
            continue
        m = 0
        for p in pn[po[i]:po[i + 1]]:
            if state[p] != DONE:
                m |= upstream[p] | own_bit[p]
        upstream[i] = m
    unlocked_of: dict[int, set[int]] = {n: set() for n in numbers}
    for i in range(len(ids)):
        m = upstream[i] & ~own_bit[i]
        if m and state[i] != DONE:
            for n in numbers:
                if m & bit[n]:
                    unlocked_of[n].add(i)
    ready = set(_ready(plan, data))
    # facts per challenge: slipped milestones, SPC concerns, extreme risks
    worst_slip: dict[int, tuple[int, str]] = {}
    for mid, m in plan.milestones.items():
        days = slips.get(mid)
        if not days or days <= 0 or m.actual or m.status in ("achieved", "cancelled"):
            continue
        for c in milestone_challenges(plan, m)[:1]:  # counted once, under its first challenge
            if c not in worst_slip or days > worst_slip[c][0]:
                worst_slip[c] = (days, f"{mid} '{m.title}'")
    concerns: dict[int, list[str]] = {n: [f"{mid} {tail}" for mid, tail in
                                          rules.outcome_concerns(plan, n)] for n in numbers}
    risks: dict[int, list[str]] = {n: [f"{r.id} (scored {rules.risk_score(r)})"
                                       for r in rules.extreme_risks(plan, n)] for n in numbers}

    recs = []
    most = max((len(u) for u in unlocked_of.values()), default=0) or 1
    for n in numbers:
        own = filed[n]
        unlocked = unlocked_of[n]
        other_ch = sorted({home[s] for s in unlocked if home[s] is not None and home[s] != n})
        current = plan.current_stage(n)
        cur_i = plan.stage_index(current)
        ch = plan.challenges.get(n)
        tgt_i = plan.stage_index(ch.target_stage) if ch is not None else top
        if tgt_i is None:
            tgt_i = top
        gap = max(0, tgt_i - (cur_i if cur_i is not None else 0))
        slip, slip_name = worst_slip.get(n, (0, ""))
        flags = []
        for i in sorted(own):
            a = actions[ids[i]]
            if -1 in (a.check_control, a.check_opportunity, a.check_hope):
                flags.append(f"{a.id} lowers " + _join([w for w, v in (
                    ("control", a.check_control), ("opportunity", a.check_opportunity),
                    ("hope", a.check_hope)) if v == -1]))
        not_coproduced = sum(1 for i in own if not actions[ids[i]].coproduced)
        n_ready = len(own & ready)
        if own:
            checks = min(1.0, (len(flags) + not_coproduced) / len(own))
            score = 100 * (W_GAP * gap / top + W_UNLOCK * len(unlocked) / most
                           + W_SLIP * min(1.0, slip / SLIP_SCALE)
                           + W_SPC * (1.0 if concerns[n] else 0.0)
                           + W_RISK * (1.0 if risks[n] else 0.0) + W_CHECKS * checks)
        else:
            checks, score = 0.0, 0.0
        rec = Recommendation(n, challenge_title(plan, n), round(score, 1), "", gap, len(unlocked),
                             other_ch, round(n_ready / len(own), 2) if own else 0.0, len(own),
                             slip_days=slip, concerns=concerns[n], extreme_risks=risks[n],
                             check_flags=flags, ready_now=n_ready)
        rec._facts = (own, cur_i, current, ch, slip_name, not_coproduced)  # type: ignore[attr-defined]
        recs.append(rec)
    recs.sort(key=lambda r: (-r.score, r.challenge))
    first = _baseline_first(plan, data)
    rank = 1 if first else 0
    for r in recs:
        own, cur_i, current, ch, slip_name, not_coproduced = r._facts  # type: ignore[attr-defined]
        del r._facts  # type: ignore[attr-defined]
        name = f"{r.challenge}, {r.title}"
        target = ch.target_stage if ch is not None else plan.stages[-1]
        if r.gap == 0:
            stage = f"it has reached its target stage ({target})"
        elif cur_i is None:
            stage = (f"it has not been assessed, so it is taken as {_words(r.gap)} "
                     f"stage{'s' if r.gap != 1 else ''} below its target ({target})")
        else:
            stage = (f"assessed at {current}, {_words(r.gap)} stage{'s' if r.gap != 1 else ''} "
                     f"below its target ({target})")
        if not own:
            r.reason = f"{name} has no open actions filed under it yet, so add some first; {stage}."
            continue
        lead = "Start with" if rank == 0 else "Then" if rank < 3 else "Later"
        rank += 1
        facts = [stage]
        if r.leverage:
            verb = "waits" if r.leverage == 1 else "wait"
            facts.append(f"{_count(r.leverage, 'action')} filed under "
                         f"{_challenges(r.unlocked_challenges)} {verb} on its work")
        else:
            facts.append("nothing filed under another challenge waits on it")
        if r.slip_days:
            facts.append(f"{slip_name} is forecast {r.slip_days} working days late")
        if r.concerns:
            facts.append(_join(r.concerns[:2]))
        if r.extreme_risks:
            facts.append(f"extreme risk {_join(r.extreme_risks[:2])}")
        if r.check_flags:
            facts.append(_join(r.check_flags[:2]))
        if not_coproduced == len(own):
            facts.append("none of its open actions is co-produced")
        m = len(own)
        facts.append(f"{r.ready_now:,} of its {_count(m, 'open action')} can start now"
                     if r.ready_now else "none of its open actions can start now")
        r.reason = f"{lead} {name}: " + "; ".join(facts) + "."
    return ([first] if first else []) + recs
