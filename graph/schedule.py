"""The critical-path scheduler: integer working-day passes over a compiled graph, kept between edits.

Rules (see docs/graph-engine.md): an action of duration d starting on working day s finishes at
the end of working day s + d - 1 (d = 0 is a point in time: it finishes on s). Finish-to-start with
lag L: the successor starts on or after finish + L + 1. Start-to-start with lag L: on or after
start + L. Every not-started action also starts on or after the plan start, its not-before date,
its phase's start and the as-of date. Done actions keep their actual dates; in-progress actions
keep their actual start and finish after their remaining work counted from the as-of date.

The scheduler compiles the plan once into integer lists (positions, predecessor and successor
lists, a topological order), then runs a forward pass (early dates) and a backward pass (late
dates). After an edit to one action only the actions that can move are recomputed.
"""

from __future__ import annotations

import heapq
from datetime import date
from itertools import compress, count, repeat
from operator import add, eq, is_not, itemgetter

from planner.model import Action, ActionStatus, Plan
from planner.storage import collector_paused
from planner.validate import find_loop, loop_error

from planner.workdays import WorkCalendar
from planner.dates import short_date

from .compiled_links import KahnOrder, Links, _numbers, _renumbering, _reorder, _through, _without
from .dense import _Dense, _Layout
from .snapshot import _SNAPSHOT_HOLDS, DONE, IN_PROGRESS, NOT_STARTED, Note, ScheduleData

# Why an action starts when it does, when no prerequisite drives it (``driver`` < 0).
LOWER_REASONS = {
    -1: "plan start",
    -2: "as-of date",
    -3: "not-before date",
    -4: "phase start",
    -5: "actual dates",
}
_PLAN_START, _AS_OF, _NOT_BEFORE, _PHASE_START, _ACTUAL = -1, -2, -3, -4, -5
_NOT_STARTED, _CANCELLED = ActionStatus.NOT_STARTED, ActionStatus.CANCELLED
_first = itemgetter(0)
_INT_ONLY = {int}

_INF = 1 << 40  # "no deadline downstream"


def _day_table(above: int = -1) -> tuple[list[int], int]:
    """``(days, top)``: a list whose entry ``k`` is the integer ``k``, for every ``k`` below
    ``top`` (above ``above``: when given, a few thousand working days more).

    The passes store a date or a tail as the table's object rather than as the integer their
    sum made: a plan's dates are a few thousand objects, allocated side by side once and for
    all, that stay in the processor's caches. Fresh integers, one or more per action, were
    scattered through a big plan's memory: each read of a prerequisite's date, each walk of
    the cycle collector over the lists and their freeing waited on memory (issue 13).
    Only for non-negative numbers (a list reads ``days[-1]`` as its last entry): the passes
    check that a date is on or after working day 0 (3 January 2000)."""
    days = _numbers(above + 1 + _DAYS_AHEAD if above >= 0 else 0)
    return days, len(days)


_DAYS_AHEAD = 4096  # how far the table of days grows past the number that needed it

# An edit that moves more than n / CASCADE_DIVISOR + CASCADE_MIN actions switches to full passes.
CASCADE_DIVISOR, CASCADE_MIN = 8, 64

# Lists indexed by action position that an edit may change (copied before an edit if shared).
_PER_ACTION = ("es", "ef", "tail", "bound", "driver", "span", "lower", "lower_why", "state",
               "fixed_start", "fixed_finish", "deadline", "phase")
_PREPARED = ("span", "lower", "lower_why", "phase", "deadline", "state", "fixed_start",
             "fixed_finish")  # the ones ``ScheduleCore._prepare`` writes
_PASSES = ("es", "ef", "driver", "tail", "bound")  # the ones an edit's passes write


_TOMBSTONE = {"es": -_INF, "ef": -_INF, "tail": 0, "bound": _INF, "state": DONE,
              "fixed_start": -_INF, "fixed_finish": -_INF}
"""What a deleted action's position holds until the tombstones are taken out: done (never
critical, wave 0, holding nothing back: no pass reads its other entries), dated before anything
(never the plan finish, never driving the actions its links lead to)."""
TOMBSTONE_DIVISOR = 8
"""Tombstones are taken out (``ScheduleCore._compact``) once they are more than one position in
this many (0: never, a large number: at once)."""

_BLANK = {"es": 0, "ef": 0, "tail": 0, "bound": _INF, "driver": _PLAN_START, "span": 0,
          "lower": 0, "lower_why": _PLAN_START, "state": NOT_STARTED, "fixed_start": 0,
          "fixed_finish": 0, "deadline": None, "phase": None}
"""What a new action's per-action entries hold until its own fields are worked out (one for
each list of ``_PER_ACTION``)."""


def title_of(plan: Plan, action_id: str) -> str:
    """An action's title, or its id if it has none."""
    a = plan.actions.get(action_id)
    return a.title if a is not None and a.title else action_id


def file_under(index: dict, key, item) -> None:
    """Add ``item`` to the set ``index[key]`` (made when first needed); a None key files nothing."""
    if key is not None:
        got = index.get(key)
        if got is None:
            index[key] = {item}
        else:
            got.add(item)


def unfile(index: dict, key, item) -> None:
    """Take ``item`` out of the set ``index[key]``, and the key out once its set is empty."""
    if key is not None:
        got = index.get(key)
        if got is not None:
            got.discard(item)
            if not got:
                del index[key]


class ScheduleCore(KahnOrder):
    """Schedules a plan and keeps the compiled graph so that later edits recompute quickly.

    Use ``ScheduleCore(plan).run()`` for a one-off schedule, or keep the object and call
    ``refresh(actions=[...])`` after editing those actions (``links_changed=True`` after adding or
    removing dependencies or actions). Results are read from ``snapshot()``.
    """

    def __init__(self, plan: Plan, phases: dict[str, int | None] | None = None,
                 as_of: date | None = None):
        self.plan = plan
        self._phase_override = phases
        self._as_of_override = as_of
        self.notes: list[Note] = []
        self._compiled = False
        self._shared = False
        self._layout: _Layout | None = None  # the tombstones, for the ids they were left in

    # ----------------------------------------------------------------- compile
    def _context(self) -> None:
        s = self.plan.settings
        self.cal = WorkCalendar(s.holidays)
        self.as_of = self._as_of_override or s.as_of
        start = s.start
        if start is None:
            candidates = [a.actual_start for a in self.plan.actions.values() if a.actual_start]
            if self.as_of:
                candidates.append(self.as_of)
            start = min(candidates) if candidates else date.today()
            self.notes.append(Note("settings", f"The plan has no start date; scheduling from "
                                               f"{short_date(start)}."))
        self.plan_start = start
        self.start_idx = self.cal.index(start)
        self.as_of_idx = self.cal.index(self.as_of) if self.as_of else None

    def _calendar_key(self) -> tuple:
        """Plan dates every action depends on; if any changed since compiling, recompute all.

        A safety net: callers should pass ``settings_changed=True``, but a forgotten flag after
        a holiday, plan start, status date or phase start edit must not leave stale dates.
        """
        s = self.plan.settings
        return (s.start, s.as_of, tuple(s.holidays),
                tuple((n, p.start) for n, p in self.plan.phases.items()))

    def phase_of(self, a: Action) -> int | None:
        """The phase used for scheduling ``a`` (the preview's, if one was given)."""
        if self._phase_override is not None and a.id in self._phase_override:
            return self._phase_override[a.id]
        return a.phase

    def compile(self) -> None:
        """Compile the plan into flat lists and run the forward pass; raises LoopError on a loop.

        Every action gets a position (its place among the scheduled actions, in the plan's order)
        and every link an edge number; the links out of each action are kept as compressed rows
        of flat lists (``Links``), read from the plan in one sweep per kind of record. The forward
        pass is folded into Kahn's topological sort: when an action leaves the queue all its
        prerequisites are final, so its early dates (and its wave) are final too and are pushed
        to its successors in the same loop that counts down their waiting prerequisites.
        """
        self.notes = []
        self._context()
        plan = self.plan
        actions = plan.actions
        recs = [(a.status, a.phase, a.not_before, a.deadline, a.duration)
                for a in actions.values()]
        if recs and _CANCELLED in list(map(_first, recs)):
            keep = [k for k, r in enumerate(recs) if r[0] != _CANCELLED]
            keys = list(actions)
            ids = [keys[k] for k in keep]
            recs = [recs[k] for k in keep]
        else:
            ids = list(actions)
        n = len(ids)
        pos = dict(zip(ids, range(n)))
        self.ids, self.pos = ids, pos
        # Each action's own constraints; the common case (not started, nothing special) is inline.
        self.span = span = [0] * n
        base_lower, base_why = self.start_idx, _PLAN_START
        if self.as_of_idx is not None and self.as_of_idx > base_lower:
            base_lower, base_why = self.as_of_idx, _AS_OF
        self.lower = [base_lower] * n
        self.lower_why = [base_why] * n
        self.state = [NOT_STARTED] * n
        self.fixed_start = [0] * n
        self.fixed_finish = [0] * n
        self.deadline = [None] * n
        self.phase = [None] * n
        override = self._phase_override
        special = []
        mark = special.append
        ns = _NOT_STARTED
        for i, (st, ph, nb, dl, d) in enumerate(recs):
            if (st != ns or ph is not None or nb is not None or dl is not None
                    or d.__class__ is not int):
                mark(i)
            elif d > 1:
                span[i] = d - 1
        if override is not None:  # a preview of phases: its phase decides, not the action's
            got, already = override.get, set(special)
            special = [i for i, aid in enumerate(ids)
                       if i in already or got(aid, recs[i][1]) is not None]
        prepare = self._prepare
        for i in special:
            prepare(i, actions[ids[i]])
        self.links = self._links(pos, n)
        self._forward_first()
        self.finish_idx = max(self.ef) if n else self.start_idx
        self._compiled = True
        self._shared = False
        self._compiled_key = self._calendar_key()

    def _forward_first(self) -> None:
        """Early dates, drivers and waves of every action, and a topological order to sweep in.

        Actions are taken in position order (the plan's order, in which most prerequisites come
        first), each pulling its dates from its prerequisites; a prerequisite not yet dated is
        dated first (depth first, without recursion). The sweep stays close to the plan's order,
        so the lists it reads are read nearly in sequence. ``sweep`` records the order in which
        actions were dated: every prerequisite before the actions that wait on it.
        """
        n = len(self.ids)
        links = self.links
        po, pn, pss, plag = links.p_off, links.p_node, links.p_ss, links.p_lag
        state, span, lower, lower_why = self.state, self.span, self.lower, self.lower_why
        fixed_start, fixed_finish = self.fixed_start, self.fixed_finish
        # An action is dated once its dates are not None: no list of marks beside them. Each
        # list read at a position costs a memory read of its own, and in a big plan the links
        # to far prerequisites and the sweep's jumps find them out of the caches (issue 13: at
        # 100,000 actions the passes cost an action about three times what they cost at 1,000).
        es: list = [None] * n
        ef: list = [None] * n
        driver = [0] * n
        wave = [0] * n
        sweep: list[int] = []
        dated = sweep.append
        waiting: list[int] = []  # each one waits on the one above it: a loop if one comes back
        held: set[int] = set()  # those and the one they led to: a loop if one is met again
        days, top = _day_table()
        if self.start_idx < 0:  # an action may start before working day 0
            top = -_INF
        for i in range(n):
            if es[i] is not None:
                continue
            j = i
            while True:
                s, drv, w = lower[j], lower_why[j], 1
                for k in range(po[j], po[j + 1]):
                    p = pn[k]
                    if pss[k]:
                        c = es[p]
                        if c is None:
                            break  # a prerequisite later in the plan: date it first
                        c += plag[k]
                    else:
                        c = ef[p]
                        if c is None:
                            break
                        c += plag[k] + 1
                    if c > s or (c == s and (drv < 0 or p < drv)):
                        s, drv = c, p
                    x = wave[p] + 1
                    if x > w:
                        w = x
                else:
                    st = state[j]
                    if st:
                        es[j] = fixed_start[j]
                        ef[j] = fixed_finish[j]
                        driver[j] = _ACTUAL
                        if st == DONE:
                            w = 0
                    else:
                        f = s + span[j]
                        if f < top:  # the table's objects (_day_table)
                            es[j] = days[s]
                            ef[j] = days[f]
                        elif top < 0:  # dates before working day 0: no table
                            es[j] = s
                            ef[j] = f
                        else:
                            days, top = _day_table(f)
                            es[j] = days[s]
                            ef[j] = days[f]
                        driver[j] = drv
                    wave[j] = w
                    dated(j)
                    if not waiting:
                        break
                    held.discard(j)
                    j = waiting.pop()
                    continue
                if not waiting:
                    held.clear()  # those left from the last descent are dated
                elif p in held:
                    self._raise_loop()
                held.add(j)
                waiting.append(j)
                held.add(p)
                j = p
        self.es, self.ef, self.driver = es, ef, driver
        self.sweep = sweep
        self._sweep_pos = None
        self._wave_box = [wave]

    def _raise_loop(self) -> None:
        """Raise the LoopError naming a loop among the actions Kahn's sort cannot place."""
        _order, waiting = self.links.kahn()
        raise loop_error(self.plan, find_loop(self.plan, among=[
            aid for aid, w in zip(self.ids, waiting) if w > 0]))

    def _sweep_rank(self) -> list[int]:
        """Each position's place in ``sweep`` (a topological order: the heaps of an edit)."""
        got = self._sweep_pos
        if got is None:
            got = [0] * len(self.sweep)
            for k, i in enumerate(self.sweep):
                got[i] = k
            self._sweep_pos = got
        return got

    def _links(self, pos: dict[str, int], n: int) -> "Links":
        """The plan's links between scheduled actions as flat lists (one sweep of the links)."""
        deps = self.plan.dependencies
        if not deps:
            return Links(n, [], [], [], [])
        links = deps.values()
        # One sweep of the links per field, as comprehensions: the interpreter reads the field
        # from its slot in the record, half the instructions of operator.attrgetter. The ids are
        # read first and looked up after: each sweep then waits on fewer memory reads in a row,
        # which matters once a big plan no longer fits in the caches (issue 13).
        succ = [d.action for d in links]
        pred = [d.needs for d in links]
        try:
            if len(succ) > 1:
                # Every id looked up in one C loop (an itemgetter of them all): no bytecode
                # between two look-ups, so the processor overlaps their memory reads. A big
                # plan's ids and position table outgrow the caches and each look-up waits on
                # memory: about a third less time than a comprehension at 100,000 actions,
                # half at 2,000 (issue 13). A tuple, read as the list was.
                succ = itemgetter(*succ)(pos)
                pred = itemgetter(*pred)(pos)
            else:
                succ = [pos[a] for a in succ]
                pred = [pos[a] for a in pred]
        except KeyError:  # links to unknown or cancelled actions are ignored
            return self._links_left(pos, n)
        kind = [d.type for d in links]
        lag = [d.lag for d in links]
        return self._new_links(n, pred, succ, kind, lag)

    def _links_left(self, pos: dict[str, int], n: int) -> "Links":
        """``_links`` when some links refer to unknown or cancelled actions (noted, left out)."""
        succ, pred, kind, lag = [], [], [], []
        get = pos.get
        for d in self.plan.dependencies.values():
            s, p = get(d.action), get(d.needs)
            if s is None or p is None:
                self._bad_link(d)
            else:
                succ.append(s)
                pred.append(p)
                kind.append(d.type)
                lag.append(d.lag)
        return self._new_links(n, pred, succ, kind, lag)

    @staticmethod
    def _new_links(n: int, pred: list[int], succ: list[int], kind: list, lag: list) -> "Links":
        """Links from the positions, types and lags of the links kept."""
        ss = [t == "SS" for t in kind]
        if not set(map(type, lag)) <= _INT_ONLY:
            lag = [x if x.__class__ is int else int(x or 0) for x in lag]
        return Links(n, pred, succ, ss, lag)

    def _bad_link(self, d) -> None:
        plan = self.plan
        missing = [x for x in (d.action, d.needs) if x not in plan.actions]
        if missing:
            self.notes.append(Note("link", f"A link refers to an unknown action "
                                           f"({', '.join(missing)}); it was ignored.",
                                   (d.action, d.needs)))
        else:
            gone = d.needs if plan.actions[d.needs].status == ActionStatus.CANCELLED else d.action
            self.notes.append(Note("link", f"'{title_of(plan, d.action)}' waits on "
                                           f"'{title_of(plan, d.needs)}', but "
                                           f"'{title_of(plan, gone)}' is cancelled; the "
                                           f"link is ignored.", (d.action, d.needs)))

    def _prepare(self, i: int, a: Action) -> None:
        """Work out one action's own constraints (everything except its links)."""
        cal = self.cal
        dur = max(0, int(a.duration or 0))
        span = dur - 1 if dur > 0 else 0
        self.span[i] = span
        lower, why = self.start_idx, _PLAN_START
        asof = self.as_of_idx
        if asof is not None and asof > lower:
            lower, why = asof, _AS_OF
        if a.not_before is not None:
            nb = cal.index(a.not_before)
            if nb >= lower:
                lower, why = nb, _NOT_BEFORE
        ph = self.phase_of(a)
        self.phase[i] = ph
        if ph is not None:
            record = self.plan.phases.get(ph)
            if record is not None and record.start is not None:
                ps = cal.index(record.start)
                if ps >= lower:
                    lower, why = ps, _PHASE_START
        self.lower[i], self.lower_why[i] = lower, why
        self.deadline[i] = cal.index_on_or_before(a.deadline) if a.deadline else None
        if a.status == ActionStatus.DONE:
            self.state[i] = DONE
            fs = cal.index(a.actual_start) if a.actual_start else None
            ff = cal.index_on_or_before(a.actual_finish) if a.actual_finish else None
            if ff is None:
                if fs is not None:
                    ff = fs + span
                elif asof is not None:
                    ff = max(asof - 1, self.start_idx)
                else:
                    ff = self.start_idx + span
                self.notes.append(Note("actuals", f"'{a.title}' ({a.id}) is done but has no actual "
                                                  f"finish date; taken as {short_date(cal.date(ff))}.",
                                       (a.id,)))
            if fs is None:
                fs = ff - span
                self.notes.append(Note("actuals", f"'{a.title}' ({a.id}) is done but has no actual "
                                                  f"start date; taken as {short_date(cal.date(fs))}.",
                                       (a.id,)))
            if ff < fs:  # all of it happened on non-working days: count the working day before
                fs = ff
            self.fixed_start[i], self.fixed_finish[i] = fs, ff
        elif a.status == ActionStatus.IN_PROGRESS:
            self.state[i] = IN_PROGRESS
            if a.actual_start:
                fs = cal.index(a.actual_start)
            else:
                fs = asof if asof is not None else lower
                self.notes.append(Note("actuals", f"'{a.title}' ({a.id}) is in progress but has no "
                                                  f"actual start date; taken as "
                                                  f"{short_date(cal.date(fs))}.", (a.id,)))
            pct = min(100, max(0, int(a.percent or 0)))
            remaining = (dur * (100 - pct) + 99) // 100
            base = max(asof, fs) if asof is not None else fs
            self.fixed_start[i] = fs
            self.fixed_finish[i] = base + (remaining - 1 if remaining > 0 else 0)
        else:
            self.state[i] = NOT_STARTED

    # ----------------------------------------------------------------- passes
    def run(self) -> "ScheduleCore":
        """Compile (if needed) and run both passes over the whole plan."""
        with collector_paused():
            self.compile()
            self._backward_all()
        return self

    # ----------------------------------------------------------------- critical actions
    # An unfinished action is critical when its late finish, min(plan finish - tail, bound),
    # equals its early finish: either ef + tail == plan finish (and bound >= ef), or bound == ef
    # (and ef + tail <= plan finish). Actions are kept in buckets by ef + tail, and the ones with
    # bound == ef in a set, so the critical actions after an edit are read from one bucket rather
    # than from every action's late dates (issue 13: an edit on 20,000 actions). The buckets hold
    # action ids, not positions: an action deleted moves every later position down by one, and
    # only its own entry then needs to go.
    def _index_critical(self) -> None:
        """Bucket every action by ef + tail (on the first edit after full passes)."""
        ef, tail, bound, state = self.ef, self.tail, self.bound, self.state
        key: list[int | None] = [None] * len(ef)
        buckets: dict[int, set[str]] = {}
        tight: set[str] = set()
        for i, (a, e, t, b, st) in enumerate(zip(self.ids, ef, tail, bound, state)):
            if st == DONE:
                continue
            k = key[i] = e + t
            got = buckets.get(k)
            if got is None:
                buckets[k] = {a}
            else:
                got.add(a)
            if b == e:
                tight.add(a)
        self._crit_key, self._buckets, self._tight = key, buckets, tight

    def _reindex_critical(self, touched) -> None:
        """Move the actions whose ef, tail, bound or state changed to their new buckets."""
        if self._crit_key is None:
            self._index_critical()  # from the dates as they now are: nothing left to move
            return
        ef, tail, bound, state, ids = self.ef, self.tail, self.bound, self.state, self.ids
        key, buckets, tight = self._crit_key, self._buckets, self._tight
        for i in touched:
            a = ids[i]
            old = key[i]
            new = None if state[i] == DONE else ef[i] + tail[i]
            if old != new:
                unfile(buckets, old, a)
                file_under(buckets, new, a)
                key[i] = new
            if new is not None and bound[i] == ef[i]:
                tight.add(a)
            else:
                tight.discard(a)

    def _unindex_critical(self, gone: list[int]) -> None:
        """Take positions ``gone`` (still in ``ids``: tombstones to be) out of the buckets."""
        key = self._crit_key
        if key is None:
            return
        buckets, tight, ids = self._buckets, self._tight, self.ids
        for i in gone:
            a = ids[i]
            unfile(buckets, key[i], a)
            tight.discard(a)
            key[i] = None

    def critical_positions(self) -> frozenset[int]:
        """Positions of the critical actions now (unfinished, zero total float)."""
        pf, ef, bound, key = self.finish_idx, self.ef, self.bound, self._crit_key
        if key is None:  # after full passes: one look at every action (in C), no buckets yet
            tail, state = self.tail, self.state
            # Candidates: ef + tail == plan finish, or bound == ef; then the rule on those few.
            ends = compress(count(), map(pf.__eq__, map(add, ef, tail)))
            tight = compress(count(), map(eq, bound, ef))
            return frozenset(i for i in {*ends, *tight}
                             if state[i] != DONE and (ef[i] + tail[i] == pf and bound[i] >= ef[i]
                                                      or bound[i] == ef[i]
                                                      and ef[i] + tail[i] <= pf))
        pos = self.pos
        out = set()
        for a in self._buckets.get(pf, ()):
            i = pos[a]
            if bound[i] >= ef[i]:
                out.add(i)
        for a in self._tight:
            i = pos[a]
            if key[i] <= pf:
                out.add(i)
        return frozenset(out)

    def _early(self, i: int) -> tuple[int, int, int]:
        """``(early start, early finish, driver)`` of action ``i`` from its prerequisites' dates.

        The latest candidate wins, ties go to the prerequisite with the lowest position, and a
        prerequisite beats the action's own lower bound; a started action keeps its actuals.
        """
        if self.state[i]:
            return self.fixed_start[i], self.fixed_finish[i], _ACTUAL
        es, ef, links = self.es, self.ef, self.links
        pn, pss, plag = links.p_node, links.p_ss, links.p_lag
        s, drv = self.lower[i], self.lower_why[i]
        for k in range(links.p_off[i], links.p_off[i + 1]):
            p = pn[k]
            c = es[p] + plag[k] if pss[k] else ef[p] + plag[k] + 1
            if c > s or (c == s and (drv < 0 or p < drv)):
                s, drv = c, p
        return s, s + self.span[i], drv

    def _forward_all(self) -> None:
        """Early dates for every action along ``sweep`` (used after a large edit)."""
        es, ef, driver, early = self.es, self.ef, self.driver, self._early
        for i in self.sweep:
            es[i], ef[i], driver[i] = early(i)
        self.finish_idx = max(ef) if ef else self.start_idx

    def _backward_all(self) -> None:
        """Late dates, kept as two numbers per action so a new plan finish costs nothing.

        ``tail[i]``: working days that must follow the action's finish before the plan finish
        (late finish <= plan finish - tail). ``bound[i]``: the latest finish that deadlines
        downstream (or its own) allow. Late finish = min(plan finish - tail, bound).

        Actions are taken in reverse ``sweep`` order; each one's numbers are final when it is
        reached (everything waiting on it came later in the sweep), and are pushed to its
        prerequisites. A link from a started action protects nothing; a start-to-start link
        puts no limit on a prerequisite that has started; a done action keeps (0, no bound).
        """
        n = len(self.ids)
        tail = [0] * n
        bound = [_INF] * n
        ef, state, span, deadline = self.ef, self.state, self.span, self.deadline
        # An action's own deadline bounds it from the start (its bound is the least of that
        # and what the actions after it push): the loop then reads no deadline, a list
        # mostly of None, at each action (one list fewer read out of the caches; issue 13).
        for s in compress(range(n), map(is_not, deadline, repeat(None))):
            dl = deadline[s]
            bound[s] = dl if dl > ef[s] else ef[s]
        links = self.links
        po, pn, pss, plag = links.p_off, links.p_node, links.p_ss, links.p_lag
        days, top = _day_table()  # a tail is never negative
        for s in reversed(self.sweep):
            st = state[s]
            if st == DONE:
                tail[s] = 0
                bound[s] = _INF
                continue
            if st:
                continue  # started: nothing before it is held back by it
            b = bound[s]
            t = tail[s]
            sp = span[s]
            for k in range(po[s], po[s + 1]):
                p = pn[k]
                if pss[k]:
                    if state[p]:
                        continue
                    x = sp + plag[k] - span[p]
                else:
                    x = sp + plag[k] + 1
                y = t + x
                if y > tail[p]:
                    if y >= top:
                        days, top = _day_table(y)
                    tail[p] = days[y]
                y = b - x
                if y < bound[p]:
                    bound[p] = y
        self.tail, self.bound = tail, bound
        self._crit_key = None  # critical actions are bucketed again on the next edit

    # ----------------------------------------------------------------- edits
    def refresh(self, actions: list[str] | tuple = (), links_changed: bool = False,
                settings_changed: bool = False, link_edits=(),
                actions_added=(), actions_removed=()) -> "ScheduleCore":
        """Recompute after edits to ``actions`` (their own fields); recompile if links changed.

        Adding, removing or cancelling actions, or changing links, settings, holidays or phase
        dates needs ``links_changed=True`` or ``settings_changed=True`` (a full recompute).
        ``link_edits``: when the links changed only by links added or removed, each as
        ``(added, action, needs, type, lag)`` (``ChangeSet.link_edits``; ``actions`` then names
        both ends of each), and ``actions_added`` and ``actions_removed`` the actions added and
        removed (``actions`` names them too): they are taken into the compiled graph without
        recompiling.
        Ids that are neither scheduled nor in the plan are ignored.
        """
        actions = [a for a in actions if a in self.plan.actions or (self._compiled and a in self.pos)]
        if (links_changed and (link_edits or actions_added or actions_removed)
                and self._compiled and not settings_changed
                and self._calendar_key() == self._compiled_key
                and self._relinked(link_edits, actions_added, actions_removed)):
            links_changed = False  # the graph has the new links: dates move as after an edit
            actions = [a for a in actions if a in self.pos]
        if (not self._compiled or links_changed or settings_changed
                or self._calendar_key() != self._compiled_key
                or any(a not in self.pos and a in self.plan.actions
                       and self.plan.actions[a].status != ActionStatus.CANCELLED for a in actions)
                or any(a in self.pos and (a not in self.plan.actions
                                          or self.plan.actions[a].status == ActionStatus.CANCELLED)
                       for a in actions)):
            self._compiled = False
            self._layout = None
            return self.run()
        if not any(a in self.pos for a in actions):
            return self  # nothing scheduled changed (a title, an owner, a milestone): no copies
        self._own_lists(_PASSES)
        changed = []
        done_moved = []  # actions now done that were not, or the other way round
        for aid in actions:
            i = self.pos.get(aid)
            if i is None:  # cancelled before and still: not scheduled, so nothing moves
                continue
            self.notes = [nt for nt in self.notes if aid not in nt.ids or nt.kind != "actuals"]
            before = self.state[i]
            self._prepare_edited(i, self.plan.actions[aid])
            if (self.state[i] == DONE) != (before == DONE):
                done_moved.append(i)
            changed.append(i)
        wave = self._wave_box[0]
        if done_moved and wave is not None:  # waves depend on which actions are done
            self._wave_box = [self._rewave(list(wave), done_moved)]
        if changed:
            self._order_notes()
            with collector_paused():
                self._forward_from(changed)
        return self

    def _order_notes(self) -> None:
        """The notes in the order compiling makes them (the plan's settings, then each action's in
        the plan's order, then the links'): an edited action's notes are made again after the
        others, and the warnings a user reads must not change order with the edits made."""
        pos = self.pos
        self.notes.sort(key=lambda nt: (0, 0) if nt.kind == "settings" else (
            (1, pos.get(nt.ids[0], -1)) if nt.kind == "actuals" and nt.ids else (2, 0)))

    def _own_lists(self, names=_PER_ACTION) -> None:
        """A snapshot holds the current lists: copy those of ``names`` it still holds before
        changing them (``_shared``: the names of the lists a snapshot holds, or False)."""
        shared = self._shared
        if shared:
            for name in names:
                if name in shared:
                    setattr(self, name, list(getattr(self, name)))
                    shared.discard(name)

    def _prepare_edited(self, i: int, a: Action) -> None:
        """``_prepare`` for an action edited after compiling: only the lists whose entry for
        ``i`` changes are copied (issue 13: an edit used to copy all thirteen lists of the
        plan's size, though most edits change one of the action's own constraints, and a link
        added or removed none). ``_prepare`` writes in place; what it wrote is read back, the
        entries a snapshot holds put back as they were, and each change then written to a copy."""
        lists = [getattr(self, name) for name in _PREPARED]
        old = [lst[i] for lst in lists]
        try:
            self._prepare(i, a)
            new = [lst[i] for lst in lists]
        finally:
            shared = self._shared
            if shared:
                for name, lst, was in zip(_PREPARED, lists, old):
                    if name in shared:
                        lst[i] = was
        for name, was, now in zip(_PREPARED, old, new):
            if now != was or now.__class__ is not was.__class__:
                self._own_lists((name,))
                getattr(self, name)[i] = now

    def _relinked(self, link_edits, actions_added=(), actions_removed=()) -> bool:
        """``_relink`` with the cycle collector held off: it makes new lists and copies of the
        plan's size, and a collection of the whole heap started by them cost more than the
        edit (issue 13)."""
        with collector_paused():
            return self._relink(link_edits, actions_added, actions_removed)

    def _relink(self, link_edits, actions_added=(), actions_removed=()) -> bool:
        """Take actions added or removed and links added or removed into the compiled graph
        (issue 13: one new link or action on 20,000 actions recompiled the whole plan, about
        0.2 s): new actions take the next positions (the plan's last, as compiling gives them;
        the caller then works out their own dates), the links' lists are edited in a copy, the
        sweep kept topological and the waves moved where they change.

        A removed action's position is left as a tombstone: done, dated before anything, so
        no pass is held back or driven by it, its links left in place (``Links.without``); no
        position moves and no list is copied but the few it writes. Renumbering every position
        after a deleted one (every link's two ends, the sweep, the drivers, the id map) and
        taking its links out of the lists was most of deleting an action on 20,000 actions;
        now it is done once the tombstones pass ``1 / TOMBSTONE_DIVISOR`` of the positions
        (``_compact``), and a snapshot shows the positions without them (``_Dense``: each list
        made when first read).

        False where only compiling can say what the plan means: an action already placed,
        cancelled or not placed, one removed with links left, a link naming an action that is
        not scheduled (compiling notes it), an action waiting on itself, an odd lag, a loop
        (or one through a tombstone's links: rare, and compiling then settles it); the caller
        then compiles the plan (the sweep's ranks may have moved; nothing else has)."""
        plan_actions = self.plan.actions
        old_pos = self.pos
        new_ids = list(actions_added)
        if any(a in old_pos or a not in plan_actions
               or plan_actions[a].status == ActionStatus.CANCELLED for a in new_ids):
            return False
        gone = sorted({old_pos.get(a, -1) for a in actions_removed})
        if gone and (gone[0] < 0 or any(a in plan_actions for a in actions_removed)):
            return False
        n, a_new = len(self.ids), len(new_ids)
        more = range(n, n + a_new)
        added_at = dict(zip(new_ids, more))
        edges = []
        for added, action, needs, kind, lag in link_edits:
            s = old_pos.get(action, added_at.get(action))
            p = old_pos.get(needs, added_at.get(needs))
            if s is None or p is None or s == p or lag.__class__ is not int:
                return False
            edges.append((bool(added), p, s, kind == "SS", lag))
        dead = []  # the links of the actions removed: left in place
        if gone:
            gone_set = set(gone)
            dead = [(p, s, ss, lag) for added, p, s, ss, lag in edges
                    if p in gone_set or s in gone_set]
            if any(added for added, p, s, _ss, _lag in edges if p in gone_set or s in gone_set):
                return False  # a link to an action removed
            # (the links to earlier tombstones went with them)
            if sorted(dead) != sorted(self.links.around(gone, set(self._tombstones()))):
                return False  # links left to it (a plan from elsewhere)
            edges = [e for e in edges if e[1] not in gone_set and e[2] not in gone_set]
        links = self.links.edited(edges, a_new) if edges or a_new else self.links
        if links is None:
            return False
        rank = self._sweep_rank()  # the engine's own (no snapshot holds it): changed in place
        sweep = self.sweep
        if a_new or any(added for added, *_rest in edges):
            sweep = list(sweep)
            sweep.extend(more)
            rank.extend(more)
            tombs = {*gone, *self._tombstones()}
            for added, p, s, _ss, _lag in edges:
                if added and rank[p] > rank[s] and not _reorder(
                        sweep, rank, p, s, links.succ_side(), links.pred_side(), tombs):
                    return False  # a loop
        # The graph is taken: from here on the lists change.
        layout = self._layout
        if layout is not None and layout.ids is not self.ids:
            layout = None  # compiled since
        wave = self._wave_box[0]
        if wave is not None:
            wave = [*wave, *repeat(1, a_new)]
        if gone:
            ids = list(self.ids)
            gone_ids = {ids[i] for i in gone}
            finish_gone = any(self.ef[i] == self.finish_idx for i in gone)
            self._unindex_critical(gone)
            self._own_lists(_TOMBSTONE)
            for name, value in _TOMBSTONE.items():
                lst = getattr(self, name)
                for i in gone:
                    lst[i] = value
            for i in gone:
                ids[i] = None
                if wave is not None:
                    wave[i] = 0
            pos = old_pos.copy()
            for aid in gone_ids:
                del pos[aid]
            self.notes = [nt for nt in self.notes if not gone_ids.intersection(nt.ids)]
        elif new_ids:
            ids, pos = list(self.ids), old_pos.copy()
        else:  # only links: every action keeps its position (the same map: views keep theirs)
            ids, pos = self.ids, old_pos
        if new_ids:
            self._own_lists()
            ids.extend(new_ids)
            pos.update(zip(new_ids, more))
            for name, blank in _BLANK.items():
                getattr(self, name).extend(repeat(blank, a_new))
            if self._crit_key is not None:
                self._crit_key.extend(repeat(None, a_new))
        if ids is not self.ids:  # the layout lasts while the ids do
            if layout is not None or gone:
                layout = _Layout(ids, sorted([*layout.gone, *gone]) if layout else gone, pos)
            self.ids, self.pos = ids, pos
        self._layout = layout
        self.links, self.sweep, self._sweep_pos = links, sweep, rank
        if wave is not None:  # waves move only downstream of the links' waiting ends
            wave = self._rewave(wave, [*more, *(s for _a, _p, s, _ss, _lag in edges),
                                       *(s for _p, s, _ss, _lag in dead)])
        self._wave_box = [wave]
        if gone and finish_gone:
            self.finish_idx = self._latest_finish()
        if layout is not None and len(layout.gone) * TOMBSTONE_DIVISOR > len(ids):
            self._compact()
        return True

    def _tombstones(self) -> list[int]:
        """The positions of actions deleted since compiling (ascending; none as compiled)."""
        layout = self._layout
        return layout.gone if layout is not None and layout.ids is self.ids else []

    def _latest_finish(self) -> int:
        """The plan finish: the latest early finish (a tombstone's is before any)."""
        f = max(self.ef, default=-_INF)
        return self.start_idx if f == -_INF else f

    def _compact(self) -> None:
        """Take the tombstones and their links out: every later position moves down, each list
        that holds positions renumbered through one table as it is copied (``_renumbering``)."""
        layout, self._layout = self._layout, None
        gone = layout.gone
        n = len(self.ids)
        kept = n - len(gone)
        table = layout.table()
        self.links = layout.without_dead(self.links)
        rank_was = self._sweep_rank()
        ranks = sorted(rank_was[i] for i in gone)
        self.sweep = _without(_through(table, self.sweep), ranks)
        self._sweep_pos = _without(_through(_renumbering(n, ranks), rank_was), gone)
        for name in _PER_ACTION:  # copies: a snapshot may hold them
            setattr(self, name, _without(getattr(self, name), gone))
        self.driver = _through(table, self.driver)  # a prerequisite (< 0: a reason)
        if self._shared:
            self._shared.difference_update(_PER_ACTION)
        if self._crit_key is not None:
            self._crit_key = _without(self._crit_key, gone)
        self.ids = ids = _without(self.ids, gone)
        pos = self.pos.copy()
        pos.update(zip(ids[gone[0]:], _numbers(kept)[gone[0]:kept]))  # no new integers
        self.pos = pos
        wave = self._wave_box[0]
        self._wave_box = [None if wave is None else _without(wave, gone)]

    def _rewave(self, wave: list[int], starts) -> list[int]:
        """``wave`` (a copy) with the waves of ``starts`` worked out again from their
        prerequisites, and the change carried to what waits on them, in sweep order."""
        state, links, rank, sweep = self.state, self.links, self._sweep_rank(), self.sweep
        po, pn = links.p_off, links.p_node
        so, sn = links.succ_side()[:2]
        heap = list({rank[i] for i in starts})
        heapq.heapify(heap)
        queued = set(heap)
        while heap:
            r = heapq.heappop(heap)
            queued.discard(r)
            i = sweep[r]
            w = 0
            if state[i] != DONE:  # the rule of ScheduleData.waves
                w = 1
                for p in pn[po[i]:po[i + 1]]:
                    if wave[p] >= w:
                        w = wave[p] + 1
            if w != wave[i]:
                wave[i] = w
                for x in sn[so[i]:so[i + 1]]:
                    if rank[x] not in queued:
                        queued.add(rank[x])
                        heapq.heappush(heap, rank[x])
        return wave

    def _forward_from(self, changed: list[int]) -> None:
        """Recompute early dates downstream of ``changed``; then late dates where needed."""
        es, ef, driver = self.es, self.ef, self.driver
        span, early = self.span, self._early
        links = self.links
        so, sn, sss, slag = links.succ_side()
        po, pn = links.p_off, links.p_node
        state, tp = self.state, self._sweep_rank()
        changed_set = set(changed)
        # Heap entries are single integers (topological position, then action position) so
        # that a long cascade allocates no tuples for the garbage collector to chase.
        shift = len(self.ids).bit_length() + 1
        mask = (1 << shift) - 1
        heap = [(tp[i] << shift) | i for i in changed_set]
        heapq.heapify(heap)
        queued = set(changed_set)
        moved: list[int] = []
        heappop, heappush = heapq.heappop, heapq.heappush
        # A slip early in a long chain can move most of the plan; past this many actions a
        # plain pass over everything is cheaper than the heap.
        budget = len(self.ids) // CASCADE_DIVISOR + CASCADE_MIN
        finish = top = self.finish_idx  # the plan finish: the latest early finish
        lowered = False
        while heap:
            budget -= 1
            if budget < 0:
                self._forward_all()
                self._backward_all()
                return
            i = heappop(heap) & mask
            queued.discard(i)
            s, f, drv = early(i)
            driver[i] = drv
            if s != es[i] or f != ef[i] or i in changed_set:
                if ef[i] == finish and f < finish:
                    lowered = True  # the plan finish may come earlier: look at every action
                if f > top:
                    top = f
                es[i], ef[i] = s, f
                moved.append(i)
                for k in range(so[i], so[i + 1]):
                    t = sn[k]
                    if t not in queued:
                        queued.add(t)
                        heappush(heap, (tp[t] << shift) | t)
        if top > finish:
            self.finish_idx = top
        elif lowered:
            self.finish_idx = max(ef) if ef else self.start_idx
        # Late dates: only edited actions, their prerequisites, and moved actions with a deadline
        # can change their tail or bound; changes then travel upstream while they last.
        deadline = self.deadline
        seeds = set(changed_set)
        for i in changed_set:
            seeds.update(pn[po[i]:po[i + 1]])
        for i in moved:
            if deadline[i] is not None:
                seeds.add(i)
        tail, bound = self.tail, self.bound
        touched = list(moved)
        top = len(self.ids)
        heap = [((top - tp[i]) << shift) | i for i in seeds]  # latest in topological order first
        heapq.heapify(heap)
        queued = set(seeds)
        while heap:
            i = heappop(heap) & mask
            queued.discard(i)
            # Same rule as _backward_all, inlined.
            st = state[i]
            t = 0
            b = _INF
            if st != DONE:
                dl = deadline[i]
                if dl is not None:
                    b = dl if dl > ef[i] else ef[i]
                sp = span[i]
                for k in range(so[i], so[i + 1]):
                    x = sn[k]
                    if state[x]:
                        continue
                    if sss[k]:
                        if st:
                            continue
                        y = span[x] + slag[k] - sp
                    else:
                        y = span[x] + slag[k] + 1
                    z = tail[x] + y
                    if z > t:
                        t = z
                    z = bound[x] - y
                    if z < b:
                        b = z
            if t != tail[i] or b != bound[i] or i in changed_set:
                tail[i], bound[i] = t, b
                touched.append(i)
                for k in range(po[i], po[i + 1]):
                    p = pn[k]
                    if p not in queued:
                        queued.add(p)
                        heappush(heap, ((top - tp[p]) << shift) | p)
        self._reindex_critical(touched)

    # ----------------------------------------------------------------- results
    def snapshot(self) -> "ScheduleData":
        """The current results; later edits copy before changing, so a snapshot never changes.
        With tombstones (deleted actions' positions, ``_relink``) it shows the positions as
        compiling the plan would number them, each list made when first read (``_Dense``)."""
        self._shared = set(_SNAPSHOT_HOLDS)
        data = ScheduleData(
            ids=self.ids, pos=self.pos, cal=self.cal, plan_start=self.plan_start,
            as_of=self.as_of, start_idx=self.start_idx, as_of_idx=self.as_of_idx,
            finish_idx=self.finish_idx, es=self.es, ef=self.ef, tail=self.tail,
            bound=self.bound, driver=self.driver, lower_why=self.lower_why,
            wave_box=self._wave_box, state=self.state, span=self.span,
            deadline=self.deadline, phase=self.phase,
            links=self.links, sweep=self.sweep, notes=list(self.notes),
            critical_set=self.critical_positions())
        layout = self._layout
        if layout is None or layout.ids is not self.ids:
            return data
        d = _Dense.__new__(_Dense)
        d.__dict__.update(
            cal=self.cal, plan_start=self.plan_start, as_of=self.as_of,
            start_idx=self.start_idx, as_of_idx=self.as_of_idx, finish_idx=self.finish_idx,
            notes=data.notes, _layout=layout, _engine=data)
        return d
