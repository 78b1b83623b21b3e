"""The documented range of every value a plan holds, checked in one place (issue 9).

One accepted value used to make a plan unusable: a duration of 3,000,000 days or a date of
9999-12-31 was stored, and then the schedule, the deck, the workbook and the window all failed on
it. So every value has a range, and the core checks it wherever a value comes in: edits
(``PlanDocument``), files (``codec`` while loading), workbook imports and merges (``validate``).
Everything inside these ranges can be scheduled, drawn and exported.

======================  =====================================================================
durations, lags         whole working days from 0 to ``MAX_WORKING_DAYS`` (2,000, about 8 years)
dates                   from ``FIRST_DATE`` (1 Jan 1990) to ``LAST_DATE`` (31 Dec 2200)
numbers                 finite, at most ``MAX_NUMBER`` (10^15) either side of zero
other whole numbers     at most ``MAX_WHOLE`` (1,000,000) either side of zero
text                    at most ``MAX_TEXT`` (32,000) characters: an Excel cell holds 32,767
lists                   at most ``MAX_LIST`` (1,000) items (challenges, holidays, stages...)
======================  =====================================================================
"""

from __future__ import annotations

import dataclasses
import math
from datetime import date
from typing import Any

MAX_WORKING_DAYS = 2000
FIRST_DATE = date(1990, 1, 1)
LAST_DATE = date(2200, 12, 31)
MAX_NUMBER = 1e15
MAX_WHOLE = 1_000_000
MAX_TEXT = 32_000
EXCEL_CELL_TEXT = 32_767
MAX_LIST = 1000

WORKING_DAY_FIELDS = frozenset({"duration", "lag"})


def value_problem(field: str, value: Any) -> str | None:
    """Why ``value`` is outside the documented range of ``field`` (None when it is inside).

    The words complete a sentence naming the field: "duration" + " must be ...".
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, date):
        if not FIRST_DATE <= value <= LAST_DATE:
            return (f"must be a date from {FIRST_DATE:%d %b %Y} to {LAST_DATE:%d %b %Y}, "
                    f"not {value.isoformat()}")
        return None
    if isinstance(value, int):
        if field in WORKING_DAY_FIELDS:  # below 0 is a rule of its own (validate words it)
            if not -MAX_WORKING_DAYS <= value <= MAX_WORKING_DAYS:
                return (f"must be from 0 to {MAX_WORKING_DAYS:,} working days, "
                        f"not {_short(value)}")
        elif abs(value) > MAX_WHOLE:
            return f"must be between -{MAX_WHOLE:,} and {MAX_WHOLE:,}, not {_short(value)}"
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return "must be a finite number"
        if field in WORKING_DAY_FIELDS and not 0 <= value <= MAX_WORKING_DAYS:
            return f"must be from 0 to {MAX_WORKING_DAYS:,} working days, not {_short(value)}"
        if abs(value) > MAX_NUMBER:
            return f"must be between -10^15 and 10^15, not {_short(value)}"
        return None
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            return (f"is {len(value):,} characters long; the most a plan keeps is {MAX_TEXT:,} "
                    "(so every export, Excel included, can hold it whole)")
        return None
    if isinstance(value, list):
        if len(value) > MAX_LIST:
            return f"lists {len(value):,} items; the most is {MAX_LIST:,}"
        for item in value:
            problem = value_problem(field, item)
            if problem:
                return problem
    return None


def record_problems(what: str, record: Any) -> list[str]:
    """Every field of ``record`` outside its range, each worded as '<what>: <field> must ...'."""
    out = []
    for f in dataclasses.fields(record):
        problem = value_problem(f.name, getattr(record, f.name))
        if problem:
            out.append(f"{what}: {f.name.replace('_', ' ')} {problem}.")
    return out


def _short(value: Any) -> str:
    if isinstance(value, int) and abs(value) >= 10 ** 30:
        return "a number of more than 30 digits"  # and never str() a huge int: that can fail
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


MAX_CHAIN_WORKING_DAYS = 40_000
"""The longest chain of waiting work (durations plus lags, about 150 years): beyond this no
calendar can place the plan's dates."""


def chain_problem(plan: Any, kind: str | None = None, record: Any = None) -> str | None:
    """Why the plan's longest chain of work is too long to schedule (None if it fits).

    With ``kind`` and ``record`` (an action or dependency), the plan is judged as if ``record``
    were in it: how an edit is checked before it is made.
    """
    actions = dict(plan.actions)
    deps = dict(plan.dependencies)
    if kind == "action":
        actions[record.id] = record
    elif kind == "dependency":
        deps[record.uid] = record
    elif kind is not None:
        return None
    # Positions and plain lists rather than dicts keyed by id: this runs on every edit of an
    # action or link, over the whole plan (20,000 actions: ~0.25 s with dicts; issue 13).
    pos = {a: i for i, a in enumerate(actions)}
    duration = [(rec.duration or 0) if (rec.duration or 0) > 0 else 0 for rec in actions.values()]
    n = len(duration)
    waits: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    indegree = [0] * n
    for d in deps.values():
        s, p = pos.get(d.action), pos.get(d.needs)
        if s is not None and p is not None and s != p:
            lag = d.lag or 0
            waits[p].append((s, lag if lag > 0 else 0))
            indegree[s] += 1
    finish = list(duration)
    ready = [i for i in range(n) if indegree[i] == 0]
    while ready:  # longest path in a DAG (a loop is reported elsewhere; its actions are skipped)
        a = ready.pop()
        fa = finish[a]
        for b, lag in waits[a]:
            reach = fa + lag + duration[b]
            if reach > finish[b]:
                finish[b] = reach
            indegree[b] -= 1
            if indegree[b] == 0:
                ready.append(b)
    longest = max(finish, default=0)
    if longest > MAX_CHAIN_WORKING_DAYS:
        return (f"The longest chain of actions waiting for each other would take {longest:,} "
                f"working days; the most a plan can schedule is {MAX_CHAIN_WORKING_DAYS:,} "
                "(about 150 years). Shorten durations or lags, or remove a link.")
    return None
