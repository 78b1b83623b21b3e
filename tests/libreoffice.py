"""Re-saving a workbook with a real spreadsheet program (LibreOffice Calc), for round-trip tests."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def resave(source: Path, tmp_path: Path) -> Path:
    """Open ``source`` in LibreOffice Calc (its own profile folder) and save it again as .xlsx."""
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
