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
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from itertools import accumulate, compress, count, repeat
from operator import add, eq, itemgetter, sub

from planner.model import Action, ActionStatus, Plan
from planner.storage import collector_paused
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
_first = itemgetter(0)
_INT_ONLY = {int}

NOT_STARTED, IN_PROGRESS, DONE = 0, 1, 2
_INF = 1 << 40  # "no deadline downstream"
# An edit that moves more than n / CASCADE_DIVISOR + CASCADE_MIN actions switches to full passes.
CASCADE_DIVISOR, CASCADE_MIN = 8, 64

# Lists indexed by action position that an edit may change (copied before an edit if shared).
_PER_ACTION = ("es", "ef", "tail", "bound", "driver", "span", "lower", "lower_why", "state",
               "fixed_start", "fixed_finish", "deadline", "phase")
_SNAPSHOT_HOLDS = ("es", "ef", "tail", "bound", "driver", "span", "lower_why", "state",
                   "deadline", "phase")
"""The lists of ``_PER_ACTION`` a snapshot holds (``lower``, ``fixed_start`` and
``fixed_finish`` only the engine reads: an edit changes them in place, uncopied)."""
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

    * predecessor side: the links into action ``i`` are ``p_off[i]`` to ``p_off[i + 1] - 1`` in
      ``p_node`` (the prerequisite), ``p_ss`` and ``p_lag``, in the plan's order;
    * successor side (``succ_side()``, built on first use: a full schedule needs only the
      predecessor side): the links out of ``i``, ``s_off``, ``s_node`` (the action that waits),
      ``s_ss`` and ``s_lag``.

    No object is made per link: a plan's size costs a few flat lists of integers. ``fifo()`` is
    the order of Kahn's sort in the plan's order (what ``order`` has always meant), worked out
    when first asked for: the passes themselves use any topological order.
    """

    __slots__ = ("n", "e_pred", "e_succ", "e_ss", "e_lag", "p_off", "p_node", "p_ss", "p_lag",
                 "_succ", "_lists", "_fifo")

    def __init__(self, n: int, pred: list[int], succ: list[int], ss: list[bool],
                 lag: list[int]):
        self.n = n
        self.e_pred, self.e_succ, self.e_ss, self.e_lag = pred, succ, ss, lag
        self.p_off, self.p_node, self.p_ss, self.p_lag = _grouped(succ, n, pred, ss, lag)
        self._succ = None
        self._lists = None
        self._fifo = None

    def pred_side(self) -> tuple[list[int], list[int], list[bool], list[int]]:
        """``(p_off, p_node, p_ss, p_lag)``: the links into each action, in the plan's order."""
        return self.p_off, self.p_node, self.p_ss, self.p_lag

    def succ_side(self) -> tuple[list[int], list[int], list[bool], list[int]]:
        """``(s_off, s_node, s_ss, s_lag)``: the links out of each action, in the plan's order."""
        got = self._succ
        if got is None:
            got = self._succ = _grouped(self.e_pred, self.n, self.e_succ, self.e_ss, self.e_lag)
        return got

    def kahn(self) -> tuple[list[int], list[int]]:
        """``(order, waiting)``: Kahn's topological sort, first-in first-out from the actions
        that wait on nothing in the plan's order, successors in the plan's order of links;
        ``waiting[i]`` > 0 for the actions it cannot place (in or after a loop)."""
        indeg = list(map(sub, self.p_off[1:], self.p_off))
        so, sn, _ss, _lag = self.succ_side()
        order = [i for i in range(self.n) if not indeg[i]]
        append = order.append
        for i in order:  # the list grows while it is read
            for s in sn[so[i]:so[i + 1]]:
                d = indeg[s] - 1
                indeg[s] = d
                if not d:
                    append(s)
        return order, indeg

    def fifo(self) -> tuple[list[int], list[int]]:
        """``(order, rank)``: ``kahn()``'s order (the links hold no loop: compile checks) and
        each action's place in it."""
        got = self._fifo
        if got is None:
            order, _waiting = self.kahn()
            rank = [0] * self.n
            for k, i in enumerate(order):
                rank[i] = k
            got = self._fifo = (order, rank)
        return got

    def edited(self, edges: list[tuple[bool, int, int, bool, int]],
               more: int = 0) -> "Links | None":
        """A copy with ``more`` actions after the last (none of their links yet) and links
        added or removed, each ``(added, prerequisite, successor, start_to_start, lag)`` in the
        order made: what compiling the plan after those edits gives (a new link is the plan's
        last; a removed one leaves the others in their order), without regrouping every link
        (issue 13). The edges name the new actions after the last. None if a link to remove is
        not here.

        The copy keeps the links grouped both ways only: its ``e_pred``, ``e_succ``, ``e_ss``
        and ``e_lag`` are None (nothing reads them once both sides are built, and keeping them
        cost a scan of every link for each link removed)."""
        s_old = self.succ_side()  # an edit's passes run along it: built once, then kept
        p_side = [list(self.p_off), list(self.p_node), list(self.p_ss), list(self.p_lag)]
        s_side = [list(s_old[0]), list(s_old[1]), list(s_old[2]), list(s_old[3])]
        if more:
            for side in (p_side, s_side):
                side[0].extend(repeat(side[0][-1], more))
        p_moved: dict[int, int] = {}
        s_moved: dict[int, int] = {}
        for added, p, s, ss, lag in edges:
            if added:
                _group_insert(p_side, p_moved, s, (p, ss, lag))
                _group_insert(s_side, s_moved, p, (s, ss, lag))
            elif not (_group_remove(p_side, p_moved, s, (p, ss, lag))
                      and _group_remove(s_side, s_moved, p, (s, ss, lag))):
                return None
        _move_offsets(p_side[0], p_moved)
        _move_offsets(s_side[0], s_moved)
        return Links._of(self.n + more, p_side, s_side)

    def without(self, gone: list[int], table: list[int]) -> "Links":
        """A copy without the positions ``gone`` (ascending) and every link into or out of
        them, the others renumbered through ``table`` (``_renumbering``): what compiling the
        plan gives once those actions are gone. A few passes in C over each list, however many
        go (taking each link out in turn moved the rest of every list each time)."""
        return Links._of(self.n - len(gone), _side_without(self.pred_side(), gone, table),
                         _side_without(self.succ_side(), gone, table))

    @staticmethod
    def _of(n: int, p_side, s_side) -> "Links":
        new = Links.__new__(Links)
        new.n = n
        new.e_pred = new.e_succ = new.e_ss = new.e_lag = None
        new.p_off, new.p_node, new.p_ss, new.p_lag = p_side
        new._succ = tuple(s_side)
        new._lists = None
        new._fifo = None
        return new

    def around(self, at: list[int], left: set) -> list[tuple[int, int, bool, int]]:
        """The links into and out of the positions ``at``, each once, as ``(prerequisite,
        successor, start_to_start, lag)``, but those to or from the positions ``left``."""
        po, pn, pss, plag = self.p_off, self.p_node, self.p_ss, self.p_lag
        so, sn, sss, slag = self.succ_side()
        out = [(pn[k], i, pss[k], plag[k]) for i in at for k in range(po[i], po[i + 1])
               if pn[k] not in left]
        skip = left.union(at)
        out.extend((i, sn[k], sss[k], slag[k]) for i in at for k in range(so[i], so[i + 1])
                   if sn[k] not in skip)
        return out

    def tuple_lists(self) -> tuple[list, list]:
        """``(preds, succs)``: per action, its links as tuples ``(prerequisite, successor,
        start_to_start, lag)`` (the older shape, for callers that read it), each action's in
        the plan's order (as the two sides hold them)."""
        got = self._lists
        if got is None:
            po, pn, pss, plag = self.p_off, self.p_node, self.p_ss, self.p_lag
            so, sn, sss, slag = self.succ_side()
            preds = [[(pn[k], i, pss[k], plag[k]) for k in range(po[i], po[i + 1])]
                     for i in range(self.n)]
            succs = [[(i, sn[k], sss[k], slag[k]) for k in range(so[i], so[i + 1])]
                     for i in range(self.n)]
            got = self._lists = (preds, succs)
        return got


def _grouped(keys: list[int], n: int, node: list[int], ss: list[bool],
             lag: list[int]) -> tuple[list[int], list[int], list[bool], list[int]]:
    """Counting sort of the edges by ``keys`` (stable): ``(offsets, node, ss, lag)`` regrouped,
    the edges with key ``i`` being ``offsets[i]`` to ``offsets[i + 1] - 1``.

    Each edge is written straight to its place in the three lists, in one loop: the edges come
    in the plan's order, at random against the actions, and a big plan's lists outgrow the
    processor's caches, so every pass of random reads or writes costs (issue 13).
    """
    cnt = [0] * n
    for x in keys:
        cnt[x] += 1
    off = [0, *accumulate(cnt)]
    nxt = off[:-1]
    m = len(keys)
    g_node = [0] * m
    g_ss = [False] * m
    g_lag = [0] * m
    for x, p, q, lg in zip(keys, node, ss, lag):
        j = nxt[x]
        nxt[x] = j + 1
        g_node[j] = p
        g_ss[j] = q
        g_lag[j] = lg
    return off, g_node, g_ss, g_lag


def _side_without(side, gone: list[int], table: list[int]) -> list[list]:
    """One side of ``Links`` (``[offsets, node, ss, lag]``) without the groups ``gone`` and
    the entries naming them, the nodes renumbered through ``table`` (where ``gone`` map below
    zero)."""
    off, node, ss, lag = side
    node = _through(table, node)
    keep = list(map((-1).__lt__, node))  # a node kept, numbered from 0
    for g in gone:
        keep[off[g]:off[g + 1]] = repeat(False, off[g + 1] - off[g])
    before = [0, *accumulate(keep)]  # entries kept before each one
    return [_without(_through(before, off), gone), list(compress(node, keep)),
            list(compress(ss, keep)), list(compress(lag, keep))]


def _group_insert(side: list[list], moved: dict[int, int], key: int, values: tuple) -> None:
    """Put one edge last in group ``key`` of grouped lists ``[offsets, *columns]``; the offsets
    are moved later, all at once (``_move_offsets``), ``moved`` keeping count meanwhile."""
    at = side[0][key + 1] + sum(v for g, v in moved.items() if g <= key)
    for column, value in zip(side[1:], values):
        column.insert(at, value)
    moved[key] = moved.get(key, 0) + 1


def _group_remove(side: list[list], moved: dict[int, int], key: int, values: tuple) -> bool:
    """Take the first edge equal to ``values`` out of group ``key``; False if there is none."""
    off, columns = side[0], side[1:]
    first = off[key] + sum(v for g, v in moved.items() if g < key)
    for at in range(first, off[key + 1] + sum(v for g, v in moved.items() if g <= key)):
        if all(column[at] == value for column, value in zip(columns, values)):
            for column in columns:
                del column[at]
            moved[key] = moved.get(key, 0) - 1
            return True
    return False


def _move_offsets(off: list[int], moved: dict[int, int]) -> None:
    """Change ``off`` in place: each group's count changed by ``moved`` (group -> edges more
    or fewer), the offsets after it moved by the sum so far (only the stretches that move are
    rewritten)."""
    steps = sorted((g, v) for g, v in moved.items() if v)
    run = 0
    ends = [g for g, _v in steps[1:]]
    ends.append(len(off) - 1)
    for (g, v), end in zip(steps, ends):
        run += v
        if run:
            off[g + 1:end + 1] = [x + run for x in off[g + 1:end + 1]]


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


def _through(table: list[int], lst: list[int]) -> list[int]:
    """``[table[x] for x in lst]``, in one C-level pass (``itemgetter`` of every entry: less
    than half the listcomp's time on 60,000 positions; issue 13). ``itemgetter`` of one index
    gives the entry itself, of none is refused: short lists take the listcomp."""
    if len(lst) > 1:
        return list(itemgetter(*lst)(table))
    return [table[x] for x in lst]


def _without(lst: list, gone: list[int]) -> list:
    """A copy of ``lst`` without the entries at ``gone`` (ascending): slices joined, each
    entry copied once."""
    out = lst[:gone[0]]
    for a, b in zip(gone, gone[1:]):
        out += lst[a + 1:b]
    out += lst[gone[-1] + 1:]
    return out


def _renumbering(n: int, gone: list[int]) -> list[int]:
    """``table[i]``: position ``i`` of ``n`` once the positions ``gone`` (ascending) are taken
    out (the ``k``-th of those: -6 - k, read by nothing); ``table[-k]`` is ``-k`` for k = 1 to
    5, so a driver's reason (-1 to -5) reads through the same table."""
    nums = _numbers(n)  # slices of one list of the integers: none made per entry
    table: list[int] = []
    start = 0
    for k, g in enumerate(gone):
        table += nums[start - k:g - k]
        table.append(-6 - k)
        start = g + 1
    table += nums[start - len(gone):n - len(gone)]
    table.extend(range(-5, 0))
    return table


_NUMBERS: list[int] = []


def _numbers(n: int) -> list[int]:
    """A list of at least ``0`` to ``n - 1`` (kept and grown: its integers are made once)."""
    nums = _NUMBERS
    if len(nums) < n:
        nums.extend(range(len(nums), n))
    return nums


def _reorder(sweep: list[int], rank: list[int], p: int, s: int, succ_side, pred_side,
             tombs: set) -> bool:
    """Keep ``sweep`` topological after a new link makes ``s`` wait for ``p`` (placed after it):
    the actions between them that ``s`` leads to move after those that lead to ``p``, in the
    places they held (Pearce and Kelly's local reordering). False if ``s`` leads to ``p``: a loop.
    Tombstones (``tombs``) are passed over: their links are not the plan's (no pass reads the
    sweep's order of them).
    """
    lb, ub = rank[s], rank[p]
    so, sn = succ_side[0], succ_side[1]
    po, pn = pred_side[0], pred_side[1]
    ahead, seen, todo = [], {s}, [s]
    while todo:
        x = todo.pop()
        ahead.append(x)
        for y in sn[so[x]:so[x + 1]]:
            if y == p:
                return False
            if rank[y] <= ub and y not in seen and y not in tombs:
                seen.add(y)
                todo.append(y)
    behind, seen, todo = [], {p}, [p]
    while todo:
        x = todo.pop()
        behind.append(x)
        for y in pn[po[x]:po[x + 1]]:
            if rank[y] >= lb and y not in seen and y not in tombs:
                seen.add(y)
                todo.append(y)
    behind.sort(key=rank.__getitem__)
    ahead.sort(key=rank.__getitem__)
    moved = behind + ahead
    for x, r in zip(moved, sorted(map(rank.__getitem__, moved))):
        rank[x] = r
        sweep[r] = x
    return True


class KahnOrder:
    """``order`` and ``topo_pos`` of a compiled schedule, from its ``links`` when first read."""

    links: Links

    @property
    def order(self) -> list[int]:
        """Positions in the order of Kahn's sort (first in, first out, in the plan's order)."""
        return self.links.fifo()[0]

    @property
    def topo_pos(self) -> list[int]:
        """Each position's place in ``order``."""
        return self.links.fifo()[1]


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
        es = [0] * n
        ef = [0] * n
        driver = [0] * n
        wave = [0] * n
        mark = [0] * n  # 0 not seen, 1 waiting for a prerequisite, 2 dated (a list: its reads
        # and writes are specialised by the interpreter, a bytearray's are not)
        sweep: list[int] = []
        dated = sweep.append
        waiting: list[int] = []  # each one waits on the one above it: a loop if one comes back
        for i in range(n):
            if mark[i]:
                continue
            j = i
            while True:
                s, drv, w = lower[j], lower_why[j], 1
                for k in range(po[j], po[j + 1]):
                    p = pn[k]
                    if mark[p] != 2:
                        break  # a prerequisite later in the plan: date it first
                    c = es[p] + plag[k] if pss[k] else ef[p] + plag[k] + 1
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
                        es[j] = s
                        ef[j] = s + span[j]
                        driver[j] = drv
                    wave[j] = w
                    mark[j] = 2
                    dated(j)
                    if not waiting:
                        break
                    j = waiting.pop()
                    continue
                if mark[p] == 1:
                    self._raise_loop()
                mark[j] = 1
                waiting.append(j)
                mark[p] = 1
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
        links = self.links
        po, pn, pss, plag = links.p_off, links.p_node, links.p_ss, links.p_lag
        for s in reversed(self.sweep):
            st = state[s]
            if st == DONE:
                tail[s] = 0
                bound[s] = _INF
                continue
            b = bound[s]
            dl = deadline[s]
            if dl is not None:
                x = dl if dl > ef[s] else ef[s]
                if x < b:
                    b = bound[s] = x
            if st:
                continue  # started: nothing before it is held back by it
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
                    tail[p] = y
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


class _Layout:
    """The positions of a schedule with tombstones (``ScheduleCore._relink``): its ``ids`` (None
    at a tombstone), the tombstones ``gone`` (ascending) and the id map ``pos``; and, made
    when first asked for and kept while the layout lasts (until the next action added or
    deleted), the positions as compiling numbers them: ``table()`` (``_renumbering``), the
    ids and the id map without the tombstones, and each list a snapshot showed without them
    (``dense``)."""

    __slots__ = ("ids", "gone", "pos", "_table", "_ids", "_pos", "_made")

    def __init__(self, ids: list, gone: list[int], pos: dict):
        self.ids, self.gone, self.pos = ids, gone, pos
        self._table = self._ids = self._pos = None
        self._made: dict = {}

    def without_dead(self, links: "Links") -> "Links":
        """``links`` without the tombstones and their links, renumbered."""
        return links.without(self.gone, self.table())

    def table(self) -> list[int]:
        got = self._table
        if got is None:
            got = self._table = _renumbering(len(self.ids), self.gone)
        return got

    def dense_ids(self) -> list:
        got = self._ids
        if got is None:
            got = self._ids = _without(self.ids, self.gone)
        return got

    def dense_pos(self) -> "_DensePos":
        got = self._pos
        if got is None:
            got = self._pos = _DensePos(self.pos, self.table())
        return got

    def dense(self, name: str, lst: list, make) -> list:
        """``make(lst)``, kept for the same ``lst`` (a list a snapshot holds never changes: the
        next snapshot of an unchanged list shows the same one, as without tombstones)."""
        got = self._made.get(name)
        if got is None or got[0] is not lst:
            got = self._made[name] = (lst, make(lst))
        return got[1]


class _DensePos(Mapping):
    """Action id -> position as compiling numbers them, read through the engine's map and the
    layout's table (a map of its own would be made again after each action deleted: about
    4 ms of 20,000 ids, most of the delete; issue 13). Iterates in the plan's order, as the
    engine's map does."""

    __slots__ = ("_pos", "_table")

    def __init__(self, pos: dict, table: list[int]):
        self._pos, self._table = pos, table

    def __getitem__(self, aid) -> int:
        return self._table[self._pos[aid]]

    def get(self, aid, default=None):
        i = self._pos.get(aid)
        return default if i is None else self._table[i]

    def __contains__(self, aid) -> bool:
        return aid in self._pos

    def __iter__(self):
        return iter(self._pos)

    def __len__(self) -> int:
        return len(self._pos)


def _wave_list(state: list[int], links: "Links", sweep: list[int]) -> list[int]:
    """Wave of every position: 0 = done, 1 = no unfinished prerequisite, then +1 per step."""
    wave = [0] * len(state)
    po, pn = links.p_off, links.p_node
    for i in sweep:
        w = 0
        if state[i] != DONE:
            w = 1
            for p in pn[po[i]:po[i + 1]]:
                x = wave[p] + 1
                if x > w:
                    w = x
        wave[i] = w
    return wave


@dataclass
class ScheduleData(KahnOrder):
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
    sweep: list[int]
    notes: list[Note]
    wave_box: list
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
            self.wave_box[0] = cached = _wave_list(self.state, self.links, self.sweep)
        return cached

    def critical(self, i: int) -> bool:
        """True if position ``i`` is unfinished and has zero float."""
        return i in self.critical_set

    def engine_view(self) -> "ScheduleData":
        """The same schedule in the engine's own numbering of the actions, for readers that go
        from ids to results and back (rows, the critical path, milestone forecasts): this one,
        or after actions deleted, one where their positions are still there as tombstones
        (None in ``ids``, done, in no other list's reach; see ``ScheduleCore._relink``).
        Positions keep the plan's order either way."""
        return self

    def engine_topo(self) -> list[int]:
        """Each position of ``engine_view()``'s place in ``order`` (``topo_pos`` in its
        numbering)."""
        return self.topo_pos


class _Dense(ScheduleData):
    """A snapshot of a schedule with tombstones, showing the positions as compiling the plan
    numbers them: each list is made when first read (the readers of most edits go through
    ``engine_view`` and make none), from the engine's lists as they were (``_engine``: a
    snapshot in the engine's numbering) and the ``_layout`` (which keeps what it made for the
    next snapshot). Made by ``ScheduleCore.snapshot`` only."""

    def engine_view(self) -> ScheduleData:
        return self.__dict__["_engine"]

    def engine_topo(self) -> list[int]:
        tp = self.topo_pos
        return [tp[i] if i >= 0 else -1 for i in self.__dict__["_layout"].table()[:-5]]

    def __getattr__(self, name: str):
        got = self.__dict__
        if "_layout" not in got or name not in _DENSE_FIELDS:
            raise AttributeError(name)
        layout: _Layout = got["_layout"]
        gone = layout.gone
        engine: ScheduleData = got["_engine"]
        links, sweep, box, critical = (engine.links, engine.sweep, engine.wave_box,
                                       engine.critical_set)
        if name == "ids":
            value = layout.dense_ids()
        elif name == "pos":
            value = layout.dense_pos()
        elif name == "critical_set":
            value = frozenset(map(layout.table().__getitem__, critical))
        elif name == "driver":
            value = layout.dense(name, engine.driver, lambda lst: _through(
                layout.table(), _without(lst, gone)))  # a prerequisite (< 0: a reason)
        elif name == "links":
            value = layout.dense(name, links, layout.without_dead)
        elif name == "sweep":
            value = layout.dense(name, sweep, lambda lst: list(filter(
                (-1).__lt__, _through(layout.table(), lst))))  # tombstones number below -5
        elif name == "wave_box":
            wave = box[0]
            if wave is None:  # worked out on the engine's positions, for the engine to keep
                wave = box[0] = _wave_list(engine.state, links, sweep)
            value = [layout.dense(name, wave, lambda lst: _without(lst, gone))]
        else:
            value = layout.dense(name, getattr(engine, name), lambda lst: _without(lst, gone))
        got[name] = value
        return value


_DENSE_FIELDS = frozenset(("ids", "pos", "critical_set", "links", "sweep", "wave_box",
                           *_SNAPSHOT_HOLDS))
