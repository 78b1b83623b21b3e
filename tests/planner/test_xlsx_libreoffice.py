"""A workbook opened and saved again by a real spreadsheet program (LibreOffice Calc) still imports
to the same plan. Skipped when LibreOffice Calc is not installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from planner.xlsx import read_workbook

ROOT = Path(__file__).resolve().parents[2]
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")]


def resave(source: Path, tmp_path: Path) -> Path:
    """Open ``source`` in LibreOffice Calc and save it again as .xlsx."""
    out = tmp_path / "resaved"
    profile = (tmp_path / "profile").as_uri()
    result = subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation={profile}", "--convert-to",
         "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(source)],
        capture_output=True, text=True, timeout=180)
    saved = out / source.name
    if not saved.exists():
        pytest.skip(f"LibreOffice Calc could not convert the workbook: {result.stderr.strip()}")
    return saved


def test_sample_workbook_survives_a_spreadsheet_program(tmp_path):
    source = ROOT / "sample_plans" / "northmoor.xlsx"
    original, _ = read_workbook(source)
    again, _ = read_workbook(resave(source, tmp_path))
    assert again == original
