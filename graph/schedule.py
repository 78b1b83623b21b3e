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

import gc
import heapq
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from itertools import accumulate, repeat
from operator import attrgetter, eq, itemgetter

from planner.model import Action, ActionStatus, Plan
from planner.validate import find_loop, loop_error

from planner.workdays import WorkCalendar

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
# What the compile step reads of every action and link, in one sweep each.
_ACTION_FIELDS = attrgetter("status", "phase", "not_before", "deadline", "duration")
_LINK_FIELDS = attrgetter("action", "needs", "type", "lag")
_first = itemgetter(0)

NOT_STARTED, IN_PROGRESS, DONE = 0, 1, 2
_INF = 1 << 40  # "no deadline downstream"
# An edit that moves more than n / CASCADE_DIVISOR + CASCADE_MIN actions switches to full passes.
CASCADE_DIVISOR, CASCADE_MIN = 8, 64

# Lists indexed by action position that an edit may change (copied before an edit if shared).
_PER_ACTION = ("es", "ef", "tail", "bound", "driver", "span", "lower", "lower_why", "state",
               "fixed_start", "fixed_finish", "deadline", "phase")


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while building many small lists and tuples.

    Building the compiled graph allocates tens of thousands of containers; each allocation burst
    triggers a full scan of the (large) plan held in memory. Nothing built here forms reference
    cycles, so pausing the collector is safe; its previous state is restored afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class Note:
    """A problem noticed while compiling the plan (kind, message, ids)."""

    kind: str
    message: str
    ids: tuple = ()


def title_of(plan: Plan, action_id: str) -> str:
    """An action's title, or its id if it has none."""
    a = plan.actions.get(action_id)
    return a.title if a is not None and a.title else action_id


class Links:
    """The links between scheduled actions as flat lists, built once per compile and never changed.

    Edge ``k`` (the plan's links in its own order, those to unknown or cancelled actions left
    out): ``e_pred[k]`` must come before ``e_succ[k]``; ``e_ss[k]`` is True for start-to-start;
    ``e_lag[k]`` is the lag in working days. The same edges grouped as compressed rows:

    * successor side: the links out of action ``i`` are ``s_off[i]`` to ``s_off[i + 1] - 1`` in
      ``s_node`` (the action that waits), ``s_ss`` and ``s_lag``, in the plan's order;
    * predecessor side (``pred_side()``, built on first use: a full schedule needs only the
      successor side): the links into ``i``, ``p_off``, ``p_node`` (the prerequisite), ``p_ss``
      and ``p_lag``.

    No object is made per link: a plan's size costs a few flat lists of integers.
    """

    __slots__ = ("n", "e_pred", "e_succ", "e_ss", "e_lag", "s_off", "s_node", "s_ss", "s_lag",
                 "_pred", "_lists")

    def __init__(self, n: int, pred: list[int], succ: list[int], ss: list[bool],
                 lag: list[int]):
        self.n = n
        self.e_pred, self.e_succ, self.e_ss, self.e_lag = pred, succ, ss, lag
        self.s_off, perm = _group(pred, n)
        self.s_node = list(map(succ.__getitem__, perm))
        self.s_ss = list(map(ss.__getitem__, perm))
        self.s_lag = list(map(lag.__getitem__, perm))
        self._pred = None
        self._lists = None

    def in_counts(self) -> list[int]:
        """Number of links into each action."""
        cnt = [0] * self.n
        for s in self.e_succ:
            cnt[s] += 1
        return cnt

    def pred_side(self) -> tuple[list[int], list[int], list[bool], list[int]]:
        """``(p_off, p_node, p_ss, p_lag)``: the links into each action, in the plan's order."""
        got = self._pred
        if got is None:
            off, perm = _group(self.e_succ, self.n)
            got = self._pred = (off, list(map(self.e_pred.__getitem__, perm)),
                                list(map(self.e_ss.__getitem__, perm)),
                                list(map(self.e_lag.__getitem__, perm)))
        return got

    def tuple_lists(self) -> tuple[list, list]:
        """``(preds, succs)``: per action, its links as tuples ``(prerequisite, successor,
        start_to_start, lag)`` (the older shape, for callers that read it)."""
        got = self._lists
        if got is None:
            n = self.n
            preds: list[list] = [[] for _ in range(n)]
            succs: list[list] = [[] for _ in range(n)]
            for e in zip(self.e_pred, self.e_succ, self.e_ss, self.e_lag):
                preds[e[1]].append(e)
                succs[e[0]].append(e)
            got = self._lists = (preds, succs)
        return got


def _group(keys: list[int], n: int) -> tuple[list[int], list[int]]:
    """Counting sort of edge numbers by ``keys`` (stable): ``(offsets, permutation)``, the edges
    with key ``i`` being ``permutation[offsets[i]:offsets[i + 1]]``."""
    cnt = [0] * n
    for x in keys:
        cnt[x] += 1
    off = [0, *accumulate(cnt)]
    nxt = off[:-1]
    perm = [0] * len(keys)
    for e, x in enumerate(keys):
        j = nxt[x]
        nxt[x] = j + 1
        perm[j] = e
    return off, perm


class ScheduleCore:
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
                                               f"{start.isoformat()}."))
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
        recs = list(map(_ACTION_FIELDS, actions.values()))
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
        self.state = state = [NOT_STARTED] * n
        self.fixed_start = fixed_start = [0] * n
        self.fixed_finish = fixed_finish = [0] * n
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
        self.links = links = self._links(pos, n)
        so, sn, sss, slag = links.s_off, links.s_node, links.s_ss, links.s_lag
        # Kahn's algorithm (in the plan's own order, so results are stable) + forward pass.
        indeg = links.in_counts()
        es = list(self.lower)
        ef = [0] * n
        driver = list(self.lower_why)
        wave = [1] * n
        order = [i for i in range(n) if not indeg[i]]
        append = order.append
        for i in order:  # the list grows while it is read: each action once, prerequisites first
            if state[i]:
                si = es[i] = fixed_start[i]
                fi = ef[i] = fixed_finish[i]
                driver[i] = _ACTUAL
                if state[i] == DONE:
                    wave[i] = 0
            else:
                si = es[i]
                fi = ef[i] = si + span[i]
            fi += 1
            w = wave[i] + 1
            for k in range(so[i], so[i + 1]):
                s = sn[k]
                c = (si if sss[k] else fi) + slag[k]
                e = es[s]
                if c > e:
                    es[s] = c
                    driver[s] = i
                elif c == e:
                    d = driver[s]
                    if d < 0 or i < d:
                        driver[s] = i
                if wave[s] < w:
                    wave[s] = w
                d = indeg[s] - 1
                indeg[s] = d
                if not d:
                    append(s)
        if len(order) < n:
            raise loop_error(plan, find_loop(plan, among=[ids[i] for i in range(n) if indeg[i] > 0]))
        self.order = order
        tp = [0] * n
        for k, i in enumerate(order):
            tp[i] = k
        self.topo_pos = tp
        self.es, self.ef, self.driver = es, ef, driver
        self.finish_idx = max(ef) if n else self.start_idx
        self._compiled = True
        self._shared = False
        self._wave_box = [wave]
        self._compiled_key = self._calendar_key()

    def _links(self, pos: dict[str, int], n: int) -> "Links":
        """The plan's links between scheduled actions as flat lists (one sweep of the links)."""
        deps = self.plan.dependencies
        if not deps:
            return Links(n, [], [], [], [])
        action, needs, kind, lag = zip(*map(_LINK_FIELDS, deps.values()))
        get = pos.get
        succ = list(map(get, action))
        pred = list(map(get, needs))
        if None in succ or None in pred:  # links to unknown or cancelled actions are ignored
            ok = []
            for k, d in enumerate(deps.values()):
                if succ[k] is None or pred[k] is None:
                    self._bad_link(d)
                else:
                    ok.append(k)
            succ = [succ[k] for k in ok]
            pred = [pred[k] for k in ok]
            kind = [kind[k] for k in ok]
            lag = [lag[k] for k in ok]
        ss = list(map(eq, kind, repeat("SS")))
        lag = list(lag)
        if any(x.__class__ is not int for x in lag):
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
                                                  f"finish date; taken as {cal.date(ff).isoformat()}.",
                                       (a.id,)))
            if fs is None:
                fs = ff - span
                self.notes.append(Note("actuals", f"'{a.title}' ({a.id}) is done but has no actual "
                                                  f"start date; taken as {cal.date(fs).isoformat()}.",
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
                                                  f"{cal.date(fs).isoformat()}.", (a.id,)))
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
        with gc_paused():
            self.compile()
            self._backward_all()
        return self

    # ----------------------------------------------------------------- critical actions
    # An unfinished action is critical when its late finish, min(plan finish - tail, bound),
    # equals its early finish: either ef + tail == plan finish (and bound >= ef), or bound == ef
    # (and ef + tail <= plan finish). Actions are kept in buckets by ef + tail, and the ones with
    # bound == ef in a set, so the critical actions after an edit are read from one bucket rather
    # than from every action's late dates (issue 13: an edit on 20,000 actions).
    def _index_critical(self) -> None:
        """Bucket every action by ef + tail (on the first edit after full passes)."""
        ef, tail, bound, state = self.ef, self.tail, self.bound, self.state
        key: list[int | None] = [None] * len(ef)
        buckets: dict[int, set[int]] = {}
        tight: set[int] = set()
        for i, (e, t, b, st) in enumerate(zip(ef, tail, bound, state)):
            if st == DONE:
                continue
            k = key[i] = e + t
            got = buckets.get(k)
            if got is None:
                buckets[k] = {i}
            else:
                got.add(i)
            if b == e:
                tight.add(i)
        self._crit_key, self._buckets, self._tight = key, buckets, tight

    def _reindex_critical(self, touched) -> None:
        """Move the actions whose ef, tail, bound or state changed to their new buckets."""
        if self._crit_key is None:
            self._index_critical()  # from the dates as they now are: nothing left to move
            return
        ef, tail, bound, state = self.ef, self.tail, self.bound, self.state
        key, buckets, tight = self._crit_key, self._buckets, self._tight
        for i in touched:
            old = key[i]
            new = None if state[i] == DONE else ef[i] + tail[i]
            if old != new:
                if old is not None:
                    got = buckets[old]
                    got.discard(i)
                    if not got:
                        del buckets[old]
                if new is not None:
                    got = buckets.get(new)
                    if got is None:
                        buckets[new] = {i}
                    else:
                        got.add(i)
                key[i] = new
            if new is not None and bound[i] == ef[i]:
                tight.add(i)
            else:
                tight.discard(i)

    def critical_positions(self) -> frozenset[int]:
        """Positions of the critical actions now (unfinished, zero total float)."""
        pf, ef, bound, key = self.finish_idx, self.ef, self.bound, self._crit_key
        if key is None:  # after full passes: one look at every action, no buckets yet
            return frozenset(i for i, (e, t, b, st) in enumerate(zip(ef, self.tail, bound,
                                                                     self.state))
                             if st != DONE and (e + t == pf and b >= e or b == e and e + t <= pf))
        out = {i for i in self._buckets.get(pf, ()) if bound[i] >= ef[i]}
        out.update(i for i in self._tight if key[i] <= pf)
        return frozenset(out)

    def _forward_all(self) -> None:
        """Early dates for every action, in topological order (used after a large edit).

        Each action's dates are pushed along its links once they are final (the successor side
        of the links, as in ``compile``): the latest candidate wins, ties go to the prerequisite
        with the lowest position, and a prerequisite beats the action's own lower bound.
        """
        es, driver = self.es, self.driver
        es[:] = self.lower
        driver[:] = self.lower_why
        ef, span = self.ef, self.span
        state, fixed_start, fixed_finish = self.state, self.fixed_start, self.fixed_finish
        links = self.links
        so, sn, sss, slag = links.s_off, links.s_node, links.s_ss, links.s_lag
        for i in self.order:
            if state[i]:
                si = es[i] = fixed_start[i]
                fi = ef[i] = fixed_finish[i]
                driver[i] = _ACTUAL
            else:
                si = es[i]
                fi = ef[i] = si + span[i]
            fi += 1
            for k in range(so[i], so[i + 1]):
                s = sn[k]
                c = (si if sss[k] else fi) + slag[k]
                e = es[s]
                if c > e:
                    es[s] = c
                    driver[s] = i
                elif c == e:
                    d = driver[s]
                    if d < 0 or i < d:
                        driver[s] = i
        self.finish_idx = max(ef) if ef else self.start_idx

    def _backward_all(self) -> None:
        """Late dates, kept as two numbers per action so a new plan finish costs nothing.

        ``tail[i]``: working days that must follow the action's finish before the plan finish
        (late finish <= plan finish - tail). ``bound[i]``: the latest finish that deadlines
        downstream (or its own) allow. Late finish = min(plan finish - tail, bound).
        """
        n = len(self.ids)
        tail = [0] * n
        bound = [_INF] * n
        ef, state, span, deadline = self.ef, self.state, self.span, self.deadline
        links = self.links
        so, sn, sss, slag = links.s_off, links.s_node, links.s_ss, links.s_lag
        for i in reversed(self.order):
            st = state[i]
            if st == DONE:
                continue
            t = 0
            b = _INF
            dl = deadline[i]
            if dl is not None:
                b = dl if dl > ef[i] else ef[i]
            sp = span[i]
            for k in range(so[i], so[i + 1]):
                s = sn[k]
                if state[s]:
                    continue  # the successor has already started: nothing left to protect
                if sss[k]:
                    if st:
                        continue
                    x = span[s] + slag[k] - sp
                else:
                    x = span[s] + slag[k] + 1
                y = tail[s] + x
                if y > t:
                    t = y
                y = bound[s] - x
                if y < b:
                    b = y
            tail[i] = t
            bound[i] = b
        self.tail, self.bound = tail, bound
        self._crit_key = None  # critical actions are bucketed again on the next edit

    # ----------------------------------------------------------------- edits
    def refresh(self, actions: list[str] | tuple = (), links_changed: bool = False,
                settings_changed: bool = False) -> "ScheduleCore":
        """Recompute after edits to ``actions`` (their own fields); recompile if links changed.

        Adding, removing or cancelling actions, or changing links, settings, holidays or phase
        dates needs ``links_changed=True`` or ``settings_changed=True`` (a full recompute).
        Ids that are neither scheduled nor in the plan are ignored.
        """
        actions = [a for a in actions if a in self.plan.actions or (self._compiled and a in self.pos)]
        if (not self._compiled or links_changed or settings_changed
                or self._calendar_key() != self._compiled_key
                or any(a not in self.pos and a in self.plan.actions
                       and self.plan.actions[a].status != ActionStatus.CANCELLED for a in actions)
                or any(a in self.pos and (a not in self.plan.actions
                                          or self.plan.actions[a].status == ActionStatus.CANCELLED)
                       for a in actions)):
            self._compiled = False
            return self.run()
        if self._shared:
            # A snapshot holds the current lists: copy them before changing anything.
            for name in _PER_ACTION:
                setattr(self, name, list(getattr(self, name)))
            self._shared = False
        changed = []
        for aid in actions:
            i = self.pos[aid]
            self.notes = [nt for nt in self.notes if aid not in nt.ids or nt.kind != "actuals"]
            before = self.state[i]
            self._prepare(i, self.plan.actions[aid])
            if self.state[i] != before:
                self._wave_box = [None]  # waves depend on which actions are done
            changed.append(i)
        if changed:
            with gc_paused():
                self._forward_from(changed)
        return self

    def _forward_from(self, changed: list[int]) -> None:
        """Recompute early dates downstream of ``changed``; then late dates where needed."""
        es, ef, driver = self.es, self.ef, self.driver
        span, lower, lower_why = self.span, self.lower, self.lower_why
        links = self.links
        so, sn, sss, slag = links.s_off, links.s_node, links.s_ss, links.s_lag
        po, pn, pss, plag = links.pred_side()
        state, tp = self.state, self.topo_pos
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
        while heap:
            budget -= 1
            if budget < 0:
                self._forward_all()
                self._backward_all()
                return
            i = heappop(heap) & mask
            queued.discard(i)
            st = state[i]
            if st:
                s, f, drv = self.fixed_start[i], self.fixed_finish[i], _ACTUAL
            else:
                s, drv = lower[i], lower_why[i]
                for k in range(po[i], po[i + 1]):
                    p = pn[k]
                    c = es[p] + plag[k] if pss[k] else ef[p] + plag[k] + 1
                    if c > s or (c == s and (drv < 0 or p < drv)):
                        s, drv = c, p
                f = s + span[i]
            driver[i] = drv
            if s != es[i] or f != ef[i] or i in changed_set:
                es[i], ef[i] = s, f
                moved.append(i)
                for k in range(so[i], so[i + 1]):
                    t = sn[k]
                    if t not in queued:
                        queued.add(t)
                        heappush(heap, (tp[t] << shift) | t)
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
        """The current results; later edits copy before changing, so a snapshot never changes."""
        self._shared = True
        return ScheduleData(
            ids=self.ids, pos=self.pos, cal=self.cal, plan_start=self.plan_start,
            as_of=self.as_of, start_idx=self.start_idx, as_of_idx=self.as_of_idx,
            finish_idx=self.finish_idx, es=self.es, ef=self.ef, tail=self.tail,
            bound=self.bound, driver=self.driver, lower_why=self.lower_why, wave_box=self._wave_box,
            state=self.state, span=self.span,
            deadline=self.deadline, phase=self.phase,
            links=self.links, order=self.order, notes=list(self.notes),
            topo_pos=self.topo_pos, critical_set=self.critical_positions())


@dataclass
class ScheduleData:
    """Integer results of one schedule run (working-day numbers; ``cal`` turns them into dates)."""

    ids: list[str]
    pos: dict[str, int]
    cal: WorkCalendar
    plan_start: date
    as_of: date | None
    start_idx: int
    as_of_idx: int | None
    finish_idx: int
    es: list[int]
    ef: list[int]
    tail: list[int]
    bound: list[int]
    driver: list[int]
    lower_why: list[int]
    state: list[int]
    span: list[int]
    deadline: list[int | None]
    phase: list[int | None]
    links: Links
    order: list[int]
    notes: list[Note]
    wave_box: list
    topo_pos: list[int]
    critical_set: frozenset[int]
    """Positions of the critical actions (the same as ``critical_flags``, without a pass)."""

    @property
    def preds(self) -> list[list[tuple[int, int, bool, int]]]:
        """Per action position, its links in: tuples ``(prerequisite, successor,
        start_to_start, lag)`` (built on first use; ``links`` holds the same as flat lists)."""
        return self.links.tuple_lists()[0]

    @property
    def succs(self) -> list[list[tuple[int, int, bool, int]]]:
        """Per action position, its links out, as ``preds``."""
        return self.links.tuple_lists()[1]

    def late_finish(self, i: int) -> int:
        """Late finish of position ``i`` (what ``lf[i]`` holds, without building the list)."""
        if self.state[i] == DONE:
            return self.ef[i]
        t = self.finish_idx - self.tail[i]
        b = self.bound[i]
        return t if t < b else b

    @cached_property
    def lf(self) -> list[int]:
        """Late finish of every action position (a done action's is its actual finish)."""
        pf = self.finish_idx
        return [e if st == DONE else (pf - t if pf - t < b else b)
                for e, st, t, b in zip(self.ef, self.state, self.tail, self.bound)]

    @cached_property
    def ls(self) -> list[int]:
        """Late start of every action position."""
        return [f - (e - s) for f, e, s in zip(self.lf, self.ef, self.es)]

    @cached_property
    def critical_flags(self) -> list[bool]:
        """True for unfinished actions with zero total float."""
        state = self.state
        return [f == e and st != DONE for f, e, st in zip(self.lf, self.ef, state)]

    def waves(self) -> list[int]:
        """Wave of every action position: 0 = done, 1 = no unfinished prerequisite, then +1 per step.

        Computed on first use (the window needs waves for layout, not after every edit).
        """
        cached = self.wave_box[0]
        if cached is None:
            n = len(self.ids)
            wave = [1] * n
            state = self.state
            so, sn = self.links.s_off, self.links.s_node
            for i in self.order:
                if state[i] == DONE:
                    wave[i] = 0
                w = wave[i] + 1
                for k in range(so[i], so[i + 1]):
                    s = sn[k]
                    if wave[s] < w:
                        wave[s] = w
            self.wave_box[0] = cached = wave
        return cached

    def critical(self, i: int) -> bool:
        """True if position ``i`` is unfinished and has zero float."""
        return i in self.critical_set
