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


# -- the sheet XML read on the C parser (planner/xlsx/sheet_xml.py) against openpyxl's parser --

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_STYLES = {"none": None, "general": "0", "date": "1", "percent": "2", "duration": "3",
           "empty": "", "junk": "x"}
_xml_text = st.one_of(
    st.just(""),
    st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cn")), max_size=8),
    st.sampled_from(["", " ", "5", " 7 ", "1.5", "1e3", "-2", "45000", "45000.25", "0.5",
                     "99999999", "-806278", "1", "0", "true", "2026-03-01",
                     "2026-03-01T10:00:00", "x", "&amp;", "a&lt;b", "&#65;", "1_000"]))


def _esc(text: str) -> str:
    if "&" in text and text in ("&amp;", "a&lt;b", "&#65;"):
        return text  # already an entity reference
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_NUMBERS = st.sampled_from(["5", " 7 ", "1.5", "1e3", "-2", "45000", "45000.25", "0.5", "0",
                            "1", "2958465", "1_000"])
_BENIGN_BODIES = {
    "n": st.one_of(_NUMBERS.map(lambda t: ("v", t)), st.just(("none", "")),
                   st.just(("empty v", ""))),
    "s": st.integers(0, 2).map(lambda i: ("v", str(i))),
    "b": st.sampled_from([("v", "0"), ("v", "1")]),
    "d": st.sampled_from([("v", "2026-03-01"), ("v", "2026-03-01T10:00:00")]),
    "inlineStr": st.tuples(st.sampled_from(["is", "is", "rich", "none", "v"]), _xml_text),
    "str": st.tuples(st.sampled_from(["v", "f", "other"]), _xml_text),
}


@st.composite
def _raw_cell(draw, row: str | None, column: int, hostile: bool):
    from openpyxl.utils import get_column_letter

    attrs = []
    ref = draw(st.sampled_from(["right", "right", "none", "lower", "other row", "skip"]
                               + (["junk"] if hostile else [])))
    letter = get_column_letter(column)
    if ref == "right" and row is not None:
        attrs.append(f'r="{letter}{row}"')
    elif ref == "right" or ref == "other row":
        attrs.append(f'r="{letter}{draw(st.integers(1, 30))}"')
    elif ref == "lower" and row is not None:
        attrs.append(f'r="{letter.lower()}{row}"')
    elif ref == "skip":
        attrs.append(f'r="{get_column_letter(column + 2)}{row or 1}"')
    elif ref == "junk":
        attrs.append(f'r="{draw(st.sampled_from(["A", "1", "AAAA1", "A1B2", "A٣"]))}"')
    if hostile:
        kind = draw(st.sampled_from([None, "n", "s", "inlineStr", "str", "b", "e", "d", "zz"]))
        body = draw(st.sampled_from(["v", "v", "is", "rich", "f", "none", "empty v", "other"]))
        text = draw(_xml_text)
        if kind == "s" and body == "v":
            text = str(draw(st.integers(0, 4)))
    else:
        kind = draw(st.sampled_from([None, "n", "s", "inlineStr", "str", "e", "b", "d"]))
        body, text = draw(_BENIGN_BODIES.get(kind or "n", _BENIGN_BODIES["str"]))
    if kind:
        attrs.append(f't="{kind}"')
    style = _STYLES[draw(st.sampled_from(sorted(_STYLES) if hostile else
                                         ["none", "general", "date", "percent", "duration"]))]
    if style is not None:
        attrs.append(f's="{style}"')
    text = _esc(text)
    inner = {"v": f"<v>{text}</v>", "is": f"<is><t>{text}</t></is>",
             "rich": f'<is><r><t>{text}</t></r><r><rPr><b/></rPr><t xml:space="preserve"> '
                     f'{text}</t></r></is>',
             "f": f"<f>SUM(A1:A2)</f><v>{text}</v>", "none": "", "empty v": "<v/>",
             "other": f"<x>{text}</x>"}[body]
    return f"<c {' '.join(attrs)}>{inner}</c>"


@st.composite
def _raw_sheet(draw, hostile: bool):
    rows = []
    number = 0
    for _ in range(draw(st.integers(0, 6))):
        number += draw(st.integers(1, 3))
        how = draw(st.sampled_from(["given", "given", "none", "float"]
                                   + (["bad"] if hostile else [])))
        r = {"given": str(number), "none": None, "float": f"{number}.0", "bad": "2.5"}[how]
        width = draw(st.integers(0, 5))
        cells = [draw(_raw_cell(r, column, hostile)) for column in range(1, width + 1)]
        attrs = f' r="{r}"' if r is not None else ""
        rows.append(f"<row{attrs}>{''.join(cells)}</row>")
    extra = draw(st.sampled_from(["", '<mergeCells count="1"><mergeCell ref="A1:B1"/>'
                                      '</mergeCells>']
                                 + (['<cols><col min="x" max="1"/></cols>'] if hostile else [])))
    broken = draw(st.sampled_from(["", "", "", "<row>", "<c>"])) if hostile else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">'
            f'<dimension ref="A1:C3"/><sheetData>'
            f'{"".join(rows)}{broken}</sheetData>{extra}</worksheet>')


def _styled_book(path: Path) -> None:
    """A workbook whose styles 1, 2 and 3 are a date, a percentage and a duration, and which
    has shared strings; its one sheet's XML is then replaced."""
    wb = Workbook()
    ws = wb.active
    for row, (value, fmt) in enumerate([(date(2026, 1, 1), "dd/mm/yyyy"), (0.5, "0%"),
                                        (1.5, "[h]:mm:ss")], 1):
        ws.cell(row, 1, value).number_format = fmt
    for row, text in enumerate(["alpha", "beta", "gamma"], 5):
        ws.cell(row, 2, text)
    wb.save(path)


_STYLED_BOOK: list[bytes] = []


def _styled_book_bytes() -> bytes:
    """The bytes of ``_styled_book`` (made once: openpyxl writing it took most of an example)."""
    if not _STYLED_BOOK:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "t.xlsx"
            _styled_book(path)
            _STYLED_BOOK.append(path.read_bytes())
    return _STYLED_BOOK[0]


def _with_sheet(template: Path, path: Path, xml: str) -> None:
    import zipfile

    with zipfile.ZipFile(template) as src, zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = xml.encode("utf-8")
            out.writestr(info, data)


def _read_all(fn, ws):
    """Every (row, cells) a reader gives, then its error (type and message) if it fails, and
    the warnings it gave."""
    import warnings

    got: list = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            for item in fn(ws):
                got.append(item)
            end = None
        except Exception as exc:  # noqa: BLE001 - the error itself is what is compared
            end = (type(exc).__name__, str(exc))
    return got, end, [str(w.message) for w in caught]


def _same_reading(xml: str) -> None:
    from planner.xlsx.read import _c_cells, _openpyxl_cells

    with tempfile.TemporaryDirectory() as tmp:
        template, path = Path(tmp) / "t.xlsx", Path(tmp) / "book.xlsx"
        template.write_bytes(_styled_book_bytes())
        _with_sheet(template, path, xml)
        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            ws = wb.worksheets[0]
            ws.reset_dimensions()
            assert _read_all(_c_cells, ws) == _read_all(_openpyxl_cells, ws)
        finally:
            wb.close()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_raw_sheet(hostile=False))
def test_c_parser_reads_sheet_xml_as_openpyxl_does(xml):
    """Cells of every kind, rows and cells with and without their numbers, in other rows or
    lower case, shared, inline and rich strings, dates as serials and ISO text, formulas."""
    _same_reading(xml)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_raw_sheet(hostile=True))
def test_c_parser_fails_on_bad_sheet_xml_as_openpyxl_does(xml):
    """Bad coordinates, row numbers, values and XML: the same rows, then the same error."""
    _same_reading(xml)


def test_c_parser_refuses_a_declaration_even_after_the_archive_check(tmp_path):
    """The archive check and openpyxl's loading refuse a DOCTYPE first; should the sheet's bytes
    change after them, the sheet reading refuses it as well, before the parser sees it."""
    import io

    from planner.archive import UnsafeArchive
    from planner.xlsx.read import _c_cells

    template = tmp_path / "t.xlsx"
    _styled_book(template)
    wb = load_workbook(template, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        bad = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><worksheet xmlns="'
               + _MAIN.encode() + b'"><sheetData><row><c t="str"><v>&a;</v></c></row>'
               b'</sheetData></worksheet>')
        ws._get_source = lambda: io.BytesIO(bad)
        try:
            list(_c_cells(ws))
        except UnsafeArchive as exc:
            assert "DOCTYPE" in str(exc)
        else:
            raise AssertionError("a document type declaration was read")
    finally:
        wb.close()


def _find_as_before(lookup, text: str, prefer_title: bool):
    """The record look-up as it was written first: the title looked up before anything else."""
    titles = lookup.by_title.get(" ".join(text.split()).casefold(), [])
    if prefer_title and len(titles) == 1:
        return titles[0], False
    if text in lookup.by_id:
        return text, False
    if text.casefold() in lookup.by_folded_id:
        return lookup.by_folded_id[text.casefold()], False
    if len(titles) == 1:
        return titles[0], False
    return None, len(titles) > 1


_ref_text = st.one_of(st.sampled_from(["A1", "a1", "A2", "Ａ1", "Train staff", "train  STAFF",
                                       "A1 ", "ß", "SS", "ss", "Peer work"]),
                      st.text(st.sampled_from("aA1 ßs"), max_size=4))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_ref_text, _ref_text), max_size=6), st.lists(_ref_text, max_size=6),
       st.booleans())
def test_looking_up_an_id_first_finds_what_the_title_first_look_up_found(records, asked, title):
    from planner.xlsx.build import _Lookup

    lookup = _Lookup()
    for record_id, record_title in records:
        lookup.add(record_id, record_title)
    for text in asked:
        assert lookup.find(text, title) == _find_as_before(lookup, text, title)


_cell_text = st.one_of(st.text(max_size=6), st.sampled_from(["\x00", "a\x0bb", "\ud800", "ok\n",
                                                             "\ufffe", "\t"]),
                       st.integers(0, 40).map(lambda n: "x" * n))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), st.integers(), st.dates(), _cell_text),
                         max_size=5), max_size=6), st.integers(0, 30))
def test_a_sheets_text_checked_at_once_finds_what_each_value_checked_finds(rows, limit):
    """Export measures and searches a sheet's text in one go (planner/xlsx/write.py)."""
    from unittest import mock

    from planner.xlsx import write

    with mock.patch.object(write, "EXCEL_CELL_TEXT", limit):
        too_long, clean = write._text_state(rows)
    texts = [v for row in rows for v in row if isinstance(v, str)]
    assert too_long == any(len(v) > limit for v in texts)
    assert clean == all(write._cell_value(v) == v for v in texts)
