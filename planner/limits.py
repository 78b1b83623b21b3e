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
import operator
from itertools import chain, compress, repeat
from datetime import date, datetime
from typing import Any, NamedTuple

from .dates import short_date
from .flat import grouped

MAX_WORKING_DAYS = 2000
FIRST_DATE = date(1990, 1, 1)
LAST_DATE = date(2200, 12, 31)
MAX_NUMBER = 1e15
MAX_WHOLE = 1_000_000
MAX_TEXT = 32_000
EXCEL_CELL_TEXT = 32_767
MAX_LIST = 1000

WORKING_DAY_FIELDS = frozenset({"duration", "lag"})

MIN_FIX_POINTS = 12
"""Fewest points SPC limits can be fixed on (NHSRplotthedots refuses fewer): a measure's
``spc_fix_after`` is at least this (``planner.spc`` uses it; it lives here so that checking a
plan's values needs no SPC code, issue 13)."""


def value_problem(field: str, value: Any) -> str | None:
    """Why ``value`` is outside the documented range of ``field`` (None when it is inside).

    The words complete a sentence naming the field: "duration" + " must be ...".
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, date):
        if not FIRST_DATE <= value <= LAST_DATE:
            return (f"must be a date from {short_date(FIRST_DATE)} to {short_date(LAST_DATE)}, "
                    f"not {short_date(value)}")
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


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_ABSENT = object()


def field_problems(record: Any) -> list[tuple[str, str]]:
    """(field, why) for every field of ``record`` outside its range (``value_problem``'s words).

    Values plainly inside every range (None, short text, small whole numbers, dates in range,
    empty lists) are passed over without a call: ``validate`` runs this on every record of a
    plan (issue 13: it was half the time of validating 20,000 actions).
    """
    cls = record.__class__
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(record))
    out = []
    values = getattr(record, "__dict__", None)
    for name in names:
        value = values.get(name, _ABSENT) if values is not None else _ABSENT
        if value is _ABSENT:
            value = getattr(record, name)
        vc = value.__class__
        if value is None or vc is bool:
            continue
        if vc is str:
            if len(value) <= MAX_TEXT:
                continue
        elif vc is int:
            if -MAX_WORKING_DAYS <= value <= MAX_WORKING_DAYS:  # inside every whole-number range
                continue
        elif vc is date:
            if FIRST_DATE <= value <= LAST_DATE:
                continue
        elif vc is list:
            if not value or (len(value) <= MAX_LIST and all(
                    x.__class__ is int and -MAX_WORKING_DAYS <= x <= MAX_WORKING_DAYS
                    for x in value)):
                continue
        elif isinstance(value, str):  # a str enum (status, tag...)
            if len(value) <= MAX_TEXT:
                continue
        problem = value_problem(name, value)
        if problem:
            out.append((name, problem))
    return out


def plainly_inside(records: list) -> bool:
    """Whether every field of every record is plainly inside its range, judged column by
    column (so ``field_problems`` finds nothing in any of them); False when unsure.

    The same values ``field_problems`` passes over without a call, checked with C-level passes
    over each field's values instead of record by record: ``validate`` on 20,000 actions
    (issue 13).
    """
    columns = record_columns(records)
    return columns is not None and columns_plainly_inside(columns.values())


def record_columns(records: list) -> dict[str, list] | None:
    """Each field's values over ``records`` (all of one dataclass), by field name, in the
    records' order; None when they are not all of one class or one lacks a field."""
    if not records:
        return {}
    cls = records[0].__class__
    if not all(map(operator.is_, map(_CLASS, records), repeat(cls))):
        return None
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    try:
        return {name: list(map(operator.attrgetter(name), records)) for name in names}
    except AttributeError:
        return None


def columns_plainly_inside(columns: Any) -> bool:
    """``plainly_inside`` on columns of values (``record_columns``' lists); False when unsure."""
    try:
        return all(map(_column_plain, columns))
    except Exception:  # noqa: BLE001 - values that cannot be compared: unsure
        return False


def _column_plain(values: list) -> bool:
    """Whether every value of one column is plainly inside every range (one or two C-level
    passes; an exception or False: unsure).

    Values whose truth is False (None, 0, "", False, an empty list) are inside every range, so
    only the others are looked at, all as the kind of the first of them: text no longer than
    ``MAX_TEXT`` (``str.__len__`` refuses anything else), whole numbers within
    ``MAX_WORKING_DAYS`` of zero (``int.__index__`` refuses a float, so a NaN is never passed
    over), dates in range (comparing them with a date refuses anything else), lists no longer
    than ``MAX_LIST`` of such whole numbers.
    """
    first = next(filter(None, values), None)
    if first is None:
        return True
    kind = first.__class__
    if issubclass(kind, str):
        return max(map(str.__len__, filter(None, values))) <= MAX_TEXT
    present = list(filter(None, values))
    if issubclass(kind, int):
        return (max(map(int.__index__, present)) <= MAX_WORKING_DAYS
                and min(present) >= -MAX_WORKING_DAYS)
    if issubclass(kind, date) and not issubclass(kind, datetime):
        return FIRST_DATE <= min(present) and max(present) <= LAST_DATE
    if issubclass(kind, list):
        if max(map(list.__len__, present)) > MAX_LIST:
            return False
        items = list(chain.from_iterable(present))
        return (max(map(int.__index__, items)) <= MAX_WORKING_DAYS
                and min(items) >= -MAX_WORKING_DAYS)
    return False


def record_problems(what: str, record: Any) -> list[str]:
    """Every field of ``record`` outside its range, each worded as '<what>: <field> must ...'."""
    return [f"{what}: {name.replace('_', ' ')} {problem}."
            for name, problem in field_problems(record)]


def _short(value: Any) -> str:
    if isinstance(value, int) and abs(value) >= 10 ** 30:
        return "a number of more than 30 digits"  # and never str() a huge int: that can fail
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


MAX_CHAIN_WORKING_DAYS = 40_000
"""The longest chain of waiting work (durations plus lags, about 150 years): beyond this no
calendar can place the plan's dates."""


def longest_chain(plan: Any, kind: str | None = None, record: Any = None) -> int:
    """Working days of the plan's longest chain of waiting work (durations plus lags).

    With ``kind`` and ``record`` (an action or dependency), the plan is judged as if ``record``
    were in it. Actions in a loop are skipped (a loop is reported elsewhere).
    """
    return chain_pass(plan, kind, record)[0]


def chain_pass(plan: Any, kind: str | None = None, record: Any = None) -> tuple[int, bool]:
    """The longest chain, and whether every action was reached: False when the links between
    actions make a loop (links naming unknown actions or an action itself are left out)."""
    actions, deps = plan.actions, plan.dependencies
    if kind == "action":
        actions = {**actions, record.id: record}
    elif kind == "dependency":
        deps = {**deps, record.uid: record}
    links = link_positions(actions, list(deps.values()))
    if links is not None and not any(map(operator.eq, links.needs, links.waits)):
        return chain_of(links)
    return chain_plain(actions, deps)


def chain_plain(actions: dict, deps: dict) -> tuple[int, bool]:
    """``chain_pass`` record by record: any values (durations or lags of other types, links
    naming unknown actions or an action itself); ``chain_of`` gives the same on plain ones."""
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
    reached = 0
    while ready:  # longest path in a DAG (a loop's actions are never ready: they are skipped)
        reached += 1
        a = ready.pop()
        fa = finish[a]
        for b, lag in waits[a]:
            reach = fa + lag + duration[b]
            if reach > finish[b]:
                finish[b] = reach
            indegree[b] -= 1
            if indegree[b] == 0:
                ready.append(b)
    return max(finish, default=0), reached == n


class LinkPositions(NamedTuple):
    """A plan's actions and links as flat lists of whole numbers, built once and shared by the
    checks that need the links (``validate`` and the longest chain): action i has
    ``duration[i]``; link k makes action ``waits[k]`` wait for action ``needs[k]`` with a lag
    of ``lags[k]``."""

    duration: list[int]
    waits: list[int]
    needs: list[int]
    lags: list[int]


def link_positions(actions: dict, links: list, columns: tuple | None = None
                   ) -> LinkPositions | None:
    """The links between ``actions`` (a plan's dict of them) as positions, when every duration
    and lag is a whole number (``int``) and every link names two actions of the plan; None
    otherwise (then only ``chain_plain`` knows what the chain makes of them).

    ``columns``: the actions' durations and the links' actions, needs and lags, each in order,
    already taken from the records (``codec.stored_columns``)."""
    try:
        if columns is None:
            duration = list(map(_DURATION, actions.values()))
            lags = list(map(_LAG, links))
            waiting, needed = map(_ACTION, links), map(_NEEDS, links)
        else:
            duration, waiting, needed, lags = map(list, columns)
        if not _ONLY_INT.issuperset(map(type, duration)) or not _ONLY_INT.issuperset(
                map(type, lags)):
            return None
        pos = dict(zip(actions, range(len(duration))))
        waits = list(map(pos.__getitem__, waiting))
        needs = list(map(pos.__getitem__, needed))
    except (KeyError, TypeError):  # a link naming no action of the plan (or an odd value)
        return None
    return LinkPositions(duration, waits, needs, lags)


_DURATION = operator.attrgetter("duration")
_CLASS = operator.attrgetter("__class__")
_LAG = operator.attrgetter("lag")
_ACTION = operator.attrgetter("action")
_NEEDS = operator.attrgetter("needs")
_ONLY_INT = frozenset({int})


def chain_of(links: LinkPositions) -> tuple[int, bool]:
    """``chain_pass`` on positions (no link joining an action to itself): the longest chain of
    durations plus lags (below 0 counting 0), and whether every action was reached.

    The same longest-path pass over the links in topological order (Kahn's), on flat lists of
    whole numbers. Each action keeps its start (the latest of its prerequisites' finishes plus
    the link's lag, 0 with none) and its finish is its start plus its duration, taken when the
    walk reaches it: the walk only adds, compares and counts down. The links out of each action
    are grouped by a counting sort into two flat lists (``flat.grouped``, as the scheduler groups
    them): appending a (waiting action, lag) pair to a list of each action's own cost 40% more
    on the 20,000-action plan (68 against 41 ms), a tuple and a growing list per link, all over
    memory (issue 13). An action a loop keeps from being reached finishes at its start so far
    plus its duration, as ``chain_plain`` has it.
    """
    duration, waits, needs, lags = links
    if duration and min(duration) < 0:
        duration = [d if d > 0 else 0 for d in duration]
    if lags and min(lags) < 0:
        lags = [g if g > 0 else 0 for g in lags]
    n = len(duration)
    off, waiting, lag_of, _none = grouped(needs, n, waits, lags)
    indegree = [0] * n
    for b in waits:
        indegree[b] += 1
    start = [0] * n
    ready = list(compress(range(n), map(operator.not_, indegree)))
    push = ready.append
    for a in ready:  # grows as actions become ready: a loop's actions never do
        fa = start[a] + duration[a]
        for k in range(off[a], off[a + 1]):
            b = waiting[k]
            reach = fa + lag_of[k]
            if reach > start[b]:
                start[b] = reach
            left = indegree[b] - 1
            indegree[b] = left
            if not left:
                push(b)
    return max(map(operator.add, start, duration), default=0), len(ready) == n


def chain_words(longest: int) -> str:
    """What ``chain_problem`` says of a longest chain over the limit."""
    return (f"The longest chain of actions waiting for each other would take {longest:,} "
            f"working days; the most a plan can schedule is {MAX_CHAIN_WORKING_DAYS:,} "
            "(about 150 years). Shorten durations or lags, or remove a link.")


def chain_problem(plan: Any, kind: str | None = None, record: Any = None) -> str | None:
    """Why the plan's longest chain of work is too long to schedule (None if it fits).

    With ``kind`` and ``record`` (an action or dependency), the plan is judged as if ``record``
    were in it: how an edit is checked before it is made.
    """
    if kind not in (None, "action", "dependency"):
        return None
    longest = longest_chain(plan, kind, record)
    return chain_words(longest) if longest > MAX_CHAIN_WORKING_DAYS else None


def _days(value: Any) -> int | None:
    """A duration or lag as the chain counts it (below 0 counts 0); None if not a number."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value if value > 0 else 0


class ChainGuard:
    """``chain_problem`` for one edit at a time, without a whole-plan pass on every edit.

    It keeps an upper bound on the plan's longest chain, raised by each change the document
    applies (``note``): a longer duration or lag raises it by the difference; a new link joins
    at most two chains (bound * 2 + lag); removals and shorter durations leave it (still an upper
    bound). An edit whose bound stays within the limit cannot be refused by the full check, so
    it is accepted at once; otherwise the bound is made exact with one pass and, if the edit
    still might break the limit, the full check decides. So it refuses exactly what
    ``chain_problem`` refuses (a property test checks it), and runs a whole-plan pass only about
    once in several link additions instead of on every edit (issue 13).
    """

    def __init__(self, links: Any = None) -> None:
        self._plan: Any = None
        self._bound: int | None = None  # >= the plan's longest chain; None: not known
        self._acyclic = False  # known to hold no loop (since the last whole-plan pass)
        # The document's planner.links.LinkIndex, kept current before each ``note``: with it a
        # new link raises the bound by the chain through it (not to twice the bound) and a new
        # action no link names by its own duration, without a pass (issue 13).
        self._links = links

    def prepare(self, plan: Any) -> None:
        """Know the bound for ``plan`` (one whole-plan pass if it is not known yet)."""
        if plan is not self._plan or self._bound is None:
            self._plan = plan
            self._bound, self._acyclic = chain_pass(plan)

    def problem(self, plan: Any, kind: str, record: Any) -> str | None:
        """What ``chain_problem(plan, kind, record)`` says, usually without its pass."""
        if kind not in ("action", "dependency"):
            return None
        self.prepare(plan)
        after = self._after(plan, kind, record, self._bound)
        if after is not None and after <= MAX_CHAIN_WORKING_DAYS:
            return None
        self._bound, self._acyclic = chain_pass(plan)  # make the bound exact, judge again
        after = self._after(plan, kind, record, self._bound)
        if after is not None and after <= MAX_CHAIN_WORKING_DAYS:
            return None
        return chain_problem(plan, kind, record)

    def _after(self, plan: Any, kind: str, record: Any, bound: int) -> int | None:
        """An upper bound on the longest chain once ``record`` is in the plan (None: unknown)."""
        if kind == "action":
            old = plan.actions.get(record.id)
            new = _days(record.duration)
            if old is None and new is not None and self._alone(plan, record.id):
                return max(bound, new)  # a new action no link names: a chain of its own
            was = _days(old.duration) if old is not None else None
            if new is None or was is None:
                return None  # a new action (links may already name it) or an odd value
            return bound + (new - was if new > was else 0)
        old = plan.dependencies.get(record.uid)
        lag = _days(record.lag)
        if lag is None:
            return None
        if old is not None and (old.action, old.needs) == (record.action, record.needs):
            was = _days(old.lag)
            return None if was is None else bound + (lag - was if lag > was else 0)
        if old is None and self._links is not None:
            through = self._links.chain_through(plan, record.action, record.needs, record.lag)
            if through is not None:  # the longest chain using the new link, exactly
                return max(bound, through)
        return 2 * bound + lag  # a path takes a new link at most once: two old chains and its lag

    def _alone(self, plan: Any, action_id: Any) -> bool:
        """Whether no link names ``action_id`` (known only with the document's link index)."""
        return self._links is not None and not self._links.names(plan, action_id)

    def note(self, plan: Any, kind: str, field: str, old: Any, new: Any) -> None:
        """Keep the bound after one field change applied to ``plan`` (values as JSON)."""
        bound = self._bound
        if bound is None or plan is not self._plan or kind not in ("action", "dependency"):
            return
        if field == "*":
            if new is None:  # a removal: chains only get shorter, unless it breaks a loop
                if not self._acyclic:
                    self._bound = None
                return
            if kind == "action" and isinstance(new, dict) and self._alone(plan, new.get("id")):
                now = _days(new.get("duration"))
                self._bound = None if now is None else max(bound, now)
                return  # an action no link names: a chain of its own, no loop
            if (kind == "dependency" and isinstance(new, dict) and self._links is not None
                    and isinstance(new.get("action"), str) and isinstance(new.get("needs"), str)):
                # the link is in the plan and the index: a loop through it stops the walk
                through = self._links.chain_through(plan, new["action"], new["needs"],
                                                    new.get("lag"))
                if through is not None:
                    self._bound = max(bound, through)
                    return  # and no loop: any loop through the new link would have been met
            self._acyclic = False  # a new link or action may close a loop
            if kind == "dependency" and isinstance(new, dict):
                lag = _days(new.get("lag"))
                self._bound = None if lag is None else 2 * bound + lag
            else:
                self._bound = None  # a new action: links may already name it
            return
        if (kind, field) in (("action", "duration"), ("dependency", "lag")):
            now, was = _days(new), _days(old)
            if now is None or was is None:
                self._bound = None
            elif now > was:
                self._bound = bound + now - was
        elif kind == "dependency" and field in ("action", "needs"):
            self._bound = None
