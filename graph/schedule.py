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
from collections import deque
from dataclasses import dataclass
from datetime import date

import networkx as nx

from planner.errors import LoopError, PlanError
from planner.model import Action, Plan

from .calendar import WorkCalendar

# Why an action starts when it does, when no prerequisite drives it (``driver`` < 0).
LOWER_REASONS = {
    -1: "plan start",
    -2: "as-of date",
    -3: "not-before date",
    -4: "phase start",
    -5: "actual dates",
}
_PLAN_START, _AS_OF, _NOT_BEFORE, _PHASE_START, _ACTUAL = -1, -2, -3, -4, -5

NOT_STARTED, IN_PROGRESS, DONE = 0, 1, 2


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


def find_loop(plan: Plan) -> list[str] | None:
    """Action ids forming a loop (first id repeated at the end), or None if the plan has none."""
    g = nx.DiGraph()
    for d in plan.dependencies.values():
        if d.action in plan.actions and d.needs in plan.actions:
            g.add_edge(d.needs, d.action)
    try:
        cycle = nx.find_cycle(g)
    except nx.NetworkXNoCycle:
        return None
    ids = [u for u, _v in cycle]
    return ids + [ids[0]]


def loop_error(plan: Plan, loop: list[str]) -> LoopError:
    """A LoopError naming a loop of actions by their titles."""
    names = " → ".join(title_of(plan, a) for a in loop)
    return LoopError(
        f"The plan cannot be scheduled because some actions wait on each other in a circle: "
        f"{names}. Remove one of these links (actions {', '.join(loop[:-1])}).", loop)


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

    def phase_of(self, a: Action) -> int | None:
        """The phase used for scheduling ``a`` (the preview's, if one was given)."""
        if self._phase_override is not None and a.id in self._phase_override:
            return self._phase_override[a.id]
        return a.phase

    def compile(self) -> None:
        """Turn the plan into integer lists and a topological order; raises LoopError on a loop."""
        self.notes = []
        self._context()
        plan = self.plan
        ids = [aid for aid, a in plan.actions.items() if a.status != "cancelled"]
        pos = {aid: i for i, aid in enumerate(ids)}
        n = len(ids)
        preds: list[list[tuple[int, bool, int]]] = [[] for _ in range(n)]
        succs: list[list[tuple[int, bool, int]]] = [[] for _ in range(n)]
        for d in plan.dependencies.values():
            s = pos.get(d.action)
            p = pos.get(d.needs)
            if s is None or p is None:
                missing = [x for x in (d.action, d.needs) if x not in plan.actions]
                if missing:
                    self.notes.append(Note("link", f"A link refers to an unknown action "
                                                   f"({', '.join(missing)}); it was ignored.",
                                           (d.action, d.needs)))
                else:
                    gone = d.needs if d.needs not in pos else d.action
                    self.notes.append(Note("link", f"'{title_of(plan, d.action)}' waits on "
                                                   f"'{title_of(plan, d.needs)}', but "
                                                   f"'{title_of(plan, gone)}' is cancelled; the "
                                                   f"link is ignored.", (d.action, d.needs)))
                continue
            ss = d.type == "SS"
            lag = int(d.lag or 0)
            preds[s].append((p, ss, lag))
            succs[p].append((s, ss, lag))
        # Kahn's algorithm, in the plan's own order so results are stable.
        indeg = [len(x) for x in preds]
        queue = deque(i for i in range(n) if indeg[i] == 0)
        order: list[int] = []
        append = order.append
        popleft = queue.popleft
        while queue:
            i = popleft()
            append(i)
            for s, _ss, _lag in succs[i]:
                indeg[s] -= 1
                if indeg[s] == 0:
                    queue.append(s)
        if len(order) < n:
            left = {ids[i] for i in range(n) if indeg[i] > 0}
            g = nx.DiGraph()
            for i in range(n):
                if ids[i] in left:
                    for p, _ss, _lag in preds[i]:
                        if ids[p] in left:
                            g.add_edge(ids[p], ids[i])
            cycle = [u for u, _v in nx.find_cycle(g)]
            raise loop_error(plan, cycle + [cycle[0]])
        self.ids, self.pos, self.preds, self.succs, self.order = ids, pos, preds, succs, order
        self.topo_pos = [0] * n
        for k, i in enumerate(order):
            self.topo_pos[i] = k
        self.span = [0] * n
        self.lower = [0] * n
        self.lower_why = [_PLAN_START] * n
        self.state = [NOT_STARTED] * n
        self.fixed_start = [0] * n
        self.fixed_finish = [0] * n
        self.deadline: list[int | None] = [None] * n
        self.phase: list[int | None] = [None] * n
        for i, aid in enumerate(ids):
            self._prepare(i, plan.actions[aid])
        self._compiled = True

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
        if a.status == "done":
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
        elif a.status == "in progress":
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
        if not self._compiled:
            self.compile()
        self._forward_all()
        self._backward_all()
        return self

    def _forward_all(self) -> None:
        n = len(self.ids)
        es = [0] * n
        ef = [0] * n
        driver = [0] * n
        wave = [0] * n
        preds, span, lower, lower_why = self.preds, self.span, self.lower, self.lower_why
        state, fixed_start, fixed_finish = self.state, self.fixed_start, self.fixed_finish
        for i in self.order:
            st = state[i]
            w = 1
            if st:
                es[i] = fixed_start[i]
                ef[i] = fixed_finish[i]
                driver[i] = _ACTUAL
                if st == DONE:
                    wave[i] = 0
                    continue
                for p, _ss, _lag in preds[i]:
                    if wave[p] >= w:
                        w = wave[p] + 1
                wave[i] = w
                continue
            s = lower[i]
            drv = lower_why[i]
            for p, ss, lag in preds[i]:
                c = es[p] + lag if ss else ef[p] + lag + 1
                if c > s or (c == s and drv < 0):
                    s = c
                    drv = p
                if wave[p] >= w:
                    w = wave[p] + 1
            es[i] = s
            ef[i] = s + span[i]
            driver[i] = drv
            wave[i] = w
        self.es, self.ef, self.driver, self.wave = es, ef, driver, wave
        self.finish_idx = max(ef) if n else self.start_idx

    def _late_finish(self, i: int, pf: int, ls: list[int], ef_i: int) -> int:
        lf = pf
        dl = self.deadline[i]
        if dl is not None:
            dl = dl if dl > ef_i else ef_i
            if dl < lf:
                lf = dl
        state = self.state
        span_i = self.span[i]
        own_started = state[i] != NOT_STARTED
        for s, ss, lag in self.succs[i]:
            if state[s]:
                continue  # the successor has already started: nothing left to protect
            if ss:
                if own_started:
                    continue
                c = ls[s] - lag + span_i
            else:
                c = ls[s] - lag - 1
            if c < lf:
                lf = c
        return lf

    def _backward_all(self) -> None:
        n = len(self.ids)
        pf = self.finish_idx
        ls = [0] * n
        lf = [0] * n
        es, ef, state = self.es, self.ef, self.state
        late_finish = self._late_finish
        for i in reversed(self.order):
            if state[i] == DONE:
                ls[i], lf[i] = es[i], ef[i]
                continue
            f = late_finish(i, pf, ls, ef[i])
            lf[i] = f
            ls[i] = f - (ef[i] - es[i])
        self.ls, self.lf = ls, lf

    # ----------------------------------------------------------------- edits
    def refresh(self, actions: list[str] | tuple = (), links_changed: bool = False,
                settings_changed: bool = False) -> "ScheduleCore":
        """Recompute after edits to ``actions`` (their own fields); recompile if links changed.

        Adding, removing or cancelling actions, or changing links, settings, holidays or phase
        dates needs ``links_changed=True`` or ``settings_changed=True`` (a full recompute).
        """
        if (not self._compiled or links_changed or settings_changed
                or any(a not in self.pos and a in self.plan.actions
                       and self.plan.actions[a].status != "cancelled" for a in actions)
                or any(a in self.pos and (a not in self.plan.actions
                                          or self.plan.actions[a].status == "cancelled")
                       for a in actions)):
            self._compiled = False
            return self.run()
        changed = []
        for aid in actions:
            i = self.pos[aid]
            self.notes = [nt for nt in self.notes if aid not in nt.ids or nt.kind != "actuals"]
            self._prepare(i, self.plan.actions[aid])
            changed.append(i)
        if changed:
            self._forward_from(changed)
        return self

    def _forward_from(self, changed: list[int]) -> None:
        """Recompute early dates downstream of ``changed``; then late dates where needed."""
        es, ef, driver, wave = self.es, self.ef, self.driver, self.wave
        preds, succs, span, lower, lower_why = (self.preds, self.succs, self.span, self.lower,
                                                self.lower_why)
        state, tp = self.state, self.topo_pos
        changed_set = set(changed)
        heap = [(tp[i], i) for i in changed_set]
        heapq.heapify(heap)
        queued = set(changed_set)
        moved: list[int] = []
        while heap:
            _k, i = heapq.heappop(heap)
            queued.discard(i)
            st = state[i]
            w = 1
            if st:
                s, f, drv = self.fixed_start[i], self.fixed_finish[i], _ACTUAL
                if st == DONE:
                    w = 0
                else:
                    for p, _ss, _lag in preds[i]:
                        if wave[p] >= w:
                            w = wave[p] + 1
            else:
                s, drv = lower[i], lower_why[i]
                for p, ss, lag in preds[i]:
                    c = es[p] + lag if ss else ef[p] + lag + 1
                    if c > s or (c == s and drv < 0):
                        s, drv = c, p
                    if wave[p] >= w:
                        w = wave[p] + 1
                f = s + span[i]
            driver[i] = drv
            if s != es[i] or f != ef[i] or w != wave[i] or i in changed_set:
                es[i], ef[i], wave[i] = s, f, w
                moved.append(i)
                for t, _ss, _lag in succs[i]:
                    if t not in queued:
                        queued.add(t)
                        heapq.heappush(heap, (tp[t], t))
        old_pf = self.finish_idx
        new_pf = max(ef) if ef else self.start_idx
        self.finish_idx = new_pf
        if new_pf != old_pf:
            self._backward_all()
            return
        # Late dates can change only for moved actions and for what lies upstream of them.
        ls, lf = self.ls, self.lf
        heap = []
        queued = set()
        for i in moved:
            heap.append((-tp[i], i))
            queued.add(i)
        heapq.heapify(heap)
        late_finish = self._late_finish
        moved_set = set(moved)
        while heap:
            _k, i = heapq.heappop(heap)
            queued.discard(i)
            if state[i] == DONE:
                nls, nlf = es[i], ef[i]
            else:
                nlf = late_finish(i, new_pf, ls, ef[i])
                nls = nlf - (ef[i] - es[i])
            if nls != ls[i] or nlf != lf[i] or i in moved_set:
                ls[i], lf[i] = nls, nlf
                for p, _ss, _lag in preds[i]:
                    if p not in queued:
                        queued.add(p)
                        heapq.heappush(heap, (-tp[p], p))

    # ----------------------------------------------------------------- results
    def critical_flags(self) -> list[bool]:
        """True for unfinished actions with zero total float."""
        state, lf, ef = self.state, self.lf, self.ef
        return [state[i] != DONE and lf[i] == ef[i] for i in range(len(self.ids))]

    def snapshot(self) -> "ScheduleData":
        """An immutable copy of the current results (safe to keep across later edits)."""
        return ScheduleData(
            ids=list(self.ids), pos=dict(self.pos), cal=self.cal, plan_start=self.plan_start,
            as_of=self.as_of, start_idx=self.start_idx, as_of_idx=self.as_of_idx,
            finish_idx=self.finish_idx, es=list(self.es), ef=list(self.ef), ls=list(self.ls),
            lf=list(self.lf), driver=list(self.driver), lower_why=list(self.lower_why),
            wave=list(self.wave), state=list(self.state), span=list(self.span),
            deadline=list(self.deadline), phase=list(self.phase),
            preds=self.preds, succs=self.succs, order=self.order, notes=list(self.notes))


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
    ls: list[int]
    lf: list[int]
    driver: list[int]
    lower_why: list[int]
    wave: list[int]
    state: list[int]
    span: list[int]
    deadline: list[int | None]
    phase: list[int | None]
    preds: list
    succs: list
    order: list[int]
    notes: list[Note]

    def float_of(self, i: int) -> int:
        """Total float of action position ``i`` in working days."""
        return self.lf[i] - self.ef[i]

    def critical(self, i: int) -> bool:
        """True if position ``i`` is unfinished and has zero float."""
        return self.state[i] != DONE and self.lf[i] == self.ef[i]


def require_action(plan: Plan, action_id: str) -> Action:
    """The action with this id, or a PlanError a user understands."""
    a = plan.actions.get(action_id)
    if a is None:
        raise PlanError(f"There is no action {action_id} in this plan.")
    return a
