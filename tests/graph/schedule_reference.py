"""The plain scheduler the engine is checked against (tests only).

``PlainCore`` is ``graph.schedule.ScheduleCore`` with the passes it had before the flat-list engine
(issue 13): per-action lists of link tuples ``(prerequisite, successor, start_to_start, lag)``,
Kahn's sort in the plan's order with the forward pass folded in, late dates pulled from each
action's successors, and after an edit the same heap-driven recompute over those lists. The
constraints of each action (``_prepare``), the calendar and the critical buckets are shared. The
property tests compare every number the engine keeps with this one's.
"""

from __future__ import annotations

import heapq

from graph import schedule_edits
from graph.schedule import _ACTUAL, _INF, ScheduleCore
from graph.snapshot import DONE
from planner.model import ActionStatus
from planner.validate import find_loop, loop_error


class PlainCore(ScheduleCore):
    """The scheduler as it was: list-of-tuples links, one pass per rule, nothing clever."""

    order = topo_pos = None  # plain lists here (the engine works them out on first use)

    def compile(self) -> None:
        self.notes = []
        self._context()
        plan = self.plan
        ids = [aid for aid, a in plan.actions.items() if a.status != ActionStatus.CANCELLED]
        pos = {aid: i for i, aid in enumerate(ids)}
        n = len(ids)
        self.ids, self.pos = ids, pos
        self.span = [0] * n
        self.lower = [0] * n
        self.lower_why = [0] * n
        self.state = [0] * n
        self.fixed_start = [0] * n
        self.fixed_finish = [0] * n
        self.deadline = [None] * n
        self.phase = [None] * n
        for i, aid in enumerate(ids):
            self._prepare(i, plan.actions[aid])
        preds: list[list[tuple]] = [[] for _ in range(n)]
        succs: list[list[tuple]] = [[] for _ in range(n)]
        for d in plan.dependencies.values():
            s, p = pos.get(d.action), pos.get(d.needs)
            if s is None or p is None:
                self._bad_link(d)
                continue
            e = (p, s, d.type == "SS", int(d.lag or 0))
            preds[s].append(e)
            succs[p].append(e)
        self.preds, self.succs = preds, succs
        indeg = [len(x) for x in preds]
        es, ef, driver = list(self.lower), [0] * n, list(self.lower_why)
        order = [i for i in range(n) if indeg[i] == 0]
        k = 0
        while k < len(order):
            i = order[k]
            k += 1
            if self.state[i]:
                es[i], ef[i], driver[i] = self.fixed_start[i], self.fixed_finish[i], _ACTUAL
            else:
                ef[i] = es[i] + self.span[i]
            for _p, s, ss, lag in succs[i]:
                c = es[i] + lag if ss else ef[i] + lag + 1
                if c > es[s] or (c == es[s] and (driver[s] < 0 or i < driver[s])):
                    es[s], driver[s] = c, i
                indeg[s] -= 1
                if indeg[s] == 0:
                    order.append(s)
        if len(order) < n:
            raise loop_error(plan, find_loop(plan, among=[ids[i] for i in range(n) if indeg[i] > 0]))
        self.order = order
        self.topo_pos = [0] * n
        for k, i in enumerate(order):
            self.topo_pos[i] = k
        self.es, self.ef, self.driver = es, ef, driver
        self.finish_idx = max(ef) if n else self.start_idx
        self._compiled = True
        self._shared = False
        self._wave_box = [None]
        self._compiled_key = self._calendar_key()

    def _leave_unwalked(self) -> None:
        """The plain scheduler compiles no links: its lists are walked, as any list is."""

    def _late(self, i: int) -> tuple[int, int]:
        """(tail, bound) of action ``i`` from its successors' (the rule of ``_backward_all``)."""
        st = self.state[i]
        if st == DONE:
            return 0, _INF
        t, b = 0, _INF
        dl = self.deadline[i]
        if dl is not None:
            b = max(dl, self.ef[i])
        for _p, s, ss, lag in self.succs[i]:
            if self.state[s]:
                continue
            if ss:
                if st:
                    continue
                k = self.span[s] + lag - self.span[i]
            else:
                k = self.span[s] + lag + 1
            t = max(t, self.tail[s] + k)
            b = min(b, self.bound[s] - k)
        return t, b

    def _early(self, i: int) -> tuple[int, int, int]:
        """(es, ef, driver) of action ``i`` from its prerequisites' (the forward rule)."""
        if self.state[i]:
            return self.fixed_start[i], self.fixed_finish[i], _ACTUAL
        s, drv = self.lower[i], self.lower_why[i]
        for p, _s, ss, lag in self.preds[i]:
            c = self.es[p] + lag if ss else self.ef[p] + lag + 1
            if c > s or (c == s and (drv < 0 or p < drv)):
                s, drv = c, p
        return s, s + self.span[i], drv

    def _forward_all(self) -> None:
        for i in self.order:
            self.es[i], self.ef[i], self.driver[i] = self._early(i)
        self.finish_idx = max(self.ef) if self.ef else self.start_idx

    def _backward_all(self) -> None:
        n = len(self.ids)
        self.tail, self.bound = [0] * n, [_INF] * n
        for i in reversed(self.order):
            self.tail[i], self.bound[i] = self._late(i)
        self._crit_key = None

    def _forward_from(self, changed: list[int]) -> None:
        tp = self.topo_pos
        changed_set = set(changed)
        heap = [(tp[i], i) for i in changed_set]
        heapq.heapify(heap)
        queued = set(changed_set)
        moved = []
        budget = len(self.ids) // schedule_edits.CASCADE_DIVISOR + schedule_edits.CASCADE_MIN
        while heap:
            budget -= 1
            if budget < 0:
                self._forward_all()
                self._backward_all()
                return
            _, i = heapq.heappop(heap)
            queued.discard(i)
            s, f, drv = self._early(i)
            self.driver[i] = drv
            if s != self.es[i] or f != self.ef[i] or i in changed_set:
                self.es[i], self.ef[i] = s, f
                moved.append(i)
                for _p, t, _ss, _lag in self.succs[i]:
                    if t not in queued:
                        queued.add(t)
                        heapq.heappush(heap, (tp[t], t))
        self.finish_idx = max(self.ef) if self.ef else self.start_idx
        seeds = set(changed_set)
        for i in changed_set:
            seeds.update(p for p, _s, _ss, _lag in self.preds[i])
        seeds.update(i for i in moved if self.deadline[i] is not None)
        touched = list(moved)
        heap = [(-tp[i], i) for i in seeds]
        heapq.heapify(heap)
        queued = set(seeds)
        while heap:
            _, i = heapq.heappop(heap)
            queued.discard(i)
            t, b = self._late(i)
            if t != self.tail[i] or b != self.bound[i] or i in changed_set:
                self.tail[i], self.bound[i] = t, b
                touched.append(i)
                for p, _s, _ss, _lag in self.preds[i]:
                    if p not in queued:
                        queued.add(p)
                        heapq.heappush(heap, (-tp[p], p))
        self._reindex_critical(touched)

    def waves(self) -> list[int]:
        """Wave of every action position (0 = done), as ``ScheduleData.waves`` defines it."""
        wave = [1] * len(self.ids)
        for i in self.order:
            if self.state[i] == DONE:
                wave[i] = 0
            for _p, s, _ss, _lag in self.succs[i]:
                wave[s] = max(wave[s], wave[i] + 1)
        return wave
