"""The critical-path scheduler: integer working-day passes over a compiled graph, kept between edits.

Rules (see docs/graph-engine.md): an action of duration d starting on working day s finishes at
the end of working day s + d - 1 (d = 0 is a point in time: it finishes on s). Finish-to-start with
lag L: the successor starts on or after finish + L + 1. Start-to-start with lag L: on or after
start + L. Every not-started action also starts on or after the plan start, its not-before date,
its phase's start and the as-of date. Done actions keep their actual dates; in-progress actions
keep their actual start and finish after their remaining work counted from the as-of date.

The scheduler compiles the plan once into integer lists (positions, predecessor and successor
lists, a topological order), then runs a forward pass (early dates) and a backward pass (late
dates). After an edit to one action only the actions that can move are recomputed (the edits:
``ScheduleEdits``, graph/schedule_edits.py).
"""

from __future__ import annotations

from datetime import date
from itertools import compress, count, repeat
from operator import add, eq, is_not, itemgetter

from planner.flat import leave_unwalked
from planner.model import Action, ActionStatus, Plan
from planner.storage import collector_paused
from planner.validate import find_loop, loop_error

from planner.workdays import WorkCalendar
from planner.dates import short_date

from .compiled_links import KahnOrder, Links, _numbers
from .dense import _Dense, _Layout
from .schedule_edits import (_ACTUAL, _AS_OF, _INF, _NOT_BEFORE, _PER_ACTION, _PHASE_START,
                             _PLAN_START, ScheduleEdits)
from .snapshot import _SNAPSHOT_HOLDS, DONE, IN_PROGRESS, NOT_STARTED, Note, ScheduleData

# Why an action starts when it does, when no prerequisite drives it (``driver`` < 0).
LOWER_REASONS = {
    -1: "plan start",
    -2: "as-of date",
    -3: "not-before date",
    -4: "phase start",
    -5: "actual dates",
}
_NOT_STARTED, _CANCELLED = ActionStatus.NOT_STARTED, ActionStatus.CANCELLED
_first = itemgetter(0)
_INT_ONLY = {int}


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


class ScheduleCore(ScheduleEdits, KahnOrder):
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
            self._leave_unwalked()
        return self

    def _leave_unwalked(self) -> None:
        """The lists of the plan's size that compiling and the passes keep, left out of the
        cycle collector's walks (``planner.flat.leave_unwalked``): they hold whole numbers,
        booleans, None and the actions' ids, and nothing else is ever put in them."""
        leave_unwalked(self.ids, self.sweep, self._wave_box[0],
                       *(getattr(self, name) for name in _PER_ACTION), *self.links.flat_lists())

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

    # ----------------------------------------------------------------- edits: ScheduleEdits
    # (graph/schedule_edits.py)

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
