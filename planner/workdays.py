"""The working-day calendar: dates <-> whole working-day numbers (Monday to Friday less holidays).

The one place where working days are counted: the engine schedules with it, the deck counts slips
with it and the window draws with it (issue 8: working days were once counted three ways, one of
which ignored holidays).

The engine schedules on integers. ``WorkCalendar.index(d)`` numbers working days from a fixed
Monday; a weekend day or holiday gets the number of the next working day, which is exactly the
"moved to the next working day" rule for start dates. ``WorkCalendar.date(i)`` goes back.
Holidays are kept as a sorted list and looked up with ``bisect``, so both directions cost a few
integer operations; recently used dates are cached for speed.
"""

from __future__ import annotations

import functools
from bisect import bisect_left, bisect_right
from datetime import date, timedelta
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from planner.model import Plan

_ORIGIN = date(2000, 1, 3)  # a Monday; working day number 0 (any Monday would do)
_ORIGIN_ORD = _ORIGIN.toordinal()
_ONE_DAY = timedelta(days=1)
_BLOCK = 64  # working days whose dates are worked out together (WorkCalendar.date)


def _raw(d: date) -> int:
    """Weekday number ignoring holidays; a weekend day gets the following Monday's number."""
    n = d.toordinal() - _ORIGIN_ORD
    week, day = divmod(n, 7)
    return week * 5 + (day if day < 5 else 5)


class WorkCalendar:
    """Numbers working days; a weekend day or holiday maps to the next working day's number."""

    def __init__(self, holidays: Iterable[date] = ()):
        self._holiday_set = {h for h in holidays if h.weekday() < 5}
        raws = sorted({_raw(h) for h in self._holiday_set})
        self._holidays = raws
        self._date_cache, self._index_cache = _worked_out(tuple(raws))
        # known_date(i): the date of working day i if it was looked up before, else None; a
        # fast path (no Python call) for code turning many numbers into dates, then ``date``.
        self.known_date = self._date_cache.get

    def is_working(self, d: date) -> bool:
        """True for a Monday-to-Friday date that is not a holiday."""
        return d.weekday() < 5 and d not in self._holiday_set

    def index(self, d: date) -> int:
        """Working-day number of ``d``, or of the next working day if ``d`` is not one."""
        i = self._index_cache.get(d)
        if i is None:
            r = _raw(d)
            i = r - bisect_left(self._holidays, r)
            if len(self._index_cache) > 200_000:
                self._index_cache.clear()
            self._index_cache[d] = i
        return i

    def index_on_or_before(self, d: date) -> int:
        """Working-day number of ``d``, or of the previous working day if ``d`` is not one."""
        i = self.index(d)
        return i if self.is_working(d) else i - 1

    def date(self, i: int) -> date:
        """The date of working day number ``i``."""
        d = self._date_cache.get(i)
        if d is None:
            d = self._dates_around(i)
        return d

    def _date_of(self, i: int) -> date:
        """The date of working day number ``i``, worked out (the formula ``date`` caches)."""
        hol = self._holidays
        r = i
        while True:  # least r with r - (holidays <= r) == i; it is never a holiday
            nr = i + bisect_right(hol, r)
            if nr == r:
                break
            r = nr
        week, day = divmod(r, 5)
        return _ORIGIN + timedelta(days=week * 7 + day)

    def _dates_around(self, i: int) -> date:
        """Cache the dates of the ``_BLOCK`` working days from a multiple of ``_BLOCK`` that
        hold ``i`` (and their numbers, for ``index``), and return ``i``'s: a schedule asks for
        hundreds of nearby days, and stepping from one working day to the next costs a fifth of
        working each out (issue 13)."""
        cache, index = self._date_cache, self._index_cache
        if len(cache) > 200_000:
            cache.clear()
        if len(index) > 200_000:
            index.clear()
        lo = i - i % _BLOCK
        hol = self._holiday_set
        try:
            d = self._date_of(lo)
            for k in range(lo, lo + _BLOCK - 1):
                cache[k] = d
                index[d] = k
                d += _ONE_DAY
                while d.weekday() > 4 or d in hol:
                    d += _ONE_DAY
            cache[lo + _BLOCK - 1] = d
            index[d] = lo + _BLOCK - 1
        except OverflowError:  # the block runs past the first or last date Python knows
            cache[i] = self._date_of(i)
        return cache[i]

    def next_working(self, d: date) -> date:
        """``d`` itself if it is a working day, else the next working day."""
        return self.date(self.index(d))

    def add(self, d: date, n: int) -> date:
        """The working day ``n`` working days after ``d`` (``d`` moved forward first if needed)."""
        return self.date(self.index(d) + n)

    def between(self, a: date, b: date) -> int:
        """Working days from ``a`` to ``b`` (negative if ``b`` is earlier); both moved forward first."""
        return self.index(b) - self.index(a)


@functools.lru_cache(maxsize=4)  # the sets of holidays used last
def _worked_out(raws: tuple[int, ...]) -> tuple[dict[int, date], dict[date, int]]:
    """The dates and numbers already worked out for these holidays (weekday holidays' numbers
    ignoring holidays, sorted: all that the numbering depends on), shared by every calendar of
    the same holidays in this process.

    Each schedule makes its own calendar (whose identity tells the views and the memos that
    the same number may be another date now), and each worked out again the few thousand dates
    of a plan's span: about a twentieth of a full schedule of 2,000 actions, paid again by
    every what-if, preview, baseline schedule and challenge rating (issue 13). The dates of a
    set of holidays never change, so what one calendar worked out serves the next."""
    return {}, {}


def plan_calendar(plan: "Plan") -> WorkCalendar:
    """The working-day calendar of a plan (its holidays)."""
    return WorkCalendar(plan.settings.holidays)


def week_of(d: date) -> date:
    """The Monday of the calendar week (Monday to Sunday) holding ``d``."""
    return d - timedelta(days=d.weekday())
