"""Slides that carry the voice of people with lived experience: the co-production and recovery
check roll-up per challenge, and "you said, we did" from the lived-experience input kept in the
plan (the ``board_you_said`` setting: one line per item, "what people said => what was done")."""

from __future__ import annotations

from reports.deck_facts import DeckFacts
from planner import rules
from reports.slide_tables import Cell, Col
from reports.writer import DeckWriter

SAID_DID = "=>"
"""Separates what people said from what was done, on each line of ``board_you_said``."""


def _checks(actions, name: str) -> str:
    values = [getattr(a, f"check_{name}") for a in actions]
    up, down = values.count(1), values.count(-1)
    if not up and not down:
        return "—"
    return f"+{up}" + (f" / −{down}" if down else "")


def rollup_slide(w: DeckWriter, f: DeckFacts) -> None:
    """Per challenge: how much of the work is co-produced, and what the recovery checks say
    (actions that increase or decrease control, opportunity and hope)."""
    plan = f.plan
    rows = []
    notes = []
    for n in sorted(plan.challenges):
        acts = [a for a in rules.challenge_actions(plan, n) if rules.primary_challenge(a) == n]
        if not acts:
            rows.append([str(n), rules.challenge_title(plan, n), "0", "—", "—", "—", "—"])
            continue
        co = sum(1 for a in acts if a.coproduced)
        share = round(100 * co / len(acts))
        fill = "B3DCC4" if share >= 50 else "FFF1B3" if share else "F4B6B1"
        cells = [_checks(acts, k) for k in ("control", "opportunity", "hope")]
        down = [a.id for a in acts if -1 in (a.check_control, a.check_opportunity, a.check_hope)]
        rows.append([str(n), rules.challenge_title(plan, n), str(len(acts)),
                     Cell(f"{co} ({share}%)", fill, "212B32", bold=True), *cells])
        notes.append(f"Challenge {n}: {co} of {len(acts)} actions co-produced; control "
                     f"{cells[0]}, opportunity {cells[1]}, hope {cells[2]}"
                     + (f"; actions that lower one of them: {', '.join(down)}" if down else "")
                     + ".")
    w.table_slides("Co-production and the recovery checks",
                   [Col("#", 0.3, "center"), Col("Challenge", 2.6),
                    Col("Actions filed here", 0.7, "center"),
                    Col("Co-produced", 1.0, "center"), Col("Control", 0.8, "center"),
                    Col("Opportunity", 0.9, "center"), Col("Hope", 0.7, "center")],
                   rows,
                   intro="Each action is counted once, under the first challenge it serves "
                         "(the challenges slide counts every action serving a challenge); the "
                         "checks count actions that increase (+) or decrease (−) a person's "
                         "sense of control, access to opportunity and hope.",
                   notes="\n".join(notes) or "No actions yet.")


def you_said_slide(w: DeckWriter, f: DeckFacts) -> None:
    """"You said, we did": lived-experience input and what the programme did about it."""
    text = f.plan.settings.board_you_said.strip()
    rows = []
    for line in text.splitlines():
        if not line.strip():
            continue
        said, _, did = line.partition(SAID_DID)
        rows.append([said.strip(), did.strip() or "Not yet answered"])
    w.table_slides("You said, we did", [Col("You said", 1.0, max_lines=4),
                                        Col("We did", 1.0, max_lines=4)],
                   rows, empty="No lived-experience input is recorded in the plan yet (add it "
                               "as 'You said, we did' on the workbook's Plan sheet).",
                   intro="What people with lived experience told the programme, and what changed "
                         "as a result.",
                   notes="\n".join(f"You said: {a}. We did: {b}." for a, b in rows)
                   or "No input recorded.")
