"""Excel exchange: read a plan workbook into a Plan, and write a Plan out as a workbook.

Recovery leads keep plans in Excel, so the workbook speaks their language: owners are people's
names, challenges are numbers such as ``2, 3``, dates are real Excel dates. Headers and sheet names
are matched ignoring case, spaces and punctuation, so ``"Actual  start "`` finds *Actual start*.

Import is all-or-nothing: :func:`read_workbook` collects every problem it finds, each naming the
sheet, row and column as Excel shows them, and raises :class:`ImportProblems` with all of them;
:func:`import_workbook` only writes a plan file when there are none, and writes it to a temporary
file first so that a half-written plan never exists.

Beyond the sheets the issue lists (Plan, People, Actions, Dependencies, Milestones, Measures,
Readings, Assessments), export adds Initiatives, Challenges, Phases, Risks and Holidays sheets, a
hidden UID column on every record sheet and extra Action columns, so nothing in the model is lost
on a round trip. All of those are optional on import.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Iterable

from planner.errors import ImportProblems, PlanError
from planner.model import (
    ACTION_STATUSES, ASSURANCE_LEVELS, DEPENDENCY_TYPES, DIRECTIONS, MEASURE_KINDS,
    MILESTONE_STATUSES, PURPOSES, ROLES, Action, Assessment, Challenge, Dependency, Initiative,
    Measure, Milestone, Person, Phase, Plan, Reading, Risk, new_uid, ten_challenges,
)

__all__ = [
    "SHEETS", "PLAN_KEYS", "GUIDE", "read_workbook", "write_workbook", "import_workbook",
    "export_workbook", "export_plan", "write_blank_workbook", "normalise",
]

# --------------------------------------------------------------------------------------------
# The format: sheets, their columns in export order, and what each column means.
# --------------------------------------------------------------------------------------------

SHEETS: dict[str, list[str]] = {
    "Plan": ["Key", "Value"],
    "People": ["Name", "Role", "Team", "Email", "Capacity", "ID", "UID"],
    "Initiatives": ["ID", "Title", "Description", "Owner", "Challenges", "UID"],
    "Actions": ["ID", "Title", "Initiative", "Owner", "Challenges", "Duration", "Not before",
                "Deadline", "Status", "Percent", "Actual start", "Actual finish", "Co-produced",
                "Phase", "Notes", "Description", "Co-produced with", "Control", "Opportunity",
                "Hope", "UID"],
    "Dependencies": ["Action", "Needs", "Type", "Lag", "UID"],
    "Milestones": ["ID", "Title", "Action", "Owner", "Baseline", "Forecast", "Actual", "Status",
                   "Governance", "Initiative", "Comment", "UID"],
    "Measures": ["ID", "Name", "Kind", "Unit", "Direction", "Source", "Challenges", "Baseline",
                 "Baseline date", "Target", "Target date", "UID"],
    "Readings": ["Measure", "Date", "Value", "Note", "UID"],
    "Assessments": ["Challenge", "Date", "Stage", "Evidence", "Assessed by", "UID"],
    "Challenges": ["Number", "Title", "Description", "Target stage", "UID"],
    "Phases": ["Number", "Name", "Start", "UID"],
    "Risks": ["ID", "Title", "Likelihood", "Impact", "Owner", "Mitigation", "Actions",
              "Challenges", "UID"],
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
    ("End", "end"), ("Stage scale", "stage_scale"), ("Board meeting", "board_meeting"),
    ("Board date", "board_date"), ("Purpose", "board_purpose"),
    ("Assurance level", "board_assurance"), ("Recommendation", "board_recommendation"),
    ("Strategic objectives", "board_objectives"), ("BAF risks", "board_baf_risks"),
    ("CQC domains", "board_cqc_domains"), ("On track?", "summary_on_track"),
    ("What changed?", "summary_changed"), ("What next?", "summary_next"),
    ("Decisions needed", "summary_decisions"), ("Plan ID", "plan_id"),
]
"""Rows of the Plan sheet: the key a lead sees and the Settings field it fills."""

GUIDE: dict[str, dict[str, str]] = {
    "Plan": {
        "Key": "What the row is about: Name, Organisation, Start, As of, End, Stage scale, the "
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
        "UID": "Hidden lasting identity; leave it alone.",
    },
    "Holidays": {
        "Date": "A day off for everyone (bank holiday); working days skip these.",
    },
}
"""What each column means, written to the Guide sheet."""

GUIDE_SHEET = "Guide"
NON_DATA_SHEETS = {"guide", "readme", "help", "notes", "instructions", "about"}
YES = {"yes", "y", "true", "1", "x", "✓", "✔"}
NO = {"no", "n", "false", "0", ""}
STATUS_SYNONYMS = {"complete": "done", "completed": "done", "finished": "done",
                   "notstarted": "not started", "inprogress": "in progress", "started": "in progress",
                   "onhold": "on hold", "paused": "on hold", "met": "achieved",
                   "reached": "achieved", "missed": "missed", "done": "done"}
_EXCEL_EPOCH = date(1899, 12, 30)


def normalise(text: Any) -> str:
    """A header or sheet name reduced to lower-case letters, digits, ``%`` and ``?``-free form."""
    return re.sub(r"[^0-9a-z%]", "", str(text).lower()) if text is not None else ""


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


# --------------------------------------------------------------------------------------------
# Reading cells
# --------------------------------------------------------------------------------------------


def _show(value: Any) -> str:
    """How a cell value is quoted back to the user."""
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@dataclass
class _Row:
    """One data row of a sheet: its Excel row number and values by canonical header."""

    sheet: str
    number: int
    values: dict[str, Any]
    formats: dict[str, str]
    problems: list[str]

    def problem(self, column: str, message: str) -> None:
        self.problems.append(f"{self.sheet}, row {self.number}, column {column}: {message}")

    def raw(self, column: str) -> Any:
        value = self.values.get(column)
        if isinstance(value, str):
            value = value.strip()
            return value if value else None
        return value

    def text(self, column: str) -> str:
        value = self.raw(column)
        if value is None:
            return ""
        if isinstance(value, (date, datetime)) or isinstance(value, float):
            return _show(value)
        return str(value)

    def optional_text(self, column: str) -> str | None:
        return self.text(column) or None

    def required_text(self, column: str, what: str) -> str:
        value = self.text(column)
        if not value:
            self.problem(column, f"{what} is missing")
        return value

    def whole(self, column: str, what: str, default: int | None = None,
              low: int | None = None, high: int | None = None,
              signed: bool = False) -> int | None:
        value = self.raw(column)
        if value is None:
            return default
        number: int | None = None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str):
            cleaned = re.sub(r"\s*(working\s*)?days?$", "", value.strip().lower()).strip()
            if re.fullmatch(r"[+-]?\d+(\.0+)?", cleaned):
                number = int(float(cleaned))
        if number is None:
            self.problem(column, f"'{_show(value)}' is not {what}")
            return default
        if (low is not None and number < low) or (high is not None and number > high):
            if low is not None and high is not None:
                self.problem(column, f"{_show(value)} is not between {low} and {high}")
            else:
                self.problem(column, f"{_show(value)} cannot be below {low}")
            return default
        return number

    def decimal(self, column: str, what: str = "a number") -> float | None:
        value = self.raw(column)
        if value is None:
            return None
        if isinstance(value, bool):
            self.problem(column, f"'{_show(value)}' is not {what}")
            return None
        if isinstance(value, (int, float)):
            return float(value)
        if isinstance(value, str):
            cleaned = value.replace(",", "").rstrip("%").strip()
            try:
                return float(cleaned)
            except ValueError:
                pass
        self.problem(column, f"'{_show(value)}' is not {what}")
        return None

    def percent(self, column: str) -> int:
        value = self.raw(column)
        if value is None:
            return 0
        fmt = self.formats.get(column, "")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in fmt:
            value = round(value * 100, 6)
        elif isinstance(value, str) and value.endswith("%"):
            value = value[:-1].strip()
        self.values[column] = value
        got = self.whole(column, "a whole percentage from 0 to 100", 0, 0, 100)
        return got if got is not None else 0

    def day(self, column: str) -> date | None:
        value = self.raw(column)
        if value is None:
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.problem(column, f"'{_show(value)}' is not a date; use a real date, "
                                 f"or type it as YYYY-MM-DD or DD/MM/YYYY")
        return parsed

    def yes_no(self, column: str) -> bool:
        value = self.raw(column)
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        text = _show(value).lower()
        if text in YES:
            return True
        if text in NO:
            return False
        self.problem(column, f"'{_show(value)}' should be yes or no")
        return False

    def choice(self, column: str, options: list[str], default: str,
               synonyms: dict[str, str] | None = None) -> str:
        value = self.raw(column)
        if value is None:
            return default
        key = normalise(value)
        for option in options:
            if normalise(option) == key:
                return option
        if synonyms and synonyms.get(key) in options:
            return synonyms[key]
        self.problem(column, f"'{_show(value)}' is not one of: {', '.join(options)}")
        return default

    def numbers(self, column: str, what: str) -> list[int]:
        value = self.raw(column)
        if value is None:
            return []
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            parts = [_show(value)]
        else:
            parts = [p.strip() for p in re.split(r"[,;/ ]+|\band\b", str(value)) if p.strip()]
        out: list[int] = []
        for part in parts:
            if part.isdigit():
                if int(part) not in out:
                    out.append(int(part))
            else:
                self.problem(column, f"'{_show(value)}' should list {what} separated by commas, "
                                     f"e.g. 2, 3")
                return []
        return out

    def check(self, column: str) -> int | None:
        value = self.raw(column)
        if value is None:
            return None
        text = _show(value).lower()
        mapped = {"+1": 1, "1": 1, "0": 0, "-1": -1, "increase": 1, "increases": 1, "up": 1,
                  "same": 0, "neutral": 0, "decrease": -1, "decreases": -1, "down": -1}
        if text in mapped:
            return mapped[text]
        self.problem(column, f"'{_show(value)}' should be +1 (increases), 0 (no change) or "
                             f"-1 (decreases)")
        return None


def parse_date(value: Any) -> date | None:
    """A cell's value as a date: real Excel dates, day numbers, ``YYYY-MM-DD`` or ``DD/MM/YYYY``."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466 and float(value).is_integer():
            return _EXCEL_EPOCH + timedelta(days=int(value))
        return None
    if isinstance(value, str):
        text = value.strip()
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?", text)
        if m:
            y, mo, d = int(m[1]), int(m[2]), int(m[3])
        else:
            m = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", text)
            if not m:
                return None
            d, mo, y = int(m[1]), int(m[2]), int(m[3])
        try:
            return date(y, mo, d)
        except ValueError:
            return None
    return None


# --------------------------------------------------------------------------------------------
# Finding sheets, header rows and data rows
# --------------------------------------------------------------------------------------------

_HEADER_SEARCH_ROWS = 12
_PLAN_KEYS = {normalise(label) for label, _ in PLAN_KEYS}


def _sheet_rows(ws, sheet: str, problems: list[str], warnings: list[str]) -> list[_Row]:
    """The data rows of a sheet, found under its header row (which need not be the first)."""
    index = _HEADER_INDEX[sheet]
    rows_iter = ws.iter_rows()
    header_cols: dict[int, str] | None = None
    header_row = 0
    unknown: list[str] = []
    out: list[_Row] = []
    seen = 0
    for cells in rows_iter:
        if header_cols is None:
            seen += 1
            texts = [(c.value.strip() if isinstance(c.value, str) else c.value) for c in cells]
            found: dict[int, str] = {}
            others: list[str] = []
            for i, t in enumerate(texts):
                if t is None or t == "":
                    continue
                canonical = index.get(normalise(t))
                if canonical and canonical not in found.values():
                    found[i] = canonical
                else:
                    others.append(str(t))
            needed = REQUIRED[sheet]
            if found and all(n in found.values() for n in needed) and (
                    len(found) >= 2 or len(SHEETS[sheet]) == 1 or len(needed) == len(found)):
                header_cols = found
                header_row = _row_number(cells, seen)
                unknown = others
                continue
            first = next((i for i, t in enumerate(texts) if t not in (None, "")), None)
            if sheet == "Plan" and first is not None and normalise(texts[first]) in _PLAN_KEYS:
                # a settings sheet with no Key/Value header: the first filled column holds the
                # keys and the next one the values; this row is already data
                header_cols = {first: "Key", first + 1: "Value"}
                header_row = _row_number(cells, seen) - 1
            elif seen >= _HEADER_SEARCH_ROWS:
                break
            else:
                continue
        values: dict[str, Any] = {}
        formats: dict[str, str] = {}
        for i, name in header_cols.items():
            if i < len(cells):
                cell = cells[i]
                v = cell.value
                if isinstance(v, str) and not v.strip():
                    v = None
                if v is not None:
                    values[name] = v
                    fmt = getattr(cell, "number_format", None)
                    if fmt:
                        formats[name] = fmt
        if not values:
            continue  # blank row (or one with only unknown columns filled)
        out.append(_Row(sheet, _row_number(cells, header_row + 1), values, formats, problems))
    if header_cols is None:
        problems.append(f"{sheet}: no header row found in the first {_HEADER_SEARCH_ROWS} rows; "
                        f"it needs at least the column"
                        f"{'s' if len(REQUIRED[sheet]) > 1 else ''} "
                        f"{', '.join(REQUIRED[sheet])} (expected columns: "
                        f"{', '.join(c for c in SHEETS[sheet] if c != 'UID')})")
        return []
    if unknown:
        warnings.append(f"{sheet}: column{'s' if len(unknown) > 1 else ''} "
                        f"{', '.join(repr(u) for u in unknown)} in row {header_row} "
                        f"{'are' if len(unknown) > 1 else 'is'} not used and "
                        f"{'were' if len(unknown) > 1 else 'was'} ignored")
    return out


def _row_number(cells, fallback: int) -> int:
    for c in cells:
        row = getattr(c, "row", None)
        if row is not None:
            return row
    return fallback


# --------------------------------------------------------------------------------------------
# read_workbook
# --------------------------------------------------------------------------------------------


class _Lookup:
    """Finds a record by id (exactly, then ignoring case) or by its title/name if that is unique."""

    def __init__(self) -> None:
        self.by_id: dict[str, str] = {}
        self.by_folded_id: dict[str, str] = {}
        self.by_title: dict[str, list[str]] = {}

    def add(self, record_id: str, title: str) -> None:
        self.by_id[record_id] = record_id
        self.by_folded_id.setdefault(record_id.casefold(), record_id)
        self.by_title.setdefault(" ".join(title.split()).casefold(), []).append(record_id)

    def find(self, text: str, prefer_title: bool = False) -> tuple[str | None, bool]:
        """(id, ambiguous) for a reference typed by the user."""
        titles = self.by_title.get(" ".join(text.split()).casefold(), [])
        if prefer_title and len(titles) == 1:
            return titles[0], False
        if text in self.by_id:
            return text, False
        if text.casefold() in self.by_folded_id:
            return self.by_folded_id[text.casefold()], False
        if len(titles) == 1:
            return titles[0], False
        return None, len(titles) > 1


def _uid(row: _Row, seen: set[str], warnings: list[str]) -> str:
    uid = row.text("UID")
    if not uid:
        return new_uid()
    if uid in seen:
        warnings.append(f"{row.sheet}, row {row.number}: this row's UID repeats an earlier row's "
                        f"(perhaps a copied row), so it was treated as a new record")
        return new_uid()
    seen.add(uid)
    return uid


def _assign_ids(rows: list[_Row], prefix: str, sheet: str) -> dict[int, str]:
    """Ids for rows, keeping the ones typed and numbering the blanks after the highest one."""
    given: dict[int, str] = {}
    highest = 0
    for r in rows:
        text = r.text("ID")
        if text:
            given[r.number] = text
            tail = text[len(prefix):]
            if text.upper().startswith(prefix) and tail.isdigit():
                highest = max(highest, int(tail))
    seen: dict[str, int] = {}
    for r in rows:
        text = given.get(r.number)
        if text is None:
            continue
        if text.casefold() in seen:
            r.problem("ID", f"'{text}' is already used in row {seen[text.casefold()]}; "
                            f"each {sheet[:-1].lower()} needs its own ID")
        else:
            seen[text.casefold()] = r.number
    for r in rows:
        if r.number not in given:
            highest += 1
            given[r.number] = f"{prefix}{highest}"
    return given


def read_workbook(path: str | os.PathLike) -> tuple[Plan, list[str]]:
    """Read a plan workbook into a Plan in memory; returns (plan, warnings).

    Raises :class:`ImportProblems` listing every problem (sheet, row, column) if any is found.
    Nothing is written anywhere.
    """
    from openpyxl import load_workbook

    path = Path(path)
    problems: list[str] = []
    warnings: list[str] = []
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise PlanError(f"There is no workbook at {path}") from None
    except Exception as exc:  # zip, xml and format errors from openpyxl
        raise ImportProblems([f"{path.name} could not be opened as an Excel workbook (.xlsx): "
                              f"{exc}"]) from None
    try:
        rows: dict[str, list[_Row]] = {}
        for ws in wb.worksheets:
            key = normalise(ws.title)
            sheet = _SHEET_INDEX.get(key)
            if sheet is None:
                if key not in NON_DATA_SHEETS:
                    warnings.append(f"Sheet '{ws.title}' is not one the planner reads, so it was "
                                    f"ignored")
                continue
            if sheet in rows:
                problems.append(f"{ws.title}: there are two {sheet} sheets; keep only one")
                continue
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # some tools write a wrong size; read every row
            rows[sheet] = _sheet_rows(ws, sheet, problems, warnings)
    finally:
        wb.close()
    if "Actions" not in rows:
        warnings.append("The workbook has no Actions sheet, so the plan has no actions")
    plan = _build_plan(rows, path.stem, problems, warnings)
    if not problems:
        problems.extend(_model_problems(plan))
    if problems:
        raise ImportProblems(problems)
    warnings.extend(_model_warnings(plan))
    return plan, warnings


def _model_problems(plan: Plan) -> list[str]:
    """Record-level problems found by the plan's own checks (loops, bad percent, ...)."""
    try:
        from planner.validate import validate_plan
    except ImportError:  # pragma: no cover - until planner.validate lands
        return []
    return [f"Plan check: {p}" for p in validate_plan(plan)]


def _model_warnings(plan: Plan) -> list[str]:
    """Gaps worth knowing about that do not stop the import (actions with no owner, ...)."""
    try:
        from planner.validate import plan_warnings
    except ImportError:  # pragma: no cover
        return []
    return list(plan_warnings(plan))


def _build_plan(rows: dict[str, list[_Row]], default_name: str, problems: list[str],
                warnings: list[str]) -> Plan:
    plan = Plan()
    uids: set[str] = set()

    # -- Plan sheet ------------------------------------------------------------------------
    s = plan.settings
    s.name = default_name
    keys = {normalise(k): (k, f) for k, f in PLAN_KEYS}
    keys.update({"organization": ("Organisation", "organisation"), "asat": ("As of", "as_of"),
                 "statusdate": ("As of", "as_of"), "plan": ("Name", "name"),
                 "planname": ("Name", "name"), "startdate": ("Start", "start"),
                 "enddate": ("End", "end"), "assurance": ("Assurance level", "board_assurance")})
    seen_keys: dict[str, int] = {}
    for r in rows.get("Plan", []):
        key = r.text("Key")
        if not key:
            r.problem("Key", "the key is missing (the row has a value but no Key)")
            continue
        match = keys.get(normalise(key))
        if match is None:
            warnings.append(f"Plan, row {r.number}: '{key}' is not a setting the planner knows, "
                            f"so it was ignored")
            continue
        label, fname = match
        if fname in seen_keys:
            r.problem("Key", f"'{label}' is already given in row {seen_keys[fname]}")
            continue
        seen_keys[fname] = r.number
        if fname in ("start", "as_of", "end", "board_date"):
            setattr(s, fname, r.day("Value"))
        elif fname == "board_purpose":
            s.board_purpose = r.choice("Value", PURPOSES, s.board_purpose)
        elif fname == "board_assurance":
            s.board_assurance = r.choice("Value", ASSURANCE_LEVELS, s.board_assurance)
        elif fname == "stage_scale":
            scale = [p.strip() for p in r.text("Value").split(";") if p.strip()]
            if not scale:
                pass  # blank: keep the product's default scale
            elif len({x.casefold() for x in scale}) != len(scale):
                r.problem("Value", "a stage appears twice in the stage scale")
            else:
                s.stage_scale = scale
        elif fname == "plan_id":
            s.plan_id = r.text("Value") or s.plan_id
        elif fname == "name":
            s.name = r.text("Value") or default_name
        else:
            setattr(s, fname, r.text("Value"))
    if "name" not in seen_keys and "Plan" in rows:
        warnings.append(f"The Plan sheet gives no Name, so the plan is called '{default_name}'")

    # -- Holidays --------------------------------------------------------------------------
    for r in rows.get("Holidays", []):
        d = r.day("Date")
        if d is not None and d not in s.holidays:
            s.holidays.append(d)
    s.holidays.sort()

    # -- Challenges ------------------------------------------------------------------------
    plan.challenges = ten_challenges()
    seen_numbers: dict[int, int] = {}
    for r in rows.get("Challenges", []):
        n = r.whole("Number", "a challenge number", None, 1)
        if n is None:
            if r.raw("Number") is None:
                r.problem("Number", "the challenge number is missing")
            continue
        if n in seen_numbers:
            r.problem("Number", f"challenge {n} is already listed in row {seen_numbers[n]}")
            continue
        seen_numbers[n] = r.number
        base = plan.challenges.get(n) or Challenge(n)
        base.title = r.text("Title") or base.title
        if not base.title:
            r.problem("Title", f"challenge {n} needs a title")
        base.description = r.text("Description") or base.description
        base.target_stage = _stage(r, "Target stage", plan, base.target_stage)
        base.uid = _uid(r, uids, warnings)
        plan.challenges[n] = base
    for c in plan.challenges.values():
        if c.target_stage not in plan.stages:
            c.target_stage = plan.stages[-1]

    def challenge_list(r: _Row, column: str = "Challenges") -> list[int]:
        got = r.numbers(column, "challenge numbers")
        bad = [n for n in got if n not in plan.challenges]
        if bad:
            r.problem(column, f"there is no challenge {', '.join(map(str, bad))}; challenges are "
                              f"numbered {min(plan.challenges)} to {max(plan.challenges)}")
            return [n for n in got if n in plan.challenges]
        return got

    # -- Phases ----------------------------------------------------------------------------
    for r in rows.get("Phases", []):
        n = r.whole("Number", "a whole phase number", None, 1)
        if n is None:
            if r.raw("Number") is None:
                r.problem("Number", "the phase number is missing")
            continue
        if n in plan.phases:
            r.problem("Number", f"phase {n} is listed twice")
            continue
        plan.phases[n] = Phase(n, r.text("Name"), r.day("Start"), _uid(r, uids, warnings))

    # -- People ----------------------------------------------------------------------------
    people_rows = rows.get("People", [])
    person_ids = _assign_ids(people_rows, "P", "People")
    people = _Lookup()
    names_seen: dict[str, int] = {}
    for r in people_rows:
        name = " ".join(r.required_text("Name", "the person's name").split())
        pid = person_ids[r.number]
        if name:
            folded = name.casefold()
            if folded in names_seen:
                r.problem("Name", f"'{name}' is already listed in row {names_seen[folded]}; "
                                  f"owners are matched by name, so each person needs a "
                                  f"different name")
            names_seen[folded] = r.number
        role = r.choice("Role", ROLES, "staff", {"peer": "peer worker", "peersupportworker":
                                                  "peer worker", "partner": "partner organisation",
                                                  "serviceuser": "service user",
                                                  "expertbyexperience": "service user",
                                                  "family": "carer"})
        capacity = r.whole("Capacity", "a whole number of actions", 3, 1)
        plan.people[pid] = Person(pid, name, role, r.text("Team"), r.text("Email"),
                                  capacity if capacity is not None else 3,
                                  _uid(r, uids, warnings))
        people.add(pid, name)

    def owner(r: _Row, column: str = "Owner") -> str | None:
        text = r.text(column)
        if not text:
            return None
        found, ambiguous = people.find(text, prefer_title=True)
        if found is None:
            if ambiguous:
                r.problem(column, f"'{text}' matches more than one person on the People sheet")
            else:
                r.problem(column, f"'{text}' is not on the People sheet; add them there or "
                                  f"check the spelling")
        return found

    # -- Initiatives -----------------------------------------------------------------------
    init_rows = rows.get("Initiatives", [])
    init_ids = _assign_ids(init_rows, "I", "Initiatives")
    initiatives = _Lookup()
    for r in init_rows:
        iid = init_ids[r.number]
        title = r.required_text("Title", "the initiative's title")
        plan.initiatives[iid] = Initiative(iid, title, r.text("Description"), owner(r),
                                           challenge_list(r), _uid(r, uids, warnings))
        initiatives.add(iid, title)

    def initiative(r: _Row, create: bool) -> str | None:
        text = r.text("Initiative")
        if not text:
            return None
        found, ambiguous = initiatives.find(text)
        if found is None and ambiguous:
            r.problem("Initiative", f"'{text}' matches more than one initiative; use its ID")
        elif found is None and create:
            found = plan.next_id("initiative")
            plan.initiatives[found] = Initiative(found, text)
            initiatives.add(found, text)
        elif found is None:
            r.problem("Initiative", f"'{text}' is not an initiative in this workbook")
        return found

    # -- Actions ---------------------------------------------------------------------------
    action_rows = rows.get("Actions", [])
    action_ids = _assign_ids(action_rows, "A", "Actions")
    actions = _Lookup()
    for r in action_rows:
        aid = action_ids[r.number]
        title = r.required_text("Title", "the action's title")
        duration = r.whole("Duration", "a whole number of working days", 5, 0)
        a = Action(
            id=aid, title=title, description=r.text("Description"),
            initiative=initiative(r, create=True), owner=owner(r),
            challenges=challenge_list(r), duration=duration if duration is not None else 5,
            not_before=r.day("Not before"), deadline=r.day("Deadline"),
            status=r.choice("Status", ACTION_STATUSES, "not started", STATUS_SYNONYMS),
            percent=r.percent("Percent"), actual_start=r.day("Actual start"),
            actual_finish=r.day("Actual finish"), coproduced=r.yes_no("Co-produced"),
            coproduced_with=r.text("Co-produced with"),
            check_control=r.check("Control"), check_opportunity=r.check("Opportunity"),
            check_hope=r.check("Hope"),
            phase=r.whole("Phase", "a whole phase number", None, 1),
            notes=r.text("Notes"), uid=_uid(r, uids, warnings),
        )
        if a.phase is not None and a.phase not in plan.phases:
            plan.phases[a.phase] = Phase(a.phase)
        if (a.actual_start and a.actual_finish and a.actual_finish < a.actual_start):
            r.problem("Actual finish", f"{a.actual_finish:%d/%m/%Y} is before the actual start "
                                       f"({a.actual_start:%d/%m/%Y})")
        plan.actions[aid] = a
        actions.add(aid, title)

    def action_ref(r: _Row, column: str) -> str | None:
        text = r.text(column)
        if not text:
            return None
        found, ambiguous = actions.find(text)
        if found is None:
            if ambiguous:
                r.problem(column, f"'{text}' matches more than one action by title; use its ID")
            else:
                r.problem(column, f"there is no action '{text}' on the Actions sheet")
        return found

    # -- Dependencies ----------------------------------------------------------------------
    pairs: dict[tuple[str, str], int] = {}
    for r in rows.get("Dependencies", []):
        waiting = action_ref(r, "Action")
        needs = action_ref(r, "Needs")
        if r.raw("Action") is None:
            r.problem("Action", "the waiting action is missing")
        if r.raw("Needs") is None:
            r.problem("Needs", "the action it waits for is missing")
        dtype = r.choice("Type", DEPENDENCY_TYPES, "FS", {"finishtostart": "FS",
                                                          "starttostart": "SS"})
        lag = r.whole("Lag", "a whole number of working days", 0, 0)
        if waiting is None or needs is None:
            continue
        if waiting == needs:
            r.problem("Needs", f"an action cannot wait for itself ('{waiting}')")
            continue
        if (waiting, needs) in pairs:
            r.problem("Needs", f"'{waiting}' already waits for '{needs}' in row "
                               f"{pairs[(waiting, needs)]}")
            continue
        pairs[(waiting, needs)] = r.number
        d = Dependency(waiting, needs, dtype, lag or 0, _uid(r, uids, warnings))
        plan.dependencies[d.uid] = d

    # -- Milestones ------------------------------------------------------------------------
    ms_rows = rows.get("Milestones", [])
    ms_ids = _assign_ids(ms_rows, "M", "Milestones")
    for r in ms_rows:
        mid = ms_ids[r.number]
        m = Milestone(
            id=mid, title=r.required_text("Title", "the milestone's title"), owner=owner(r),
            action=action_ref(r, "Action"), initiative=initiative(r, create=False),
            baseline=r.day("Baseline"), forecast=r.day("Forecast"), actual=r.day("Actual"),
            status=r.choice("Status", MILESTONE_STATUSES, "planned", STATUS_SYNONYMS),
            governance=r.yes_no("Governance"), comment=r.text("Comment"),
            uid=_uid(r, uids, warnings),
        )
        plan.milestones[mid] = m

    # -- Measures and readings -------------------------------------------------------------
    m_rows = rows.get("Measures", [])
    m_ids = _assign_ids(m_rows, "OM", "Measures")
    measures = _Lookup()
    for r in m_rows:
        oid = m_ids[r.number]
        name = r.required_text("Name", "the measure's name")
        plan.measures[oid] = Measure(
            id=oid, name=name, kind=r.choice("Kind", MEASURE_KINDS, "objective"),
            unit=r.text("Unit"),
            direction=r.choice("Direction", DIRECTIONS, "higher",
                               {"up": "higher", "down": "lower", "higherisbetter": "higher",
                                "lowerisbetter": "lower", "increase": "higher",
                                "decrease": "lower"}),
            source=r.text("Source"), challenges=challenge_list(r),
            baseline=r.decimal("Baseline"), baseline_date=r.day("Baseline date"),
            target=r.decimal("Target"), target_date=r.day("Target date"),
            uid=_uid(r, uids, warnings),
        )
        measures.add(oid, name)
    reading_keys: dict[tuple[str, date], int] = {}
    for r in rows.get("Readings", []):
        text = r.text("Measure")
        mid, ambiguous = measures.find(text) if text else (None, False)
        if not text:
            r.problem("Measure", "the measure is missing")
        elif mid is None:
            r.problem("Measure", f"'{text}' is not on the Measures sheet"
                      + (" (more than one measure has that name; use its ID)" if ambiguous
                         else ""))
        when = r.day("Date")
        if r.raw("Date") is None:
            r.problem("Date", "the date of the reading is missing")
        value = r.decimal("Value")
        if r.raw("Value") is None:
            r.problem("Value", "the value is missing")
        if mid is None or when is None or value is None:
            continue
        if (mid, when) in reading_keys:
            r.problem("Date", f"{mid} already has a reading on {when:%d/%m/%Y} in row "
                              f"{reading_keys[(mid, when)]}")
            continue
        reading_keys[(mid, when)] = r.number
        reading = Reading(mid, when, value, r.text("Note"), _uid(r, uids, warnings))
        plan.readings[reading.uid] = reading

    # -- Assessments -----------------------------------------------------------------------
    for r in rows.get("Assessments", []):
        n = r.whole("Challenge", "a challenge number", None)
        if n is not None and n not in plan.challenges:
            r.problem("Challenge", f"there is no challenge {n}")
            n = None
        when = r.day("Date")
        if r.raw("Date") is None:
            r.problem("Date", "the date of the assessment is missing")
        stage = _stage(r, "Stage", plan, None)
        if r.raw("Stage") is None:
            r.problem("Stage", "the stage is missing")
        if n is None or when is None or stage is None:
            continue
        a = Assessment(n, when, stage, r.text("Evidence"), r.text("Assessed by"),
                       _uid(r, uids, warnings))
        plan.assessments[a.uid] = a

    # -- Risks -----------------------------------------------------------------------------
    r_rows = rows.get("Risks", [])
    r_ids = _assign_ids(r_rows, "R", "Risks")
    for r in r_rows:
        rid = r_ids[r.number]
        linked: list[str] = []
        for part in [p.strip() for p in re.split(r"[,;]", r.text("Actions")) if p.strip()]:
            found, _ = actions.find(part)
            if found is None:
                r.problem("Actions", f"there is no action '{part}' on the Actions sheet")
            elif found not in linked:
                linked.append(found)
        plan.risks[rid] = Risk(
            id=rid, title=r.required_text("Title", "the risk's title"),
            likelihood=r.whole("Likelihood", "a score from 1 to 5", 3, 1, 5) or 3,
            impact=r.whole("Impact", "a score from 1 to 5", 3, 1, 5) or 3,
            owner=owner(r), mitigation=r.text("Mitigation"), actions=linked,
            challenges=challenge_list(r), uid=_uid(r, uids, warnings),
        )
    return plan


def _stage(r: _Row, column: str, plan: Plan, default: str | None) -> str | None:
    value = r.raw(column)
    if value is None:
        return default
    key = normalise(value)
    for stage in plan.stages:
        if normalise(stage) == key:
            return stage
    r.problem(column, f"'{_show(value)}' is not a stage on this plan's scale "
                      f"({', '.join(plan.stages)})")
    return default


# --------------------------------------------------------------------------------------------
# write_workbook
# --------------------------------------------------------------------------------------------

_DATE_FORMAT = "d mmm yyyy"
_CHECK_FORMAT = "+0;-0;0"


def _join(numbers: Iterable[Any]) -> str | None:
    text = ", ".join(str(n) for n in numbers)
    return text or None


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _sheet_values(plan: Plan) -> dict[str, list[list[Any]]]:
    """Every data sheet's rows (without headers), as export writes them."""
    people = plan.people
    name_of: Callable[[str | None], str | None] = (
        lambda pid: (people[pid].name if pid in people else pid) if pid else None)
    s = plan.settings
    out: dict[str, list[list[Any]]] = {}
    plan_rows: list[list[Any]] = []
    for label, fname in PLAN_KEYS:
        value = getattr(s, fname)
        if fname == "stage_scale":
            value = "; ".join(value)
        plan_rows.append([label, value if value != "" else None])
    out["Plan"] = plan_rows
    out["People"] = [[p.name, p.role, p.team or None, p.email or None, p.capacity, p.id, p.uid]
                     for p in people.values()]
    out["Initiatives"] = [[i.id, i.title, i.description or None, name_of(i.owner),
                           _join(i.challenges), i.uid] for i in plan.initiatives.values()]
    out["Actions"] = [[a.id, a.title, a.initiative, name_of(a.owner), _join(a.challenges),
                       a.duration, a.not_before, a.deadline, a.status, a.percent,
                       a.actual_start, a.actual_finish, _yes(a.coproduced), a.phase,
                       a.notes or None, a.description or None, a.coproduced_with or None,
                       a.check_control, a.check_opportunity, a.check_hope, a.uid]
                      for a in plan.actions.values()]
    out["Dependencies"] = [[d.action, d.needs, d.type, d.lag, d.uid]
                           for d in plan.dependencies.values()]
    out["Milestones"] = [[m.id, m.title, m.action, name_of(m.owner), m.baseline, m.forecast,
                          m.actual, m.status, _yes(m.governance), m.initiative,
                          m.comment or None, m.uid] for m in plan.milestones.values()]
    out["Measures"] = [[m.id, m.name, m.kind, m.unit or None, m.direction, m.source or None,
                        _join(m.challenges), m.baseline, m.baseline_date, m.target,
                        m.target_date, m.uid] for m in plan.measures.values()]
    readings = sorted(plan.readings.values(), key=lambda r: (r.measure, r.date))
    out["Readings"] = [[r.measure, r.date, r.value, r.note or None, r.uid] for r in readings]
    assessments = sorted(plan.assessments.values(), key=lambda a: (a.date, a.challenge))
    out["Assessments"] = [[a.challenge, a.date, a.stage, a.evidence or None,
                           a.assessor or None, a.uid] for a in assessments]
    out["Challenges"] = [[c.number, c.title, c.description or None, c.target_stage, c.uid]
                         for c in sorted(plan.challenges.values(), key=lambda c: c.number)]
    out["Phases"] = [[p.number, p.name or None, p.start, p.uid]
                     for p in sorted(plan.phases.values(), key=lambda p: p.number)]
    out["Risks"] = [[r.id, r.title, r.likelihood, r.impact, name_of(r.owner),
                     r.mitigation or None, _join(r.actions), _join(r.challenges), r.uid]
                    for r in plan.risks.values()]
    out["Holidays"] = [[d] for d in sorted(s.holidays)]
    return out


_WIDTHS = {"Title": 48, "Name": 28, "Description": 40, "Notes": 36, "Evidence": 48,
           "Comment": 36, "Mitigation": 36, "Key": 22, "Value": 48, "Initiative": 30,
           "Email": 28, "Team": 24, "Source": 28, "Note": 30, "Co-produced with": 24,
           "Assessed by": 24, "Stage": 18, "Status": 14, "Owner": 22, "Action": 12,
           "Needs": 12, "Measure": 12, "UID": 34}
_DATE_COLUMNS = {"Not before", "Deadline", "Actual start", "Actual finish", "Baseline date",
                 "Target date", "Date", "Start", "Forecast", "Actual"}
_CHOICES = {
    ("People", "Role"): ROLES, ("Actions", "Status"): ACTION_STATUSES,
    ("Actions", "Co-produced"): ["yes", "no"], ("Dependencies", "Type"): DEPENDENCY_TYPES,
    ("Milestones", "Status"): MILESTONE_STATUSES, ("Milestones", "Governance"): ["yes", "no"],
    ("Measures", "Kind"): MEASURE_KINDS, ("Measures", "Direction"): DIRECTIONS,
}


def _write(plan: Plan | None, path: Path, rows_hint: int = 500) -> None:
    """Write the workbook (every sheet, headers, Guide) to ``path`` directly."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook(write_only=True)
    wb.properties.creator = "Recovery Change Planner"
    wb.properties.title = plan.settings.name if plan is not None else "Plan workbook"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    values = _sheet_values(plan) if plan is not None else {name: [] for name in SHEETS}
    if plan is None:
        values["Plan"] = [[label, None] for label, _ in PLAN_KEYS if label != "Plan ID"]
    for sheet, columns in SHEETS.items():
        ws = wb.create_sheet(sheet)
        ws.freeze_panes = "A2"
        stages = plan.stages if plan is not None else None
        for i, col in enumerate(columns, start=1):
            letter = get_column_letter(i)
            ws.column_dimensions[letter].width = _WIDTHS.get(col, 14 if col in _DATE_COLUMNS
                                                             else 12)
            if col == "UID":
                ws.column_dimensions[letter].hidden = True
        n_rows = len(values[sheet]) + rows_hint
        for (sname, col), options in list(_CHOICES.items()) + (
                [(("Assessments", "Stage"), stages), (("Challenges", "Target stage"), stages)]
                if stages else []):
            joined = ",".join(options)
            if sname == sheet and len(joined) < 250 and not any("," in o or '"' in o
                                                               for o in options):
                letter = get_column_letter(columns.index(col) + 1)
                dv = DataValidation(type="list", formula1='"' + joined + '"',
                                    allow_blank=True, showErrorMessage=False)
                dv.add(f"{letter}2:{letter}{n_rows + 1}")
                ws.data_validations.append(dv)
        header = []
        for col in columns:
            cell = WriteOnlyCell(ws, value=col)
            cell.font = bold
            cell.fill = fill
            header.append(cell)
        ws.append(header)
        date_idx = {i for i, c in enumerate(columns) if c in _DATE_COLUMNS}
        check_idx = {i for i, c in enumerate(columns) if c in ("Control", "Opportunity", "Hope")}
        special = date_idx | check_idx
        for row in values[sheet]:
            if sheet == "Plan" or special or any(isinstance(v, str) and v[:1] == "=" for v in row):
                out = []
                for i, v in enumerate(row):
                    if isinstance(v, str) and v[:1] == "=":
                        # text such as "=approx" must stay text, not become a formula
                        c = WriteOnlyCell(ws, value=v)
                        c.data_type = "s"
                        out.append(c)
                    elif (i in date_idx or (sheet == "Plan" and isinstance(v, date))) and v is not None:
                        c = WriteOnlyCell(ws, value=v)
                        c.number_format = _DATE_FORMAT
                        out.append(c)
                    elif i in check_idx and v is not None:
                        c = WriteOnlyCell(ws, value=v)
                        c.number_format = _CHECK_FORMAT
                        out.append(c)
                    else:
                        out.append(v)
                ws.append(out)
            else:
                ws.append(row)
    guide = wb.create_sheet(GUIDE_SHEET)
    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["B"].width = 20
    guide.column_dimensions["C"].width = 100
    wrap = Alignment(wrap_text=True, vertical="top")
    intro = [
        "How to use this workbook",
        "Each sheet holds one kind of record, with its column names in the first row (a title "
        "row above them is fine). Column names are matched ignoring case and spaces; columns the "
        "planner does not know are ignored with a warning. Blank rows are skipped.",
        "Owners are people's names from the People sheet. Challenges are numbers from 1 to 10, "
        "several separated by commas (e.g. 2, 3). Dates can be real Excel dates or typed as "
        "YYYY-MM-DD or DD/MM/YYYY.",
        "If anything is wrong, nothing is imported, and every problem is listed with its sheet, "
        "row and column so it can be put right in one go.",
    ]
    for line in intro:
        c = WriteOnlyCell(guide, value=line)
        c.alignment = wrap
        if line is intro[0]:
            c.font = Font(bold=True, size=13)
        guide.append([None, None, c] if line is not intro[0] else [c])
    guide.append([])
    guide.append([WriteOnlyCell(guide, value=h) for h in ("Sheet", "Column", "What to put in it")])
    for sheet, columns in GUIDE.items():
        for col, meaning in columns.items():
            c = WriteOnlyCell(guide, value=meaning)
            c.alignment = wrap
            guide.append([sheet, col, c])
    wb.save(path)


def _atomic(path: str | os.PathLike, writer: Callable[[Path], None]) -> None:
    """Run ``writer`` on a temporary file beside ``path``, then move it into place."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        writer(Path(tmp))
        os.replace(tmp, target)
    except BaseException:
        for leftover in (tmp, tmp + "-journal"):
            try:
                os.unlink(leftover)
            except FileNotFoundError:
                pass
        raise


def write_workbook(plan: Plan, path: str | os.PathLike) -> None:
    """Write ``plan`` as a workbook at ``path`` (via a temporary file, so never half-written)."""
    _atomic(path, lambda tmp: _write(plan, tmp))


def export_workbook(plan: Plan, workbook_path: str | os.PathLike) -> None:
    """Export an in-memory plan to ``workbook_path``; what ``main.py export`` calls."""
    write_workbook(plan, workbook_path)


def write_blank_workbook(path: str | os.PathLike) -> None:
    """The empty exchange workbook (headers, drop-down lists and the Guide sheet)."""
    _atomic(path, lambda tmp: _write(None, tmp))


def import_workbook(workbook_path: str | os.PathLike, plan_path: str | os.PathLike,
                    force: bool = False) -> list[str]:
    """Import a workbook as a new plan file; returns the warnings.

    Refuses (PlanError) to replace an existing plan file unless ``force``. On any problem raises
    ImportProblems and writes nothing; the plan file appears only once completely written.
    """
    from planner.document import PlanDocument

    target = Path(plan_path)
    if target.exists() and not force:
        raise PlanError(f"'{target}' already exists; choose another name (or --force to "
                        f"replace it).")
    plan, warnings = read_workbook(workbook_path)
    # PlanDocument.create builds the file under a temporary name and renames it into place,
    # so a failure part-way never leaves a half-written plan.
    PlanDocument.create(target, plan, overwrite=force).close()
    return warnings


def export_plan(plan_path: str | os.PathLike, workbook_path: str | os.PathLike) -> None:
    """Export the plan file at ``plan_path`` to a workbook."""
    from planner.document import PlanDocument

    doc = PlanDocument.open(plan_path)
    try:
        export_workbook(doc.plan, workbook_path)
    finally:
        doc.close()
