"""Exported workbooks declare each sheet's size, so spreadsheet readers need not scan it twice."""

from __future__ import annotations

import re
import zipfile

from openpyxl import load_workbook

from planner.xlsx import export_workbook, read_workbook, write_blank_workbook


def _declared(path):
    """Sheet title -> the <dimension ref> written in that sheet's XML (None when absent)."""
    wb = load_workbook(path, read_only=True)
    titles = [ws.title for ws in wb.worksheets]
    wb.close()
    out = {}
    with zipfile.ZipFile(path) as z:
        for n, title in enumerate(titles, start=1):
            head = z.read(f"xl/worksheets/sheet{n}.xml")[:3000].decode()
            m = re.search(r'<dimension ref="([^"]+)"', head)
            out[title] = m.group(1) if m else None
    return out


def test_every_exported_sheet_declares_the_size_of_what_it_holds(doc, tmp_path):
    book = tmp_path / "plan.xlsx"
    export_workbook(doc.plan, book)
    declared = _declared(book)
    full = load_workbook(book)  # the normal reader works the size out from the cells
    for ws in full.worksheets:
        assert declared[ws.title] == ws.calculate_dimension(), ws.title
    plan, _warnings = read_workbook(book)  # and the workbook still reads back whole
    assert len(plan.actions) == len(doc.plan.actions)
    assert len(plan.dependencies) == len(doc.plan.dependencies)


def test_the_blank_workbook_declares_its_header_rows(tmp_path):
    book = tmp_path / "blank.xlsx"
    write_blank_workbook(book)
    declared = _declared(book)
    full = load_workbook(book)
    for ws in full.worksheets:
        assert declared[ws.title] == ws.calculate_dimension(), ws.title
