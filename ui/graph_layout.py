"""The Graph view's layout: boxes in columns by wave or phase, ordered to keep links short."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPointF, QRectF

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


def milestone_anchors(plan: Plan, facts: dict, nodes: dict) -> dict[str, str]:
    """Milestone id -> id of the shown box it sits beside: its action, else the last-finishing
    action of its initiative; cancelled milestones and those with neither are left out."""
    last_of_initiative: dict[str, tuple] = {}
    if any(m.action is None and m.initiative for m in plan.milestones.values()):
        for aid, r in facts.items():
            ini = plan.actions[aid].initiative if aid in plan.actions else None
            if ini is not None:
                best = last_of_initiative.get(ini)
                if best is None or r.finish > best[0]:
                    last_of_initiative[ini] = (r.finish, aid)
    wanted: dict[str, str] = {}
    for mid, m in plan.milestones.items():
        if m.status == MilestoneStatus.CANCELLED:
            continue
        anchor = m.action if m.action in nodes else None
        if anchor is None and m.initiative in last_of_initiative:
            anchor = last_of_initiative[m.initiative][1]
        if anchor is not None:
            wanted[mid] = anchor
    return wanted


def milestone_tip(mid: str, m: Milestone, forecast: date | None, slip: int) -> str:
    """A milestone diamond's tooltip: title, forecast, baseline and slip."""
    tip = (f"Milestone {mid}: {m.title}\nForecast: {forecast:%d %b %Y}" if forecast
           else f"Milestone {mid}: {m.title}")
    if m.baseline:
        tip += f"\nBaseline: {m.baseline:%d %b %Y}"
    if slip:
        tip += f"\n{'Late' if slip > 0 else 'Early'} by {abs(slip)} working days"
    return tip
