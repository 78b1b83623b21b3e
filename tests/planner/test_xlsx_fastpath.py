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


def _outcome(fn, *args):
    """What a call gives: its value, or its error's type and message."""
    try:
        return "value", fn(*args)
    except Exception as exc:  # noqa: BLE001 - the error itself is what is compared
        return "error", type(exc).__name__, str(exc)


word_text = st.one_of(st.text(_letters, max_size=14),
                      st.sampled_from(["Not started", " done ", "Complete", "On track", "Y", "n",
                                       "In-progress", "achieved", "Delayed", "maybe", ""]))


@settings(max_examples=300, deadline=None)
@given(word_text, st.sampled_from(["action status", "milestone status", "yes or no"]))
def test_kept_words_read_as_when_read_afresh(text, kind):
    """Words are read once per (word, kind) and kept; twice asked, the same value or refusal."""
    from planner.words import WORDS, _read_word, read_word

    assert kind in WORDS
    for _ in range(2):
        assert _outcome(read_word, text, kind) == _outcome(_read_word.__wrapped__, text, kind,
                                                           None)


date_text = st.one_of(st.text(st.sampled_from("0123456789/-. JanFebMarchsepOct,th"), max_size=14),
                      st.dates(date(1900, 1, 1), date(2100, 12, 31)).map(
                          lambda d: f"{d.day}/{d.month}/{d.year}"),
                      st.sampled_from(["31/02/2026", "2026-03-12", "12 March 2026", "tomorrow",
                                       "03/12/26", ""]))


@settings(max_examples=300, deadline=None)
@given(date_text, st.booleans())
def test_kept_dates_read_as_when_parsed_afresh(text, day_first):
    """Typed dates are parsed once per text and kept; twice asked, the same date or refusal."""
    from planner.dates import parse_date as parse_typed_date
    from planner.xlsx.values import cell_date

    for _ in range(2):
        assert _outcome(lambda: cell_date(text, day_first=day_first)) == _outcome(
            lambda: parse_typed_date(text, day_first=day_first))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(_letters, max_size=20), st.integers(), st.booleans(), st.none(),
                 st.floats(allow_nan=False)))
def test_kept_header_forms_match_reducing_afresh(value):
    import re

    from planner.xlsx.columns import normalise

    expected = re.sub(r"[^0-9a-z%]", "", str(value).lower()) if value is not None else ""
    assert normalise(value) == expected
    assert normalise(value) == expected
