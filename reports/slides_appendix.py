"""The deck's appendix: actions by owner, live actions, RAG definitions and data notes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from planner import rules
from planner.model import ActionStatus
from reports.deck_facts import DeckFacts
from reports.facts import RAG_DEFINITIONS, fmt_date, person_name
from reports.template import TemplateInfo
from reports.slide_tables import Cell, Col, rag_cell
from reports.slide_text import INK
from reports.writer import DeckWriter


MAX_LIVE_ACTIONS = 120
"""Most rows in the live-actions appendix (about six slides)."""


def actions_by_owner_slides(w: DeckWriter, f: DeckFacts) -> None:
    """Counts of actions per owner, then the live actions by owner."""
    plan, sched = f.plan, f.sched
    horizon = f.changes.next_until
    per: dict[str, dict[str, int]] = {}
    detail = []
    for a in plan.actions.values():
        if a.status == ActionStatus.CANCELLED:
            continue
        key = a.owner or ""
        c = per.setdefault(key, {"open": 0, "progress": 0, "late": 0, "due": 0, "done": 0})
        if a.status == ActionStatus.DONE:
            c["done"] += 1
            continue
        c["open"] += 1
        if a.status == ActionStatus.IN_PROGRESS:
            c["progress"] += 1
        dates = sched.actions.get(a.id)
        finish = dates[1] if dates else None
        late = rules.misses_deadline(a, finish)
        due = bool(finish and f.as_of <= finish <= horizon)
        c["late"] += late
        c["due"] += due
        if late or due or a.status == ActionStatus.IN_PROGRESS:
            detail.append((person_name(plan, a.owner), finish or date.max, a, late))
    owners = sorted(per, key=lambda k: (person_name(plan, k) if k else "~", k))
    rows = [[person_name(plan, k), str(per[k]["open"]), str(per[k]["progress"]),
             str(per[k]["due"]), Cell(str(per[k]["late"]), *(("FFB81C", INK) if per[k]["late"] else (None, None))),
             str(per[k]["done"])] for k in owners]
    w.table_slides("Appendix: actions by owner",
                   [Col("Owner", 2.2), Col("Open", 0.7, "right"), Col("In progress", 0.8, "right"),
                    Col(f"Finishing by {fmt_date(horizon)}", 1.1, "right"),
                    Col("Past deadline", 0.8, "right"), Col("Done", 0.7, "right")],
                   rows, empty="No actions are recorded in the plan.",
                   notes="Counts of actions per owner. Past deadline: forecast to finish after "
                         "the action's deadline.")
    total_live = len(detail)
    if total_live > MAX_LIVE_ACTIONS:  # keep the appendix readable: the most pressing first
        detail.sort(key=lambda t: (not t[3], t[1], t[2].id))
        detail = detail[:MAX_LIVE_ACTIONS]
    detail.sort(key=lambda t: (t[0], t[1], t[2].id))
    w.table_slides("Appendix: live actions by owner",
                   [Col("Owner", 1.3), Col("ID", 0.5), Col("Action", 3.2), Col("Challenges", 0.8),
                    Col("Forecast finish", 0.9), Col("Status", 0.9)],
                   [[owner, a.id, a.title, ", ".join(f"C{n}" for n in a.challenges),
                     fmt_date(fin if fin != date.max else None),
                     Cell("Past deadline", "FFB81C", INK, True) if late else f"{a.status}"
                     + (f" ({a.percent}%)" if a.status == ActionStatus.IN_PROGRESS and a.percent else "")]
                    for owner, fin, a, late in detail],
                   size=w.table_pt - 1,
                   intro=f"Actions in progress, finishing by {fmt_date(horizon)}, or past their "
                         "deadline."
                         + (f" The {MAX_LIVE_ACTIONS} most pressing of {total_live} are listed "
                            "(past deadline first, then soonest to finish); the plan holds the "
                            "rest." if total_live > MAX_LIVE_ACTIONS else ""),
                   empty="No live actions this period.",
                   notes=f"{len(detail)} live actions: in progress, finishing by "
                         f"{fmt_date(horizon)}, or forecast past their deadline "
                         f"({sum(1 for *_, late in detail if late)} of them).")


def rag_definitions_slide(w: DeckWriter) -> None:
    """What each RAG rating means."""
    w.table_slides("Appendix: RAG definitions",
                   [Col("Rating", 0.8, "center"), Col("Meaning", 6.0, max_lines=6)],
                   [[rag_cell(c), text] for c, text in RAG_DEFINITIONS],
                   size=w.table_pt + 1,
                   intro="Each challenge is rated from its milestones, its actions' deadlines, "
                         "the outcome measures filed under it and its extreme risks: the worst "
                         "fact decides, and the reason names it. Last period's rating is worked "
                         "out the same way from the last report's snapshot.",
                   notes="How the RAG ratings are decided.")


def data_notes_slide(w: DeckWriter, f: DeckFacts, info: TemplateInfo, compared: str) -> None:
    """Where the figures come from and how they were worked out."""
    plan = f.plan
    few = [m.name for m in plan.measures.values()
           if 0 < len(plan.readings_of(m.id)) < 12]
    none = [m.name for m in plan.measures.values() if not plan.readings_of(m.id)]
    items = [
        f"Status date {fmt_date(f.as_of)}; compared with {compared}.",
        (f"Dates and slips come from the plan's schedule ({f.sched.source}); slips are counted "
         "in working days against each milestone's baseline.") if not f.sched.problem
        else f.sched.problem,
        "Outcome measures are drawn as XmR (SPC) charts: the centre line is the mean; process "
        "limits are the mean ± 2.66 × the mean moving range. Special cause: a point beyond a "
        "limit; 7 points in a row on one side of the mean; 7 points in a row rising or falling; "
        "2 of 3 points beyond two-thirds of the way to a limit on the same side.",
        f"The plan holds {len(plan.actions):,} actions, {len(plan.milestones):,} milestones, "
        f"{len(plan.measures):,} outcome measures with {len(plan.readings):,} readings and "
        f"{len(plan.risks):,} risks.",
    ]
    sources = [f"{m.name}: {m.source}" for m in plan.measures.values() if m.source]
    if sources:
        shown = sources if len(sources) <= 16 else sources[:15]  # never "and 1 more"
        items.append("Measure sources: " + "; ".join(shown)
                     + (f"; and {len(sources) - 15} more." if len(shown) < len(sources) else "."))
    if few:
        items.append("Fewer than 12 readings (limits provisional): " + ", ".join(few) + ".")
    if none:
        items.append("No readings yet: " + ", ".join(none) + ".")
    if f.drafted:
        items.append("Parts of the executive summary were drafted from the data, not written "
                     "by the lead.")
    items.append(f"Slide template: {Path(info.path).name} ({info.aspect}).")
    w.bullets("Appendix: data notes", items, size=14,
              notes="Where the figures come from and how they were worked out.")
