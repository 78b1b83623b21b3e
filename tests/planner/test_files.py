"""Files are replaced whole or not at all."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time

import pytest

from planner import files
from planner.document import PlanDocument
from planner.files import replaced_atomically
from planner.xlsx import write_workbook
from plan_factory import small_plan


def test_success_replaces_the_file(tmp_path):
    path = tmp_path / "report.pptx"
    path.write_text("old")
    with replaced_atomically(path) as tmp:
        tmp.write_text("new")
    assert path.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pptx"]



def test_a_database_written_whole_or_not_at_all_says_what_was_not_done(tmp_path):
    """Creating a plan, saving a copy, a backup and a restore all write their SQLite file this
    way: it replaces the old one only if all went well; a database error is a SaveError that
    says what did not happen and names the file, and leaves nothing behind."""
    import sqlite3

    from planner.errors import SaveError

    path = tmp_path / "copy.rcplan"
    path.write_text("the old copy")
    with pytest.raises(SaveError, match=r"^The copy was not saved.*copy\.rcplan"):
        with files.new_database(path, "The copy was not saved") as conn:
            conn.execute("CREATE TABLE t (x)")
            conn.execute("INSERT INTO no_such_table VALUES (1)")
    assert path.read_text() == "the old copy"
    assert [p.name for p in tmp_path.iterdir()] == ["copy.rcplan"]

    with pytest.raises(SaveError, match="^The copy was not saved"):  # no folder: not made
        with files.new_database(tmp_path / "gone" / "copy.rcplan", "The copy was not saved"):
            pass
    assert not (tmp_path / "gone").exists()

    made = tmp_path / "backups" / "b.rcplan"
    with files.new_database(made, "The backup was not made", make_folder=True) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.execute("INSERT INTO t VALUES (7)")
        conn.commit()
    with sqlite3.connect(made) as check:
        assert check.execute("SELECT x FROM t").fetchall() == [(7,)]


def test_failure_half_way_keeps_the_old_file_and_leaves_nothing(tmp_path):
    path = tmp_path / "plan.rcplan"
    path.write_text("the lead's work")
    with pytest.raises(RuntimeError):
        with replaced_atomically(path) as tmp:
            tmp.write_text("half a fi")
            (tmp.parent / (tmp.name + "-journal")).write_text("journal")
            raise RuntimeError("disk full")
    assert path.read_text() == "the lead's work"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.rcplan"]


# ----- files others can read, and no leftovers (issue 9) ----------------------------------------

def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_new_files_follow_the_umask(tmp_path, umask_022):
    plan = tmp_path / "p.rcplan"
    PlanDocument.create(plan, small_plan()).close()
    write_workbook(small_plan(), tmp_path / "w.xlsx")
    with PlanDocument.open(plan) as doc:
        doc.save_copy(tmp_path / "copy.rcplan")
    for name in ("p.rcplan", "w.xlsx", "copy.rcplan"):
        assert mode(tmp_path / name) == 0o644, name
    os.umask(0o027)
    write_workbook(small_plan(), tmp_path / "w2.xlsx")
    assert mode(tmp_path / "w2.xlsx") == 0o640


def test_writing_over_a_file_keeps_its_permissions(tmp_path, umask_022):
    path = tmp_path / "w.xlsx"
    write_workbook(small_plan(), path)
    os.chmod(path, 0o664)
    write_workbook(small_plan(), path)
    assert mode(path) == 0o664
    os.chmod(path, 0o600)
    write_workbook(small_plan(), path)
    assert mode(path) == 0o600


def _aged(path, seconds):
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_old_temporaries_of_ours_go_when_the_folder_is_next_written(tmp_path):
    old = tmp_path / ".board.pptx.k3j9_x2a.tmp"
    old_journal = tmp_path / ".plan.rcplan.ab12cd34.tmp-journal"
    fresh = tmp_path / ".plan.rcplan.zz99yy88.tmp"
    not_ours = tmp_path / "notes.tmp"
    hidden_other = tmp_path / ".cache.tmp"
    for p in (old, old_journal, fresh, not_ours, hidden_other):
        p.write_text("x")
    for p in (old, old_journal, not_ours, hidden_other):
        _aged(p, files.STALE_AFTER + 60)
    with files.replaced_atomically(tmp_path / "report.pptx") as tmp:
        tmp.write_text("new")
    left = {p.name for p in tmp_path.iterdir()}
    assert left == {"report.pptx", fresh.name, not_ours.name, hidden_other.name}


def test_a_temporary_held_by_a_live_writer_is_kept(tmp_path):
    """Another program still writing (it holds its temporary file) keeps it, however old."""
    busy = tmp_path / ".plan.rcplan.q1w2e3r4.tmp"
    busy.write_text("being written")
    _aged(busy, files.STALE_AFTER * 10)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, os, sys, time\n"
         f"fd = os.open({str(busy)!r}, os.O_RDWR); fcntl.flock(fd, fcntl.LOCK_EX)\n"
         "print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert files.remove_stale_temporaries(tmp_path) == []
        assert busy.exists()
    finally:
        holder.kill()
        holder.wait()
    assert files.remove_stale_temporaries(tmp_path) == [busy]
