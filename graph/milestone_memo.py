"""Milestone forecasts (``MilestoneForecast``) and what a Scheduler keeps of them between
analyses (``MilestoneMemo``), so that one edit re-forecasts only the milestones it can move."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from planner import rules
from planner.flat import leave_unwalked
from planner.model import Plan

from .lists import common_ends, differing
from .schedule import file_under, unfile
from .snapshot import ScheduleData


class MilestoneForecast(NamedTuple):
    """A milestone's baseline, forecast (owner's or scheduled) and slip in working days.

    Read-only; compares, hashes and prints by its values. A named tuple rather than a frozen
    dataclass: a frozen dataclass sets each of its ten fields through ``object.__setattr__``,
    2.3-3.4 us a forecast, about a third of the forecasts' cost in a full schedule (issue 13).
    """

    milestone_id: str
    title: str
    baseline: date | None
    forecast: date | None
    scheduled: date | None
    owner_forecast: date | None
    actual: date | None
    slip_days: int | None
    disagrees: bool
    driving_action: str | None



class MilestoneMemo:
    """What milestone forecasts keep between a Scheduler's analyses, so that one edit on 20,000
    actions works out again only the forecasts it can change (issue 13: every one of 2,000
    forecasts was looked at, and every initiative's members found again whenever an action was
    added, about 8 ms and 16 ms an edit).

    It holds each initiative's scheduled actions and their latest finish, each milestone's own
    fields and forecast, and the schedule they were worked out from (its action ids and early
    finishes, by position). Brought up to date for a plan and a schedule (``_sync``), it works
    again only on what may differ: actions named by the edits noted since (``note``: the change
    sets ``Scheduler.refresh_for`` is given, which name every record an edit touched), actions
    that came into or left the schedule or whose finish moved (the schedule's lists compared with
    the ones it holds, in C; a snapshot's lists never change), then the forecasts reading any of
    them, and milestones the edits named. After an edit it was not told about (``lost``:
    ``Scheduler.refresh`` called directly) it compares every action's initiative and every
    milestone's fields with what it holds instead. Each result equals a fresh memo's (a property
    test checks it) whatever order analyses ask in; when too much differs (a schedule compiled in
    another order, another plan or calendar) it starts again from nothing.
    """

    def __init__(self) -> None:
        self.plan: Plan | None = None  # what the rest describes (None: nothing kept yet)
        self.cal = None
        self.noted: tuple[set, set] | None = (set(), set())
        """Actions and milestones the edits since the last ``_sync`` named (None: not known)."""
        self.keys: list | None = None  # the plan's action ids, in its order (None: not kept)
        self.inis: list = []       # their initiatives
        self.ids: list = []        # the schedule's action ids, by position
        self.ef: list = []         # their early finishes
        self._member_of: dict = {}  # action id -> its initiative, for scheduled actions on one
        self._members: dict[str, set] = {}  # initiative -> ids of its scheduled actions
        self.finish: dict[str, int] = {}   # initiative -> the latest early finish of those
        self.mids: list = []       # the plan's milestone ids, in its order
        self.recs: list | None = None  # their inputs, in that order (None: not kept)
        self.rec_of: dict = {}     # milestone id -> its inputs (_milestone_inputs)
        self._by_action: dict = {}  # action id -> milestones marking it
        self._by_ini: dict = {}     # initiative -> milestones on it
        self._unindexed: tuple | None = None
        """What ``_start`` worked from while the four maps above are not built yet (``_index``):
        a fresh analysis reads only ``finish`` and the milestones' inputs; the maps serve the
        edits after it and the members asked for."""
        self.pending: set | None = None  # milestones whose forecast may be out of date (None: all)
        self.done: dict[str, tuple[tuple, MilestoneForecast]] = {}
        self.out: dict[str, MilestoneForecast] | None = None  # the forecasts in the plan's order

    # ----- the maps an edit reads, built when first needed ----------------------------------------

    # Initiative -> ids of its scheduled actions; action id -> its initiative (for the scheduled
    # actions on one); action id -> the milestones marking it; initiative -> the milestones on it.
    members = property(lambda self: self._built()._members)
    member_of = property(lambda self: self._built()._member_of)
    by_action = property(lambda self: self._built()._by_action)
    by_ini = property(lambda self: self._built()._by_ini)

    def _built(self) -> "MilestoneMemo":
        self._index()
        return self

    def _index(self) -> None:
        """Build the maps ``_start`` left out from what it worked from (issue 13: a fresh
        analysis of 100,000 actions built 5,000 sets of members, a map of 100,000 actions and
        10,000 sets of milestones that only a later edit reads, and the cycle collector walked
        them)."""
        got = self._unindexed
        if got is None:
            return
        self._unindexed = None
        keys, inis, pos, ef, in_order = got
        if in_order:
            self._members, self._member_of, _finish = _members_in_order(keys, inis, ef)
        else:
            self._members, self._member_of, _finish = _members_by_id(keys, inis, pos, ef)
        by_action: dict = {}
        by_ini: dict = {}
        for mid, rec in self.rec_of.items():
            file_under(by_action, rec[4], mid)
            file_under(by_ini, rec[5], mid)
        self._by_action, self._by_ini = by_action, by_ini

    # ----- what the edits say ---------------------------------------------------------------------

    def note(self, change) -> None:
        """Take in the records a ``planner.changes.ChangeSet`` touched."""
        actions, milestones = getattr(change, "actions", None), getattr(change, "milestones", None)
        if actions is None or milestones is None:
            self.noted = None  # not a change set that names its records
        elif self.noted is not None:
            self.noted[0].update(actions)
            self.noted[1].update(milestones)

    def lost(self) -> None:
        """The plan was edited in a way not noted: compare everything at the next ``_sync``."""
        self.noted = None

    # ----- what analyses ask ----------------------------------------------------------------------

    def members_for(self, plan: Plan, d: ScheduleData) -> dict[str, list[int]]:
        """Initiative -> positions of its scheduled actions in ``d``, in schedule order."""
        self._sync(plan, d)
        pos = d.pos
        return {ini: sorted(map(pos.__getitem__, got)) for ini, got in self.members.items()}

    def members_of(self, plan: Plan, d: ScheduleData, initiative: str) -> list[int]:
        """Positions of an initiative's scheduled actions in ``d`` (in no particular order)."""
        self._sync(plan, d)
        return list(map(d.pos.__getitem__, self.members.get(initiative, ())))

    def forecasts(self, plan: Plan, d: ScheduleData) -> dict[str, MilestoneForecast]:
        """Milestone id -> forecast, in the plan's order (see ``Analysis.milestones``)."""
        self._sync(plan, d)
        d = d.engine_view()
        cal, done, rec_of = d.cal, self.done, self.rec_of
        ef, pos, finish = d.ef, d.pos, self.finish
        ms = plan.milestones
        pending, out = self.pending, self.out
        if out is None:  # in the plan's order: the ones kept first, then those worked out
            out = self.out = dict.fromkeys(self.mids)
            if pending is not None:
                for mid in self.mids:
                    if mid not in pending:
                        out[mid] = done[mid][1]
        todo = self.mids if pending is None else pending
        for mid in todo:
            title, baseline, owner, actual, action, ini = rec_of[mid]
            sched_idx = driving = None
            if action is not None and action in pos:
                sched_idx = ef[pos[action]]
                driving = action
            elif ini is not None:
                sched_idx = finish.get(ini)
            key = (title, baseline, owner, actual, sched_idx, driving)
            got = done.get(mid)
            if got is None or got[0] != key:
                m = ms[mid]
                scheduled = cal.date(sched_idx) if sched_idx is not None else None
                forecast = rules.milestone_forecast(m, scheduled)
                disagrees = (m.actual is None and m.forecast is not None and scheduled is not None
                             and cal.index_on_or_before(m.forecast) != sched_idx)
                slip = rules.slip_days(cal, m.baseline, forecast)
                got = done[mid] = (key, MilestoneForecast(mid, m.title, m.baseline, forecast,
                                                          scheduled, m.forecast, m.actual, slip,
                                                          disagrees, driving))
            out[mid] = got[1]
        self.pending = set()
        return dict(out)

    # ----- keeping up to date ---------------------------------------------------------------------

    def _sync(self, plan: Plan, d: ScheduleData) -> None:
        """Bring members, finishes and milestone inputs up to date for ``plan`` and ``d``,
        adding the milestones whose forecast may change to ``pending``. It keeps the lists of
        the schedule's own numbering (``ScheduleData.engine_view``): after an action deleted the
        engine keeps the ones it had, and so does the memo."""
        d = d.engine_view()
        noted, self.noted = self.noted, (set(), set())
        if plan is not self.plan or d.cal is not self.cal or (noted is None and self.keys is None):
            self._start(plan, d)
            return
        self._index()
        actions = plan.actions
        ids, ef, pos = d.ids, d.ef, d.pos
        limit = len(ids) // 16 + 256
        recheck: set = set()  # actions whose membership may have changed
        if noted is None:  # look at every action's initiative
            keys = list(actions)
            inis = [a.initiative for a in actions.values()]
            ends = _changed_between(self.keys, keys, limit, recheck)
            if ends is None:
                self._start(plan, d)
                return
            p, s = ends
            if self.inis != inis:
                recheck.update(map(keys.__getitem__, differing(self.inis, inis, p, s)))
            leave_unwalked(keys, inis)  # ids and initiatives' ids only
            self.keys, self.inis = keys, inis
        else:
            recheck.update(noted[0])
            self.keys = None  # no longer kept: the next look at every action starts again
        moved: set = set()  # actions whose finish moved
        if ids is not self.ids or ef is not self.ef:
            ends = _changed_between(self.ids, ids, limit, recheck)
            if ends is None:
                self._start(plan, d)
                return
            p, s = ends
            moved.update(map(ids.__getitem__, differing(self.ef, ef, p, s)))
        members, member_of = self.members, self.member_of
        dirty = set()  # initiatives whose latest finish may have changed
        for a in recheck:
            old = member_of.pop(a, None)
            rec = actions.get(a)
            new = rec.initiative if rec is not None and a in pos else None
            if old is not None:
                dirty.add(old)
                members[old].discard(a)
            if new is not None:
                dirty.add(new)
                member_of[a] = new
                file_under(members, new, a)
        for a in moved:
            ini = member_of.get(a)
            if ini is not None:
                dirty.add(ini)
        finish = self.finish
        for ini in dirty:
            got = members.get(ini)
            if got:
                finish[ini] = max(map(ef.__getitem__, map(pos.__getitem__, got)))
            else:
                members.pop(ini, None)
                finish.pop(ini, None)
        # a snapshot's lists never change (ScheduleCore.snapshot): kept, not copied
        self.ids, self.ef = ids, ef
        pending = self._milestones(plan, None if noted is None else noted[1])
        if pending is None:
            return
        by_action, by_ini = self.by_action, self.by_ini
        for a in recheck | moved:
            pending.update(by_action.get(a, ()))
        for ini in dirty:
            pending.update(by_ini.get(ini, ()))

    def _milestones(self, plan: Plan, named: set | None) -> set | None:
        """Take in changes to the milestones' own fields (``named``: the milestones edits
        touched; None: look at every one); ``pending``, with the milestones changed added (None:
        every milestone is pending)."""
        ms = plan.milestones
        rec_of = self.rec_of
        if named is not None:
            if not named:
                return self.pending
            changed = named
            mids = list(ms)
            self.recs = None
        else:
            mids = list(ms)
            recs = [_milestone_inputs(m) for m in ms.values()]
            if mids == self.mids and self.recs is not None:
                changed = list(map(mids.__getitem__, differing(self.recs, recs, len(mids), 0)))
            else:
                changed = [m for m, r in zip(mids, recs) if rec_of.get(m) != r]
                changed.extend(rec_of.keys() - set(mids))
            self.recs = recs
        if mids != self.mids:
            self.mids = mids
            self.out = None  # made again in the plan's order
        pending = self.pending
        if self._unindexed is not None:  # from _start, nothing kept: every milestone pending
            rec_of.update(zip(mids, recs))  # filed by _index, when an edit first needs it
            return pending
        by_action, by_ini = self._by_action, self._by_ini
        for mid in changed:
            old = rec_of.pop(mid, None)
            if old is not None:
                unfile(by_action, old[4], mid)
                unfile(by_ini, old[5], mid)
            m = ms.get(mid)
            if m is None:
                self.done.pop(mid, None)
                if pending is not None:
                    pending.discard(mid)
                continue
            rec = rec_of[mid] = _milestone_inputs(m)
            file_under(by_action, rec[4], mid)
            file_under(by_ini, rec[5], mid)
            if pending is not None:
                pending.add(mid)
        return pending

    def _start(self, plan: Plan, d: ScheduleData) -> None:
        """Everything worked out from nothing (forecasts already made are kept for the same
        plan and calendar: each is checked against its inputs before it is used again)."""
        if plan is not self.plan or d.cal is not self.cal:
            self.done = {}
        else:
            self.done = {m: got for m, got in self.done.items() if m in plan.milestones}
        self.plan, self.cal = plan, d.cal
        ef = d.ef
        keys = list(plan.actions)
        inis = [a.initiative for a in plan.actions.values()]
        leave_unwalked(keys, inis)  # ids and initiatives' ids only: no cycle to find
        in_order = keys == d.ids
        self.finish = _latest_finishes(keys, inis, d.pos, ef, in_order)
        self._unindexed = (keys, inis, d.pos, ef, in_order)  # the rest when first needed
        self._members = self._member_of = self._by_action = self._by_ini = None
        self.keys, self.inis, self.ids, self.ef = keys, inis, d.ids, ef
        self.mids, self.recs, self.rec_of = [], None, {}
        self.out = None
        self.pending = None
        self._milestones(plan, None)


def _members_by_id(keys: list, inis: list, pos: dict, ef: list) -> tuple[dict, dict, dict]:
    """``(members, member_of, finish)`` for the plan's actions ``keys`` on initiatives
    ``inis``: each initiative's scheduled actions (by id), each such action's initiative, and
    the latest early finish among them (``ef`` by position, ``pos`` the schedule's)."""
    members: dict[str, set] = {}
    member_of = {}
    for a, ini in zip(keys, inis):
        if ini is not None and a in pos:
            member_of[a] = ini
            got = members.get(ini)
            if got is None:
                members[ini] = {a}
            else:
                got.add(a)
    finish = {ini: max(map(ef.__getitem__, map(pos.__getitem__, got)))
              for ini, got in members.items()}
    return members, member_of, finish


def _latest_finishes(keys: list, inis: list, pos: dict, ef: list, in_order: bool) -> dict:
    """Initiative -> the latest early finish of its scheduled actions, the initiatives in the
    order their first scheduled action comes (``_members_by_id``'s ``finish``, without the
    sets); ``in_order``: every action scheduled, position ``i`` being ``keys[i]``."""
    finish: dict = {}
    get = finish.get
    if in_order:
        pairs = zip(inis, ef)
    else:
        pairs = ((ini, ef[pos[a]]) for a, ini in zip(keys, inis) if a in pos)
    for ini, e in pairs:
        f = get(ini)
        if f is None or e > f:
            finish[ini] = e
    finish.pop(None, None)
    return finish


def _members_in_order(keys: list, inis: list, ef: list) -> tuple[dict, dict, dict]:
    """``_members_by_id`` when every action is scheduled, position ``i`` being ``keys[i]``
    (no cancelled action, the plan as compiled): one pass in the plan's order reading ``ef``
    alongside, no id looked up (issue 13: at 100,000 actions the look-ups and the reads of
    ``ef`` they led to, at random, were most of the milestones' cost)."""
    members: dict[str, set] = {}
    finish: dict[str, int] = {}
    for a, ini, e in zip(keys, inis, ef):
        if ini is not None:
            got = members.get(ini)
            if got is None:
                members[ini] = {a}
                finish[ini] = e
            else:
                got.add(a)
                if e > finish[ini]:
                    finish[ini] = e
    member_of = dict(zip(keys, inis)) if None not in inis else {
        a: ini for a, ini in zip(keys, inis) if ini is not None}
    return members, member_of, finish


def _changed_between(old: list, new: list, limit: int, recheck: set) -> tuple[int, int] | None:
    """``(p, s)``: how many entries ``old`` and ``new`` share at their start and at their end
    (``common_ends``), the entries between in either list added to ``recheck``; None when more
    than ``limit`` entries differ (then starting again is cheaper)."""
    p, s = common_ends(old, new)
    if len(old) + len(new) - 2 * (p + s) > limit:
        return None
    recheck.update(old[p:len(old) - s])
    recheck.update(new[p:len(new) - s])
    return p, s


def _milestone_inputs(m) -> tuple:
    """What a milestone's forecast reads of the milestone itself (besides its id)."""
    return (m.title, m.baseline, m.forecast, m.actual, m.action, m.initiative)
