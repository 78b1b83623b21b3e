"""Every reader of untrusted files ends in success or a clear PlanError, never a crash, a hang or a
changed input (issue 9). Hypothesis mutates the real sample plan, an exported workbook and the
product's slide template; the cases are derandomised so a run is repeatable (more with
RCP_FUZZ_EXAMPLES=N, figures in README: Reliability)."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.document import PlanDocument
from planner.errors import PlanError
from planner.validate import plan_warnings, validate_plan
from planner.xlsx import read_workbook, write_workbook
from plan_factory import small_plan

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLE = ROOT / "sample_plans" / "northmoor.rcplan"
TEMPLATE = ROOT / "templates" / "board.pptx"
EXAMPLES = int(os.environ.get("RCP_FUZZ_EXAMPLES", "100"))
SLOW = 20.0  # seconds: a reader taking longer than this on a small file counts as a hang
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))

flips = st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)),
                 min_size=1, max_size=12)


def flipped(data: bytes, changes) -> bytes:
    out = bytearray(data)
    for where, value in changes:
        out[int(where * len(out))] = value
    return bytes(out)


def part_mutated(data: bytes, choice: int, changes, cut: bool) -> bytes:
    """An archive with one part's content changed (so the zip itself stays readable)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    infos = src.infolist()
    target = infos[choice % len(infos)].filename
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in infos:
            body = src.read(info)
            if info.filename == target and body:
                body = body[: len(body) // 2] if cut else flipped(body, changes)
            z.writestr(info.filename, body)
    return out.getvalue()


def archive_cases():
    return st.one_of(
        st.builds(lambda c: ("bytes", c, 0, False), flips),
        st.builds(lambda c, n, cut: ("part", c, n, cut), flips, st.integers(0, 999), st.booleans()))


def mutate(data: bytes, case) -> bytes:
    how, changes, n, cut = case
    return flipped(data, changes) if how == "bytes" else part_mutated(data, n, changes, cut)


def read_safely(reader, path: Path) -> None:
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    started = time.monotonic()
    try:
        reader(path)
    except PlanError:
        pass
    assert time.monotonic() - started < SLOW
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


@pytest.fixture(scope="module")
def workbook_bytes(tmp_path_factory):
    path = tmp_path_factory.mktemp("wb") / "plan.xlsx"
    write_workbook(small_plan(), path)
    return path.read_bytes()


def _open_plan(path: Path) -> None:
    with PlanDocument.open(path, readonly=True) as doc:
        validate_plan(doc.plan)
        plan_warnings(doc.plan)


@FUZZ
@given(changes=flips)
def test_damaged_plans(tmp_path_factory, changes):
    path = tmp_path_factory.mktemp("plan") / "fuzzed.rcplan"
    path.write_bytes(flipped(SAMPLE.read_bytes(), changes))
    read_safely(_open_plan, path)
    try:  # opened for editing too (read-only checks first, then a normal open)
        with PlanDocument.open(path):
            pass
    except PlanError:
        pass
    shutil.rmtree(path.parent, ignore_errors=True)


@FUZZ
@given(case=archive_cases())
def test_damaged_workbooks(tmp_path_factory, workbook_bytes, case):
    path = tmp_path_factory.mktemp("xlsx") / "fuzzed.xlsx"
    path.write_bytes(mutate(workbook_bytes, case))
    read_safely(read_workbook, path)
    shutil.rmtree(path.parent, ignore_errors=True)


@FUZZ
@given(case=archive_cases())
def test_damaged_templates(tmp_path_factory, case):
    from reports.template import open_template

    path = tmp_path_factory.mktemp("pptx") / "fuzzed.pptx"
    path.write_bytes(mutate(TEMPLATE.read_bytes(), case))
    read_safely(open_template, path)
    shutil.rmtree(path.parent, ignore_errors=True)
