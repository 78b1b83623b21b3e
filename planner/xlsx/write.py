"""Writing a workbook: a plan's sheets, or the blank template, with headers, lists and the Guide."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable

from planner.codec import clean_text
from planner.errors import PlanError
from planner.limits import EXCEL_CELL_TEXT
from planner.model import (
    ACTION_STATUSES, DEPENDENCY_TYPES, DIRECTIONS, MEASURE_KINDS, MEASURE_TYPES,
    MILESTONE_STATUSES, ROLES, Plan,
)
from planner.xlsx.columns import GUIDE, GUIDE_SHEET, PLAN_KEYS, SHEETS

_DATE_FORMAT = "d mmm yyyy"
_CHECK_FORMAT = "+0;-0;0"


def _cell_value(value: Any) -> Any:
    """A value a workbook can hold: text loses characters XML (and so Excel) cannot store."""
    return clean_text(value) if isinstance(value, str) else value


def _refuse_overlong(sheet: str, row_number: int, columns: list[str], row: list[Any]) -> None:
    """Excel keeps at most 32,767 characters in a cell: refuse rather than cut text silently."""
    for i, v in enumerate(row):
        if isinstance(v, str) and len(v) > EXCEL_CELL_TEXT:
            column = columns[i] if i < len(columns) else f"column {i + 1}"
            raise PlanError(f"The workbook was not written: {sheet} row {row_number}, {column}, "
                            f"holds {len(v):,} characters and an Excel cell holds at most "
                            f"{EXCEL_CELL_TEXT:,}. Shorten it in the plan and export again.")


def _text_state(rows: list[list[Any]]) -> tuple[bool, bool]:
    """(some text is longer than a cell holds, all text is clean) for a sheet's rows: what
    checking each value with ``_refuse_overlong`` and ``_cell_value`` would find, worked out
    over all of the sheet's text at once (issue 13)."""
    texts = [v for row in rows for v in row if isinstance(v, str)]
    joined = "\n".join(texts)
    return (bool(texts) and max(map(len, texts)) > EXCEL_CELL_TEXT,
            clean_text(joined) is joined)


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
                           _join(i.challenges), i.rationale or None, i.uid]
                          for i in plan.initiatives.values()]
    out["Actions"] = [[a.id, a.title, a.initiative, name_of(a.owner), _join(a.challenges),
                       a.duration, a.not_before, a.deadline, a.status, a.percent,
                       a.actual_start, a.actual_finish, _yes(a.coproduced), a.phase,
                       a.notes or None, a.description or None, a.coproduced_with or None,
                       a.check_control, a.check_opportunity, a.check_hope, a.tag or None, a.uid]
                      for a in plan.actions.values()]
    out["Dependencies"] = [[d.action, d.needs, d.type, d.lag, d.uid]
                           for d in plan.dependencies.values()]
    out["Milestones"] = [[m.id, m.title, m.action, name_of(m.owner), m.baseline, m.forecast,
                          m.actual, m.status, _yes(m.governance), m.initiative,
                          m.comment or None, m.uid] for m in plan.milestones.values()]
    out["Measures"] = [[m.id, m.name, m.kind, m.unit or None, m.direction, m.source or None,
                        _join(m.challenges), m.baseline, m.baseline_date, m.target,
                        m.target_date, m.spc_fix_after,
                        _join(d.isoformat() for d in m.spc_rebase), m.measure_type,
                        m.denominator or None, m.so_what or None, m.next_action or None,
                        m.action_by, m.uid]
                       for m in plan.measures.values()]
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
                     r.mitigation or None, _join(r.actions), _join(r.challenges),
                     r.target_likelihood, r.target_impact, r.baf_ref or None, r.uid]
                    for r in plan.risks.values()]
    out["Holidays"] = [[d] for d in sorted(s.holidays)]
    return out


_WIDTHS = {"Title": 48, "Name": 28, "Description": 40, "Notes": 36, "Evidence": 48,
           "Comment": 36, "Mitigation": 36, "Key": 22, "Value": 48, "Initiative": 30,
           "Email": 28, "Team": 24, "Source": 28, "Note": 30, "Co-produced with": 24,
           "Assessed by": 24, "Stage": 18, "Status": 14, "Owner": 22, "Action": 12,
           "Needs": 12, "Measure": 12, "UID": 34}
_DATE_COLUMNS = {"Not before", "Deadline", "Actual start", "Actual finish", "Baseline date",
                 "Target date", "Date", "Start", "Forecast", "Actual", "Action by"}
_SHEET_DATE_COLUMNS = {("Milestones", "Baseline")}
"""Date columns whose name means a number on another sheet (a measure's baseline is a figure)."""


def _is_date_column(sheet: str, column: str) -> bool:
    """A column of dates, shown as ``planner.dates.short_date`` writes them (``d mmm yyyy``)."""
    return column in _DATE_COLUMNS or (sheet, column) in _SHEET_DATE_COLUMNS
_CHOICES = {
    ("People", "Role"): ROLES, ("Actions", "Status"): ACTION_STATUSES,
    ("Actions", "Co-produced"): ["yes", "no"], ("Dependencies", "Type"): DEPENDENCY_TYPES,
    ("Milestones", "Status"): MILESTONE_STATUSES, ("Milestones", "Governance"): ["yes", "no"],
    ("Measures", "Kind"): MEASURE_KINDS, ("Measures", "Type"): MEASURE_TYPES,
    ("Measures", "Direction"): DIRECTIONS,
}

_INTRO = [
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
"""The Guide sheet's opening: a title, then paragraphs."""


def _declare_size(ws: Any, n_columns: int, n_rows: int) -> None:
    """Have a write-only sheet start with its ``<dimension>``, as Excel's own files do.

    openpyxl writes a sheet's size only when it can work it out, which a write-only sheet cannot;
    without it, openpyxl (and so our import) parses the whole sheet once just to find its size,
    then again to read it (issue 13). The rows are known before the first is written, so the
    size is declared here; it is read when the sheet's first row is appended.
    """
    from openpyxl.utils import get_column_letter

    ref = f"A1:{get_column_letter(max(1, n_columns))}{max(1, n_rows)}"
    ws.calculate_dimension = lambda: ref


def _write(plan: Plan | None, path: Path, rows_hint: int = 500,
           lineage: list[tuple[str, str]] | None = None) -> None:
    """Write the workbook (every sheet, headers, Guide) to ``path`` directly."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    def cell(ws: Any, value: Any, **style: Any) -> WriteOnlyCell:
        """A cell for ``ws`` holding ``value``, with the given attributes set."""
        c = WriteOnlyCell(ws, value=value)
        for name, setting in style.items():
            setattr(c, name, setting)
        return c

    wb = Workbook(write_only=True)
    wb.properties.creator = "Recovery Change Planner"
    wb.properties.title = plan.settings.name if plan is not None else "Plan workbook"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    values = _sheet_values(plan) if plan is not None else {name: [] for name in SHEETS}
    if plan is None:
        values["Plan"] = [[label, None] for label, _ in PLAN_KEYS if label != "Plan ID"]
    clean: dict[str, bool] = {}
    for sheet, columns in SHEETS.items():  # before anything is written
        # a sheet's text measured and searched for characters XML cannot hold all at once,
        # row by row only when some of it is too long or needs cleaning (issue 13)
        too_long, clean[sheet] = _text_state(values[sheet])
        if too_long:
            for n, row in enumerate(values[sheet], 2):
                _refuse_overlong(sheet, n, columns, row)
    stages = plan.stages if plan is not None else None
    choices = list(_CHOICES.items()) + (
        [(("Assessments", "Stage"), stages), (("Challenges", "Target stage"), stages)]
        if stages else [])
    for sheet, columns in SHEETS.items():
        ws = wb.create_sheet(sheet)
        ws.freeze_panes = "A2"
        for i, col in enumerate(columns, start=1):
            letter = get_column_letter(i)
            ws.column_dimensions[letter].width = _WIDTHS.get(
                col, 14 if _is_date_column(sheet, col) else 12)
            if col == "UID":
                ws.column_dimensions[letter].hidden = True
        n_rows = len(values[sheet]) + rows_hint
        for (sname, col), options in choices:
            joined = ",".join(options)
            if sname == sheet and len(joined) < 250 and not any("," in o or '"' in o
                                                               for o in options):
                letter = get_column_letter(columns.index(col) + 1)
                dv = DataValidation(type="list", formula1='"' + joined + '"',
                                    allow_blank=True, showErrorMessage=False)
                dv.add(f"{letter}2:{letter}{n_rows + 1}")
                ws.data_validations.append(dv)
        _declare_size(ws, len(columns), len(values[sheet]) + 1)
        ws.append([cell(ws, col, font=bold, fill=fill) for col in columns])
        date_idx = {i for i, c in enumerate(columns) if _is_date_column(sheet, c)}
        check_idx = {i for i, c in enumerate(columns) if c in ("Control", "Opportunity", "Hope")}
        is_plan = sheet == "Plan"
        dirty = not clean[sheet]
        for row in values[sheet]:  # fresh lists from _sheet_values: changed in place, one pass
            for i, v in enumerate(row):
                if isinstance(v, str):
                    if dirty:
                        v = row[i] = _cell_value(v)
                    if v[:1] == "=":
                        # text such as "=approx" must stay text, not become a formula
                        row[i] = cell(ws, v, data_type="s")
                        continue
                elif v is None:
                    continue
                if i in date_idx or (is_plan and isinstance(v, date)):
                    row[i] = cell(ws, v, number_format=_DATE_FORMAT)
                elif i in check_idx:
                    row[i] = cell(ws, v, number_format=_CHECK_FORMAT)
            ws.append(row)
    guide = wb.create_sheet(GUIDE_SHEET)
    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["B"].width = 20
    guide.column_dimensions["C"].width = 100
    wrap = Alignment(wrap_text=True, vertical="top")
    _declare_size(guide, 3, len(_INTRO) + 2 + sum(len(c) for c in GUIDE.values()))
    guide.append([cell(guide, _INTRO[0], alignment=wrap, font=Font(bold=True, size=13))])
    for line in _INTRO[1:]:
        guide.append([None, None, cell(guide, line, alignment=wrap)])
    guide.append([])
    guide.append([cell(guide, h) for h in ("Sheet", "Column", "What to put in it")])
    for sheet, columns in GUIDE.items():
        for col, meaning in columns.items():
            guide.append([sheet, col, cell(guide, meaning, alignment=wrap)])
    if lineage:
        hidden = wb.create_sheet("Lineage")
        hidden.sheet_state = "hidden"
        for key, value in lineage:
            hidden.append([key, value])
    wb.save(path)
