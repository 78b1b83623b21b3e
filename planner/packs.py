"""Update packs: one owner's actions and milestones in a small workbook, filled in offline, merged back.

A pack is an Excel workbook (it opens in Excel or LibreOffice, no planner needed) with:

- "How to update": a few plain lines for the owner;
- "Actions" and "Milestones": the owner's records; the columns they may change (status, percent,
  forecast, actual dates, comment) are unlocked, everything else is locked by sheet protection;
- a hidden "Pack" sheet naming the plan, the state the pack was made from (its last journal
  step), the pack's own id, the owner, and the base value of every editable cell, with an
  integrity check (HMAC-SHA256 under a secret kept in the plan file) over all of it.

Merging a pack back is three-way per field against those base values (see :mod:`planner.merge`):
a field only the owner changed is applied; a field also changed in the plan since is a conflict,
left alone unless ``prefer`` says otherwise; the applied changes are one undoable step journaled
under the owner's name. A pack from another plan, or with its hidden sheet altered, is refused.
The same command takes a full workbook written by ``export-xlsx``: its hidden "Lineage" sheet
names the plan and state, and the plan as it was then is the base.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from planner import codec
from planner.changes import SETTINGS, WHOLE
from planner.dates import short_date
from planner.document import PlanDocument
from planner.errors import ImportProblems, PlanError
from planner.files import replaced_atomically
from planner.lineage import plan_at, signing_key, sign, verify
from planner.merge import Incoming, MergeRefused, MergeReport, merge_incoming
from planner.model import ACTION_STATUSES, KINDS, MILESTONE_STATUSES, Plan, new_uid
from planner.owners import find_person, owned_work
from planner.xlsx.values import STATUS_SYNONYMS, _Row

PACK_FORMAT = "rcp-update-pack-1"
LINEAGE_FORMAT = "rcp-workbook-lineage-1"
PACK_SHEET = "Pack"
LINEAGE_SHEET = "Lineage"
HOW_SHEET = "How to update"

# (header, field, editable, kind of value) per sheet
ACTION_COLUMNS = [
    ("ID", "id", False, "text"), ("Title", "title", False, "text"),
    ("Initiative", "initiative", False, "text"), ("Duration", "duration", False, "int"),
    ("Not before", "not_before", False, "date"), ("Deadline", "deadline", False, "date"),
    ("Status", "status", True, "action status"), ("Percent", "percent", True, "percent"),
    ("Actual start", "actual_start", True, "date"), ("Actual finish", "actual_finish", True, "date"),
    ("Comment", "notes", True, "text"), ("UID", "uid", False, "text"),
]
MILESTONE_COLUMNS = [
    ("ID", "id", False, "text"), ("Title", "title", False, "text"),
    ("Action", "action", False, "text"), ("Baseline", "baseline", False, "date"),
    ("Forecast", "forecast", True, "date"), ("Actual", "actual", True, "date"),
    ("Status", "status", True, "milestone status"), ("Comment", "comment", True, "text"),
    ("UID", "uid", False, "text"),
]
SHEET_COLUMNS = {"Actions": ("action", ACTION_COLUMNS), "Milestones": ("milestone", MILESTONE_COLUMNS)}
EDITABLE = {kind: [f for _, f, editable, _ in cols if editable]
            for kind, cols in SHEET_COLUMNS.values()}

HOW_TO = [
    "How to update this pack",
    "1. Go to the Actions and Milestones sheets. Only the white columns can be changed: status, "
    "percent complete, forecast and actual dates, and a comment. The grey columns are locked.",
    "2. Type dates as real dates, or as YYYY-MM-DD or DD/MM/YYYY. Percent is a whole number "
    "from 0 to 100. Pick a status from the list.",
    "3. Save the file (keep it as .xlsx) and send it back to the recovery lead. Do not rename "
    "or delete sheets: the hidden one tells the planner which plan this pack belongs to.",
    "4. If someone changed the same thing in the plan meanwhile, the lead sees both values and "
    "chooses; nothing you typed is lost silently.",
]


@dataclass
class PackInfo:
    """What ``make_pack`` wrote."""

    path: Path
    owner: str
    actions: int
    milestones: int
    pack_id: str
    state: str


@dataclass
class PackResult:
    """What merging a pack or workbook did: the merge report and how it was refused, if it was."""

    report: MergeReport
    kind: str  # "pack" or "workbook"
    owner: str = ""
    already_merged: bool = False
    notes: list[str] = field(default_factory=list)


def _json(value: Any) -> Any:
    return codec.to_json(value)


def make_pack(doc: PlanDocument, owner: str, path: str | os.PathLike) -> PackInfo:
    """Write an update pack for one owner (whole or not at all)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    plan = doc.plan
    person = find_person(plan, owner)
    actions, milestones = owned_work(plan, person.id)
    base: list[list[Any]] = []
    content = {"format": PACK_FORMAT, "plan_id": plan.settings.plan_id, "state": doc.state_id,
               "pack_id": new_uid(), "owner": person.id,
               "made": datetime.now(timezone.utc).isoformat(timespec="seconds")}

    wb = Workbook(write_only=True)
    wb.properties.creator = "Recovery Change Planner"
    wb.properties.title = f"Update pack for {person.name}: {plan.settings.name}"
    bold, grey = Font(bold=True), PatternFill("solid", fgColor="E7E6E6")
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    unlocked = Protection(locked=False)
    how = wb.create_sheet(HOW_SHEET)
    how.column_dimensions["A"].width = 110
    wrap = Alignment(wrap_text=True, vertical="top")
    first = WriteOnlyCell(how, value=HOW_TO[0])
    first.font = Font(bold=True, size=13)
    how.append([first])
    how.append([f"Plan: {plan.settings.name}. Owner: {person.name}. Made on "
                f"{short_date(date.today())}."])
    for line in HOW_TO[1:]:
        c = WriteOnlyCell(how, value=line)
        c.alignment = wrap
        how.append([c])

    for sheet, (kind, columns) in SHEET_COLUMNS.items():
        records = actions if kind == "action" else milestones
        ws = wb.create_sheet(sheet)
        ws.freeze_panes = "C2"
        ws.protection.sheet = True
        ws.protection.formatColumns = False  # owners may widen columns
        ws.protection.autoFilter = False
        for i, (header, fname, editable, value_kind) in enumerate(columns, start=1):
            letter = get_column_letter(i)
            ws.column_dimensions[letter].width = {"Title": 44, "Comment": 40, "UID": 34}.get(
                header, 14)
            if header == "UID":
                ws.column_dimensions[letter].hidden = True
            if editable and value_kind.endswith("status"):
                options = ACTION_STATUSES if kind == "action" else MILESTONE_STATUSES
                dv = DataValidation(type="list", formula1='"' + ",".join(options) + '"',
                                    allow_blank=True)
                dv.add(f"{letter}2:{letter}{len(records) + 1}")
                ws.data_validations.append(dv)
            if value_kind == "percent":
                dv = DataValidation(type="whole", operator="between", formula1="0",
                                    formula2="100", allow_blank=True)
                dv.error = "Percent complete is a whole number from 0 to 100."
                dv.add(f"{letter}2:{letter}{len(records) + 1}")
                ws.data_validations.append(dv)
        header_cells = []
        styles = []  # one styled model cell per column; each row's cells share its style
        for header, _, editable, value_kind in columns:
            c = WriteOnlyCell(ws, value=header)
            c.font, c.fill = bold, head_fill
            header_cells.append(c)
            model = WriteOnlyCell(ws)
            if value_kind == "date":
                model.number_format = "d mmm yyyy"
            if editable:
                model.protection = unlocked
            else:
                model.fill = grey
            styles.append(model._style)
        ws.append(header_cells)
        fields = [(fname, style) for (_, fname, _, _), style in zip(columns, styles)]
        editable_fields = EDITABLE[kind]
        for rec in records:
            row = []
            for fname, style in fields:
                value = getattr(rec, fname)
                if fname == "initiative" and value in plan.initiatives:
                    value = plan.initiatives[value].title
                c = WriteOnlyCell(ws, value=codec.clean_text(value) if isinstance(value, str)
                                  and value else (value if value != "" else None))
                if isinstance(value, str) and value[:1] == "=":
                    c.data_type = "s"
                c._style = style
                row.append(c)
            ws.append(row)
            base.append([kind, rec.uid, rec.id, json.dumps(
                {f: _json(getattr(rec, f)) for f in editable_fields}, sort_keys=True)])

    content["base"] = base
    signature = sign(signing_key(doc), content)
    hidden = wb.create_sheet(PACK_SHEET)
    hidden.sheet_state = "hidden"
    hidden.protection.sheet = True
    for key in ("format", "plan_id", "state", "pack_id", "owner", "made"):
        hidden.append([key, content[key]])
    hidden.append(["owner_name", person.name])
    hidden.append(["check", signature])
    hidden.append(["base", len(base)])
    hidden.append(["kind", "uid", "id", "values"])
    for row in base:
        hidden.append(row)
    target = Path(path)
    with replaced_atomically(target) as tmp:
        wb.save(tmp)
    return PackInfo(target, person.name, len(actions), len(milestones), content["pack_id"],
                    content["state"])


# ----- reading a returned pack --------------------------------------------------------------------

def _open_workbook(path: Path):
    from openpyxl import load_workbook

    if not path.exists():
        raise PlanError(f"There is no file '{path}'.")
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zip, xml and format errors from openpyxl
        raise MergeRefused(f"'{path.name}' could not be opened as an Excel workbook (.xlsx): "
                           f"{str(exc)[:200]}. Nothing was changed.") from None


def _sheet(wb, name: str):
    for ws in wb.worksheets:
        if ws.title.strip().casefold() == name.casefold():
            return ws
    return None


def _rows(ws) -> list[tuple]:
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()
    return [tuple(c.value for c in r) for r in ws.iter_rows()]


def _read_identity(ws) -> dict:
    rows = _rows(ws)
    info: dict[str, Any] = {}
    base: list[list[Any]] = []
    in_base = False
    for r in rows:
        cells = list(r) + [None] * 4
        if in_base:
            if any(v is not None for v in cells[:4]):
                base.append([str(v) if v is not None else "" for v in cells[:4]])
            continue
        if cells[0] == "kind" and cells[1] == "uid":
            in_base = True
            continue
        if isinstance(cells[0], str):
            info[cells[0]] = "" if cells[1] is None else str(cells[1])
    info["base"] = base
    return info


def merge_pack(doc: PlanDocument, path: str | os.PathLike, *, prefer: str | None = None,
               dry_run: bool = False, choices: dict[tuple, str] | None = None) -> PackResult:
    """Merge a returned update pack or an exported workbook into ``doc``; MergeRefused if unusable."""
    path = Path(path)
    wb = _open_workbook(path)
    try:
        pack_ws = _sheet(wb, PACK_SHEET)
        if pack_ws is not None:
            return _merge_update_pack(doc, path, wb, pack_ws, prefer, dry_run, choices)
        lineage_ws = _sheet(wb, LINEAGE_SHEET)
    finally:
        wb.close()
    if lineage_ws is None:
        raise MergeRefused(f"'{path.name}' is not an update pack or a workbook exported from a "
                           "plan (it has no hidden sheet saying which plan it came from). To "
                           "make a new plan from it, use import-xlsx. Nothing was changed.")
    return _merge_workbook(doc, path, prefer, dry_run, choices)


def _merge_update_pack(doc: PlanDocument, path: Path, wb, pack_ws, prefer, dry_run,
                       choices) -> PackResult:
    def refuse(why: str) -> MergeRefused:
        return MergeRefused(f"The pack '{path.name}' was refused: {why} Nothing was changed.")

    info = _read_identity(pack_ws)
    if info.get("format") != PACK_FORMAT:
        raise refuse("its hidden sheet is not one the planner wrote (or is from a newer version).")
    if info.get("plan_id") != doc.plan.settings.plan_id:
        raise refuse("it was made from another plan, not this one.")
    content = {k: info.get(k, "") for k in ("format", "plan_id", "state", "pack_id", "owner",
                                            "made")}
    content["base"] = info["base"]
    if not verify(signing_key(doc), content, info.get("check", "")):
        raise refuse("its hidden sheet was changed after the pack was made (the integrity "
                     "check does not match), so it cannot be trusted.")
    owner_id = content["owner"]
    owner_name = info.get("owner_name") or owner_id
    base: dict[tuple[str, str, str], Any] = {}
    keys: dict[tuple[str, str], str] = {}
    for kind, uid, key, values in info["base"]:
        try:
            for fname, value in json.loads(values).items():
                base[(kind, uid, fname)] = value
        except (ValueError, AttributeError):
            raise refuse("its base values are damaged.") from None
        keys[(kind, uid)] = key

    problems: list[str] = []
    notes: list[str] = []
    incoming: list[Incoming] = []
    for sheet, (kind, columns) in SHEET_COLUMNS.items():
        ws = _sheet(wb, sheet)
        wanted = {u for (k, u, _) in base if k == kind}
        if ws is None:
            if wanted:
                raise refuse(f"its {sheet} sheet is missing.")
            continue
        rows = _rows(ws)
        if not rows:
            continue
        header = [str(v).strip() if v is not None else "" for v in rows[0]]
        index = {h: i for i, h in enumerate(header)}
        if "UID" not in index:
            raise refuse(f"the {sheet} sheet lost its hidden UID column.")
        seen: set[str] = set()
        for n, cells in enumerate(rows[1:], start=2):
            cells = list(cells) + [None] * len(header)
            uid = str(cells[index["UID"]] or "").strip()
            if not uid:
                if any(v not in (None, "") for v in cells):
                    notes.append(f"{sheet}, row {n}: a row added in the pack was ignored (new "
                                 "records are added in the plan itself)")
                continue
            if uid not in wanted or uid in seen:
                notes.append(f"{sheet}, row {n}: not one of the pack's own rows; ignored")
                continue
            seen.add(uid)
            values = {h: cells[i] for h, i in index.items() if cells[i] not in (None, "")}
            row = _Row(sheet, n, values, {}, problems)
            for header_name, fname, editable, value_kind in columns:
                if not editable:
                    continue
                if header_name not in index:
                    problems.append(f"{sheet}: the column {header_name} is missing")
                    continue
                new = _cell(row, header_name, value_kind)
                old = base.get((kind, uid, fname))
                if _json(new) != old:
                    incoming.append(Incoming(kind, uid, keys[(kind, uid)], fname, old, _json(new)))
        missing = wanted - seen
        if missing:
            notes.append(f"{sheet}: {len(missing)} row{'s' if len(missing) != 1 else ''} of the "
                         "pack were deleted there; nothing was removed from the plan")
    if problems:
        raise MergeRefused(f"The pack '{path.name}' was not merged ({len(problems)} problem"
                           f"{'s' if len(problems) != 1 else ''}); nothing was changed:\n"
                           + "\n".join("  - " + p for p in problems))
    already = doc.conn.execute("SELECT 1 FROM merged_steps WHERE step = ?",
                               (content["pack_id"],)).fetchone() is not None
    report = merge_incoming(
        doc, incoming, source=f"the pack from {owner_name}",
        label=f"merge update pack from {owner_name}", who=owner_name,
        prefer={"pack": "theirs", "plan": "mine"}.get(prefer or ""), choices=choices,
        dry_run=dry_run, merged_ids=[content["pack_id"]])
    report.notes.extend(notes)
    if already:
        report.notes.append("this pack was merged before; only what is still different was "
                            "looked at")
    return PackResult(report, "pack", owner_name, already, notes)


def _cell(row: _Row, column: str, value_kind: str) -> Any:
    if value_kind == "date":
        return row.day(column)
    if value_kind == "percent":
        return row.percent(column)
    if value_kind == "action status":
        return row.choice(column, ACTION_STATUSES, "not started", STATUS_SYNONYMS)
    if value_kind == "milestone status":
        return row.choice(column, MILESTONE_STATUSES, "planned", STATUS_SYNONYMS)
    return row.text(column)


# ----- full workbooks -----------------------------------------------------------------------------

def workbook_lineage(doc: PlanDocument) -> list[tuple[str, str]]:
    """The hidden Lineage sheet's rows for a workbook exported from ``doc``."""
    content = {"format": LINEAGE_FORMAT, "plan_id": doc.plan.settings.plan_id,
               "state": doc.state_id,
               "made": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    return [*content.items(), ("check", sign(signing_key(doc), content))]


def _merge_workbook(doc: PlanDocument, path: Path, prefer, dry_run, choices) -> PackResult:
    from openpyxl import load_workbook

    from planner.xlsx import read_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = _rows(_sheet(wb, LINEAGE_SHEET))
    finally:
        wb.close()
    info = {str(r[0]): ("" if r[1] is None else str(r[1])) for r in rows if r and r[0]}
    content = {k: info.get(k, "") for k in ("format", "plan_id", "state", "made")}

    def refuse(why: str) -> MergeRefused:
        return MergeRefused(f"The workbook '{path.name}' was refused: {why} Nothing was changed.")

    if content["format"] != LINEAGE_FORMAT:
        raise refuse("its Lineage sheet is not one the planner wrote.")
    if content["plan_id"] != doc.plan.settings.plan_id:
        raise refuse("it was exported from another plan, not this one.")
    if not verify(signing_key(doc), content, info.get("check", "")):
        raise refuse("its Lineage sheet was changed after export (the integrity check does not "
                     "match), so it cannot be trusted.")
    try:
        theirs, warnings = read_workbook(path)
    except ImportProblems as exc:
        raise MergeRefused(str(exc).replace("was not imported", "was not merged")) from None
    if theirs.settings.plan_id != doc.plan.settings.plan_id:
        raise refuse("its Plan sheet names another plan.")
    try:
        base = plan_at(doc, content["state"])
    except PlanError as exc:
        raise refuse(str(exc)) from None
    incoming = diff_plans(base, theirs)
    report = merge_incoming(doc, incoming, source=f"the workbook '{path.name}'",
                            label=f"merge workbook {path.name}",
                            prefer={"pack": "theirs", "plan": "mine"}.get(prefer or ""),
                            choices=choices, dry_run=dry_run,
                            restore={r.uid: codec.record_to_json(r) for k in KINDS
                                     for r in theirs.collection(k).values()})
    report.notes.extend(w for w in warnings if "not one the planner reads" not in w)
    return PackResult(report, "workbook")


def diff_plans(base: Plan, theirs: Plan) -> list[Incoming]:
    """Net changes that turn ``base`` into ``theirs``, matched record by record on uid."""
    out: list[Incoming] = []
    b_settings, t_settings = (codec.record_to_json(base.settings),
                              codec.record_to_json(theirs.settings))
    out += [Incoming(SETTINGS, base.settings.plan_id, "plan", f, b_settings[f], v)
            for f, v in t_settings.items() if f != "plan_id" and b_settings.get(f) != v]
    for kind in KINDS:
        old = {r.uid: codec.record_to_json(r) for r in base.collection(kind).values()}
        new = {r.uid: codec.record_to_json(r) for r in theirs.collection(kind).values()}
        key = KINDS[kind].key
        for uid, rec in new.items():
            if uid not in old:
                out.append(Incoming(kind, uid, rec[key], WHOLE, None, rec))
                continue
            out += [Incoming(kind, uid, old[uid][key], f, old[uid][f], v)
                    for f, v in rec.items() if f not in ("uid", key) and old[uid].get(f) != v]
        out += [Incoming(kind, uid, rec[key], WHOLE, rec, None)
                for uid, rec in old.items() if uid not in new]
    return out
