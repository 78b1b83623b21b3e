"""Hostile workbooks and templates end in a clear import problem; validate never changes a file
(issue 9)."""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import subprocess
import sys
import zipfile

import pytest

from planner.document import PlanDocument
from planner.errors import ImportProblems, PlanError
from planner.xlsx import read, read_workbook, write_workbook
from plan_factory import small_plan

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BOMB = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i else b"&lol;") * 10)
                   for i in range(1, 10))
        + b']>\n')
EXTERNAL = b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


def with_prolog(prolog, data):
    """``data`` (an XML part) with its declaration replaced by ``prolog``."""
    return prolog + (data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data)


def run(*args):
    return subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), *args],
                          capture_output=True, text=True, timeout=120)


def rewritten(src, dest, change):
    """Copy the archive ``src`` to ``dest``, passing each part through ``change(name, data)``
    (which returns new data, or None to leave the part out)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info.filename, data)


def actions_part(path) -> str:
    """The archive part holding the Actions sheet."""
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(r'<sheet[^>]*name="Actions"[^>]*r:id="(rId\d+)"', book)[1]
    target = re.search(rf'<Relationship[^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) or \
        re.search(rf'<Relationship[^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
    return "xl/" + target[1].lstrip("/").removeprefix("xl/")


@pytest.fixture
def workbook(tmp_path):
    path = tmp_path / "plan.xlsx"
    write_workbook(small_plan(), path)
    return path


@pytest.mark.parametrize("prolog", [BOMB, EXTERNAL], ids=["entity bomb", "external entity"])
def test_xml_entities_in_a_sheet_are_an_import_problem(workbook, tmp_path, prolog):
    part = actions_part(workbook)
    bad = tmp_path / "bad.xlsx"
    rewritten(workbook, bad, lambda name, data: with_prolog(prolog, data)
              if name == part else data)
    with pytest.raises(ImportProblems, match="declares XML entities"):
        read_workbook(bad)
    r = run("import-xlsx", str(bad), str(tmp_path / "out.rcplan"))
    assert r.returncode == 1 and "declares XML entities" in r.stderr
    assert "inside the program" not in r.stderr and not (tmp_path / "out.rcplan").exists()


def test_utf16_xml_cannot_hide_a_declaration(workbook, tmp_path):
    part = actions_part(workbook)
    bad = tmp_path / "bad.xlsx"
    rewritten(workbook, bad, lambda name, data: with_prolog(EXTERNAL, data)
              .decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
              .encode("utf-16") if name == part else data)
    with pytest.raises(ImportProblems, match="UTF-8"):
        read_workbook(bad)


def test_missing_actions_data_is_damage_not_an_empty_plan(workbook, tmp_path):
    part = actions_part(workbook)
    bad = tmp_path / "bad.xlsx"
    rewritten(workbook, bad, lambda name, data: None if name == part else data)
    with pytest.raises(ImportProblems, match="Actions: the sheet's data is missing"):
        read_workbook(bad)
    r = run("import-xlsx", str(bad), str(tmp_path / "out.rcplan"))
    assert r.returncode == 1 and not (tmp_path / "out.rcplan").exists()


def test_a_damaged_sheet_is_an_import_problem(workbook, tmp_path):
    part = actions_part(workbook)
    bad = tmp_path / "bad.xlsx"
    rewritten(workbook, bad, lambda name, data: data[: len(data) // 2] if name == part else data)
    with pytest.raises(ImportProblems, match="could not be opened as an Excel workbook|damaged"):
        read_workbook(bad)


def test_too_many_rows_is_refused_with_the_limit(workbook, monkeypatch):
    """The documented cap is 200,000 rows per sheet; a small cap proves the path quickly."""
    assert read.MAX_ROWS == 200_000
    monkeypatch.setattr(read, "MAX_ROWS", 3)
    with pytest.raises(ImportProblems, match="more than 3 rows"):
        read_workbook(workbook)


def test_a_zip_bomb_is_refused_before_unpacking(workbook, tmp_path, monkeypatch):
    from planner import archive

    monkeypatch.setattr(archive, "MAX_UNPACKED", 50_000)
    bad = tmp_path / "bomb.xlsx"
    rewritten(workbook, bad, lambda name, data: data)
    with zipfile.ZipFile(bad, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/zeros.bin", b"\0" * 200_000)
    with pytest.raises(ImportProblems, match="would unpack to"):
        read_workbook(bad)


def test_a_template_with_entities_is_refused(tmp_path):
    from reports.template import PRODUCT_TEMPLATE, TemplateError, open_template

    bad = tmp_path / "bad.pptx"
    rewritten(PRODUCT_TEMPLATE, bad, lambda name, data: with_prolog(EXTERNAL, data)
              if name == "ppt/presentation.xml" else data)
    with pytest.raises(TemplateError, match="declares XML entities"):
        open_template(bad)
    assert issubclass(TemplateError, PlanError)


# ----- validate only reads --------------------------------------------------------------------

def state(path):
    return hashlib.sha256(path.read_bytes()).hexdigest(), os.stat(path).st_mtime_ns


def test_validate_leaves_a_wal_plan_as_it_is(tmp_path):
    path = tmp_path / "wal.rcplan"
    PlanDocument.create(path, small_plan()).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
    conn.close()
    before = state(path)
    for command in ("validate", "info", "sequence"):
        r = run(command, str(path))
        assert r.returncode in (0, 1), r.stderr
    assert state(path) == before
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_validate_leaves_an_ordinary_plan_untouched(tmp_path):
    path = tmp_path / "p.rcplan"
    PlanDocument.create(path, small_plan()).close()
    before = state(path)
    r = run("validate", str(path))
    assert r.returncode == 1
    assert state(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.rcplan"]
