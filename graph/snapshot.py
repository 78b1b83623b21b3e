"""The snapshot of one schedule run (``ScheduleData``): integer results a reader turns into dates,
rows and warnings, with the state codes and compile notes it holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from planner.workdays import WorkCalendar

from .compiled_links import KahnOrder, Links

NOT_STARTED, IN_PROGRESS, DONE = 0, 1, 2  # the codes of ``state``

_SNAPSHOT_HOLDS = ("es", "ef", "tail", "bound", "driver", "span", "lower_why", "state",
                   "deadline", "phase")
"""The lists of ``schedule_edits._PER_ACTION`` a snapshot holds (``lower``, ``fixed_start`` and
``fixed_finish`` only the engine reads: an edit changes them in place, uncopied)."""


@dataclass
class Note:
    """A problem noticed while compiling the plan (kind, message, ids)."""

    kind: str
    message: str
    ids: tuple = ()


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
