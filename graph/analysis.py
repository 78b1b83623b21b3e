"""The analysis of a plan: schedule rows, critical path, milestone forecasts, waves and warnings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from operator import itemgetter
from typing import Iterator, NamedTuple

from planner import rules
from planner.dates import short_date
from planner.model import ActionStatus, Plan

from .coverage import PlanWarning, action_spans, capacity_overloads, workload
from .milestone_memo import MilestoneForecast, MilestoneMemo
from .overview_memo import OverviewMemo
from .phases import PhaseChange, parse_starts, plan_phases, preview_phases
from .recommend import can_start_now, recommend
from .schedule import LOWER_REASONS, ScheduleCore, title_of
from .snapshot import DONE, ScheduleData

MAX_CRITICAL_PATHS = 50


_ROW_FIELDS = ("action_id", "title", "start", "finish", "early_start", "early_finish",
               "late_start", "late_finish", "float_days", "critical", "phase", "wave", "fixed",
               "driver")


class ScheduleRow(tuple):
    """One action's schedule: scheduled, early and late dates, float, phase and wave (read-only).

    Fields: ``action_id``, ``title``, ``start``, ``finish``, ``early_start``, ``early_finish``,
    ``late_start``, ``late_finish``, ``float_days``, ``critical``, ``phase``, ``wave``,
    ``fixed`` and ``driver``, the sentence on what sets the start. The sentence is written when
    first read: building every row of a big plan no longer writes thousands of sentences that
    nobody reads (issue 13; it was half the cost of the rows). Rows compare, hash and print by
    their values, the sentence included.
    """

    __slots__ = ()
    _fields = _ROW_FIELDS

    def __new__(cls, action_id: str, title: str, start: date, finish: date, early_start: date,
                early_finish: date, late_start: date, late_finish: date, float_days: int,
                critical: bool, phase: int | None, wave: int, fixed: str | None,
                driver: str) -> "ScheduleRow":
        return tuple.__new__(cls, (action_id, title, start, finish, early_start, early_finish,
                                   late_start, late_finish, float_days, critical, phase, wave,
                                   fixed, driver, None))

    action_id = property(itemgetter(0))
    title = property(itemgetter(1))
    start = property(itemgetter(2))
    finish = property(itemgetter(3))
    early_start = property(itemgetter(4))
    early_finish = property(itemgetter(5))
    late_start = property(itemgetter(6))
    late_finish = property(itemgetter(7))
    float_days = property(itemgetter(8))
    critical = property(itemgetter(9))
    phase = property(itemgetter(10))
    wave = property(itemgetter(11))
    fixed = property(itemgetter(12))

    @property
    def driver(self) -> str:
        """One plain sentence on what sets the action's start."""
        d = tuple.__getitem__(self, 13)
        if d.__class__ is str:
            return d
        plan, data = d  # a row from row_builder: (plan, schedule data) and the position
        return driver_text(plan, data, tuple.__getitem__(self, 14))

    def _values(self) -> tuple:
        return tuple.__getitem__(self, slice(0, 13)) + (self.driver,)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ScheduleRow):
            return NotImplemented
        return (tuple.__getitem__(self, slice(0, 13)) == tuple.__getitem__(other, slice(0, 13))
                and self.driver == other.driver)

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self) -> int:
        return hash(self._values())

    def __iter__(self):
        return iter(self._values())

    def __len__(self) -> int:
        return len(_ROW_FIELDS)

    def __repr__(self) -> str:
        return "ScheduleRow(" + ", ".join(f"{k}={v!r}" for k, v in zip(_ROW_FIELDS,
                                                                        self._values())) + ")"


class ActionDates(NamedTuple):
    """What the views draw of one scheduled action, without the sentence a ScheduleRow builds."""

    start: date
    finish: date
    float_days: int
    critical: bool
    wave: int
    done: bool


@dataclass(frozen=True)
class ChallengeStatus:
    """One challenge as every screen shows it: its work, share done and RAG with the reason."""

    number: int
    title: str
    progress: rules.ChallengeProgress
    rag: rules.RagRating


def driver_text(plan: Plan, d: ScheduleData, i: int) -> str:
    """One sentence on what sets the start of the action at position ``i``."""
    cal = d.cal
    drv = d.driver[i]
    aid = d.ids[i]
    if drv >= 0:
        p = d.ids[drv]
        po, pn, pss, plag = d.links.pred_side()
        for k in range(po[i], po[i + 1]):
            if pn[k] == drv:
                ss, lag = pss[k], plag[k]
                break
        else:  # pragma: no cover - the driver is always a predecessor
            ss, lag = False, 0
        pt = title_of(plan, p)
        if ss:
            gap = f"{lag} working day{'s' if lag != 1 else ''} after" if lag else "when"
            return (f"starts {gap} '{pt}' ({p}) starts on {short_date(cal.date(d.es[drv]))} "
                    f"(start-to-start)")
        gap = f" plus a lag of {lag} working day{'s' if lag != 1 else ''}" if lag else ""
        return f"waits for '{pt}' ({p}) to finish on {short_date(cal.date(d.ef[drv]))}{gap}"
    if drv == -5:
        a = plan.actions[aid]
        if d.state[i] == DONE:
            return f"done: actual dates {short_date(a.actual_start)} to {short_date(a.actual_finish)}"
        left = d.ef[i] - max(d.es[i], d.as_of_idx if d.as_of_idx is not None else d.es[i]) + 1
        return (f"in progress since {short_date(cal.date(d.es[i]))}, about {left} working "
                f"day{'s' if left != 1 else ''} of work left")
    reason = LOWER_REASONS[drv]
    when = short_date(cal.date(d.es[i]))
    if reason == "plan start":
        return f"can start when the plan starts ({when})"
    if reason == "as-of date":
        return f"not started yet, so it can start no earlier than the status date ({when})"
    if reason == "not-before date":
        return f"cannot start before its not-before date ({when})"
    return f"cannot start before phase {d.phase[i]} starts ({when})"


_FIXED = (None, ActionStatus.IN_PROGRESS, ActionStatus.DONE)  # by state: 0, IN_PROGRESS, DONE


def row_builder(plan: Plan, d: ScheduleData):
    """A function position -> ScheduleRow for one schedule (its sentence is written when read).

    Everything it reads is bound once, so building every row of a big plan costs a few list
    lookups per row (issue 13: rows were ten times the cost of the topological sort).
    """
    cal = d.cal
    to_date, known = cal.date, cal.known_date
    ids, es_, ef_, state, phase, crit = d.ids, d.es, d.ef, d.state, d.phase, d.critical_set
    tail, bound, pf = d.tail, d.bound, d.finish_idx
    waves = d.waves()
    actions = plan.actions
    new = tuple.__new__
    source = (plan, d)  # the sentence is written from it when read

    def build(i: int) -> ScheduleRow:
        aid = ids[i]
        s, f, st = es_[i], ef_[i], state[i]
        if st == DONE:
            lf = f
        else:
            lf = pf - tail[i]
            b = bound[i]
            if b < lf:
                lf = b
        a = actions.get(aid)
        es = known(s) or to_date(s)
        ef = known(f) or to_date(f)
        ls = lf - f + s
        return new(ScheduleRow, (aid, a.title if a is not None and a.title else aid, es, ef, es,
                                 ef, known(ls) or to_date(ls), known(lf) or to_date(lf), lf - f,
                                 i in crit, phase[i], waves[i], _FIXED[st], source, i))
    return build


def schedule_row(plan: Plan, d: ScheduleData, i: int) -> ScheduleRow:
    """The ScheduleRow of the action at position ``i`` (its sentence is written when read)."""
    return row_builder(plan, d)(i)


class RowMap(Mapping):
    """Action id -> ScheduleRow, built when read (the window reads only visible rows).

    It refers to the plan and the schedule data, never back to its Analysis, so that old
    analyses are freed at once rather than left for the garbage collector. A row is built from
    the schedule's lists each time it is read (a few list reads; equal rows each time) and not
    kept: kept, every row of a big plan was an object the cycle collector walked while they
    were built (at 100,000 actions 184 young passes and 16 older ones while every row was read,
    about a tenth of the whole schedule's CPU time; now none), and again in its next full pass
    over every object of the process (issue 13).
    """

    def __init__(self, plan: Plan, data: ScheduleData):
        self._plan = plan
        self._data = data
        self._engine = data.engine_view()  # rows are built from the engine's own numbering
        self._pos = self._engine.pos
        self._build = None

    def __getitem__(self, aid: str) -> ScheduleRow:
        i = self._pos[aid]
        build = self._build
        if build is None:
            build = self._build = row_builder(self._plan, self._engine)
        return build(i)

    def __contains__(self, aid: object) -> bool:
        return aid in self._pos

    def __iter__(self) -> Iterator[str]:
        return iter(self._data.ids)

    def __len__(self) -> int:
        return len(self._pos)


class Finishes(Mapping):
    """Action id -> scheduled finish, for every scheduled action (a cancelled action is not
    scheduled, so it is not here), in the plan's order: the one definition of an action's
    scheduled finish that the tiles' RAG, the Overview, the deck and the command line read.

    A read-only view of one schedule (which never changes), each date worked out when read: the
    ratings read only actions with a deadline, and a dict of every finish cost 8.6 ms a refresh
    on 20,000 actions. Read through the engine's own numbering (``engine_view``), so no list is
    renumbered for it after actions are deleted."""

    __slots__ = ("_pos", "_ef", "_date")

    def __init__(self, d: ScheduleData):
        e = d.engine_view()
        self._pos, self._ef, self._date = e.pos, e.ef, d.cal.date

    def __getitem__(self, aid: str) -> date:
        return self._date(self._ef[self._pos[aid]])

    def get(self, aid, default=None):
        i = self._pos.get(aid)
        return default if i is None else self._date(self._ef[i])

    def __contains__(self, aid) -> bool:
        return aid in self._pos

    def __iter__(self) -> Iterator[str]:
        return iter(self._pos)

    def __len__(self) -> int:
        return len(self._pos)

    def __repr__(self) -> str:
        return f"Finishes({dict(self.items())!r})"


class Analysis:
    """Everything derived from one schedule run of a plan; expensive parts are computed on use."""

    def __init__(self, plan: Plan, data: ScheduleData, phase_changes: list[PhaseChange],
                 phase_override: dict[str, int | None] | None, starts: tuple = (),
                 memo: MilestoneMemo | None = None, overview: OverviewMemo | None = None):
        self.plan = plan
        self.data = data
        self._memo = memo if memo is not None else MilestoneMemo()
        self._overview = overview if overview is not None else OverviewMemo()
        self.starts = tuple(starts)
        self.phase_changes = phase_changes
        self.phase_override = phase_override
        cal = data.cal
        self.calendar = cal
        self.plan_start: date = cal.date(data.start_idx)
        self.as_of: date | None = data.as_of
        self.plan_finish: date | None = cal.date(data.finish_idx) if data.ids else None
        self.rows: Mapping[str, ScheduleRow] = RowMap(plan, data)
        self._dates: dict[str, ActionDates] = {}

    # ------------------------------------------------------------------ rows
    def date(self, i: int) -> date:
        """Working day number -> date."""
        return self.calendar.date(i)

    def driver_text(self, i: int) -> str:
        """One sentence on what sets the start of the action at position ``i``."""
        return driver_text(self.plan, self.data, i)

    def action_dates(self, action_id: str) -> ActionDates | None:
        """One action's dates and flags (None if it is not scheduled); cheap, built on demand."""
        cache = self._dates
        got = cache.get(action_id)
        if got is None:
            d = self.data
            i = d.pos.get(action_id)
            if i is None:
                return None
            to_date = self.calendar.date
            got = cache[action_id] = ActionDates(to_date(d.es[i]), to_date(d.ef[i]),
                                                 d.late_finish(i) - d.ef[i], d.critical(i),
                                                 d.waves()[i], d.state[i] == DONE)
        return got

    @cached_property
    def dates(self) -> dict[str, ActionDates]:
        """Action id -> ActionDates for every scheduled action (what the charts draw)."""
        d = self.data
        to_date = self.calendar.date
        es, ef, lf, crit, state, wave = d.es, d.ef, d.lf, d.critical_flags, d.state, d.waves()
        out = {aid: ActionDates(to_date(es[i]), to_date(ef[i]), lf[i] - ef[i], crit[i], wave[i],
                                state[i] == DONE)
               for i, aid in enumerate(d.ids)}
        self._dates.update(out)
        return out

    # ------------------------------------------------------------------ critical path
    @cached_property
    def critical_paths(self) -> list[list[str]]:
        """Every chain of critical actions linked by the links that drive them, longest first.

        Chains end at critical actions that drive no critical action; the latest-finishing
        ``MAX_CRITICAL_PATHS`` ends are kept, and the chains are ordered by finish, length in
        working days and number of actions, ties going to the end that comes first in
        topological order (``order``). Only a tie needs that order, and then only among the
        tied ends: it is worked out over them and the actions before them
        (``Links.fifo_among``), not over the whole graph.
        """
        d = self.data.engine_view()  # the engine's numbering: no list renumbered for it
        crit = d.critical_set  # read from the schedule's buckets: no pass over every action
        driver, ef, es = d.driver, d.ef, d.es
        drives_critical = {driver[i] for i in crit if driver[i] >= 0 and driver[i] in crit}
        ends = sorted((i for i in crit if i not in drives_critical), key=lambda i: -ef[i])
        cut = MAX_CRITICAL_PATHS
        tied = len(ends) > cut and ef[ends[cut - 1]] == ef[ends[cut]]
        if tied:
            tp = d.links.fifo_among(ends)
            ends.sort(key=lambda i: (-ef[i], tp[i]))
        paths = []
        for end in ends[:cut]:
            chain = [end]
            i = end
            while driver[i] >= 0 and driver[i] in crit:
                i = driver[i]
                chain.append(i)
            chain.reverse()
            paths.append(chain)

        def rank(c: list[int]) -> tuple[int, int, int]:
            return -ef[c[-1]], -(ef[c[-1]] - es[c[0]]), -len(c)

        if not tied and len({rank(c) for c in paths}) < len(paths):
            tp = d.links.fifo_among([c[-1] for c in paths])  # equal chains: the topological
            paths.sort(key=lambda c: tp[c[-1]])  # order decides
        paths.sort(key=rank)
        return [[d.ids[i] for i in c] for c in paths]

    @cached_property
    def critical_path(self) -> list[str]:
        """The critical chain that ends the plan (action ids in order), or [] if none."""
        paths = self.critical_paths
        if not paths:
            return []
        first = paths[0]
        d = self.data.engine_view()
        return first if d.ef[d.pos[first[-1]]] == d.finish_idx else []

    @cached_property
    def critical_ids(self) -> list[str]:
        """Ids of all critical actions."""
        d = self.data
        return [aid for aid, c in zip(d.ids, d.critical_flags) if c]

    # ------------------------------------------------------------------ milestones
    def milestone_driver(self, milestone_id: str) -> str | None:
        """The action whose finish dates a milestone (the latest one for an initiative)."""
        m = self.plan.milestones[milestone_id]
        d = self.data
        if m.action is not None:
            return m.action if m.action in d.pos else None
        if m.initiative is not None:
            # the initiative's members as the forecasts find them, not a scan of every action
            # per milestone (the deck asks for each slipped milestone; issue 13): the latest
            # finish, the first in schedule order of those that tie
            e = d.engine_view()  # its numbering keeps the plan's order: ties go the same way
            members = self._memo.members_of(self.plan, e, m.initiative)
            if not members:
                return None
            ef = e.ef
            return e.ids[max(members, key=lambda i: (ef[i], -i))]
        return None

    @cached_property
    def milestones(self) -> dict[str, MilestoneForecast]:
        """Milestone id -> forecast; the owner's forecast wins and is flagged if the schedule differs.

        An initiative's milestone is scheduled at the latest finish of its scheduled actions, an
        action's at the action's finish (if the action is not scheduled, at its initiative's).
        Worked out again only where the plan or schedule changed since the Scheduler's last
        analysis (``MilestoneMemo``)."""
        return self._memo.forecasts(self.plan, self.data)

    def milestone_state(self, milestone_id: str) -> rules.MilestoneState:
        """Open, late, missed, achieved or cancelled (see ``planner.rules.milestone_state``)."""
        f = self.milestones.get(milestone_id)
        return rules.milestone_state(self.plan.milestones[milestone_id],
                                     f.slip_days if f is not None else None)

    # ------------------------------------------------------------------ challenges
    @cached_property
    def slips(self) -> dict[str, int | None]:
        """Milestone id -> working days its forecast is after its baseline."""
        return {mid: f.slip_days for mid, f in self.milestones.items()}

    @cached_property
    def finishes(self) -> Finishes:
        """Action id -> scheduled finish (cancelled actions are not scheduled, so absent): a
        read-only mapping over the schedule, each date worked out when read (``Finishes``)."""
        return Finishes(self.data)

    def challenge_rag(self, number: int) -> rules.RagRating:
        """A challenge's RAG and its reason on this schedule."""
        return rules.challenge_rag(self.plan, number, self.slips, self.finishes, self.as_of)

    @cached_property
    def challenges(self) -> dict[int, ChallengeStatus]:
        """Challenge number -> its counts, share done and RAG (the Overview's tiles, the deck):
        ``rules.challenge_progress`` and ``challenge_rag``, worked out again only for the
        challenges the edits since the Scheduler's last analysis can change (``OverviewMemo``)."""
        return {n: ChallengeStatus(n, rules.challenge_title(self.plan, n), progress, rag)
                for n, (progress, rag) in self._overview.challenges(self).items()}

    # ------------------------------------------------------------------ waves and phases
    @cached_property
    def waves(self) -> list[list[str]]:
        """Action ids by wave: index 0 = done, 1 = nothing unfinished before it, and so on."""
        d = self.data
        wave = d.waves()
        top = max(wave, default=0)
        out: list[list[str]] = [[] for _ in range(top + 1)]
        for i in d.order:
            out[wave[i]].append(d.ids[i])
        return out

    @cached_property
    def ready_now(self) -> list[str]:
        """Actions that can start now (``recommend.can_start_now``: not started, not on hold,
        everything they need done, no date holding them back)."""
        return [self.data.ids[i] for i in can_start_now(self.plan, self.data)]

    @cached_property
    def phases(self) -> dict[str, int | None]:
        """Action id -> the phase used in this analysis (a preview when starting points were given)."""
        d = self.data
        return {aid: d.phase[i] for i, aid in enumerate(d.ids)}

    # ------------------------------------------------------------------ advice and warnings
    @cached_property
    def recommendations(self):
        """Challenges ranked by where to start, each with a one-sentence reason."""
        return recommend(self.plan, self.data, self.slips)

    @cached_property
    def workload(self) -> dict[str, dict[date, list[str]]]:
        """Person id -> week (its Monday) -> open actions they own that week (``rules.weekly_load``)."""
        return workload(self.plan, self.data)

    @cached_property
    def overloads(self):
        """Weeks in which a person owns more concurrent actions than their capacity."""
        return capacity_overloads(self.plan, self.workload, action_spans(self.data))

    @cached_property
    def warnings(self) -> list[PlanWarning]:
        """Everything worth a look: the schedule's notes, missed deadlines, actuals before
        their prerequisites allowed, phases out of order, disagreeing forecasts, coverage gaps,
        people over capacity and practice rules (``graph.overview_memo``: worked out again only
        where the edits since the Scheduler's last analysis can change them)."""
        return self._overview.warnings(self)

    # ------------------------------------------------------------------ output
    def to_json(self) -> dict:
        """The command line's JSON shape (dates as YYYY-MM-DD)."""
        d = self.data
        cal = self.calendar
        actions = {}
        wave = d.waves()
        es_, ef_, ls_, lf_, crit = d.es, d.ef, d.ls, d.lf, d.critical_flags
        # Few distinct days occur: turn each into text once.
        text = {k: cal.date(k).isoformat() for k in {*es_, *ef_, *ls_, *lf_}}
        for i, aid in enumerate(d.ids):
            es, ef = text[es_[i]], text[ef_[i]]
            actions[aid] = {
                "start": es, "finish": ef, "early_start": es, "early_finish": ef,
                "late_start": text[ls_[i]], "late_finish": text[lf_[i]],
                "float_days": lf_[i] - ef_[i], "critical": crit[i],
                "phase": d.phase[i], "wave": wave[i],
            }
        iso = (lambda x: x.isoformat() if x else None)
        return {
            "plan_finish": iso(self.plan_finish),
            "critical_path": list(self.critical_path),
            "actions": actions,
            "milestones": {mid: {"baseline": iso(f.baseline), "forecast": iso(f.forecast),
                                 "slip_days": f.slip_days,
                                 "state": str(self.milestone_state(mid))}
                           for mid, f in self.milestones.items()},
            "challenges": {str(n): {"title": c.title, "actions": c.progress.actions,
                                    "filed": c.progress.filed, "done": c.progress.done,
                                    "percent_done": c.progress.percent_done,
                                    "rag": str(c.rag.colour), "reason": c.rag.reason}
                           for n, c in self.challenges.items()},
            "recommendations": [{"challenge": r.challenge, "score": r.score, "reason": r.reason}
                                for r in self.recommendations],
            "warnings": [w.message for w in self.warnings],
        }


def _phase_setup(plan: Plan, starts) -> tuple[list[PhaseChange], dict[str, int | None] | None]:
    if not starts:
        return [], None
    changes = plan_phases(plan, starts)
    return changes, preview_phases(plan, changes)


def analyse(plan: Plan, starts=(), *, as_of: date | None = None) -> Analysis:
    """Schedule ``plan`` and return its Analysis (see the package docstring)."""
    return Scheduler(plan).analyse(starts, as_of=as_of)


class Scheduler:
    """Keeps one plan's compiled graph between edits so the window can recompute quickly."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.core: ScheduleCore | None = None
        self._memo = MilestoneMemo()
        self._overview = OverviewMemo()
        self._starts: tuple = ()
        self._changes: list[PhaseChange] = []
        self._override: dict[str, int | None] | None = None

    def analyse(self, starts=(), *, as_of: date | None = None) -> Analysis:
        """A full schedule (compiles the plan); ``starts`` previews phases from starting points."""
        parse_starts(self.plan, starts)
        self._starts = tuple(starts)
        self._changes, self._override = _phase_setup(self.plan, starts)
        self._memo = MilestoneMemo()
        self._overview = OverviewMemo()
        self.core = ScheduleCore(self.plan, phases=self._override, as_of=as_of).run()
        return self._result()

    def refresh(self, actions=(), links_changed: bool = False,
                settings_changed: bool = False, link_edits=(), actions_added=(),
                actions_removed=()) -> Analysis:
        """Recompute after editing ``actions``; pass ``links_changed`` after link or action
        adds/removals (and ``link_edits`` when only links were added or removed: see
        ``ScheduleCore.refresh``). Milestones and initiatives may have been edited in any way
        since the last analysis: the forecasts look at every one."""
        self._memo.lost()
        self._overview.lost()
        return self._refresh(actions, links_changed, settings_changed, link_edits,
                             actions_added, actions_removed)

    def _refresh(self, actions=(), links_changed: bool = False,
                 settings_changed: bool = False, link_edits=(), actions_added=(),
                 actions_removed=()) -> Analysis:
        if self.core is None:
            return self.analyse(self._starts)
        if self._starts and (actions or links_changed):
            # Phase previews depend on the whole graph: recompute them.
            self._changes, self._override = _phase_setup(self.plan, self._starts)
            self.core._phase_override = self._override
            links_changed = True
        self.core.refresh(list(actions), links_changed=links_changed,
                          settings_changed=settings_changed,
                          link_edits=() if self._starts else link_edits,
                          actions_added=() if self._starts else actions_added,
                          actions_removed=() if self._starts else actions_removed)
        return self._result()

    def refresh_for(self, change) -> Analysis:
        """Recompute after a ``planner.changes.ChangeSet`` (what an operation, undo or redo returns).

        Reads the change set's schedule facts: only the actions whose schedule fields changed,
        the links added or removed taken into the compiled graph, or a full recompute when
        actions were added or removed, links edited in place, the calendar or phases changed.
        The change sets given since the last analysis must name every record edited since (as
        a document's do): milestone forecasts are worked out again only where they name.
        """
        self._memo.note(change)
        self._overview.note(change)
        return self._refresh(actions=sorted(change.schedule_actions), links_changed=change.links,
                             settings_changed=change.calendar,
                             link_edits=getattr(change, "link_edits", ()),
                             actions_added=getattr(change, "actions_added", ()),
                             actions_removed=getattr(change, "actions_removed", ()))

    def _result(self) -> Analysis:
        return Analysis(self.plan, self.core.snapshot(), self._changes, self._override,
                        self._starts, self._memo, self._overview)
