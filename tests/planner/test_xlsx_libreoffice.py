"""A workbook opened and saved again by a real spreadsheet program (LibreOffice Calc) still imports
to the same plan. Skipped when LibreOffice Calc is not installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from libreoffice import SOFFICE, resave
from planner.xlsx import read_workbook

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")]


def test_sample_workbook_survives_a_spreadsheet_program(tmp_path):
    source = ROOT / "sample_plans" / "northmoor.xlsx"
    original, _ = read_workbook(source)
    again, _ = read_workbook(resave(source, tmp_path))
    assert again == original
