"""Reading a sheet's XML for the import (issue 13): openpyxl's worksheet reading, on the C parser.

openpyxl reads a read-only sheet through ``WorkSheetParser.parse``, which parses the XML with
``iterparse`` and then turns each row element into cell dictionaries. Where defusedxml is
installed (it is one of our dependencies) that ``iterparse`` is defusedxml's, which runs the
pure-Python XML parser: about two thirds of openpyxl's reading time goes on that parser alone.

:func:`sheet_rows` does the same work with the standard library's C parser
(``xml.etree.ElementTree.XMLPullParser``, expat underneath, as defusedxml's is):

* every element openpyxl's ``parse`` handles other than rows (columns, merged cells, views,
  validations, ...) is handed to the same ``WorkSheetParser`` methods and classes, so a sheet
  openpyxl refuses is refused here with the same error;
* each row is read with the rules of ``parse_row`` and ``parse_cell`` for a ``data_only``
  workbook (row and cell numbering, ``t``/``s`` attributes, numbers, shared and inline strings,
  booleans, ISO and serial dates with the workbook's date and duration formats, out-of-range
  serial dates as ``#VALUE!`` with openpyxl's warning); anything unusual (a rich inline string,
  an odd coordinate) goes through openpyxl's own code for that piece.

The protections stay: the archive check (planner/archive.py) has already refused any part that
declares a document type or entities, and the bytes fed to the parser here are checked again for
such a declaration, so an entity can never be defined; expat also limits entity expansion itself.
A property test (tests/planner/test_xlsx_fastpath.py) holds this reading to openpyxl's.
"""

from __future__ import annotations

from collections import deque
from typing import Any, Iterator

from planner.archive import UnsafeArchive, find_declaration

_CHUNK = 16 * 1024
"""Bytes fed to the parser at a time: what openpyxl's ``iterparse`` reads, so a damaged sheet
fails after the same rows."""

Cell = tuple  # (row, column, value, style_id)


def _columns() -> dict[str, int]:
    from openpyxl.utils import get_column_letter

    return {get_column_letter(i): i for i in range(1, 18279)}


_COLUMNS: dict[str, int] | None = None


def sheet_rows(ws, parser) -> Iterator[tuple[int, list[Cell]]]:
    """(row number, cells) for each row element of ``ws``'s XML, as ``parser.parse()`` gives
    them, each cell as ``(row, column, value, style_id)``. ``parser`` is the openpyxl
    ``WorkSheetParser`` made for the sheet (``data_only``); its settings and its handlers of
    everything but rows are used."""
    global _COLUMNS
    from xml.etree.ElementTree import XMLPullParser

    from openpyxl.cell.text import Text
    from openpyxl.utils import coordinate_to_tuple
    from openpyxl.utils.datetime import from_excel, from_ISO8601
    from openpyxl.worksheet import _reader as R

    if _COLUMNS is None:
        _COLUMNS = _columns()
    columns = _COLUMNS
    p = parser
    # as in WorkSheetParser.parse
    dispatcher = {
        R.COL_TAG: p.parse_column_dimensions, R.PROT_TAG: p.parse_sheet_protection,
        R.EXT_TAG: p.parse_extensions, R.CF_TAG: p.parse_formatting,
        R.LEGACY_TAG: p.parse_legacy, R.ROW_BREAK_TAG: p.parse_row_breaks,
        R.COL_BREAK_TAG: p.parse_col_breaks, R.CUSTOM_VIEWS_TAG: p.parse_custom_views,
    }
    properties = {
        R.PRINT_TAG: ("print_options", R.PrintOptions), R.MARGINS_TAG: ("page_margins",
                                                                         R.PageMargins),
        R.PAGE_TAG: ("page_setup", R.PrintPageSetup), R.HEADER_TAG: ("HeaderFooter",
                                                                     R.HeaderFooter),
        R.FILTER_TAG: ("auto_filter", R.AutoFilter),
        R.VALIDATION_TAG: ("data_validations", R.DataValidationList),
        R.PROPERTIES_TAG: ("sheet_properties", R.WorksheetProperties),
        R.VIEWS_TAG: ("views", R.SheetViewList), R.FORMAT_TAG: ("sheet_format",
                                                                R.SheetFormatProperties),
        R.SCENARIOS_TAG: ("scenarios", R.ScenarioList), R.TABLE_TAG: ("tables",
                                                                      R.TablePartList),
        R.HYPERLINK_TAG: ("hyperlinks", R.HyperlinkList), R.MERGE_TAG: ("merged_cells",
                                                                        R.MergeCells),
    }
    row_tag, value_tag, inline_tag = R.ROW_TAG, R.VALUE_TAG, R.INLINE_STRING
    text_tag = "{%s}t" % R.SHEET_MAIN_NS
    cast = R._cast_number
    shared = p.shared_strings
    date_formats, timedelta_formats, epoch = p.date_formats, p.timedelta_formats, p.epoch
    serial_dates: dict[tuple[Any, Any], Any] = {}
    not_a_date = object()

    def serial_date(value, style_id):
        """parse_cell's reading of a number in a date format (kept per value and format), or
        ``not_a_date`` when it is no date (openpyxl's own reading then warns and says why)."""
        key = (value, style_id)
        got = serial_dates.get(key)
        if got is None:
            try:
                got = from_excel(value, epoch, timedelta=style_id in timedelta_formats)
            except (OverflowError, ValueError):
                got = not_a_date
            serial_dates[key] = got
        return got

    def inline_text(element) -> str:
        """``Text.from_tree(element).content`` for the plain ``<is><t>text</t></is>``."""
        if len(element) == 1 and not element.attrib:
            t = element[0]
            if t.tag == text_tag:
                text = t.text
                return text if text is not None else ""
        return Text.from_tree(element).content

    counter = 0

    def parse_row(row) -> tuple[int, list[Cell]]:
        nonlocal counter
        r = row.get("r")
        if r is not None:
            try:
                counter = int(r)
            except ValueError:
                val = float(r)
                if val.is_integer():
                    counter = int(val)
                else:
                    raise ValueError(f"{r} is not a valid row number") from None
        else:
            counter += 1
        number = counter
        # a cell "B12" in row "12" is read without openpyxl's coordinate parsing
        digits = r if r is not None and r.isascii() and r.isdigit() else None
        cut = -len(digits) if digits else 0
        col = 0
        cells: list[Cell] = []
        append = cells.append
        for c in row:
            before = col
            get = c.get
            data_type = get("t", "n")
            coordinate = get("r")
            style_id = get("s", 0)
            if style_id:
                style_id = int(style_id)
            if coordinate:
                column = columns.get(coordinate[:cut]) if digits and \
                    coordinate.endswith(digits) else None
                if column is None:
                    at, column = coordinate_to_tuple(coordinate)
                else:
                    at = number
                col = column
            else:
                col += 1
                at, column = number, col
            if data_type == "inlineStr":
                value = None
                child = c.find(inline_tag)
                if child is not None:
                    value = inline_text(child)
            else:
                value = c.findtext(value_tag) or None
                if value is not None:
                    if data_type == "n":
                        value = cast(value)
                        if style_id in date_formats:
                            value = serial_date(value, style_id)
                            if value is not_a_date:  # openpyxl's reading, with its warning
                                p.row_counter, p.col_counter = number, before
                                value = p.parse_cell(c)["value"]
                    elif data_type == "s":
                        value = shared[int(value)]
                    elif data_type == "b":
                        value = bool(int(value))
                    elif data_type == "d":
                        value = from_ISO8601(value)
            append((at, column, value, style_id))
        return number, cells

    pull = XMLPullParser(events=("end",))
    # The parser puts its events in this queue; reading it directly rather than through
    # read_events() (a generator step per element) is a fifth of the reading. A parse error is
    # queued last, as read_events() would raise it.
    queue = getattr(pull, "_events_queue", None)
    if not isinstance(queue, deque):  # pragma: no cover - a Python that keeps them otherwise
        queue = None
    tail = b""
    with ws._get_source() as src:
        done = False
        while not done:
            chunk = src.read(_CHUNK)
            if chunk:
                tail = _no_declarations(tail, chunk)
                pull.feed(chunk)
            else:
                pull.close()
                done = True
            if queue is None:
                events = pull.read_events()
                failed = None
            else:
                failed = queue.pop() if queue and isinstance(queue[-1], Exception) else None
                events = queue
            for _event, element in events:
                tag = element.tag
                if tag == row_tag:
                    got = parse_row(element)
                    element.clear()
                    yield got
                elif tag in dispatcher:
                    dispatcher[tag](element)
                    element.clear()
                elif tag in properties:
                    name, kind = properties[tag]
                    setattr(p, name, kind.from_tree(element))
                    element.clear()
            if queue is not None:
                queue.clear()
                if failed is not None:
                    raise failed


def _no_declarations(tail: bytes, chunk: bytes) -> bytes:
    """Refuse bytes that declare a document type or entities (the archive check already has:
    this holds even if the file changed since); returns the tail to check with the next chunk."""
    window = tail + chunk
    found = find_declaration(window)
    if found:
        raise UnsafeArchive(f"the sheet declares XML entities or a document type ({found})")
    return window[-16:]
