"""The facts a board deck states, worked out from the plan (and the last report) before any slide."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reports import facts
from reports.facts import ChallengeRow, MilestoneChanges, Summary
from planner.model import Plan

@dataclass
class DeckFacts:
    """Everything the slides say, worked out before any slide is made."""

    plan: Plan
    as_of: date
    sched: facts.Schedule
    previous: Plan | None
    prev_as_of: date | None
    prev_sched: facts.Schedule | None
    rows: list[ChallengeRow]
    changes: MilestoneChanges
    draft: Summary
    summary: Summary
    drafted: list[str]


def gather(plan: Plan, as_of: date, previous: Plan | None, prev_as_of: date | None,
           summary: Summary | None = None) -> DeckFacts:
    """Work out the facts for a deck (schedules, RAG, milestone changes, summary draft)."""
    sched = facts.schedule(plan, as_of)
    prev_sched = facts.schedule(previous, prev_as_of or as_of) if previous is not None else None
    rows = facts.challenge_rows(plan, sched, previous, prev_sched)
    changes = facts.milestone_changes(plan, sched, previous, prev_sched, prev_as_of)
    draft = facts.draft_summary(plan, sched, rows, changes, prev_as_of)
    if summary is not None:
        used, drafted = summary, []
    else:
        used, drafted = facts.summary_from_settings(plan, draft)
    return DeckFacts(plan, as_of, sched, previous, prev_as_of, prev_sched, rows, changes, draft,
                     used, drafted)
