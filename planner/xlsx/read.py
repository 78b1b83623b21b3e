"""Reading and checking a workbook: finding its sheets, header rows and data rows."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from planner.archive import UnsafeArchive, check_archive, listed_sheets
from planner.errors import ImportProblems, NotAWorkbook, PlanError
from planner.model import Plan
from planner.xlsx.build import build_plan
from planner.xlsx.columns import (
    _HEADER_INDEX, _PLAN_KEYS, _SHEET_INDEX, NON_DATA_SHEETS, REQUIRED, SHEETS, normalise,
)
from planner.xlsx.values import _Row

_HEADER_SEARCH_ROWS = 12
MAX_ROWS = 200_000
"""Rows read from one sheet: ten times the 20,000-action benchmark (issue 9)."""


def _cell_rows(ws):
    """The slow path: each row as (values, formats, row number), through openpyxl's cells.
    ``formats(i)`` is the number format of the row's i-th cell (or None)."""
    for cells in ws.iter_rows():
        yield (tuple(c.value for c in cells),
               lambda i, cells=cells: getattr(cells[i], "number_format", None),
               _row_number(cells, None))


def _worksheet_parser(ws, src):
    """openpyxl's parser of the sheet's XML, set up as its read-only sheet sets it up."""
    from openpyxl.worksheet._reader import WorkSheetParser

    return WorkSheetParser(src, ws._shared_strings, data_only=ws.parent.data_only,
                           epoch=ws.parent.epoch, date_formats=ws.parent._date_formats,
                           timedelta_formats=ws.parent._timedelta_formats)


def _openpyxl_cells(ws):
    """The sheet's rows as openpyxl's own parser reads them: (row number, cells), each cell as
    (row, column, value, style id). The plain path, kept for workbooks read with formulas and
    for the property test of :func:`_c_cells`."""
    with ws._get_source() as src:
        for idx, row in _worksheet_parser(ws, src).parse():
            yield idx, [(c["row"], c["column"], c["value"], c["style_id"]) for c in row]


def _c_cells(ws):
    """:func:`_openpyxl_cells` on the C XML parser (planner/xlsx/sheet_xml.py, issue 13)."""
    from planner.xlsx.sheet_xml import sheet_rows

    return sheet_rows(ws, _worksheet_parser(ws, None))


def _parsed_rows(ws, cells=None):
    """The fast path of :func:`_cell_rows` (issue 13): the same rows read straight from the
    sheet's XML, with no cell object per cell and each style's number format looked up
    once. It repeats openpyxl's read-only row filling (``_cells_by_row`` and ``_get_row`` with no
    size: missing rows are empty, a row is as wide as its last cell); a property test holds it
    to the slow path. ``cells`` reads the XML (default: :func:`_c_cells` for a workbook opened
    for values, as the import opens it, else openpyxl's parser)."""
    from openpyxl.cell.read_only import ReadOnlyCell

    if cells is None:
        cells = _c_cells if ws.parent.data_only else _openpyxl_cells
    formats: dict[int | None, str | None] = {None: None}

    def number_format(style_id: int | None) -> str | None:
        if style_id is None:
            return None  # no cell here (openpyxl's empty cell has no format)
        fmt = formats.get(style_id)
        if fmt is None:
            fmt = formats[style_id] = ReadOnlyCell(ws, 0, 0, None, "n", style_id).number_format
        return fmt

    counter = 1
    for idx, row in cells(ws):
        while counter < idx:
            counter += 1
            yield (), None, None
        if counter <= idx:
            counter += 1
            if not row:
                yield (), None, None
                continue
            width = row[-1][1]
            values: list[Any] = [None] * width
            styles: list[int | None] = [None] * width
            low = width + 1
            number = None
            for at, column, value, style_id in row:
                if 1 <= column <= width:
                    values[column - 1] = value
                    styles[column - 1] = style_id
                    if column <= low:  # the row of the leftmost cell, as the slow path
                        low, number = column, at
            try:  # every style of the row already looked up: a plain list
                fmt_of = [formats[s] for s in styles].__getitem__
            except KeyError:  # looked up as the row's values are read, and only then
                fmt_of = lambda i, styles=styles: number_format(styles[i])  # noqa: E731
            yield tuple(values), fmt_of, number


def _rows_of(ws):
    """Rows of a sheet as (values, formats, row number): the fast path where openpyxl's
    read-only sheet is the one it was written against, else through its cells."""
    if type(ws).__name__ == "ReadOnlyWorksheet" and hasattr(ws, "_get_source") and \
            hasattr(ws, "_shared_strings") and _parser_available():
        return _parsed_rows(ws)
    return _cell_rows(ws)


def _parser_available() -> bool:
    try:
        from openpyxl.worksheet._reader import WorkSheetParser  # noqa: F401
    except ImportError:  # pragma: no cover - a future openpyxl without it
        return False
    return True


def _sheet_rows(ws, sheet: str, problems: list[str], warnings: list[str],
                rows_iter=None) -> list[_Row]:
    """The data rows of a sheet, found under its header row (which need not be the first)."""
    index = _HEADER_INDEX[sheet]
    if rows_iter is None:
        rows_iter = _rows_of(ws)
    header_cols: dict[int, str] | None = None
    header_row = 0
    unknown: list[str] = []
    out: list[_Row] = []
    seen = 0
    for count, (cells, fmt_of, number) in enumerate(rows_iter, 1):
        if count > MAX_ROWS:
            problems.append(f"{sheet}: the sheet has more than {MAX_ROWS:,} rows, the most an "
                            "import reads; split the plan or remove empty rows Excel kept")
            return []
        if header_cols is None:
            seen += 1
            texts = [(c.strip() if isinstance(c, str) else c) for c in cells]
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
                header_row = number if number is not None else seen
                unknown = others
                continue
            first = next((i for i, t in enumerate(texts) if t not in (None, "")), None)
            if sheet == "Plan" and first is not None and normalise(texts[first]) in _PLAN_KEYS:
                # a settings sheet with no Key/Value header: the first filled column holds the
                # keys and the next one the values; this row is already data
                header_cols = {first: "Key", first + 1: "Value"}
                header_row = (number if number is not None else seen) - 1
            elif seen >= _HEADER_SEARCH_ROWS:
                break
            else:
                continue
        values: dict[str, Any] = {}
        formats: dict[str, str] = {}
        width = len(cells)
        for i, name in header_cols.items():
            if i < width:
                v = cells[i]
                if v is None:
                    continue
                if isinstance(v, str) and not v.strip():
                    continue
                values[name] = v
                fmt = fmt_of(i)
                if fmt:
                    formats[name] = fmt
        if not values:
            continue  # blank row (or one with only unknown columns filled)
        out.append(_Row(sheet, number if number is not None else header_row + 1, values,
                        formats, problems))
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



SAVE_AS_XLSX = ("Open it in Excel (or LibreOffice) and save it as 'Excel Workbook (*.xlsx)', then "
                "import that. Nothing was imported.")


def check_is_workbook(path: Path) -> None:
    """Refuse, in plain words, a file that is not an Excel workbook at all (issue 10): a CSV
    renamed to .xlsx used to get only "File is not a zip file". A damaged workbook passes here
    and is described by the reading that follows."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return  # the reading that follows says why it cannot be read
    name = f"'{path.name}'"
    if head.startswith(b"PK"):
        import zipfile

        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return  # a damaged workbook, or not one: the archive check says which
        if names and not any(n.startswith("xl/") for n in names):
            raise NotAWorkbook(f"{name} is not an Excel workbook (.xlsx): it is a zip archive or "
                               f"another kind of document. {SAVE_AS_XLSX}")
        return
    if not head.strip():
        raise NotAWorkbook(f"{name} is empty: it is not an Excel workbook (.xlsx). "
                           "Choose the workbook itself. Nothing was imported.")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        what = "an older Excel file (.xls) or another old Office file"
    elif b"\0" not in head:
        text = head.decode("utf-8", errors="replace").lstrip("\ufeff \r\n\t")
        first = text.splitlines()[0] if text else ""
        if text.startswith("<"):
            what = "a web page or XML file"
        elif any(sep in first for sep in (",", ";", "\t")):
            what = "text with values separated by commas (a CSV file, renamed)"
        else:
            what = "plain text"
    else:
        what = "another kind of file"
    raise NotAWorkbook(f"{name} is not an Excel workbook (.xlsx): it holds {what}. {SAVE_AS_XLSX}")


def read_workbook(path: str | os.PathLike) -> tuple[Plan, list[str]]:
    """Read a plan workbook into a Plan in memory; returns (plan, warnings).

    Raises :class:`ImportProblems` listing every problem (sheet, row, column) if any is found.
    Nothing is written anywhere.
    """
    from planner.storage import collector_paused

    with collector_paused():  # sheets, rows and records hold no cycles (issue 13)
        return _read_workbook(path)


def _read_workbook(path: str | os.PathLike) -> tuple[Plan, list[str]]:
    from openpyxl import load_workbook

    path = Path(path)
    problems: list[str] = []
    warnings: list[str] = []
    if not path.exists():
        raise PlanError(f"There is no workbook at {path}")
    check_is_workbook(path)
    try:
        check_archive(path)
    except UnsafeArchive as exc:
        raise ImportProblems([f"{path.name} cannot be imported: {exc}"]) from None
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise PlanError(f"There is no workbook at {path}") from None
    except Exception as exc:  # zip, xml and format errors from openpyxl
        raise ImportProblems([f"{path.name} could not be opened as an Excel workbook (.xlsx): "
                              f"{exc}"]) from None
    try:
        for name in listed_sheets(path):
            if name not in wb.sheetnames and _SHEET_INDEX.get(normalise(name)):
                # the index names the sheet but its data is not in the file: damaged, not empty
                problems.append(f"{name}: the sheet's data is missing from the file, which is "
                                "damaged; save the workbook again from Excel")
        rows = _read_sheets(wb, problems, warnings)
    except Exception as exc:  # a sheet's XML or zip data damaged: parsed only as rows are read
        wb.close()
        raise ImportProblems([f"{path.name} is damaged and could not be read "
                              f"({type(exc).__name__}: {str(exc)[:200]})"]) from None
    finally:
        wb.close()
    if "Actions" not in rows:
        warnings.append("The workbook has no Actions sheet, so the plan has no actions")
    plan = build_plan(rows, path.stem, problems, warnings)
    if not problems:
        problems.extend(_model_problems(plan))
    if problems:
        raise ImportProblems(problems)
    warnings.extend(_model_warnings(plan))
    return plan, warnings


def _read_sheets(wb, problems: list[str], warnings: list[str]) -> dict[str, list[_Row]]:
    """The data rows of every sheet the planner reads, by canonical sheet name."""
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
    return rows


def _model_problems(plan: Plan) -> list[str]:
    """Record-level problems found by the plan's own checks (loops, bad percent, ...)."""
    try:
        from planner.validate import future_actuals, validate_plan
    except ImportError:  # pragma: no cover - until planner.validate lands
        return []
    return [f"Plan check: {p}" for p in validate_plan(plan) + future_actuals(plan)]


def _model_warnings(plan: Plan) -> list[str]:
    """Gaps worth knowing about that do not stop the import (actions with no owner, ...)."""
    try:
        from planner.validate import plan_warnings
    except ImportError:  # pragma: no cover
        return []
    return list(plan_warnings(plan))

