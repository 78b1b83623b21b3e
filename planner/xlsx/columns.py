"""The workbook format: sheets and their columns, what each column means, header matching."""

from __future__ import annotations

import functools
import re
from typing import Any

from planner.model import ACTION_STATUSES, MILESTONE_STATUSES, ROLES

SHEETS: dict[str, list[str]] = {
    "Plan": ["Key", "Value"],
    "People": ["Name", "Role", "Team", "Email", "Capacity", "ID", "UID"],
    "Initiatives": ["ID", "Title", "Description", "Owner", "Challenges", "Rationale", "UID"],
    "Actions": ["ID", "Title", "Initiative", "Owner", "Challenges", "Duration", "Not before",
                "Deadline", "Status", "Percent", "Actual start", "Actual finish", "Co-produced",
                "Phase", "Notes", "Description", "Co-produced with", "Control", "Opportunity",
                "Hope", "Tag", "UID"],
    "Dependencies": ["Action", "Needs", "Type", "Lag", "UID"],
    "Milestones": ["ID", "Title", "Action", "Owner", "Baseline", "Forecast", "Actual", "Status",
                   "Governance", "Initiative", "Comment", "UID"],
    "Measures": ["ID", "Name", "Kind", "Unit", "Direction", "Source", "Challenges", "Baseline",
                 "Baseline date", "Target", "Target date", "SPC fixed after", "SPC rebase",
                 "Type", "Denominator", "So what", "Next action", "Action by", "UID"],
    "Readings": ["Measure", "Date", "Value", "Note", "UID"],
    "Assessments": ["Challenge", "Date", "Stage", "Evidence", "Assessed by", "UID"],
    "Challenges": ["Number", "Title", "Description", "Target stage", "UID"],
    "Phases": ["Number", "Name", "Start", "UID"],
    "Risks": ["ID", "Title", "Likelihood", "Impact", "Owner", "Mitigation", "Actions",
              "Challenges", "Target likelihood", "Target impact", "BAF ref", "UID"],
    "Holidays": ["Date"],
}
"""Every data sheet and its columns, in the order export writes them."""

REQUIRED: dict[str, list[str]] = {
    "Plan": ["Key", "Value"],
    "People": ["Name"],
    "Initiatives": ["Title"],
    "Actions": ["Title"],
    "Dependencies": ["Action", "Needs"],
    "Milestones": ["Title"],
    "Measures": ["Name"],
    "Readings": ["Measure", "Date", "Value"],
    "Assessments": ["Challenge", "Date", "Stage"],
    "Challenges": ["Number"],
    "Phases": ["Number"],
    "Risks": ["Title"],
    "Holidays": ["Date"],
}
"""Columns a sheet cannot do without; the rest may be left out."""

ALIASES: dict[str, str] = {
    # normalised alternative header -> canonical header
    "percentcomplete": "Percent", "complete": "Percent", "%": "Percent", "%complete": "Percent",
    "durationdays": "Duration", "durationworkingdays": "Duration", "days": "Duration",
    "workingdays": "Duration", "lagdays": "Lag", "lagworkingdays": "Lag", "waitdays": "Lag",
    "coproduction": "Co-produced", "controlcheck": "Control", "opportunitycheck": "Opportunity",
    "hopecheck": "Hope", "assessor": "Assessed by", "challenge": "Challenges",
    "dependson": "Needs", "predecessor": "Needs", "needsaction": "Needs",
    "governancedate": "Governance", "workstream": "Initiative", "number": "Number",
    "personid": "ID", "field": "Key", "setting": "Key",
}

PLAN_KEYS: list[tuple[str, str]] = [
    ("Name", "name"), ("Organisation", "organisation"), ("Start", "start"), ("As of", "as_of"),
    ("End", "end"), ("Date order", "date_order"), ("Bank holidays", "holiday_region"),
    ("Stage scale", "stage_scale"),
    ("Board meeting", "board_meeting"),
    ("Board date", "board_date"), ("Purpose", "board_purpose"),
    ("Assurance level", "board_assurance"), ("Recommendation", "board_recommendation"),
    ("Strategic objectives", "board_objectives"), ("BAF risks", "board_baf_risks"),
    ("CQC domains", "board_cqc_domains"), ("Executive lead", "board_exec_lead"),
    ("Author", "board_author"), ("Previously considered by", "board_previously"),
    ("Equality, quality and legal impact", "board_impact"),
    ("Lived-experience involvement", "board_lived_experience"),
    ("You said, we did", "board_you_said"),
    ("On track?", "summary_on_track"),
    ("What changed?", "summary_changed"), ("What next?", "summary_next"),
    ("Decisions needed", "summary_decisions"), ("Plan ID", "plan_id"),
]
"""Rows of the Plan sheet: the key a lead sees and the Settings field it fills."""

GUIDE: dict[str, dict[str, str]] = {
    "Plan": {
        "Key": "What the row is about: Name, Organisation, Start, As of, End, Date order (day "
               "first: 15/03/2027, or month first), Stage scale, the "
               "board report cover (Board meeting, Board date, Purpose, Assurance level, ...) "
               "and Plan ID (the plan's lasting identity, so copies can be matched; leave it "
               "alone).",
        "Value": "The value. Dates as real Excel dates, or typed as 2025-04-01 or 01/04/2025. "
                 "Stage scale lists the stages lowest first, separated by semicolons.",
    },
    "People": {
        "Name": "The person's name. Owners everywhere else are written as this name, so each "
                "name must be different.",
        "Role": "One of: " + ", ".join(ROLES) + ".",
        "Team": "Team, service or partner organisation.",
        "Email": "Email address (optional).",
        "Capacity": "How many actions they can carry at once (a whole number; 3 if blank).",
        "ID": "The planner's own reference (P1, P2, ...). Leave blank for new people.",
        "UID": "Hidden: the record's lasting identity, so copies of a plan can be matched up. "
               "Leave it alone, or blank for new rows.",
    },
    "Initiatives": {
        "ID": "Reference such as I3. Leave blank for new initiatives.",
        "Title": "The workstream's name. Actions can name an initiative by title or by ID; "
                 "initiatives named only on the Actions sheet are created for you.",
        "Description": "What the workstream is for.",
        "Owner": "A name from the People sheet.",
        "Challenges": "The challenge numbers it serves, e.g. 2, 3.",
        "Rationale": "Why it comes in this order (what it waits for, what it unlocks).",
        "UID": "Hidden lasting identity; leave it alone.",
    },
    "Actions": {
        "ID": "Reference such as A12. Leave blank for new actions and one is given.",
        "Title": "What will be done, in a few words.",
        "Initiative": "The workstream it belongs to, by title or ID.",
        "Owner": "A name from the People sheet.",
        "Challenges": "The challenge numbers it serves, e.g. 2, 3.",
        "Duration": "How long it takes, in working days (a whole number).",
        "Not before": "It cannot start before this date (optional).",
        "Deadline": "It must finish by this date (optional).",
        "Status": "One of: " + ", ".join(ACTION_STATUSES) + ".",
        "Percent": "How much is done, 0 to 100.",
        "Actual start": "The date work really started.",
        "Actual finish": "The date work really finished.",
        "Co-produced": "yes if it is designed and delivered with people with lived experience.",
        "Phase": "The programme phase number (see the Phases sheet).",
        "Notes": "Anything else.",
        "Description": "A longer description (optional).",
        "Co-produced with": "Who it is co-produced with (optional).",
        "Control": "Does it increase (+1), leave (0) or decrease (-1) people's sense of control?",
        "Opportunity": "Does it increase (+1), leave (0) or decrease (-1) access to "
                       "opportunities outside services?",
        "Hope": "Does it increase (+1), leave (0) or decrease (-1) hope?",
        "Tag": "Optional: what kind of step it is (e.g. peer-tutor-training, hr-readiness, "
               "form-change); the plan's practice checks use it.",
        "UID": "Hidden lasting identity; leave it alone.",
    },
    "Dependencies": {
        "Action": "The action that waits (its ID, or its title).",
        "Needs": "The action it waits for (ID or title).",
        "Type": "FS: it starts after the other finishes. SS: it starts after the other starts.",
        "Lag": "Extra working days of waiting (a whole number; 0 if blank).",
        "UID": "Hidden lasting identity; leave it alone.",
    },
    "Milestones": {
        "ID": "Reference such as M4. Leave blank for new milestones.",
        "Title": "The point of progress, e.g. 'First peer workers in post'.",
        "Action": "The action it marks (ID or title), if any.",
        "Owner": "A name from the People sheet.",
        "Baseline": "The date first agreed.",
        "Forecast": "The date now expected.",
        "Actual": "The date it was reached.",
        "Status": "One of: " + ", ".join(MILESTONE_STATUSES) + ".",
        "Governance": "yes if it is a governance date (board, committee, sign-off).",
        "Initiative": "The workstream it belongs to (title or ID), if not set by its action.",
        "Comment": "Why it moved, or anything the board should know.",
        "UID": "Hidden lasting identity; leave it alone.",
    },
    "Measures": {
        "ID": "Reference such as OM2. Leave blank for new measures.",
        "Name": "The measure, e.g. 'Average QPR score'.",
        "Kind": "objective (routine data) or subjective (what people tell us).",
        "Unit": "e.g. %, score, WTE, hours.",
        "Direction": "higher or lower: which way is better.",
        "Source": "Where the figures come from.",
        "Challenges": "The challenge numbers it shows progress on, e.g. 10.",
        "Baseline": "The starting value.",
        "Baseline date": "When the baseline was taken.",
        "Target": "The value aimed for.",
        "Target date": "When the target should be reached.",
        "SPC fixed after": "Optional: fix the chart's mean and limits on the first N readings "
                           "(at least 12) of each period.",
        "SPC rebase": "Optional: dates of known changes where the chart starts new limits, "
                      "e.g. 2026-03-01, 2026-09-01.",
        "Type": "count, rate, score or cumulative (running totals get a run chart, not limits).",
        "Denominator": "For a rate: what it is per, e.g. 'per 1,000 occupied bed days'.",
        "So what": "What the chart means, in a sentence, for the board paper.",
        "Next action": "What is being done about it.",
        "Action by": "When that action is due.",
        "UID": "Hidden lasting identity; leave it alone.",
    },
    "Readings": {
        "Measure": "The measure's ID or name.",
        "Date": "The date of the reading (one row per month is typical).",
        "Value": "The number.",
        "Note": "Anything that explains the value (e.g. 'new form introduced').",
        "UID": "Hidden lasting identity; leave it alone.",
    },
    "Assessments": {
        "Challenge": "The challenge number, 1 to 10.",
        "Date": "The date of the review.",
        "Stage": "A stage from the plan's stage scale (by default: Not yet started, Engagement, "
                 "Development, Transformation).",
        "Evidence": "What the rating is based on.",
        "Assessed by": "Who made the rating (people, group or panel).",
        "UID": "Hidden lasting identity; leave it alone.",
    },
    "Challenges": {
        "Number": "The challenge number, 1 to 10.",
        "Title": "Its short title (the product's wording unless you change it).",
        "Description": "What the challenge asks of the organisation.",
        "Target stage": "The stage the plan aims for.",
        "UID": "Hidden lasting identity; leave it alone.",
    },
    "Phases": {
        "Number": "Phase number, 1 upwards.",
        "Name": "The phase's name, e.g. 'Governance and baseline'.",
        "Start": "When the phase starts (optional).",
        "UID": "Hidden lasting identity; leave it alone.",
    },
    "Risks": {
        "ID": "Reference such as R2. Leave blank for new risks.",
        "Title": "What might go wrong.",
        "Likelihood": "1 (rare) to 5 (almost certain).",
        "Impact": "1 (negligible) to 5 (severe).",
        "Owner": "A name from the People sheet.",
        "Mitigation": "What is being done about it.",
        "Actions": "IDs of actions that reduce it, e.g. A3, A7.",
        "Challenges": "The challenge numbers it threatens.",
        "Target likelihood": "Likelihood (1 to 5) once the mitigation works.",
        "Target impact": "Impact (1 to 5) once the mitigation works.",
        "BAF ref": "The Board Assurance Framework risk it links to, e.g. BAF 3.",
    },
    "Holidays": {
        "Date": "A day off for everyone (bank holiday); working days skip these.",
    },
}
"""What each column means, written to the Guide sheet."""

GUIDE_SHEET = "Guide"
NON_DATA_SHEETS = {"guide", "readme", "help", "notes", "instructions", "about", "lineage"}


def normalise(text: Any) -> str:
    """A header or sheet name reduced to lower-case letters, digits, ``%`` and ``?``-free form."""
    if type(text) is str:
        return _normalise_text(text)  # the same words recur on every row of an import
    return re.sub(r"[^0-9a-z%]", "", str(text).lower()) if text is not None else ""


@functools.lru_cache(maxsize=8192)
def _normalise_text(text: str) -> str:
    return re.sub(r"[^0-9a-z%]", "", text.lower())


def _header_index(sheet: str) -> dict[str, str]:
    index = {normalise(h): h for h in SHEETS[sheet]}
    for alias, canonical in ALIASES.items():
        if canonical in SHEETS[sheet] and alias not in index:
            index[alias] = canonical
    return index


_HEADER_INDEX = {s: _header_index(s) for s in SHEETS}
_SHEET_INDEX = {normalise(s): s for s in SHEETS}
_SHEET_INDEX.update({"person": "People", "staff": "People", "action": "Actions",
                     "links": "Dependencies", "measure": "Measures", "outcomemeasures": "Measures",
                     "values": "Readings", "selfassessment": "Assessments",
                     "bankholidays": "Holidays", "settings": "Plan"})
_PLAN_KEYS = {normalise(label) for label, _ in PLAN_KEYS}
_PLAN_KEY_INDEX = {normalise(k): (k, f) for k, f in PLAN_KEYS}
_PLAN_KEY_INDEX.update({"organization": ("Organisation", "organisation"),
                        "asat": ("As of", "as_of"), "statusdate": ("As of", "as_of"),
                        "plan": ("Name", "name"), "planname": ("Name", "name"),
                        "startdate": ("Start", "start"), "enddate": ("End", "end"),
                        "assurance": ("Assurance level", "board_assurance")})
"""Plan sheet keys by normalised form, with the spellings leads also use: (label, field)."""
