"""Links grouped by action as flat lists of whole numbers: the counting sort that the scheduler
(``graph.compiled_links``) and the longest-chain check (``limits.chain_of``) both run over a
plan's links, each link given by its two actions' positions."""

from __future__ import annotations

from array import array
from itertools import accumulate

SCATTER_ARRAY_FROM = 16_384
"""From this many actions, ``grouped`` keeps its next places in an array, not a list."""

UNWALKED_FROM = 8_192
"""From this many entries, ``leave_unwalked`` takes a list out of the cycle collector's walks."""

_untrack = None  # CPython's PyObject_GC_UnTrack, loaded on first use (False: not available)


def leave_unwalked(*lists) -> None:
    """Tell Python's cycle collector not to walk these lists (those of ``UNWALKED_FROM``
    entries or more; shorter ones cost it little): they stay freed by reference counting, as
    every list is, the moment nothing refers to them.

    Only for lists of whole numbers, booleans, None and strings, and only if nothing but those
    is ever put in them: such a list can be in no reference cycle (a cycle through it would
    need one of its entries to refer back to it), so the collector has nothing to find there;
    CPython leaves tuples and dicts of such values out of its walks in the same way. A
    schedule of a big plan keeps some thirty such entries an action, and the collector walked
    every one of them twice after each full schedule (its young pass, then its middle one), at
    100,000 actions about 60 ms of the schedule's 1.2 s, more than the growth in its cost
    allowed (issue 13). Where ``ctypes`` cannot reach CPython's own function, nothing is done:
    the lists are then walked, as any list is.
    """
    global _untrack
    big = [x for x in lists if x is not None and len(x) >= UNWALKED_FROM]
    if not big:
        return
    if _untrack is None:
        try:
            import ctypes
            _untrack = ctypes.pythonapi.PyObject_GC_UnTrack
            _untrack.argtypes = [ctypes.py_object]
            _untrack.restype = None
        except (ImportError, AttributeError, OSError):  # not CPython
            _untrack = False
    if _untrack:
        for x in big:
            _untrack(x)


def grouped(keys: list[int], n: int, first: list, second: list,
            third: list | None = None) -> tuple[list[int], list, list, list | None]:
    """Counting sort of the links by ``keys`` (stable): ``(offsets, first, second, third)``
    regrouped, the links with key ``i`` (a position below ``n``) being ``offsets[i]`` to
    ``offsets[i + 1] - 1``, in the order given. ``third`` may be left out (None comes back).

    Each link is written straight to its place in the lists, in one loop: the links come in the
    plan's order, at random against the actions, and a big plan's lists outgrow the processor's
    caches, so every pass of random reads or writes costs (issue 13).
    """
    cnt = [0] * n
    for x in keys:
        cnt[x] += 1
    off = [0, *accumulate(cnt)]
    # Where each group's next link goes. In a big plan the next places are read and moved at
    # random: held as machine integers in an array they are read where they lie, where a
    # list's entries are integer objects scattered through memory, each read and freed in
    # turn (at 100,000 actions a fifth of the grouping's time; issue 13). In a small plan all
    # of it stays in the caches, and a list's reads are quicker (the interpreter specialises
    # them).
    nxt = array("q", off) if n >= SCATTER_ARRAY_FROM else off[:-1]
    m = len(keys)
    g_first = [0] * m
    g_second = [0] * m
    if third is None:
        for x, p, q in zip(keys, first, second):
            j = nxt[x]
            nxt[x] = j + 1
            g_first[j] = p
            g_second[j] = q
        return off, g_first, g_second, None
    g_third = [0] * m
    for x, p, q, r in zip(keys, first, second, third):
        j = nxt[x]
        nxt[x] = j + 1
        g_first[j] = p
        g_second[j] = q
        g_third[j] = r
    return off, g_first, g_second, g_third
