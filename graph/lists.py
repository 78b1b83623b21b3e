"""Where two lists of a schedule differ, found with slice compares in C (issue 13: the memos
compare a schedule's lists of 20,000 entries after each edit)."""

from __future__ import annotations

_CHUNK = 256


def _first_difference(old: list, new: list, n: int) -> int:
    """The first index below ``n`` where ``old`` and ``new`` differ (``n`` if none): whole runs
    of items compared at once (a slice compare runs in C; a compare of each item in Python, or
    ``map(ne, ...)``, costs about fifty times more on 20,000 items)."""
    at = 0
    while at < n:
        end = min(at + _CHUNK, n)
        if old[at:end] != new[at:end]:
            for i in range(at, end):
                if old[i] != new[i]:
                    return i
        at = end
    return n


def common_ends(old: list, new: list) -> tuple[int, int]:
    """``(p, s)``: ``old`` and ``new`` hold the same first ``p`` items and, after those, the same
    last ``s``."""
    n = min(len(old), len(new))
    if len(old) == len(new) and old == new:
        return n, 0
    p = _first_difference(old, new, n)
    s = _first_difference(old[::-1], new[::-1], n - p)
    return p, s


def differing(old: list, new: list, p: int, s: int) -> list[int]:
    """Indices into ``new`` of the items of its first ``p`` and last ``s`` that differ from
    ``old``'s at the same place (counted from its start, and from its end): halves of a run
    compared at once until the run is short, so a few differences cost a few passes in C."""
    out: list[int] = []
    shift = len(old) - len(new)
    runs = [(0, p, 0), (len(new) - s, len(new), shift)] if s else [(0, p, 0)]
    while runs:
        lo, hi, k = runs.pop()
        if old[lo + k:hi + k] == new[lo:hi]:
            continue
        if hi - lo <= 32:
            out.extend(i for i in range(lo, hi) if old[i + k] != new[i])
        else:
            mid = (lo + hi) // 2
            runs.append((mid, hi, k))
            runs.append((lo, mid, k))
    return out
