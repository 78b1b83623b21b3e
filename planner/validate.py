"""The rules a plan must keep, worded for a recovery lead.

``record_problems`` checks one record against the rest of the plan (used by every operation before
anything is written); ``find_loop`` names a circle of dependencies; ``validate_plan`` re-checks a
whole plan (for files from elsewhere); ``plan_warnings`` lists the plan-wide gaps a lead should see.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from itertools import chain, compress, repeat
from operator import add, attrgetter, eq, gt, is_not, lt, mul, not_
from typing import Any, Iterable

from . import limits
from .errors import LoopError
from .bank_holidays import REGIONS
from .dates import DATE_ORDERS, short_date
from .model import (
    ACTION_STATUSES, ACTION_TAGS, DEPENDENCY_TYPES, DIRECTIONS, MEASURE_KINDS, MEASURE_TYPES,
    MILESTONE_STATUSES, ROLES,
    Action, Assessment, Challenge, Dependency, Initiative, Measure, Milestone, Person, Phase, Plan,
    Reading, Risk, Settings,
)


def _name(plan: Plan, action_id: str) -> str:
    action = plan.actions.get(action_id)
    return f"'{action.title}'" if action and action.title else f"'{action_id}'"


def _owner_problems(plan: Plan, owner: str | None, what: str) -> list[str]:
    if owner and owner not in plan.people:
        return [f"{what}: the owner '{owner}' is not one of the plan's people."]
    return []


def _challenge_problems(plan: Plan, numbers: Iterable[int], what: str) -> list[str]:
    unknown = [n for n in numbers if n not in plan.challenges]
    if unknown:
        listed = ", ".join(str(n) for n in unknown)
        return [f"{what}: there is no challenge {listed} (challenges are numbered 1 to 10)."]
    return []


def successors_map(plan: Plan, skip: str | None = None) -> dict[str, list[str]]:
    """For each action, the actions that wait on it (optionally leaving out one dependency)."""
    out: dict[str, list[str]] = defaultdict(list)
    for uid, dep in plan.dependencies.items():
        if uid != skip:
            out[dep.needs].append(dep.action)
    return out


def path_between(succ: dict[str, list[str]], start: str, goal: str) -> list[str] | None:
    """A chain of actions from ``start`` to ``goal`` following 'waits on me' links, if any."""
    parent: dict[str, str | None] = {start: None}
    frontier = [start]
    while frontier:
        nxt = []
        for node in frontier:
            for s in succ.get(node, ()):
                if s in parent:
                    continue
                parent[s] = node
                if s == goal:
                    chain = [s]
                    while parent[chain[-1]] is not None:
                        chain.append(parent[chain[-1]])
                    return list(reversed(chain))
                nxt.append(s)
        frontier = nxt
    return None


def loop_message(plan: Plan, dep: Dependency, chain: list[str]) -> str:
    """Explain that ``dep`` would close the loop ``chain`` (a path from dep.action to dep.needs)."""
    loop = [dep.needs] + chain
    names = " → ".join(_name(plan, a).strip("'") for a in loop)
    return (f"{_name(plan, dep.action)} cannot wait for {_name(plan, dep.needs)}: that would make "
            f"a loop where each waits for the next: {names}.")


def find_loop(plan: Plan, among: Iterable[str] | None = None) -> list[str] | None:
    """One circle of dependencies (action ids, first repeated at the end), or None.

    The one loop finder: validation, the engine and phase planning all call it. ``among`` limits
    the search to those actions (the engine passes the actions it schedules).
    """
    succ = successors_map(plan)
    keep = None if among is None else set(among)
    if keep is not None:
        succ = {a: [s for s in nxt if s in keep] for a, nxt in succ.items() if a in keep}
    state: dict[str, int] = {}
    for root in list(succ):
        if state.get(root):
            continue
        stack = [(root, iter(succ.get(root, ())))]
        path = [root]
        state[root] = 1
        while stack:
            node, it = stack[-1]
            advanced = False
            for s in it:
                if state.get(s) == 1:
                    return path[path.index(s):] + [s]
                if not state.get(s):
                    state[s] = 1
                    path.append(s)
                    stack.append((s, iter(succ.get(s, ()))))
                    advanced = True
                    break
            if not advanced:
                state[node] = 2
                path.pop()
                stack.pop()
    return None


def describe_loop(plan: Plan, loop: list[str]) -> str:
    """A loop of action ids in words."""
    return " → ".join(_name(plan, a).strip("'") for a in loop)


def loop_problem(plan: Plan, loop: list[str]) -> str:
    """What is wrong with a plan holding ``loop`` (first id repeated at the end), and what to do.

    The one message for a loop already in a plan: ``validate``, the schedule and phase planning
    all say this.
    """
    if len(loop) == 2 and loop[0] == loop[1]:
        return (f"{_name(plan, loop[0])} ({loop[0]}) waits on itself, so it can never start. "
                "Remove that link.")
    return ("Some actions wait for each other in a loop, so none of them can start: "
            f"{describe_loop(plan, loop)}. Remove one of these links (actions "
            f"{', '.join(loop[:-1])}).")


def loop_error(plan: Plan, loop: list[str]) -> LoopError:
    """The LoopError for a plan holding ``loop``."""
    return LoopError(loop_problem(plan, loop), loop)


def _titled(plan: Plan, word: str, ident: str, title: str,
            owner: str | None) -> tuple[str, list[str]]:
    """How to name a record in messages, and the title and owner rules every titled record keeps."""
    what = f"{word} {ident}" + (f" '{title}'" if title else "")
    out = [] if title.strip() else [f"{word} {ident}: a title is needed."]
    return what, out + _owner_problems(plan, owner, what)


def _check_int_range(value: Any, low: int, high: int | None, message: str) -> list[str]:
    if value is None:
        return []
    if value < low or (high is not None and value > high):
        return [message]
    return []


ACTUAL_DATES = {"milestone": ("actual",), "action": ("actual_start", "actual_finish")}
"""The fields that record something as having happened, by kind of record."""


def status_date(plan: Plan) -> date:
    """The day the plan's status is reported at: its as-of date, else today."""
    return plan.settings.as_of or date.today()


def future_actual_problems(plan: Plan, kind: str, rec: Any,
                           fields: Iterable[str] | None = None) -> list[str]:
    """Actual dates after the status date: the window, imports and packs all refuse them.

    An actual date says something has happened; one after the plan's status date would mark a
    milestone achieved in the future (issue 10). ``fields`` limits the check to the fields being
    set, so an old record is not blocked from other edits.
    """
    names = [f for f in ACTUAL_DATES.get(kind, ()) if fields is None or f in fields]
    limit = status_date(plan)
    out = []
    for name in names:
        value = getattr(rec, name)
        if value is not None and value > limit:
            title = getattr(rec, "title", "")
            what = f"{rec.id}" + (f" '{title}'" if title else "")
            out.append(f"{what}: the {name.replace('_', ' ')} date {short_date(value)} is after the "
                       f"plan's status date ({short_date(limit)}). An actual date records something "
                       f"that has happened; move the status date on first if it has.")
    return out


def future_actuals(plan: Plan) -> list[str]:
    """Every actual date in the plan that is after its status date (imports and packs refuse
    them; ``validate`` lists them)."""
    limit = status_date(plan)
    return [p for kind in ACTUAL_DATES if _any_after(plan.collection(kind).values(),
                                                     ACTUAL_DATES[kind], limit)
            for rec in plan.collection(kind).values()
            for p in future_actual_problems(plan, kind, rec)]


def _any_after(records: Iterable[Any], fields: Iterable[str], limit: date) -> bool:
    """Whether a record may hold one of ``fields`` after ``limit`` (True when unsure): the
    latest of each field's dates, instead of every record asked in turn (issue 13)."""
    try:
        for name in fields:
            dates = list(filter(None, map(attrgetter(name), records)))
            if dates and max(dates) > limit:
                return True
        return False
    except Exception:  # noqa: BLE001 - odd values: each record is asked, as before
        return True


def record_problems(plan: Plan, kind: str, rec: Any, *, check_loops: bool = True,
                    links: Any = None) -> list[str]:
    """Everything wrong with ``rec`` (of ``kind``) if it were in ``plan`` as it now stands.

    ``links``: the document's ``planner.links.LinkIndex`` of ``plan``, so that a link's checks
    look at its two actions' links rather than at every link of the plan (issue 13).
    """
    checker = _CHECKERS[kind]
    out = limits.record_problems(_label(kind, rec), rec) if limits.field_problems(rec) else []
    return out + (checker(plan, rec, check_loops, links) if kind == "dependency"
                  else checker(plan, rec))


def _label(kind: str, rec: Any) -> str:
    """How a record is named in a range problem: 'Action A12', 'Dependency A3 → A2'."""
    if kind == "dependency":
        return f"Dependency {rec.action} → {rec.needs}"
    key = getattr(rec, "id", None) or getattr(rec, "number", None)
    if key is None:
        key = f"of {getattr(rec, 'date', '')}".strip() if hasattr(rec, "date") else ""
    return f"{kind.capitalize()} {key}".strip()


def _person(plan: Plan, p: Person, check_names: bool = True) -> list[str]:
    what = f"Person {p.id}"
    out = []
    if not p.name.strip():
        out.append(f"{what}: a name is needed.")
    if p.role not in ROLES:
        out.append(f"{what}: '{p.role}' is not a role the plan knows ({', '.join(ROLES)}).")
    out += _check_int_range(p.capacity, 1, None,
                            f"{what}: capacity (most actions at once) must be 1 or more.")
    name = p.name.strip().casefold()
    for other in plan.people.values() if check_names else ():
        if other.id != p.id and other.name.strip().casefold() == name and name:
            out.append(f"{what}: there is already a person called '{p.name.strip()}' ({other.id}).")
            break
    return out


def _initiative(plan: Plan, i: Initiative) -> list[str]:
    what, out = _titled(plan, "Initiative", i.id, i.title, i.owner)
    return out + _challenge_problems(plan, i.challenges, what)


def _action(plan: Plan, a: Action) -> list[str]:
    what, out = _titled(plan, "Action", a.id, a.title, a.owner)
    if a.initiative and a.initiative not in plan.initiatives:
        out.append(f"{what}: there is no initiative '{a.initiative}'.")
    out += _challenge_problems(plan, a.challenges, what)
    out += _check_int_range(a.duration, 0, None,
                            f"{what}: the duration cannot be negative ({a.duration} working days).")
    if a.status not in ACTION_STATUSES:
        out.append(f"{what}: '{a.status}' is not a status ({', '.join(ACTION_STATUSES)}).")
    out += _check_int_range(a.percent, 0, 100,
                            f"{what}: percent complete must be between 0 and 100, not {a.percent}.")
    if a.actual_start and a.actual_finish and a.actual_finish < a.actual_start:
        out.append(f"{what}: it cannot finish ({short_date(a.actual_finish)}) before it started "
                   f"({short_date(a.actual_start)}).")
    if a.not_before and a.deadline and a.deadline < a.not_before:
        out.append(f"{what}: the deadline ({short_date(a.deadline)}) is before the date it may "
                   f"start ({short_date(a.not_before)}).")
    for label in ("control", "opportunity", "hope"):
        value = getattr(a, f"check_{label}")
        if value is not None and value not in (-1, 0, 1):
            out.append(f"{what}: the recovery check for {label} must be -1, 0 or +1.")
    out += _check_int_range(a.phase, 1, None, f"{what}: phases are numbered from 1.")
    if a.tag not in ACTION_TAGS:
        out.append(f"{what}: '{a.tag}' is not a tag ({', '.join(t for t in ACTION_TAGS if t)}).")
    return out


def _dependency(plan: Plan, d: Dependency, check_loops: bool = True,
                links: Any = None) -> list[str]:
    out = _dependency_basic(plan, d)
    if out or d.action == d.needs:
        return out
    if links is not None:
        if links.pair_taken(plan, d.action, d.needs, d.uid):
            out.append(f"{_name(plan, d.action)} already waits for {_name(plan, d.needs)}.")
    else:
        for other in plan.dependencies.values():
            if other.uid != d.uid and other.action == d.action and other.needs == d.needs:
                out.append(f"{_name(plan, d.action)} already waits for {_name(plan, d.needs)}.")
                break
    if check_loops and not out:
        chain = loop_through(plan, d, links)
        if chain is not None:
            out.append(loop_message(plan, d, chain))
    return out


def loop_through(plan: Plan, d: Dependency, links: Any = None) -> list[str] | None:
    """The chain from d.action back to d.needs that ``d`` would close into a loop, or None.

    ``links`` (the document's ``planner.links.LinkIndex``) gives the same successor map kept
    up to date between edits, so one edit searches from d.action without building it: the
    same search in the same order, so the same answer (issue 13).
    """
    succ = successors_map(plan, skip=d.uid) if links is None else links.successors(plan, d.uid)
    return path_between(succ, d.action, d.needs)


def _milestone(plan: Plan, m: Milestone) -> list[str]:
    what, out = _titled(plan, "Milestone", m.id, m.title, m.owner)
    if m.action and m.action not in plan.actions:
        out.append(f"{what}: there is no action '{m.action}'.")
    if m.initiative and m.initiative not in plan.initiatives:
        out.append(f"{what}: there is no initiative '{m.initiative}'.")
    if m.status not in MILESTONE_STATUSES:
        out.append(f"{what}: '{m.status}' is not a status ({', '.join(MILESTONE_STATUSES)}).")
    return out


def _measure(plan: Plan, m: Measure) -> list[str]:
    what = f"Measure {m.id}" + (f" '{m.name}'" if m.name else "")
    out = [] if m.name.strip() else [f"Measure {m.id}: a name is needed."]
    if m.kind not in MEASURE_KINDS:
        out.append(f"{what}: kind must be objective or subjective, not '{m.kind}'.")
    if m.direction not in DIRECTIONS:
        out.append(f"{what}: direction must be 'higher' or 'lower' (which is better), "
                   f"not '{m.direction}'.")
    fewest = limits.MIN_FIX_POINTS
    out += _check_int_range(m.spc_fix_after, fewest, None,
                            f"{what}: SPC limits need at least {fewest} readings to be "
                            "fixed on (fewer give limits that move too much to rely on).")
    if m.measure_type not in MEASURE_TYPES:
        out.append(f"{what}: the type must be one of {', '.join(MEASURE_TYPES)}, "
                   f"not '{m.measure_type}'.")
    return out + _challenge_problems(plan, m.challenges, what)


def _reading(plan: Plan, r: Reading) -> list[str]:
    if r.measure not in plan.measures:
        return [f"A reading names measure '{r.measure}', which is not in the plan."]
    return []


def _assessment(plan: Plan, a: Assessment) -> list[str]:
    out = _challenge_problems(plan, [a.challenge], f"Assessment of {short_date(a.date)}")
    if a.stage not in plan.stages:
        out.append(f"'{a.stage}' is not a stage on this plan's scale "
                   f"({' / '.join(plan.stages)}).")
    return out


def _risk(plan: Plan, r: Risk) -> list[str]:
    what, out = _titled(plan, "Risk", r.id, r.title, r.owner)
    out += _check_int_range(r.likelihood, 1, 5, f"{what}: likelihood must be from 1 to 5.")
    out += _check_int_range(r.impact, 1, 5, f"{what}: impact must be from 1 to 5.")
    out += _check_int_range(r.target_likelihood, 1, 5,
                            f"{what}: the target likelihood must be from 1 to 5.")
    out += _check_int_range(r.target_impact, 1, 5, f"{what}: the target impact must be from 1 to 5.")
    unknown = [a for a in r.actions if a not in plan.actions]
    if unknown:
        out.append(f"{what}: there is no action {', '.join(unknown)}.")
    return out + _challenge_problems(plan, r.challenges, what)


def _phase(plan: Plan, p: Phase) -> list[str]:
    return _check_int_range(p.number, 1, None, "Phases are numbered from 1.")


def _challenge(plan: Plan, c: Challenge) -> list[str]:
    out = _check_int_range(c.number, 1, 10, "Challenges are numbered 1 to 10.")
    if c.target_stage not in plan.stages:
        out.append(f"Challenge {c.number}: the target '{c.target_stage}' is not a stage on this "
                   f"plan's scale ({' / '.join(plan.stages)}).")
    return out


_CHECKERS = {
    "person": _person, "initiative": _initiative, "action": _action, "dependency": _dependency,
    "milestone": _milestone, "measure": _measure, "reading": _reading,
    "assessment": _assessment, "risk": _risk, "phase": _phase, "challenge": _challenge,
}


def settings_problems(plan: Plan, s: Settings) -> list[str]:
    """Everything wrong with plan-wide settings."""
    out = limits.record_problems("Plan settings", s)
    if not s.name.strip():
        out.append("The plan needs a name.")
    if not s.stage_scale or any(not x.strip() for x in s.stage_scale):
        out.append("The stage scale needs at least one stage, each with a name.")
    elif len({x.casefold() for x in s.stage_scale}) != len(s.stage_scale):
        out.append("Each stage on the scale must have a different name.")
    else:
        used = {a.stage for a in plan.assessments.values()}
        used |= {c.target_stage for c in plan.challenges.values()}
        missing = sorted(used - set(s.stage_scale))
        if missing:
            out.append("The stage scale must keep the stages the plan already uses: "
                       + ", ".join(missing) + ".")
    if s.holiday_region and s.holiday_region not in REGIONS:
        out.append(f"Bank holidays are known for {', '.join(REGIONS)}, not "
                   f"'{s.holiday_region}'.")
    if s.date_order not in DATE_ORDERS:
        out.append(f"The date order must be {' or '.join(DATE_ORDERS)}, not '{s.date_order}'.")
    if s.start and s.end and s.end < s.start:
        out.append(f"The plan cannot end ({short_date(s.end)}) before it starts ({short_date(s.start)}).")
    return out


def _action_suspects(plan: Plan, actions: list[Action]) -> set[int] | None:
    """Positions of the actions in which ``record_problems`` may find something (None: any).

    Every rule of ``_action`` and the range checks, asked of whole columns of values at once
    (C-level passes over 20,000 titles, owners, statuses...; issue 13): an action left out
    breaks none of them, so checking only the rest lists exactly the same problems. Each
    column is read once and shared by the range check and the rules; a rule is asked action by
    action only where the column shows it may break (a blank title, a negative duration, a
    status not known...). Anything unexpected (a value of an odd type) makes every action a
    suspect.
    """
    try:
        columns = limits.record_columns(actions)
        if columns is None or not limits.columns_plainly_inside(columns.values()):
            return None
    except Exception:  # noqa: BLE001 - odd values: every action is checked in full, as before
        return None
    return _rule_suspects(plan, actions, columns)


_RULE_FIELDS = ("title", "owner", "initiative", "challenges", "duration", "percent", "status",
                "tag", "check_control", "check_opportunity", "check_hope", "actual_start",
                "actual_finish", "not_before", "deadline", "phase")
"""The fields of an action that ``_rule_suspects`` looks at."""


def _read_suspects(plan: Plan, actions: list[Action],
                   stored: dict[str, tuple] | None = None) -> set[int] | None:
    """``_action_suspects`` of the actions of a plan exactly as it was read from its file
    (``validate_plan(read=True)``): every value there is of its field's type and inside its
    range (``storage.load_plan`` refuses a file holding any other), so no range check can find
    anything and only the columns the rules look at are made (issue 13), those of text and
    whole-number fields from the ``stored`` columns when given (``codec.stored_columns``)."""
    try:
        columns = {name: (stored[name] if stored and name in stored
                          else list(map(attrgetter(name), actions))) for name in _RULE_FIELDS}
    except Exception:  # noqa: BLE001 - odd records: every action is checked in full
        return None
    return _rule_suspects(plan, actions, columns)


def _rule_suspects(plan: Plan, actions: list[Action], columns: dict) -> set[int] | None:
    """``_action_suspects``' rules asked of ``columns`` (each field's values over ``actions``,
    all inside their ranges); None when unsure."""
    try:
        every = range(len(actions))
        out: set[int] = set()
        titles = columns["title"]
        if not all(titles) or any(map(str.isspace, titles)):  # only then is one blank
            out.update(compress(every, map(not_, map(str.strip, titles))))
        for name, known in (("owner", plan.people), ("initiative", plan.initiatives)):
            values = columns[name]
            unknown = {v for v in set(values) if v and v not in known}
            if unknown:
                out.update(compress(every, map(unknown.__contains__, values)))
        lists = columns["challenges"]
        unknown = set(chain.from_iterable(lists)).difference(plan.challenges)
        if unknown:
            out.update(compress(every, map(not_, map(unknown.isdisjoint, lists))))
        duration, percent = columns["duration"], columns["percent"]
        if duration and min(duration) < 0:
            out.update(compress(every, map(lt, duration, repeat(0))))
        if percent and (min(percent) < 0 or max(percent) > 100):
            out.update(compress(every, map(lt, percent, repeat(0))))
            out.update(compress(every, map(gt, percent, repeat(100))))
        for name, known in (("status", _STATUSES), ("tag", _TAGS), ("check_control", _CHECKS),
                            ("check_opportunity", _CHECKS), ("check_hope", _CHECKS)):
            values = columns[name]
            if not known.issuperset(values):
                out.update(compress(every, map(not_, map(known.__contains__, values))))
        for early, late in (("actual_start", "actual_finish"), ("not_before", "deadline")):
            firsts, lasts = columns[early], columns[late]
            if any(firsts) and any(lasts):  # else no action has both
                out.update(i for i, a, b in zip(every, firsts, lasts) if a and b and b < a)
        phases = columns["phase"]
        if any(map(is_not, phases, repeat(None))):
            out.update(i for i, p in zip(every, phases) if p is not None and p < 1)
        return out
    except Exception:  # noqa: BLE001 - odd values: every action is checked in full, as before
        return None


_ID = attrgetter("id")
_OWNER = attrgetter("owner")
_CHALLENGES = attrgetter("challenges")
_STATUSES = frozenset(ACTION_STATUSES)
_TAGS = frozenset(ACTION_TAGS)
_CHECKS = frozenset({None, -1, 0, 1})


def _records_plain(records: list) -> bool:
    """Whether no field of ``records`` (of one kind) is out of its range, judged by columns, so
    ``record_problems`` need not ask each record (``limits.plainly_inside``)."""
    return limits.plainly_inside(records)


def _links_plain(plan: Plan, links: list[Dependency],
                 stored: dict[str, dict[str, tuple] | None] | None = None
                 ) -> limits.LinkPositions | bool:
    """Whether no link breaks a rule ``validate_plan`` checks link by link: no pair twice,
    each joins two different actions of the plan, a known type, no negative lag (whole columns
    at once; False when unsure). When none does, the links as positions
    (``limits.LinkPositions``), which the longest-chain pass then uses as they are.
    ``stored``: the stored columns of the plan's actions and links by kind
    (``codec.stored_columns``), where the links' fields and the durations are read."""
    try:
        actions = stored.get("action") if stored else None
        columns = stored.get("dependency") if stored else None
        if actions is None or columns is None:
            found = limits.link_positions(plan.actions, links)
            types: Iterable[Any] = map(attrgetter("type"), links)
        else:
            found = limits.link_positions(plan.actions, links, (
                actions["duration"], columns["action"], columns["needs"], columns["lag"]))
            types = columns["type"]
            links = columns["uid"]  # one a link (the records may be unbuilt)
        if found is None:
            return False
        n = len(found.duration)
        waits, needs = found.waits, found.needs
        return found if (
            not any(map(eq, waits, needs))
            and len(set(map(add, map(mul, waits, repeat(n)), needs))) == len(links)
            and _LINK_TYPES.issuperset(types)
            and (not found.lags or min(found.lags) >= 0)) else False
    except Exception:  # noqa: BLE001 - odd values: each link is checked, as before
        return False


_LINK_TYPES = frozenset(DEPENDENCY_TYPES)


def validate_plan(plan: Plan, *, read: bool = False,
                  columns: dict[str, dict[str, tuple]] | None = None,
                  unbuilt_links: Any = None) -> list[str]:
    """Every rule broken anywhere in the plan (empty when the plan is sound).

    ``read``: the plan is exactly as ``storage.load_plan`` read it from its file, nothing
    changed since (``validate`` on the command line). Every value is then of its field's type
    and inside its range, or the file would have been refused, so the range checks, which could
    find nothing, are left out: the same problems are listed (issue 13). ``columns`` (with
    ``read``): the stored columns of the plan as read (``codec.stored_columns``), from which
    whole columns of the actions' and links' text and whole-number fields are taken.
    ``unbuilt_links`` (with ``read`` and ``columns``): the plan's links were read and checked
    but their records left unbuilt (``storage.load_plan(unbuilt=...)``): calling it builds
    them, which is done only when a link breaks a rule or the links make a loop (issue 13).
    """
    stored = columns if read else None
    problems = settings_problems(plan, plan.settings)
    names: dict[str, str] = {}
    for kind in ("challenge", "person", "initiative", "action", "milestone", "measure",
                 "reading", "assessment", "risk", "phase"):
        records = list(plan.collection(kind).values())
        if kind == "action":
            suspects = (_read_suspects(plan, records, stored and stored.get("action")) if read
                        else _action_suspects(plan, records))
            if suspects is not None:  # the others break no rule
                records = [records[i] for i in sorted(suspects)]
        elif kind != "person" and len(records) > 1 and (read or _records_plain(records)):
            checker = _CHECKERS[kind]  # no value out of range: only the rules of each record
            for rec in records:
                problems += checker(plan, rec)
            continue
        for rec in records:
            if kind == "person":
                # checked here in one pass rather than per person against everyone
                key = rec.name.strip().casefold()
                if key and key in names:
                    problems.append(f"Two people are called '{rec.name.strip()}' "
                                    f"({names[key]} and {rec.id}).")
                names[key] = rec.id
                problems += _person(plan, rec, check_names=False)
                continue
            problems += record_problems(plan, kind, rec)
    seen = set()
    actions = plan.actions
    plain_links = True  # every link joins two different actions of the plan
    if unbuilt_links is not None and not (stored and "action" in stored
                                          and "dependency" in stored):
        unbuilt_links()  # the links are read from their records
    links = list(plan.dependencies.values())
    positions = _links_plain(plan, links, stored) if stored else _links_plain(plan, links)
    if positions:
        links = []  # none breaks a rule checked link by link
    elif unbuilt_links is not None:  # checked one by one: as read, with their records
        unbuilt_links()
        links = list(plan.dependencies.values())
    for dep in links:
        pair = (dep.action, dep.needs)
        if pair in seen:
            problems.append(f"{_name(plan, dep.action)} waits for {_name(plan, dep.needs)} twice.")
        seen.add(pair)
        if dep.action == dep.needs or dep.action not in actions or dep.needs not in actions:
            plain_links = False
        problems += _dependency_basic(plan, dep)
    longest, loop_free = (limits.chain_of(positions) if positions
                          else limits.chain_pass(plan))
    if longest > limits.MAX_CHAIN_WORKING_DAYS:
        problems.append(limits.chain_words(longest))
    # The chain pass reaches every action unless the links make a loop: with plain links that
    # settles it, and the loop search (another pass over every link) is needed only to name one.
    if unbuilt_links is not None and not (plain_links and loop_free):
        unbuilt_links()  # the loop search reads the records
    loop = None if plain_links and loop_free else find_loop(plan)
    if loop:
        problems.append(loop_problem(plan, loop))
    return problems


def _dependency_basic(plan: Plan, d: Dependency) -> list[str]:
    """Dependency rules that need no search of the whole plan."""
    out = []
    for ident in (d.action, d.needs):
        if ident not in plan.actions:
            out.append(f"A dependency names action '{ident}', which is not in the plan.")
    if out:
        return out
    if d.action == d.needs:
        return [f"{_name(plan, d.action)} cannot wait for itself."]
    if d.type not in DEPENDENCY_TYPES:
        out.append(f"A dependency type must be FS (finish to start) or SS (start to start), "
                   f"not '{d.type}'.")
    if d.lag < 0:
        out.append(f"The lag between {_name(plan, d.needs)} and {_name(plan, d.action)} cannot be "
                   f"negative ({d.lag} working days).")
    return out


def plan_warnings(plan: Plan, *, columns: dict[str, dict[str, tuple]] | None = None
                  ) -> list[str]:
    """Plan-wide gaps: actions with no owner, challenges with no action, late milestones, empty measures.

    ``columns``: the stored columns of the plan as read (``codec.stored_columns``), which give
    the actions' ids and owners."""
    out = []
    actions = list(plan.actions.values())
    stored = columns.get("action") if columns else None
    ids, owners = ((stored["id"], stored["owner"]) if stored
                   else (map(_ID, actions), map(_OWNER, actions)))
    no_owner = list(compress(ids, map(not_, owners)))
    if no_owner:
        shown = ", ".join(no_owner[:10]) + (f" and {len(no_owner) - 10} more" if len(no_owner) > 10 else "")
        out.append(f"{len(no_owner)} action{'s have' if len(no_owner) != 1 else ' has'} no owner: {shown}.")
    covered = set(chain.from_iterable(map(_CHALLENGES, actions)))
    for number, challenge in sorted(plan.challenges.items()):
        if number not in covered:
            out.append(f"Challenge {number}, {challenge.title}, has no actions yet.")
    end = plan.settings.end
    if end:
        for m in plan.milestones.values():
            when = m.actual or m.forecast or m.baseline
            if when and when > end:
                out.append(f"Milestone {m.id} '{m.title}' ({short_date(when)}) falls after the plan "
                           f"ends ({short_date(end)}).")
    with_readings = {r.measure for r in plan.readings.values()}
    for m in plan.measures.values():
        if m.id not in with_readings:
            out.append(f"Measure {m.id} '{m.name}' has no readings yet.")
    return out
