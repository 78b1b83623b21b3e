"""A full disk, a read-only folder or permission removed mid-session: a clear message naming the
file, and the plan exactly as it was (issue 9).

The tests run as root, who ignores permission bits, so "read-only" and "full" are made real: a
small tmpfs is mounted for each test (remounted read-only where needed), and permission removed
while a plan is open is ``chattr +i`` on the file and its folder. Where mounting or chattr is not
allowed (an unprivileged CI runner) those tests are skipped; the same code paths are also driven by
SQLite's own size limit (``PRAGMA max_page_count``), which needs no privileges.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from planner.document import PlanDocument
from planner.errors import SaveError
from planner.xlsx import write_workbook
from plan_factory import small_plan

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(*args):
    return subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), *args],
                          capture_output=True, text=True, timeout=120)


class Drive:
    """A small tmpfs: ``fill()`` leaves no room; ``read_only()`` / ``writable()`` remount it."""

    def __init__(self, path: Path, size: str):
        self.path, self.size = path, size

    def _mount(self, options: str) -> None:
        subprocess.run(["mount", "-o", options, self.path], check=True, capture_output=True)

    def read_only(self) -> None:
        self._mount(f"remount,ro,size={self.size}")

    def writable(self) -> None:
        self._mount(f"remount,rw,size={self.size}")

    def fill(self) -> None:
        fd = os.open(self.path / "filler", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        try:
            while True:
                os.write(fd, b"\0" * 512)
        except OSError:
            pass
        finally:
            os.close(fd)


@pytest.fixture
def drive(tmp_path):
    mount_point = tmp_path / f"drive-{uuid.uuid4().hex[:6]}"
    mount_point.mkdir()
    size = "1m"
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", mount_point],
                       capture_output=True)
    if r.returncode != 0:
        pytest.skip("mounting a small test drive needs privileges this machine does not give")
    try:
        yield Drive(mount_point, size)
    finally:
        subprocess.run(["umount", "-l", mount_point], capture_output=True)


def stored_title(path, action="A1"):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT title FROM actions WHERE id = ?", (action,)).fetchone()[0]
    finally:
        conn.close()


def test_an_edit_on_a_full_disk_says_so_and_changes_nothing(drive):
    path = drive.path / "plan.rcplan"
    doc = PlanDocument.create(path, small_plan())
    doc.update("action", "A1", title="Saved before the disk filled")
    drive.fill()
    with pytest.raises(SaveError) as err:
        doc.update("action", "A2", notes="n" * 30_000, title="Lost?")
    message = str(err.value)
    assert "plan.rcplan" in message and "full" in message
    assert doc.plan.actions["A2"].title == "Write recovery strategy"
    assert doc.undo_label == "change title of A1"
    (drive.path / "filler").unlink()
    doc.update("action", "A2", title="Saved once there was room")  # the session goes on
    doc.close()
    assert stored_title(path, "A1") == "Saved before the disk filled"
    assert stored_title(path, "A2") == "Saved once there was room"


def test_sqlite_size_limit_gives_the_same_message(tmp_path):
    """Disk full without privileges: SQLite's own limit on the file's size."""
    path = tmp_path / "plan.rcplan"
    doc = PlanDocument.create(path, small_plan())
    pages = doc.conn.execute("PRAGMA page_count").fetchone()[0]
    doc.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(SaveError, match="plan.rcplan.*full"):
        doc.update("action", "A1", notes="n" * 30_000)
    assert doc.plan.actions["A1"].notes == ""
    doc.close()
    with PlanDocument.open(path) as again:
        assert again.plan.actions["A1"].notes == ""


@pytest.fixture
def immutable(tmp_path):
    """Make paths immutable (``chattr +i``): even root cannot write to them or add files beside."""
    made = []

    def make(*paths):
        r = subprocess.run(["chattr", "+i", *paths], capture_output=True)
        if r.returncode != 0:
            pytest.skip("chattr +i is not available here")
        made.extend(paths)

    def undo():
        if made:
            subprocess.run(["chattr", "-i", *made], capture_output=True)
            made.clear()

    make.undo = undo
    yield make
    undo()


def test_permission_removed_mid_session(tmp_path, immutable):
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "plan.rcplan"
    doc = PlanDocument.create(path, small_plan())
    doc.update("action", "A1", title="Before")
    immutable(folder, path)
    with pytest.raises(SaveError) as err:
        doc.update("action", "A1", title="After")
    assert "plan.rcplan" in str(err.value) and "cannot write" in str(err.value)
    assert doc.plan.actions["A1"].title == "Before"
    with pytest.raises(SaveError):
        doc.undo()
    assert doc.undo_label == "change title of A1"  # the failed undo can be tried again
    immutable.undo()
    doc.undo()
    doc.close()
    assert stored_title(path) == "Set up steering group"


@pytest.mark.parametrize("command", ["new", "import-xlsx", "export-xlsx"])
def test_commands_on_a_full_disk_name_the_file(drive, tmp_path, command):
    source = tmp_path / "source.rcplan"
    PlanDocument.create(source, small_plan()).close()
    workbook = tmp_path / "source.xlsx"
    write_workbook(small_plan(), workbook)
    drive.fill()
    target = drive.path / ("out.xlsx" if command == "export-xlsx" else "out.rcplan")
    args = {"new": [str(target)], "import-xlsx": [str(workbook), str(target)],
            "export-xlsx": [str(source), str(target)]}[command]
    r = run(command, *args)
    assert r.returncode == 1, r.stderr
    assert "out." in r.stderr and "full" in r.stderr
    assert "Traceback" not in r.stderr and "Exception ignored" not in r.stderr
    assert "went wrong inside" not in r.stderr
    assert sorted(p.name for p in drive.path.iterdir()) == ["filler"]


@pytest.mark.parametrize("command", ["new", "export-xlsx"])
def test_commands_into_a_read_only_folder_name_the_file(drive, tmp_path, command):
    source = tmp_path / "source.rcplan"
    PlanDocument.create(source, small_plan()).close()
    drive.read_only()
    try:
        target = drive.path / ("out.xlsx" if command == "export-xlsx" else "out.rcplan")
        r = run(command, *([str(target)] if command == "new" else [str(source), str(target)]))
    finally:
        drive.writable()
    assert r.returncode == 1, r.stderr
    assert "out." in r.stderr and "cannot write" in r.stderr
    assert "Traceback" not in r.stderr and "went wrong inside" not in r.stderr
