"""Two people, or two windows, on one plan never lose either one's work (issue 9).

The first line of defence is the lock file: the second to open gets the plan read-only and is told
who has it. The second is the file's save counter, checked before every write: on a share where
the lock file did not help (or was removed by hand), a write over a change this program has not
seen is refused with "reload first". Each of the five failures the issue quotes is tested below
with the lock out of the way, so the counter alone must hold.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import pytest

from planner import lock as locks
from planner.document import PlanDocument
from planner.errors import ChangedElsewhere, ReadOnlyPlan
from planner.model import Action, Dependency
from plan_factory import small_plan

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def plan_path(tmp_path):
    path = tmp_path / "shared.rcplan"
    PlanDocument.create(path, small_plan()).close()
    return path


def test_the_lock_names_its_holder_and_goes_when_the_last_holder_closes(plan_path):
    first = PlanDocument.open(plan_path, user="Asha")
    assert first.lock is not None and not first.readonly
    info = json.loads(locks.lock_path(plan_path).read_text())
    assert info["host"] == socket.gethostname() and info["pid"] == os.getpid()
    second = PlanDocument.open(plan_path, user="Asha")  # a second window of the same program
    assert not second.readonly
    first.close()
    assert locks.lock_path(plan_path).exists()  # still held by the second window
    second.close()
    assert not locks.lock_path(plan_path).exists()


def test_a_plan_held_by_another_program_refuses_edits_and_says_who(plan_path):
    locks.lock_path(plan_path).write_text(json.dumps(
        {"user": "Asha", "host": socket.gethostname(), "pid": os.getppid(),
         "since": "2026-03-02T09:00:00+00:00"}))
    doc = PlanDocument.open(plan_path, user="Ben")
    assert doc.readonly and not doc.locked_by.stale
    with pytest.raises(ReadOnlyPlan, match=f"Asha on {socket.gethostname()} since"):
        doc.update("action", "A1", title="Ben's title")
    doc.close()
    assert locks.lock_path(plan_path).exists()  # not ours to remove


def test_another_program_holding_the_plan_makes_it_read_only(plan_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; sys.path.insert(0, sys.argv[1])\n"
         "from planner.document import PlanDocument\n"
         "doc = PlanDocument.open(sys.argv[2]); print('open', flush=True); time.sleep(60)",
         ROOT, str(plan_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        doc = PlanDocument.open(plan_path)
        assert doc.readonly and doc.locked_by.pid == holder.pid and not doc.locked_by.stale
        doc.close()
        r = subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), "export",
                            str(plan_path), "--pptx", str(plan_path.with_suffix(".pptx"))],
                           capture_output=True, text=True, timeout=120)
        assert "Traceback" not in r.stderr
    finally:
        holder.kill()
        holder.wait()
    # the holder was killed: its lock is stale (same machine, process gone) and can be taken
    doc = PlanDocument.open(plan_path)
    assert doc.readonly and doc.locked_by.stale
    doc.close()
    doc = PlanDocument.open(plan_path, take_over=True)
    assert not doc.readonly and doc.lock is not None
    doc.update("action", "A1", title="Taken over")
    doc.close()


def test_a_lock_not_refreshed_for_long_is_stale(plan_path):
    path = locks.lock_path(plan_path)
    path.write_text(json.dumps({"user": "Cara", "host": "other-machine", "pid": 1,
                                "since": "2026-03-02T09:00:00+00:00"}))
    doc = PlanDocument.open(plan_path)
    assert doc.readonly and not doc.locked_by.stale and "Cara on other-machine" in \
        doc.locked_by.describe()
    doc.close()
    old = time.time() - locks.STALE_AFTER - 60
    os.utime(path, (old, old))
    doc = PlanDocument.open(plan_path)
    assert doc.locked_by.stale
    doc.close()
    with PlanDocument.open(plan_path, take_over=True) as doc:
        assert not doc.readonly


def test_a_live_lock_is_never_taken_over(plan_path):
    locks.lock_path(plan_path).write_text(json.dumps(
        {"user": "Asha", "host": socket.gethostname(), "pid": os.getppid(),
         "since": "2026-03-02T09:00:00+00:00"}))
    with PlanDocument.open(plan_path, take_over=True) as doc:
        assert doc.readonly


@pytest.fixture
def two_windows(plan_path):
    """Two editors on one file where the lock file did not help (an unreliable share)."""
    a = PlanDocument.open(plan_path, user="Asha")
    locks.lock_path(plan_path).unlink()
    b = PlanDocument.open(plan_path, user="Ben")
    assert not a.readonly and not b.readonly
    yield a, b
    a.close()
    b.close()


def reopened(path):
    return PlanDocument.open(path, readonly=True)


def test_failure_1_title_change_over_another(two_windows, plan_path):
    a, b = two_windows
    a.update("action", "A1", title="Asha's title")
    assert b.changed_on_disk()
    with pytest.raises(ChangedElsewhere, match="changed by Asha.*Reload"):
        b.update("action", "A1", title="Ben's title")
    assert b.plan.actions["A1"].title == "Set up steering group"  # nothing half-applied
    with reopened(plan_path) as r:
        assert r.plan.actions["A1"].title == "Asha's title"


def test_failure_2_undo_over_another_persons_value(two_windows, plan_path):
    a, b = two_windows
    b.update("action", "A1", title="Ben's first")
    locks.lock_path(plan_path).unlink(missing_ok=True)
    a_fresh = PlanDocument.open(plan_path, user="Asha")  # sees Ben's value
    assert not a_fresh.readonly
    a_fresh.update("action", "A1", title="Asha replaced it")
    with pytest.raises(ChangedElsewhere):
        b.undo()
    a_fresh.close()
    with reopened(plan_path) as r:
        assert r.plan.actions["A1"].title == "Asha replaced it"


def test_failure_3_edit_to_a_deleted_action(two_windows, plan_path):
    a, b = two_windows
    a.delete("action", "A5")
    with pytest.raises(ChangedElsewhere):
        b.update("action", "A5", title="Edited after deletion")
    with reopened(plan_path) as r:
        assert "A5" not in r.plan.actions
        assert all("Edited after deletion" not in e.label for e in r.history())


def test_failure_4_two_new_actions_with_the_same_id(two_windows, plan_path):
    a, b = two_windows
    a.add("action", Action("A6", "Asha's new action"))
    with pytest.raises(ChangedElsewhere):
        b.add("action", Action("A6", "Ben's new action"))
    with reopened(plan_path) as r:
        assert r.plan.actions["A6"].title == "Asha's new action"


def test_failure_5_two_links_making_a_loop(two_windows, plan_path):
    a, b = two_windows
    a.add("dependency", Dependency("A3", "A4"))  # each link alone is fine;
    with pytest.raises(ChangedElsewhere):
        b.add("dependency", Dependency("A4", "A3"))  # together they make a loop
    with reopened(plan_path) as r:
        from planner.validate import find_loop
        assert find_loop(r.plan) is None and len(r.plan.dependencies) == 6


def test_after_reloading_the_change_can_be_made(two_windows, plan_path):
    a, b = two_windows
    a.update("action", "A1", title="Asha's title")
    b.close()
    locks.lock_path(plan_path).unlink(missing_ok=True)
    b = PlanDocument.open(plan_path, user="Ben")
    b.update("action", "A2", title="Ben's title")
    b.close()
    with reopened(plan_path) as r:
        assert (r.plan.actions["A1"].title, r.plan.actions["A2"].title) == \
            ("Asha's title", "Ben's title")
