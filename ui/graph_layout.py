"""The Graph view's layout: boxes in columns by wave or phase, ordered to keep links short."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPointF, QRectF

from graph.snapshot import ScheduleData
from planner import rules
from planner.dates import short_date
from planner.model import Milestone, MilestoneStatus, Plan

from ui.graph_items import COL_GAP, HEADER_Y, NODE_H, NODE_W, ROW_GAP, Link
from ui.view_common import id_key

NO_PHASE = 10**6
"""Column key of actions with no phase (sorts after every phase)."""


def column_grid(columns: dict[str, object], edges: dict[str, Link], plan: Plan, waves: dict[str, int],
                by_phase: bool) -> tuple[list, dict[object, list[str]], dict[str, tuple[int, int]]]:
    """The column keys in order, each column's actions in order, and each action's (column, row).

    Within a column, boxes sit near the average row of their prerequisites (a barycentre pass
    from left to right), then by first challenge and id.
    """
    by_col: dict[object, list[str]] = {}
    for aid, key in columns.items():
        by_col.setdefault(key, []).append(aid)
    preds: dict[str, list[str]] = {}
    for ln in edges.values():
        preds.setdefault(ln.action, []).append(ln.needs)
    row_of: dict[str, float] = {}
    grid: dict[str, tuple[int, int]] = {}
    keys = sorted(by_col, key=lambda k: (k is None, k))
    for ci, key in enumerate(keys):
        members = by_col[key]

        def order(aid: str) -> tuple:
            ps = [row_of[p] for p in preds.get(aid, ()) if p in row_of]
            bary = sum(ps) / len(ps) if ps else float("inf")
            a = plan.actions[aid]
            # by phase, a column holds several waves: keep each wave's boxes together
            wave = waves.get(aid, 0) if by_phase else 0
            return (wave, bary, a.challenges[0] if a.challenges else 99, id_key(aid))

        members.sort(key=order)
        for ri, aid in enumerate(members):
            row_of[aid] = ri
            grid[aid] = (ci, ri)
    return keys, by_col, grid


def cell_position(column: int, row: int) -> QPointF:
    """Scene position of the top left of the box in a column and row."""
    return QPointF(column * (NODE_W + COL_GAP), row * (NODE_H + ROW_GAP))


def column_heading(key: object, count: int, by_wave: bool) -> str:
    """A column's heading: its wave or phase and how many boxes it holds."""
    if by_wave:
        text = "Done" if key == 0 else f"Wave {key}"
    else:
        text = "No phase" if key == NO_PHASE else f"Phase {key}"
    return text + f"  ({count})"


def scene_rect(columns: int, tallest: int) -> QRectF:
    """The scene's extent for ``columns`` columns, the tallest holding ``tallest`` boxes."""
    width = columns * (NODE_W + COL_GAP)
    height = tallest * (NODE_H + ROW_GAP)
    return QRectF(-60, HEADER_Y - 60, width + 120, height - HEADER_Y + 140)


class MilestoneAnchors:
    """Which shown box each milestone diamond sits beside: its action's, else the last-finishing
    scheduled action of its initiative (the first in the schedule's order of those finishing
    last); cancelled milestones, those with neither and those whose box is hidden have none.

    ``anchor_all`` works it out from every action; ``finishes_moved`` after edits that kept the
    schedule's actions and the actions' initiatives, looking again only at the initiatives of
    the actions whose finish moved (on 20,000 actions a pass over all of them costs ~30 ms).
    """

    def __init__(self) -> None:
        self.members: dict[str, list[int]] = {}  # initiative -> positions of its actions, in order
        self.last: dict[str, tuple[int, str]] = {}  # initiative -> (latest finish, its action)
        self.wanted: dict[str, str] = {}          # milestone id -> id of the box it sits beside
        self.falling_back: dict[str, list[str]] = {}  # initiative -> milestones on its last box

    def anchor_all(self, plan: Plan, d: ScheduleData, nodes: dict) -> dict[str, str]:
        members: dict[str, list[int]] = {}
        last: dict[str, tuple[int, str]] = {}
        if any(m.action is None and m.initiative for m in plan.milestones.values()):
            actions, ef = plan.actions, d.ef
            for i, aid in enumerate(d.ids):
                a = actions.get(aid)
                ini = a.initiative if a is not None else None
                if ini is not None:
                    members.setdefault(ini, []).append(i)
                    best = last.get(ini)
                    if best is None or ef[i] > best[0]:  # a later working day is a later date
                        last[ini] = (ef[i], aid)
        self.members, self.last = members, last
        return self._want(plan, nodes)

    def finishes_moved(self, plan: Plan, d: ScheduleData, nodes: dict, positions) -> bool:
        """Take in new finishes of the actions at ``positions`` (the same actions, at the same
        positions, with the same initiatives, the same milestones as at the last
        ``anchor_all``); True when a milestone now sits beside another box (``wanted``)."""
        actions, ids, ef, last = plan.actions, d.ids, d.ef, self.last
        inis = {a.initiative for a in map(actions.get, map(ids.__getitem__, positions))
                if a is not None and a.initiative in last}
        if not inis:
            return False
        for ini in inis:
            best = None
            for i in self.members[ini]:
                if best is None or ef[i] > best[0]:
                    best = (ef[i], ids[i])
            last[ini] = best
        wanted, moved = self.wanted, False
        for mid in (mid for ini in inis for mid in self.falling_back.get(ini, ())):
            anchor = last[plan.milestones[mid].initiative][1]
            if wanted.get(mid) != anchor:
                if mid not in wanted or anchor not in nodes:  # one more or one less: in order
                    self._want(plan, nodes)
                    return True
                wanted[mid] = anchor
                moved = True
        return moved

    def _want(self, plan: Plan, nodes: dict) -> dict[str, str]:
        last = self.last
        wanted: dict[str, str] = {}
        falling_back: dict[str, list[str]] = {}
        for mid, m in plan.milestones.items():
            if m.status == MilestoneStatus.CANCELLED:
                continue
            anchor = m.action if m.action in nodes else None
            if anchor is None and m.initiative in last:
                anchor = last[m.initiative][1]
                falling_back.setdefault(m.initiative, []).append(mid)
            if anchor in nodes:  # not beside a done box that Show done hides
                wanted[mid] = anchor
        self.wanted, self.falling_back = wanted, falling_back
        return wanted


def milestone_tip(mid: str, m: Milestone, forecast: date | None, slip: int) -> str:
    """A milestone diamond's tooltip: title, forecast, baseline and slip."""
    tip = (f"Milestone {mid}: {m.title}\nForecast: {short_date(forecast)}" if forecast
           else f"Milestone {mid}: {m.title}")
    if m.baseline:
        tip += f"\nBaseline: {short_date(m.baseline)}"
    if slip:  # in the Milestones view's Slip words: "1 working day late"
        tip += f"\nSlip: {rules.slip_text(slip)}"
    return tip
