"""A save cut short (program killed, power cut) is recovered, never called damage (issue 9)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from planner import storage
from planner.document import PlanDocument
from planner.errors import NotAPlanError, RecoveryNeedsWriteAccess
from plan_factory import small_plan

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def interrupted_save(tmp_path, name="plan.rcplan"):
    """A plan as a killed program leaves it: half a change in the file, a hot journal beside it.

    A transaction big enough to spill SQLite's page cache writes into the plan file before it
    commits; copying the file and its journal at that moment is what a SIGKILL leaves behind.
    """
    source = tmp_path / "source.rcplan"
    PlanDocument.create(source, small_plan()).close()
    conn = sqlite3.connect(source, isolation_level=None)
    conn.execute("PRAGMA cache_size = 1")
    conn.execute("BEGIN")
    conn.execute("UPDATE actions SET notes = hex(randomblob(3000)), title = 'half-saved'")
    conn.execute("UPDATE journal SET new = hex(randomblob(2000))")
    target = tmp_path / name
    shutil.copy(source, target)
    shutil.copy(storage.journal_path(source), storage.journal_path(target))
    conn.execute("ROLLBACK")
    conn.close()
    source.unlink()
    return target


def test_the_fixture_really_needs_its_journal(tmp_path):
    """Without its journal the half-saved file is corrupt: the journal is not junk."""
    path = interrupted_save(tmp_path)
    storage.journal_path(path).unlink()
    with pytest.raises(NotAPlanError, match="damaged"):
        PlanDocument.open(path)


def test_a_hot_journal_is_rolled_back_and_the_plan_opens(tmp_path):
    path = interrupted_save(tmp_path)
    with PlanDocument.open(path) as doc:
        assert doc.plan.actions["A1"].title == "Set up steering group"
        assert all(a.title != "half-saved" for a in doc.plan.actions.values())
        assert len(doc.notices) == 1
        assert "recovered after an interrupted save" in doc.notices[0]
        assert "damaged" not in doc.notices[0] and "delete" not in doc.notices[0].lower()
    assert not storage.journal_path(path).exists()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with PlanDocument.open(path) as doc:  # a second open has nothing to say
        assert doc.notices == []


@pytest.mark.parametrize("command", ["validate", "info", "sequence"])
def test_commands_open_an_interrupted_save(tmp_path, command):
    path = interrupted_save(tmp_path)
    r = subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), command, str(path)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode in (0, 1), r.stderr  # validate lists the small plan's gaps: exit 1
    assert "recovered after an interrupted save" in r.stderr
    assert "damaged" not in r.stderr + r.stdout
    assert "journal" not in r.stderr.lower()


def test_a_read_only_file_with_a_hot_journal_is_not_called_damaged(tmp_path, monkeypatch):
    """Tests run as root, who may write anything, so the missing write access is simulated."""
    path = interrupted_save(tmp_path)
    before = (path.read_bytes(), storage.journal_path(path).read_bytes())
    real_access = os.access
    monkeypatch.setattr(storage.os, "access",
                        lambda p, mode, **kw: False if mode == os.W_OK else real_access(p, mode))
    with pytest.raises(RecoveryNeedsWriteAccess) as err:
        PlanDocument.open(path)
    message = str(err.value)
    assert "damaged" not in message and "delete" not in message.lower()
    assert "permission to write" in message
    assert (path.read_bytes(), storage.journal_path(path).read_bytes()) == before


def test_a_journal_of_a_save_in_progress_elsewhere_is_left_alone(tmp_path):
    """While another program is saving, its journal is not hot: opening reads the last commit."""
    path = tmp_path / "busy.rcplan"
    PlanDocument.create(path, small_plan()).close()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE actions SET title = 'in progress'")
    try:
        assert storage.recover_interrupted_save(path) is False
        assert storage.check_file(path) == storage.SCHEMA_VERSION
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_damaged_file_is_still_called_damaged(tmp_path):
    path = tmp_path / "bad.rcplan"
    PlanDocument.create(path, small_plan()).close()
    data = bytearray(path.read_bytes())
    for i in range(4096 + 100, len(data), 997):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    storage.journal_path(path).write_bytes(b"\0" * 512)  # a leftover, not hot
    with pytest.raises(NotAPlanError, match="cannot be opened as a plan"):
        PlanDocument.open(path)
