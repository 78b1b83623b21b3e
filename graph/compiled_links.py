"""The compiled links of a schedule: the plan's links between scheduled actions as flat integer lists
grouped both ways (``Links``), the edits made to them in place of a recompile (links added or
removed, positions taken out), Kahn's order of them (``KahnOrder``) and the local reordering of a
sweep after a new link (``_reorder``)."""

from __future__ import annotations

from itertools import accumulate, compress, repeat
from operator import itemgetter, sub

from planner.flat import grouped

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
        self.p_off, self.p_node, self.p_ss, self.p_lag = grouped(succ, n, pred, ss, lag)
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
            got = self._succ = grouped(self.e_pred, self.n, self.e_succ, self.e_ss, self.e_lag)
        return got

    def flat_lists(self) -> list:
        """Every flat list held, of either side (the successor side once built); None for the
        per-link lists an edited copy no longer keeps."""
        return [self.e_pred, self.e_succ, self.e_ss, self.e_lag, *self.pred_side(),
                *(self._succ or ())]

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

    def fifo_among(self, nodes) -> dict[int, int]:
        """For each of ``nodes``, a number that orders them as ``fifo()`` does (their places
        in it, if it is worked out already).

        Otherwise Kahn's sort is run over ``nodes`` and everything before them only: over a set
        that holds every prerequisite of each of its actions, first-in first-out from the ones
        that wait on nothing in the plan's order, it puts those actions in the order the sort
        of the whole graph does (an action outside the set never releases one inside it, and
        one inside is released by the same action in both). A tie between a few critical
        chains needs only their ends' order: sorting every action for it was a seventh of a
        1,000-action schedule's cost (issue 13), where the ends of such a plan's critical
        chains have a fifth of its actions before them.
        """
        got = self._fifo
        if got is not None:
            rank = got[1]
            return {i: rank[i] for i in nodes}
        po, pn = self.p_off, self.p_node
        inside = bytearray(self.n)
        among = list(set(nodes))
        for i in among:
            inside[i] = 1
        for i in among:  # the list grows while it is read: every action before them
            for p in pn[po[i]:po[i + 1]]:
                if not inside[p]:
                    inside[p] = 1
                    among.append(p)
        if self._succ is None:  # the links in the plan's order, those into the set
            after: dict[int, list[int]] = {i: [] for i in among}
            succ = self.e_succ  # each link's mark read in one C loop (an itemgetter of them)
            into = itemgetter(*succ)(inside) if len(succ) > 1 else [inside[s] for s in succ]
            for p, s in zip(compress(self.e_pred, into), compress(succ, into)):
                after[p].append(s)
        else:
            so, sn = self._succ[0], self._succ[1]
            after = {p: [s for s in sn[so[p]:so[p + 1]] if inside[s]] for p in among}
        waiting = {i: po[i + 1] - po[i] for i in among}
        order = sorted(i for i in among if not waiting[i])
        append = order.append
        for i in order:  # the list grows while it is read
            for s in after[i]:
                w = waiting[s] - 1
                waiting[s] = w
                if not w:
                    append(s)
        place = {i: k for k, i in enumerate(order)}
        return {i: place[i] for i in nodes}

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
