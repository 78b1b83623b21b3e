"""Where to start: rank challenges by stage gap, leverage over other challenges and readiness.

For each challenge with open work:

* **gap**: stages between its latest assessment and its target (not assessed = lowest stage);
* **leverage**: open actions in *other* challenges that wait on its open actions, directly or
  further downstream;
* **readiness**: the share of its open actions that do not wait on open work in other challenges.

score = 100 x (0.4 x gap / (stages - 1) + 0.4 x leverage / most leverage of any challenge
+ 0.2 x readiness), rounded to one decimal. A challenge with no open actions scores 0 and is told
to add actions first. Weights favour gap and leverage equally because the framework's advice is to
pick a few priorities that are both needed and unblock the rest; readiness breaks near-ties.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.model import Plan
from planner.rules import challenge_title

from .schedule import DONE, ScheduleData

W_GAP, W_LEVERAGE, W_READY = 0.4, 0.4, 0.2
_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


@dataclass
class Recommendation:
    """A challenge's place in the order of work, with a one-sentence reason."""

    challenge: int
    title: str
    score: float
    reason: str
    gap: int
    leverage: int
    unlocked_challenges: list[int] = field(default_factory=list)
    readiness: float = 0.0
    open_actions: int = 0


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


def recommend(plan: Plan, data: ScheduleData) -> list[Recommendation]:
    """Challenges ranked by where to start (best first), each with a plain reason."""
    ids, state, preds = data.ids, data.state, data.preds
    actions = plan.actions
    numbers = sorted(plan.challenges) or sorted({c for a in actions.values() for c in a.challenges})
    top = max(1, len(plan.stages) - 1)
    chal_sets: dict[int, set[int]] = {n: set() for n in numbers}
    for i, aid in enumerate(ids):
        if state[i] == DONE:
            continue
        for c in actions[aid].challenges:
            if c in chal_sets:
                chal_sets[c].add(i)
    order_pos = _order_pos(data)
    # Leverage in one pass: for every open action, a bit mask of the challenges whose open work
    # lies upstream of it (through open actions only).
    bit = {n: 1 << k for k, n in enumerate(numbers)}
    own_bits = [0] * len(ids)
    for n, members in chal_sets.items():
        for i in members:
            own_bits[i] |= bit[n]
    upstream = [0] * len(ids)
    for i in data.order:
        if state[i] == DONE:
            continue
        m = 0
        for p, _s, _ss, _lag in preds[i]:
            if state[p] != DONE:
                m |= upstream[p] | own_bits[p]
        upstream[i] = m
    unlocked_of: dict[int, set[int]] = {n: set() for n in numbers}
    for i in range(len(ids)):
        m = upstream[i] & ~own_bits[i]
        if m:
            for n in numbers:
                if m & bit[n]:
                    unlocked_of[n].add(i)
    raw = []
    for n in numbers:
        own = chal_sets[n]
        unlocked = unlocked_of[n]
        other_ch = sorted({c for s in unlocked for c in actions[ids[s]].challenges if c != n})
        # Readiness: open actions that do not wait (through this challenge's own chain) on
        # open work elsewhere.
        blocked: dict[int, bool] = {}
        waits_on: set[int] = set()
        for i in sorted(own, key=order_pos.__getitem__):
            b = False
            for p, _s, _ss, _lag in preds[i]:
                if state[p] == DONE:
                    continue
                if p not in own:
                    b = True
                    waits_on.update(c for c in actions[ids[p]].challenges if c != n)
                elif blocked.get(p, False):
                    b = True
            blocked[i] = b
        ready = sum(1 for v in blocked.values() if not v)
        readiness = ready / len(own) if own else 0.0
        current = plan.current_stage(n)
        cur_i = plan.stage_index(current)
        ch = plan.challenges.get(n)
        tgt_i = plan.stage_index(ch.target_stage) if ch is not None else top
        if tgt_i is None:
            tgt_i = top
        gap = max(0, tgt_i - (cur_i if cur_i is not None else 0))
        raw.append((n, own, unlocked, other_ch, readiness, ready, gap, cur_i, sorted(waits_on)))
    most = max((len(r[2]) for r in raw), default=0) or 1
    recs = []
    for n, own, unlocked, other_ch, readiness, ready, gap, cur_i, waits in raw:
        if own:
            score = 100 * (W_GAP * gap / top + W_LEVERAGE * len(unlocked) / most
                           + W_READY * readiness)
        else:
            score = 0.0
        recs.append(Recommendation(n, challenge_title(plan, n), round(score, 1), "", gap,
                                   len(unlocked), other_ch, round(readiness, 2), len(own)))
        recs[-1]._parts = (own, unlocked, other_ch, ready, gap, cur_i, waits)  # type: ignore[attr-defined]
    recs.sort(key=lambda r: (-r.score, r.challenge))
    rank = 0
    for r in recs:
        own, unlocked, other_ch, ready, gap, cur_i, waits = r._parts  # type: ignore[attr-defined]
        del r._parts  # type: ignore[attr-defined]
        name = f"{r.challenge}, {r.title}"
        if not own:
            stage = "it has reached its target stage" if gap == 0 else \
                f"it is {_words(gap)} stage{'s' if gap != 1 else ''} from its target"
            r.reason = f"{name} has no open actions yet, so add some before it can start; {stage}."
            continue
        lead = "Start with" if rank == 0 else "Then" if rank < 3 else "Later"
        rank += 1
        if unlocked:
            verb = "waits" if len(unlocked) == 1 else "wait"
            lever = (f"{_count(len(unlocked), 'action')} in {_challenges(other_ch)} {verb} on it"
                     if other_ch else f"{_count(len(unlocked), 'action')} elsewhere {verb} on it")
        else:
            lever = "no other challenge waits on it"
        if gap == 0:
            stage = "it has reached its target stage"
        elif cur_i is None:
            stage = (f"it has not been assessed yet, so it is taken as {_words(gap)} "
                     f"stage{'s' if gap != 1 else ''} from its target")
        else:
            stage = f"it is {_words(gap)} stage{'s' if gap != 1 else ''} from its target"
        m = len(own)
        where = _challenges(waits) if waits else "other work"
        if ready == m:
            readiness = f"all {m:,} of its open actions can start without waiting on other challenges" \
                if m > 1 else "its open action can start without waiting on other challenges"
        elif ready == 0:
            readiness = f"all of its work waits on {where} first"
        else:
            readiness = (f"{ready:,} of its {m:,} open actions can start now while the rest wait "
                         f"on {where}")
        r.reason = f"{lead} {name}: {lever}, {stage}, and {readiness}."
    return recs


def _order_pos(data: ScheduleData) -> list[int]:
    pos = [0] * len(data.ids)
    for k, i in enumerate(data.order):
        pos[i] = k
    return pos
