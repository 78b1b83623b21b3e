"""The plan's warnings and the ten challenges' tiles kept between a Scheduler's analyses, so that
one edit works out again only what it can change (issue 13: with the window's Overview on screen,
an edit of one duration on 20,000 actions worked out the weekly load of every person, every
practice rule and the ten challenges again: about 0.4 s).

``OverviewMemo`` is held by a ``Scheduler`` like the milestone memo and told of every change set
(``note``) or that the plan changed unseen (``lost``). Each of its two parts (the warnings, the
challenges) keeps what it last worked out and the schedule it worked it out from. Brought up to
date for an analysis, a part works again only on what may differ when the edits since touched
nothing but fields of existing actions and the schedule kept its actions, links and calendar:

- the deadline, actuals and phase warnings of the actions whose dates, state, deadline or phase
  moved (the schedule's lists compared in C), of the actions the edits named, and of the actions
  waiting for any of those (their messages name them);
- the weekly load and overload warnings of the owners (before and after) of those actions and of
  the actions whose float changed (everyone with an overload when the plan finish moved);
- coverage and practice warnings again only when an edit touched a field they read;
- a challenge's share done when an edit touched the work of an action serving it; its RAG when an
  edit touched a field it reads of such an action, or the finish of one with a deadline moved, or
  the slip of a milestone serving it changed.

Anything else (a record added or removed, a link, a milestone, a person, the settings...) works
everything out again. Each result equals a fresh analysis's (``tests/graph/test_overview_memo.py``
drives random edits and compares).
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import attrgetter

from planner import rules
from planner.changes import WHOLE
from planner.domain_checks import DURATION_TAGS, action_tag, domain_warnings, serving
from planner.model import ActionStatus, MilestoneStatus, Plan
from planner.dates import short_date

from .coverage import PlanWarning, capacity_overloads, coverage_warnings, overload_warnings
from .lists import differing
from .schedule import title_of
from .snapshot import DONE, ScheduleData

# Fields of an action each part reads besides the schedule's lists (an edit of one of them works
# that part out again for the action).
NAMES = frozenset({"title"})                                 # deadline, actuals, phase warnings
LOAD = frozenset({"owner", "status", "title"})               # weekly load and overloads
COVERAGE = frozenset({"challenges", "status"})               # coverage_warnings
PRACTICE = frozenset({"tag", "title", "status", "challenges", "coproduced"})  # domain_warnings
PROGRESS = frozenset({"status", "percent", "duration", "challenges"})  # challenge_progress
RAG = frozenset({"title", "deadline", "status", "challenges"})         # challenge_rag

_FINISHED = (ActionStatus.DONE, ActionStatus.CANCELLED)


def _name(plan: Plan, d: ScheduleData, i: int) -> str:
    return f"'{title_of(plan, d.ids[i])}' ({d.ids[i]})"


def _days(n: int) -> str:
    return f"{n} working day{'s' if n != 1 else ''}"


def schedule_warnings(plan: Plan, d: ScheduleData, positions: Iterable[int]
                      ) -> dict[int, list[PlanWarning]]:
    """Position -> its deadline and actuals warnings, for the actions at ``positions`` that
    have any (an action forecast past its deadline; one started before a prerequisite allowed)."""
    cal = d.cal
    po, pn, pss, plag = d.links.pred_side()
    es, ef, state, deadline, ids = d.es, d.ef, d.state, d.deadline, d.ids
    out: dict[int, list[PlanWarning]] = {}
    for i in positions:
        got = []
        dl = deadline[i]
        if dl is not None and ef[i] > dl and state[i] != DONE:
            msg = (f"{_name(plan, d, i)} is forecast to finish on {short_date(cal.date(ef[i]))}, "
                   f"{_days(ef[i] - dl)} after its deadline ({short_date(cal.date(dl))}).")
            got.append(PlanWarning("deadline", msg, (ids[i],)))
        if state[i] != 0:
            for k in range(po[i], po[i + 1]):
                p, lag = pn[k], plag[k]
                need = es[p] + lag if pss[k] else ef[p] + lag + 1
                if es[i] < need and state[p] != DONE:
                    msg = f"{_name(plan, d, i)} started before {_name(plan, d, p)} allowed it to."
                    got.append(PlanWarning("actuals", msg, (ids[i], ids[p])))
        if got:
            out[i] = got
    return out


def phase_warnings(plan: Plan, d: ScheduleData, positions: Iterable[int]
                   ) -> dict[int, list[PlanWarning]]:
    """Position -> its phase warnings (it needs an unfinished action of a later phase, or of
    none), for the actions at ``positions`` that have any."""
    po, pn = d.links.p_off, d.links.p_node
    phase, state = d.phase, d.state
    out: dict[int, list[PlanWarning]] = {}
    for i in positions:
        ps = phase[i]
        if ps is None or state[i] == DONE:
            continue
        got = []
        for p in pn[po[i]:po[i + 1]]:
            pp = phase[p]
            if state[p] != DONE and (pp is None or pp > ps):
                where = f"in phase {pp}" if pp is not None else "in no phase"
                msg = (f"{_name(plan, d, i)} is in phase {ps} but needs {_name(plan, d, p)}, "
                       f"which is {where}; bring it forward to phase {ps} or earlier.")
                got.append(PlanWarning("phase", msg, (d.ids[i], d.ids[p])))
        if got:
            out[i] = got
    return out


def milestone_warnings(plan: Plan, d: ScheduleData, forecasts) -> list[PlanWarning]:
    """Milestones whose owner's forecast disagrees with the schedule, or that mark an action
    cancelled or not in the plan."""
    cal = d.cal
    out = []
    for mid, f in forecasts.items():
        if f.disagrees:
            gap = cal.index_on_or_before(f.scheduled) - cal.index_on_or_before(f.owner_forecast)
            msg = (f"Milestone '{f.title}' ({mid}): its owner forecasts "
                   f"{short_date(f.owner_forecast)} but the schedule gives "
                   f"{short_date(f.scheduled)} ({_days(abs(gap))} "
                   f"{'later' if gap > 0 else 'earlier'}).")
            out.append(PlanWarning("forecast", msg, (mid,)))
        m = plan.milestones[mid]
        if m.action is not None and m.action not in d.pos:
            why = "cancelled" if m.action in plan.actions else "not in the plan"
            msg = f"Milestone '{f.title}' ({mid}) marks action {m.action}, which is {why}."
            out.append(PlanWarning("milestone", msg, (mid,)))
    return out


def person_overload_warnings(plan: Plan, d: ScheduleData, pid: str, positions: Iterable[int]
                             ) -> list[PlanWarning]:
    """The overload warnings of person ``pid``, from the open actions they own (``positions``):
    what ``overload_warnings`` says of them from every person's load."""
    ids, es, ef, to_date = d.ids, d.es, d.ef, d.cal.date
    order = sorted(positions)
    if not _ever_over(es, ef, order, rules.capacity_of(plan, pid)):
        return []
    spans = [(ids[i], to_date(es[i]), to_date(ef[i])) for i in order]
    load = rules.weekly_load(plan, spans)
    if not load:
        return []
    overloads = capacity_overloads(plan, load, {a: (s, f) for a, s, f in spans})
    if not overloads:
        return []
    late = d.late_finish
    return overload_warnings(plan, overloads, {ids[i]: late(i) - ef[i] for i in order})


def _ever_over(es: list[int], ef: list[int], positions: list[int], capacity: int) -> bool:
    """Whether more of these actions than ``capacity`` are under way on some working day (from
    their first to their last scheduled working day, as numbers): what ``rules.overloaded_weeks``
    finds from the person's weeks, and all it needs to find none. A day off has no more under
    way than the working day before it (each action starts and ends on a working day), so the
    working days decide. Most people are within their capacity, and their weeks are then not
    worked out at all (issue 13: a person's weeks and dates were most of the warnings' cost)."""
    if len(positions) <= capacity:
        return False
    steps = sorted([(es[i], 1) for i in positions] + [(ef[i] + 1, -1) for i in positions])
    under_way = 0
    for _day, step in steps:  # on the same day, the ones finishing the day before go first
        under_way += step
        if under_way > capacity:
            return True
    return False


def practice_warnings(plan: Plan) -> list[PlanWarning]:
    """The practice rules the plan breaks (``planner.domain_checks``), as warnings."""
    return [PlanWarning("practice", w.message, w.ids) for w in domain_warnings(plan)]


def positions_moved(old: ScheduleData, new: ScheduleData, names: Iterable[str]) -> set[int]:
    """Positions at which any of the schedule's lists ``names`` differ between two schedules of
    the same actions (compared in C, halves at a time)."""
    out: set[int] = set()
    n = len(new.ids)
    for name in names:
        a, b = getattr(old, name), getattr(new, name)
        if a is not b:
            out.update(differing(a, b, n, 0))
    return out


def _with_successors(d: ScheduleData, positions: set[int]) -> set[int]:
    so, sn = d.links.succ_side()[:2]
    out = set(positions)
    for i in positions:
        out.update(sn[so[i]:so[i + 1]])
    return out


READ = ("title", "owner", "status", "percent", "duration", "tag", "coproduced", "deadline",
        "challenges")
"""The fields of an action the parts read (``NAMES``, ``LOAD``... are among them)."""


def _same_links(old: ScheduleData, new: ScheduleData) -> bool:
    """Whether two schedules hold the same links between the same positions (after an action
    deleted each snapshot shows its links renumbered anew: then their lists are compared, in
    C)."""
    a, b = old.links, new.links
    return a is b or (a.p_off == b.p_off and a.p_node == b.p_node and a.p_ss == b.p_ss
                      and a.p_lag == b.p_lag)


class EditsSince:
    """What a part derived from a plan and its schedule keeps to work again only on what edits
    changed: the plan and schedule it last described, the fields ``read`` of each action as they
    were then, and the change sets given since (``note``). ``take`` says which fields of which
    actions differ now, or that everything must be worked out again."""

    def __init__(self, read: tuple[str, ...] = READ) -> None:
        self.read = tuple(read)
        self._get = attrgetter(*self.read)
        self._lists = [k for k, f in enumerate(self.read) if f == "challenges"]
        self.plan: Plan | None = None
        self.data: ScheduleData | None = None
        self.old: ScheduleData | None = None
        self.inputs: dict[str, tuple] = {}
        self.noted: list | None = []  # the field changes of each change set since (None: unknown)

    def _inputs(self, a) -> tuple:
        got = self._get(a)
        if self._lists:  # a list is kept as a tuple: an edit in place still shows
            got = list(got)
            for k in self._lists:
                got[k] = tuple(got[k])
            got = tuple(got)
        return got

    def lost(self) -> None:
        """Something changed that was not noted: everything again at the next ``take``."""
        self.noted = None

    def note(self, change) -> None:
        changes = getattr(change, "changes", None)
        if changes is None:
            self.noted = None
        elif self.noted is not None:
            self.noted.append(changes)

    def take(self, plan: Plan, d: ScheduleData) -> dict[str, set[str]] | None:
        """Action id -> the fields ``read`` that differ from what was read last time, for
        each action the change sets noted since name, when they name only existing actions
        and the schedule kept its actions, links, calendar and dates of reference; None when
        everything must be worked out again. The part then describes ``plan`` and ``d`` (and
        ``old`` is the schedule it described before).

        When the change sets since are all known (noted, on the same plan), only the actions
        they name are read again, even if the answer is None (a link or an action added or
        removed: every action's fields were read again, 50-145 ms of each such edit on 20,000
        actions, issue 13); a change to an action's field is always named by a change set."""
        noted, self.noted = self.noted, []
        old, old_plan = self.data, self.plan
        self.plan, self.data, self.old = plan, d, old
        actions, inputs = plan.actions, self.inputs
        if noted is None or old is None or plan is not old_plan:
            self.inputs = dict(zip(actions, map(self._inputs, actions.values())))
            return None
        named: set = set()     # the actions whose fields the change sets name
        fields_only = True     # and nothing but existing actions' fields changed
        for changes in noted:
            for fc in changes:
                if fc.kind != "action":
                    fields_only = False
                    continue
                named.add(fc.key)
                if fc.field == WHOLE or fc.key not in actions:
                    fields_only = False
        touched: dict[str, set[str]] = {}
        read = self.read
        for aid in named:
            a = actions.get(aid)
            if a is None:
                inputs.pop(aid, None)
                continue
            now = self._inputs(a)
            was = inputs.get(aid)
            touched[aid] = (set(read) if was is None else
                            {f for f, x, y in zip(read, was, now) if x != y})
            inputs[aid] = now
        if not fields_only or old.cal is not d.cal or not _same_links(old, d) \
                or old.as_of != d.as_of or old.start_idx != d.start_idx \
                or old.as_of_idx != d.as_of_idx or (old.ids is not d.ids and old.ids != d.ids):
            return None
        return touched


class OverviewMemo:
    """Warnings and challenge statuses kept between a Scheduler's analyses (see the module)."""

    def __init__(self) -> None:
        self.warn = EditsSince()
        self.tiles = EditsSince()
        # warnings
        self.sched: dict[int, list[PlanWarning]] = {}
        self.phased: dict[int, list[PlanWarning]] = {}
        self.coverage: list[PlanWarning] = []
        self.practice: list[PlanWarning] = []
        self.owner_at: dict[int, str] = {}     # position -> owner, for open actions that count
        self.owned: dict[str, set[int]] = {}   # owner -> positions of those actions
        self.loaded: dict[str, list[PlanWarning]] = {}  # owner -> overload warnings (if any)
        # challenges
        self.progress: dict[int, rules.ChallengeProgress] = {}
        self.rag: dict[int, rules.RagRating] = {}
        self.slips: dict[str, int | None] = {}
        self.serving: dict = {}   # challenge -> live actions serving it (challenge_actions)
        self.marking: dict = {}   # challenge -> milestones serving it (challenge_milestones)

    def note(self, change) -> None:
        """Take in a ``planner.changes.ChangeSet`` (an operation, undo or redo) made since."""
        self.warn.note(change)
        self.tiles.note(change)

    def lost(self) -> None:
        """The plan changed in a way not noted: work everything out again next time."""
        self.warn.lost()
        self.tiles.lost()

    # ----- warnings --------------------------------------------------------------------------

    def warnings(self, analysis) -> list[PlanWarning]:
        """Everything worth a look (``Analysis.warnings``), for ``analysis``."""
        plan, d = analysis.plan, analysis.data
        part = self.warn
        touched = part.take(plan, d)
        try:
            if touched is None:
                self._all_warnings(plan, d)
            else:
                self._some_warnings(plan, part.old, d, touched)
        except BaseException:
            part.lost()  # half brought up to date: everything again next time
            raise
        out = [PlanWarning(n.kind, n.message, tuple(n.ids)) for n in d.notes]
        for kept in (self.sched, self.phased):
            for i in sorted(kept):
                out.extend(kept[i])
        out.extend(milestone_warnings(plan, d, analysis.milestones))
        out.extend(self.coverage)
        for pid in sorted(self.loaded, key=lambda p: (len(p), p)):
            out.extend(self.loaded[pid])
        out.extend(self.practice)
        return out

    def _all_warnings(self, plan: Plan, d: ScheduleData) -> None:
        every = range(len(d.ids))
        self.sched = schedule_warnings(plan, d, every)
        self.phased = phase_warnings(plan, d, every)
        self.coverage = coverage_warnings(plan)
        self.practice = practice_warnings(plan)
        self.owner_at, self.owned = {}, {}
        for i in every:
            self._count(plan, d, i)
        self.loaded = {}
        for pid in self.owned:
            self._load(plan, d, pid)

    def _count(self, plan: Plan, d: ScheduleData, i: int) -> None:
        """File the action at ``i`` under its owner if it counts in their load (as
        ``rules.weekly_load`` counts: open, scheduled, owned by someone in the plan)."""
        if d.state[i] == DONE:
            return
        a = plan.actions.get(d.ids[i])
        if a is None or a.owner is None or a.owner not in plan.people or a.status in _FINISHED:
            return
        self.owner_at[i] = a.owner
        got = self.owned.get(a.owner)
        if got is None:
            self.owned[a.owner] = {i}
        else:
            got.add(i)

    def _load(self, plan: Plan, d: ScheduleData, pid: str) -> None:
        got = self.owned.get(pid)
        found = person_overload_warnings(plan, d, pid, got) if got else []
        if found:
            self.loaded[pid] = found
        else:
            self.loaded.pop(pid, None)

    def _some_warnings(self, plan: Plan, old: ScheduleData, d: ScheduleData,
                       touched: dict[str, set[str]]) -> None:
        pos = d.pos
        named = {pos[a] for a, f in touched.items() if f & NAMES and a in pos}
        dated = positions_moved(old, d, ("es", "ef", "state", "deadline"))
        redo = _with_successors(d, dated | named)
        _replace(self.sched, schedule_warnings(plan, d, redo), redo)
        redo = _with_successors(d, positions_moved(old, d, ("phase", "state")) | named)
        _replace(self.phased, phase_warnings(plan, d, redo), redo)
        fields = set().union(*touched.values()) if touched else set()
        if fields & COVERAGE:
            self.coverage = coverage_warnings(plan)
        if fields & PRACTICE or any(
                "duration" in f and a in plan.actions and action_tag(plan.actions[a])
                in DURATION_TAGS for a, f in touched.items()):
            self.practice = practice_warnings(plan)
        # loads: the owners, before and after, of the actions whose span, state or float moved
        # or that an edit touched
        again = dated | positions_moved(old, d, ("tail", "bound"))
        again.update(pos[a] for a, f in touched.items() if f & LOAD and a in pos)
        people: set[str] = set()
        if old.finish_idx != d.finish_idx:  # every float moved: every overload's advice may
            people.update(self.loaded)
        owner_at, owned = self.owner_at, self.owned
        for i in again:
            pid = owner_at.pop(i, None)
            if pid is not None:
                people.add(pid)
                owned[pid].discard(i)
            self._count(plan, d, i)
            pid = owner_at.get(i)
            if pid is not None:
                people.add(pid)
        for pid in people:
            self._load(plan, d, pid)

    # ----- challenges ------------------------------------------------------------------------

    def challenges(self, analysis) -> dict[int, tuple[rules.ChallengeProgress, rules.RagRating]]:
        """Challenge number -> (progress, RAG), as ``rules.challenge_progress`` and
        ``Analysis.challenge_rag`` give them, for ``analysis``."""
        try:
            return self._challenges(analysis)
        except BaseException:
            self.tiles.lost()  # half brought up to date: everything again next time
            raise

    def _challenges(self, analysis) -> dict:
        plan, d = analysis.plan, analysis.data
        part = self.tiles
        touched = part.take(plan, d)
        numbers = sorted(plan.challenges)
        slips = analysis.slips
        fields = set().union(*touched.values()) if touched else set()
        if touched is None or "challenges" in fields or set(numbers) != set(self.progress):
            # milestones serve challenges through their action: every group again
            progress, rag = set(numbers), set(numbers)
            self.serving = serving_actions(plan, numbers)
            self.marking = serving_milestones(plan, numbers)
        else:
            if "status" in fields:  # an action cancelled, or no longer: who serves again
                self.serving = serving_actions(plan, numbers)
            progress, rag = set(), set()
            actions = plan.actions
            for aid, f in touched.items():
                a = actions.get(aid)
                if a is not None:
                    if f & PROGRESS:
                        progress.update(a.challenges)
                    if f & RAG:
                        rag.update(a.challenges)
            ids = d.ids
            for i in positions_moved(part.old, d, ("ef",)):
                a = actions.get(ids[i])
                if a is not None and a.deadline is not None:
                    rag.update(a.challenges)
            old = self.slips
            for mid in (slips.keys() | old.keys()):
                if mid not in old or mid not in slips or old[mid] != slips[mid]:
                    m = plan.milestones.get(mid)
                    if m is not None:
                        rag.update(rules.milestone_challenges(plan, m))
        self.slips = slips
        finishes = analysis.finishes
        for n in numbers:
            if n in progress:
                self.progress[n] = rules.challenge_progress(plan, n, serving=self.serving[n])
            if n in rag:
                self.rag[n] = rules.challenge_rag(plan, n, slips, finishes, analysis.as_of,
                                                  serving=self.serving[n],
                                                  milestones=self.marking[n])
        for n in set(self.progress) - set(numbers):
            self.progress.pop(n, None)
            self.rag.pop(n, None)
        return {n: (self.progress[n], self.rag[n]) for n in numbers}


def serving_actions(plan: Plan, numbers: list) -> dict:
    """For each of ``numbers``, ``rules.challenge_actions`` (live actions serving it, in the
    plan's order), from one pass over the actions."""
    return serving(rules.live_actions(plan.actions.values()), numbers)


def serving_milestones(plan: Plan, numbers: list) -> dict:
    """For each of ``numbers``, ``rules.challenge_milestones`` (milestones not cancelled that
    serve it, in the plan's order), from one pass over the milestones."""
    out: dict = {n: [] for n in numbers}
    try:
        for m in plan.milestones.values():
            if m.status == MilestoneStatus.CANCELLED:
                continue
            for n in rules.milestone_challenges(plan, m):
                got = out.get(n)
                if got is not None and (not got or got[-1] is not m):
                    got.append(m)
        return out
    except TypeError:
        return {n: rules.challenge_milestones(plan, n) for n in numbers}


def _replace(kept: dict, found: dict, positions: Iterable[int]) -> None:
    """``kept`` with the entries at ``positions`` replaced by ``found``'s."""
    for i in positions:
        got = found.get(i)
        if got is None:
            kept.pop(i, None)
        else:
            kept[i] = got
