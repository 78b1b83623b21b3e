"""The import's fast sheet reading (issue 13) gives what reading through openpyxl's cells gives.

``planner.xlsx.read._parsed_rows`` reads a sheet straight from openpyxl's XML parser;
``_cell_rows`` goes through openpyxl's read-only cells, as the import did before. For any sheet
(cells of every kind, number formats, gaps between rows, a header row anywhere) both give the
same rows, and the import finds the same records, problems and warnings from either.
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from planner.xlsx.columns import SHEETS
from planner.xlsx.read import _cell_rows, _parsed_rows, _rows_of, _sheet_rows

_letters = st.characters(blacklist_categories=("Cc", "Cs", "Cn"))
cell_value = st.one_of(
    st.none(),
    st.text(_letters, max_size=12),
    st.sampled_from(["", "  ", " Done ", "50%", "1, 2", "Yes", "n", "12/03/2026", "3 days"]),
    st.integers(-10**6, 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(date(1950, 1, 1), date(2080, 12, 31)),
    st.datetimes(datetime(1950, 1, 1), datetime(2080, 12, 31)).map(lambda d: d.replace(microsecond=0)),
)
number_format = st.sampled_from([None, "General", "0%", "0.00%", "dd/mm/yyyy", "yyyy-mm-dd",
                                 "0.00", "@"])
cell = st.tuples(cell_value, number_format)


@st.composite
def sheets(draw):
    """(sheet name, header, rows): a header of known and unknown columns at some row, then rows
    of cells, some rows left out entirely."""
    sheet = draw(st.sampled_from(["Actions", "Plan", "People", "Dependencies", "Readings"]))
    columns = SHEETS[sheet]
    header = draw(st.lists(st.sampled_from(list(columns) + ["Notes", "  ", "title ", "X"]),
                           min_size=0, max_size=len(columns) + 2))
    before = draw(st.integers(0, 3))
    rows = draw(st.lists(st.one_of(st.none(), st.lists(cell, max_size=len(header) + 2)),
                         max_size=12))
    return sheet, before, header, rows


def _book(path: Path, before: int, header: list, rows: list) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "S"
    r = before + 1
    for c, name in enumerate(header, 1):
        ws.cell(r, c, name)
    for row in rows:
        r += 1
        if row is None:
            continue  # a row with nothing written: missing from the sheet's XML
        for c, (value, fmt) in enumerate(row, 1):
            if value is None and fmt is None:
                continue
            target = ws.cell(r, c, value)
            if fmt:
                target.number_format = fmt
    wb.save(path)


def _materialise(rows_iter):
    """Rows with every cell's number format asked for, so two paths can be compared."""
    return [(values, [fmt(i) for i in range(len(values))] if values else [], number)
            for values, fmt, number in rows_iter]


def _records(rows):
    return [(r.sheet, r.number, r.values, r.formats) for r in rows]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheets())
def test_fast_sheet_reading_matches_reading_cells(case):
    sheet, before, header, rows = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "book.xlsx"
        _book(path, before, header, rows)
        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            ws = wb.worksheets[0]
            ws.reset_dimensions()  # as the import does
            assert _rows_of(ws).__name__ == "_parsed_rows"  # the fast path is the one used
            assert _materialise(_parsed_rows(ws)) == _materialise(_cell_rows(ws))
            got = [], []
            fast = _sheet_rows(ws, sheet, *got)
            expected = [], []
            slow = _sheet_rows(ws, sheet, *expected, rows_iter=_cell_rows(ws))
            assert _records(fast) == _records(slow)
            assert got == expected
        finally:
            wb.close()
