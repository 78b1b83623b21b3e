"""Impact of a slip ("what moves, and by how much") and "why is this dated as it is"."""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from datetime import date

from planner.dates import short_date
from planner.errors import PlanError
from planner.model import Action, ActionStatus, Plan

from .analysis import Analysis, Scheduler
# _ACTUAL: the driver of an action under way or done (its own actual dates)
from .schedule import _ACTUAL, LOWER_REASONS, ScheduleCore, title_of
from .snapshot import IN_PROGRESS, ScheduleData


def _days(n: int) -> str:
    return f"{n} working day{'s' if abs(n) != 1 else ''}"


@dataclass(frozen=True)
class Move:
    """An action or milestone that moves: its old and new dates and by how many working days."""

    id: str
    title: str
    old_start: date | None
    new_start: date | None
    old_finish: date
    new_finish: date
    days: int


@dataclass
class Impact:
    """What a slip of one action moves, with a plain-English summary in ``text``."""

    action_id: str
    slip: int
    moved_actions: list[Move] = field(default_factory=list)
    moved_milestones: list[Move] = field(default_factory=list)
    plan_finish_before: date | None = None
    plan_finish_after: date | None = None
    plan_finish_days: int = 0
    text: str = ""

    def to_json(self) -> dict:
        """A JSON-friendly dict (dates as YYYY-MM-DD)."""
        def mv(m: Move) -> dict:
            return {"id": m.id, "title": m.title,
                    "old_start": m.old_start.isoformat() if m.old_start else None,
                    "new_start": m.new_start.isoformat() if m.new_start else None,
                    "old_finish": m.old_finish.isoformat(), "new_finish": m.new_finish.isoformat(),
                    "days": m.days}
        return {"action": self.action_id, "slip_days": self.slip,
                "plan_finish_before": self.plan_finish_before.isoformat()
                if self.plan_finish_before else None,
                "plan_finish_after": self.plan_finish_after.isoformat()
                if self.plan_finish_after else None,
                "plan_finish_days": self.plan_finish_days,
                "actions": [mv(m) for m in self.moved_actions],
                "milestones": [mv(m) for m in self.moved_milestones],
                "text": self.text}


def _milestone_indices(plan: Plan, core: ScheduleCore) -> dict[str, int]:
    ini: dict[str, int] = {}
    for i, aid in enumerate(core.ids):
        k = plan.actions[aid].initiative
        if k is not None and (k not in ini or core.ef[i] > ini[k]):
            ini[k] = core.ef[i]
    out = {}
    for mid, m in plan.milestones.items():
        if m.actual is not None:
            continue
        if m.action is not None and m.action in core.pos:
            out[mid] = core.ef[core.pos[m.action]]
        elif m.initiative is not None and m.initiative in ini:
            out[mid] = ini[m.initiative]
    return out


def impact(plan: Plan, action_id: str, slip: int, *, analysis: Analysis | None = None) -> Impact:
    """What moves if ``action_id`` finishes ``slip`` working days later than scheduled."""
    a = plan.actions.get(action_id)
    if a is None:
        raise PlanError(f"There is no action {action_id} in this plan.")
    if a.status == ActionStatus.CANCELLED:
        raise PlanError(f"'{a.title}' ({action_id}) is cancelled, so it cannot slip.")
    if a.status == ActionStatus.DONE:
        raise PlanError(f"'{a.title}' ({action_id}) is already done, so it cannot slip.")
    if slip < 0:
        raise PlanError("The slip must be zero or more working days.")
    override = analysis.phase_override if analysis is not None else None
    as_of = analysis.as_of if analysis is not None else None
    core = ScheduleCore(plan, phases=override, as_of=as_of).run()
    cal = core.cal
    n = len(core.ids)
    old_es, old_ef = list(core.es), list(core.ef)
    old_ms = _milestone_indices(plan, core)
    old_pf = core.finish_idx
    i = core.pos[action_id]
    if core.state[i] == IN_PROGRESS:
        core.fixed_finish[i] += slip
    else:
        core.span[i] += slip
    core._forward_from([i])
    res = Impact(action_id, slip)
    order = core.order
    for k in order:
        if k == i:
            continue
        if core.es[k] != old_es[k] or core.ef[k] != old_ef[k]:
            res.moved_actions.append(Move(core.ids[k], title_of(plan, core.ids[k]),
                                          cal.date(old_es[k]), cal.date(core.es[k]),
                                          cal.date(old_ef[k]), cal.date(core.ef[k]),
                                          core.ef[k] - old_ef[k]))
    new_ms = _milestone_indices(plan, core)
    for mid, old in old_ms.items():
        new = new_ms[mid]
        if new != old:
            res.moved_milestones.append(Move(mid, plan.milestones[mid].title, None, None,
                                             cal.date(old), cal.date(new), new - old))
    res.plan_finish_before = cal.date(old_pf) if n else None
    res.plan_finish_after = cal.date(core.finish_idx) if n else None
    res.plan_finish_days = core.finish_idx - old_pf
    lines = []
    new_finish = cal.date(core.ef[i])
    head = (f"If '{a.title}' ({action_id}) finishes {_days(slip)} late "
            f"({short_date(new_finish)} instead of {short_date(cal.date(old_ef[i]))}): ")
    na, nm = len(res.moved_actions), len(res.moved_milestones)
    if na == 0 and nm == 0:
        head += "nothing else moves; its float absorbs the slip."
    else:
        head += (f"{na} other action{'s' if na != 1 else ''} and {nm} milestone"
                 f"{'s' if nm != 1 else ''} move.")
    lines.append(head)
    if res.plan_finish_days:
        lines.append(f"The plan finish moves {_days(res.plan_finish_days)}, from "
                     f"{short_date(res.plan_finish_before)} to {short_date(res.plan_finish_after)}.")
    elif n:
        lines.append(f"The plan finish stays at {short_date(res.plan_finish_before)}.")
    if res.moved_milestones:
        lines.append("Milestones:")
        for m in res.moved_milestones:
            owner = plan.milestones[m.id].forecast
            note = f" (its owner's forecast is {short_date(owner)})" if owner else ""
            lines.append(f"  {m.id} '{m.title}': {short_date(m.old_finish)} -> "
                         f"{short_date(m.new_finish)} ({'+' if m.days > 0 else ''}{_days(m.days)}){note}")
    if res.moved_actions:
        lines.append("Actions:")
        for m in res.moved_actions:
            lines.append(f"  {m.id} '{m.title}': finishes {short_date(m.old_finish)} -> "
                         f"{short_date(m.new_finish)} ({'+' if m.days > 0 else ''}{_days(m.days)})")
    res.text = "\n".join(lines)
    return res


@dataclass(frozen=True)
class WhyStep:
    """One link in the chain that dates a target: an action, its dates and why it starts then."""

    action_id: str
    title: str
    start: date
    finish: date
    reason: str
    kind: str  # "link", "plan start", "as-of date", "not-before date", "phase start", "actual dates"
    float_days: int


@dataclass(frozen=True)
class SlipCause:
    """The action of the driving chain that added the most working days to the date itself:
    its finish against its baseline, less how far past its baseline start the action below it
    in the chain let it start (the earliest of those that add the same; in a chain where
    nothing below an action moved, the earliest action whose dates moved against its baseline).

    The baseline of an action is where the plan as planned puts it: the schedule worked out
    with no actual dates, no progress and the status date at the plan's start (what would have
    happened had everything gone to plan). ``start_days`` and ``finish_days`` are working days
    after the baseline start and finish (actual dates where known, else the forecast).
    """

    action_id: str
    title: str
    baseline_start: date
    baseline_finish: date
    start: date
    finish: date
    start_days: int
    finish_days: int
    started: bool
    finished: bool
    added_days: int = 0
    """Working days it added to the chain itself: its finish against its baseline, less how
    far past its baseline start the action below it in the chain let it start."""

    def _moves(self) -> list[str]:
        """Which dates to report: "start", "finish" or both (a finish that moved as much as the
        start is not repeated)."""
        moves = ["start"] if self.start_days > 0 else []
        if self.finish_days > 0 and (self.finish_days != self.start_days or not moves):
            moves.append("finish")
        return moves

    @property
    def sentence(self) -> str:
        """The cause in one sentence, e.g. "A26 'Run the pilot' started 57 working days late"."""
        parts = []
        for move in self._moves():
            if move == "start":
                verb = "started" if self.started else "is forecast to start"
                parts.append(f"{verb} {_days(self.start_days)} after its baseline start "
                             f"({short_date(self.baseline_start)})")
            elif self.start_days > 0:
                verb = "finished" if self.finished else "is forecast to finish"
                parts.append(f"{verb} {_days(self.finish_days)} after its baseline finish "
                             f"({short_date(self.baseline_finish)})")
            else:
                parts.append(f"{'finished' if self.finished else 'is forecast to finish'} "
                             f"{_days(self.finish_days)} late")
        return f"{self.action_id} '{self.title}' " + " and ".join(parts)

    @property
    def brief(self) -> str:
        """The cause in a table cell's words: "A30 'Run the pilot' started 64 working days late;
        finish forecast 69 working days late" (the sentence without the baseline dates)."""
        words = {"start": ("started", "start forecast", self.start_days),
                 "finish": ("finished", "finish forecast", self.finish_days)}
        parts = []
        for move in self._moves():
            done, forecast, days = words[move]
            moved = self.started if move == "start" else self.finished
            parts.append(f"{done if moved else forecast} {_days(days)} late")
        return f"{self.action_id} '{self.title}' " + "; ".join(parts)


def baseline_dates(plan: Plan, phases: dict[str, int | None] | None = None
                   ) -> dict[str, tuple[date, date]]:
    """Action id -> (start, finish) as planned: no actuals, no progress, status date = start.

    The schedule reads the plan's actions and settings: those are copied with the actuals
    cleared, the rest is shared (a deep copy of the whole plan cost the 2,000-action deck most
    of its time, once per milestone slide; issue 13).
    """
    core = _baseline_core(plan, phases)
    return {aid: (core.cal.date(core.es[i]), core.cal.date(core.ef[i]))
            for i, aid in enumerate(core.ids)}


def _baseline_core(plan: Plan, phases: dict[str, int | None] | None) -> ScheduleCore:
    """The schedule of the plan as planned (``baseline_dates``), its dates left as working-day
    numbers: the early dates only (the compile's forward pass; no late dates are read)."""
    import copy
    import dataclasses

    from planner.storage import collector_paused

    base = copy.copy(plan)
    base.actions = {aid: _as_planned(a) for aid, a in plan.actions.items()}
    base.settings = dataclasses.replace(plan.settings, as_of=plan.settings.start)
    core = ScheduleCore(base, phases=phases, as_of=base.settings.start)
    with collector_paused():  # as ScheduleCore.run pauses it
        core.compile()
    return core


def _as_planned(a: Action) -> Action:
    """A copy of an action with its actuals and progress cleared (cancelled stays cancelled):
    ``dataclasses.replace`` of those fields, without its call of ``__init__`` with every field,
    which took a fifth of the deck's facts at 2,000 actions (issue 13)."""
    b = object.__new__(type(a))
    b.__dict__.update(a.__dict__)
    b.status = a.status if a.status == ActionStatus.CANCELLED else ActionStatus.NOT_STARTED
    b.percent = 0
    b.actual_start = b.actual_finish = None
    return b


_BASELINES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # analysis -> (plan, core)


def _baseline_for(plan: Plan, an: Analysis) -> ScheduleCore:
    """The schedule of the plan as planned (``baseline_dates``) for the plan an analysis was
    made from, worked out once per analysis (the deck asks why for every slipped milestone);
    only the dates a chain asks for are turned into dates (issue 13)."""
    got = _BASELINES.get(an)
    if got is None or got[0] is not plan:
        got = _BASELINES[an] = (plan, _baseline_core(plan, an.phase_override))
    return got[1]


@dataclass
class Explanation:
    """Why a milestone or action is dated as it is: the driving chain down to the root cause.

    ``root_cause`` is the current driver (what sets the date now): the start of the chain, or
    the first action in it already under way (or done), whose own dates set the date from there.
    The chain goes on past a started action through the prerequisite that let it start latest
    when that prerequisite held it back: it started the very day the prerequisite let it, or
    later but with the prerequisite letting it start only after its own baseline start (the
    sentence then says how many working days it started after); those steps show why it
    started then (a late start's knock-on). Other prerequisites that let an action start the
    same day are named in its sentence. ``slip_cause`` is the cause of a slip (the action of the
    chain that added the most working days itself, ``SlipCause``), or None when nothing in the
    chain has moved.
    """

    target_id: str
    title: str
    date: date | None
    baseline: date | None = None
    late_days: int | None = None
    steps: list[WhyStep] = field(default_factory=list)
    root_cause: WhyStep | None = None
    root_cause_reason: str = ""  # why the root cause holds the chain back, in plain words
    slip_cause: SlipCause | None = None
    text: str = ""

    @property
    def slip_cause_sentence(self) -> str:
        """The cause of the slip in one sentence, or "" when nothing in the chain moved."""
        return self.slip_cause.sentence + "." if self.slip_cause else ""

    @property
    def root_cause_sentence(self) -> str:
        """"A1 'Agree college pilot': <why>." or "" when there is no chain (read by the deck)."""
        rc = self.root_cause
        if rc is None:
            return ""
        return f"{rc.action_id} '{rc.title}': {self.root_cause_reason}."


def why(plan: Plan, target_id: str, *, analysis: Analysis | None = None) -> Explanation:
    """The chain of upstream actions that drives a milestone's or action's date, to the root cause."""
    an = analysis or Scheduler(plan).analyse()
    d = an.data
    cal = an.calendar
    lines: list[str] = []
    if target_id in plan.milestones:
        m = plan.milestones[target_id]
        f = an.milestones[target_id]
        ex = Explanation(target_id, m.title, f.forecast, m.baseline, f.slip_days)
        if m.actual is not None:
            ex.text = f"Milestone {target_id} '{m.title}' was achieved on {short_date(m.actual)}."
            if f.slip_days:
                ex.text += (f" That was {_days(abs(f.slip_days))} "
                            f"{'after' if f.slip_days > 0 else 'before'} its baseline "
                            f"({short_date(m.baseline)}).")
            return ex
        head = f"Milestone {target_id} '{m.title}' is forecast for "
        head += f"{short_date(f.forecast)}" if f.forecast else "no date yet"
        if f.slip_days is not None and f.baseline is not None:
            if f.slip_days > 0:
                head += f", {_days(f.slip_days)} after its baseline ({short_date(f.baseline)})"
            elif f.slip_days < 0:
                head += f", {_days(-f.slip_days)} before its baseline ({short_date(f.baseline)})"
            else:
                head += ", on its baseline"
        lines.append(head + ".")
        if f.owner_forecast and f.disagrees:
            lines.append(f"That date is its owner's forecast; the schedule gives "
                         f"{short_date(f.scheduled)}.")
        start = an.milestone_driver(target_id)
        if start is None:
            lines.append("It does not mark any scheduled action, so nothing in the plan drives it.")
            ex.text = "\n".join(lines)
            return ex
        if m.initiative and not m.action:
            lines.append(f"It marks initiative {m.initiative}, whose last action to finish is "
                         f"'{title_of(plan, start)}' ({start}).")
        else:
            lines.append(f"It marks '{title_of(plan, start)}' ({start}).")
    elif target_id in plan.actions:
        a = plan.actions[target_id]
        if target_id not in d.pos:
            raise PlanError(f"'{a.title}' ({target_id}) is cancelled, so it is not scheduled.")
        i = d.pos[target_id]
        late = None
        if d.deadline[i] is not None:
            late = max(0, d.ef[i] - d.deadline[i])
        ex = Explanation(target_id, a.title, cal.date(d.ef[i]), None, late)
        head = (f"Action {target_id} '{a.title}' is scheduled {short_date(cal.date(d.es[i]))} to "
                f"{short_date(cal.date(d.ef[i]))}")
        if late:
            head += f", {_days(late)} after its deadline ({short_date(cal.date(d.deadline[i]))})"
        lines.append(head + ".")
        start = target_id
    else:
        raise PlanError(f"There is no milestone or action {target_id} in this plan.")
    i = d.pos[start]
    steps = []
    allowed: list[int | None] = []  # per step: the day the next step down let it start
    planned = _Planned(plan, an)
    late = bool(ex.late_days and ex.late_days > 0)
    seen = set()
    current = None  # the step where the chain meets work under way or done: what drives it now
    shown = None  # steps to the first one that started later than its prerequisite let it
    while i not in seen:
        seen.add(i)
        aid = d.ids[i]
        drv = d.driver[i]
        kind = "link" if drv >= 0 else LOWER_REASONS[drv]
        reason = an.driver_text(i)
        nxt = drv if drv >= 0 else None
        if drv == _ACTUAL:
            # Its dates are its own from here on; but when a prerequisite held its start back
            # (it started the very day that prerequisite let it, or, when there is a slip to
            # explain, later but only after its own planned start), that prerequisite's dates
            # are part of why it started then: the chain goes on through it (a late start is
            # then its knock-on, wholly or in part, and the cause of the slip may lie further
            # down; past such a start the chain is shown only as far as that cause).
            if current is None:
                current = len(steps)
            got = _start_setter(d, i)
            if got is not None and got[0] not in seen:
                p, c = got
                if c == d.es[i] or (late and c > planned.start(aid)):
                    nxt = p
                    reason += "; " + _started_after(plan, d, i, p, d.es[i] - c)
                    if c != d.es[i] and shown is None:
                        shown = len(steps) + 1
        others = _tied(d, i, nxt, seen) if nxt is not None else []
        if others:
            names = " and ".join(f"'{title_of(plan, d.ids[q])}' ({d.ids[q]})" for q in others)
            reason += f"; {names} {'each ' if len(others) > 1 else ''}let it start that day too"
        steps.append(WhyStep(aid, title_of(plan, aid), cal.date(d.es[i]), cal.date(d.ef[i]),
                             reason, kind, d.lf[i] - d.ef[i]))
        if nxt is None:
            allowed.append(None)
            break
        allowed.append(_allowed_by(d, i, nxt))
        i = nxt
    if late:
        ex.slip_cause = _slip_cause(an, steps, allowed, planned)
    if shown is not None:
        if ex.slip_cause is not None:
            shown = max(shown, 1 + next(k for k, s in enumerate(steps)
                                        if s.action_id == ex.slip_cause.action_id))
        left_out, steps = len(steps) - shown, steps[:shown]
    else:
        left_out = 0
    ex.steps = steps
    ex.root_cause = steps[current if current is not None else -1]
    lines.append("Chain of work that sets this date, latest first:")
    for k, s in enumerate(steps, 1):
        lines.append(f"  {k}. {s.action_id} '{s.title}' ({short_date(s.start)} to "
                     f"{short_date(s.finish)}) {s.reason}.")
    if left_out:
        lines.append(f"  (The chain goes back through {left_out} earlier "
                     f"action{'s' if left_out != 1 else ''}, none of which added as much.)")
    rc = ex.root_cause
    under_way = d.state[d.pos[rc.action_id]] == IN_PROGRESS
    history = rc is not steps[-1]
    if rc.kind == "actual dates" and under_way:
        cause = f"under way since {short_date(rc.start)}, so the work it has left sets the date"
        if history:
            cause += "; the steps below it show why it started then"
    elif rc.kind == "actual dates":
        cause = "the chain starts from work already done"
        if history:
            cause += "; the steps below it show why that work started then"
    else:
        cause = {
            "plan start": "the chain runs back to the start of the plan, so its length is the sum "
                          "of its durations and lags; shorten or overlap those actions to bring the "
                          "date in",
            "as-of date": "the first action in the chain has not started yet; starting it now is "
                          "the earliest it can go",
            "not-before date": "the first action in the chain is held back by its not-before date",
            "phase start": "the first action in the chain waits for its phase to start",
        }[rc.kind]
    ex.root_cause_reason = cause
    if ex.slip_cause is not None:
        cause = f"Cause of the slip: {ex.slip_cause_sentence}"
        added = ex.slip_cause.added_days
        if ex.slip_cause.action_id != steps[0].action_id or added != ex.late_days:
            cause += (f" Of the {_days(ex.late_days)}, it added {_days(added)} itself, the "
                      "most of any action in the chain")
            cause += "." if added < ex.late_days else "; the rest of the chain made up for some."
        lines.append(cause)
        lines.append(f"Current driver: {ex.root_cause_sentence}")
    else:
        lines.append(f"Root cause: {ex.root_cause_sentence}")
    ex.text = "\n".join(lines)
    return ex


def _link_k(d: ScheduleData, i: int, p: int) -> int:
    """The index, in the links' lists, of the link from prerequisite ``p`` to position ``i``."""
    po, pn = d.links.pred_side()[:2]
    return next(k for k in range(po[i], po[i + 1]) if pn[k] == p)


def _allowed_by(d: ScheduleData, i: int, p: int) -> int:
    """The first working day the link from ``p`` lets the action at ``i`` start."""
    _po, _pn, pss, plag = d.links.pred_side()
    k = _link_k(d, i, p)
    return d.es[p] + plag[k] if pss[k] else d.ef[p] + plag[k] + 1


def _start_setter(d: ScheduleData, i: int) -> tuple[int, int] | None:
    """``(p, day)``: the prerequisite of the started action at position ``i`` that let it start
    latest without being after its actual start (of those that tie, the first, as the schedule
    breaks ties), and the day it let it start; None when it has no prerequisite that let it
    start on or before it did."""
    po, pn, pss, plag = d.links.pred_side()
    es, ef = d.es, d.ef
    best = None
    for k in range(po[i], po[i + 1]):
        p = pn[k]
        c = es[p] + plag[k] if pss[k] else ef[p] + plag[k] + 1
        if c <= es[i] and (best is None or c > best[1] or (c == best[1] and p < best[0])):
            best = (p, c)
    return best


def _tied(d: ScheduleData, i: int, p: int, seen: set) -> list[int]:
    """The other prerequisites that let the action at position ``i`` start on the day ``p``
    (the one the chain goes on through, as the schedule breaks ties) lets it: each would have
    held it to that day on its own, so the chain's sentence names them too."""
    po, pn, pss, plag = d.links.pred_side()
    es, ef = d.es, d.ef
    days = {}  # prerequisite -> the first day its link lets the action start
    for k in range(po[i], po[i + 1]):
        q = pn[k]
        days[q] = es[q] + plag[k] if pss[k] else ef[q] + plag[k] + 1
    if len(days) < 2:
        return []
    day = days[p]
    return sorted(q for q, c in days.items() if c == day and q != p and q not in seen)


def _started_after(plan: Plan, d: ScheduleData, i: int, p: int, gap: int = 0) -> str:
    """How a started action's start followed its prerequisite at ``p``, in a few words (``gap``:
    working days it started after that prerequisite let it)."""
    _po, _pn, pss, plag = d.links.pred_side()
    k = _link_k(d, i, p)
    lag, what = plag[k], f"'{title_of(plan, d.ids[p])}' ({d.ids[p]})"
    verb, on = ("started", d.es[p]) if pss[k] else ("finished", d.ef[p])
    if gap > 0:
        plus = f" plus a lag of {_days(lag)}" if lag else ""
        return (f"it started {_days(gap)} after {what} let it: that {verb} on "
                f"{short_date(d.cal.date(on))}{plus}, so it could start on "
                f"{short_date(d.cal.date(on + lag + (0 if pss[k] else 1)))}")
    return f"it started {f'{_days(lag)} after' if lag else 'as soon as'} {what} {verb} on " \
           f"{short_date(d.cal.date(on))}"


class _Planned:
    """The plan as planned (``baseline_dates``) for one ``why``, worked out only if a step asks
    (once per analysis, ``_baseline_for``), its days read as the analysis's working days."""

    def __init__(self, plan: Plan, an: Analysis):
        self.plan, self.an, self._base = plan, an, None

    def base(self) -> ScheduleCore:
        if self._base is None:
            self._base = _baseline_for(self.plan, self.an)
        return self._base

    def dates(self, aid: str) -> tuple[date, date] | None:
        """An action's planned start and finish, or None when it is not in the plan as planned."""
        base = self.base()
        i = base.pos.get(aid)
        return None if i is None else (base.cal.date(base.es[i]), base.cal.date(base.ef[i]))

    def start(self, aid: str) -> int:
        """The working day an action was planned to start (-1 when it was not planned)."""
        got = self.dates(aid)
        return -1 if got is None else self.an.calendar.index_on_or_before(got[0])


def _slip_cause(an: Analysis, steps: list[WhyStep], allowed: list[int | None],
                planned: _Planned) -> SlipCause | None:
    """The step of the chain that added the most working days to the date (the earliest of
    those that tie): each step's finish against its baseline, less what the step below it in
    the chain already did to its start (how far past its baseline start that step let it
    start). In a chain where nothing below a step moved, that is the earliest step whose
    actual or forecast dates are after its baseline."""
    cal = an.calendar
    plan = planned.plan
    best = None
    for s, c in zip(reversed(steps), reversed(allowed)):  # earliest first
        got = planned.dates(s.action_id)
        if got is None:
            continue
        a = plan.actions[s.action_id]
        b_start, b_finish = got
        start = a.actual_start or s.start
        finish = a.actual_finish or s.finish
        planned_start = cal.index_on_or_before(b_start)
        start_days = cal.index_on_or_before(start) - planned_start
        finish_days = cal.index_on_or_before(finish) - cal.index_on_or_before(b_finish)
        added = finish_days - max(0, c - planned_start if c is not None else 0)
        if (start_days > 0 or finish_days > 0) and added > 0 and (best is None
                                                                   or added > best.added_days):
            best = SlipCause(s.action_id, s.title, b_start, b_finish, start, finish,
                             max(0, start_days), max(0, finish_days),
                             a.actual_start is not None, a.actual_finish is not None, added)
    return best
