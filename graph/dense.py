"""The dense view of a schedule with tombstones (deleted actions' positions kept until compacted):
a snapshot showing the positions as compiling the plan numbers them (``_Dense``), each list made
when first read, through the layout that keeps what it made (``_Layout``, ``_DensePos``)."""

from __future__ import annotations

from collections.abc import Mapping

from .compiled_links import Links, _renumbering, _through, _without
from .snapshot import _SNAPSHOT_HOLDS, ScheduleData, _wave_list


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


class _Dense(ScheduleData):
    """A snapshot of a schedule with tombstones, showing the positions as compiling the plan
    numbers them: each list is made when first read (the readers of most edits go through
    ``engine_view`` and make none), from the engine's lists as they were (``_engine``: a
    snapshot in the engine's numbering) and the ``_layout`` (which keeps what it made for the
    next snapshot). Made by ``ScheduleCore.snapshot`` only."""

    def engine_view(self) -> ScheduleData:
        return self.__dict__["_engine"]

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
