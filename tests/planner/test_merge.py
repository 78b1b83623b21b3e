"""Lineage and merging copies: fork points, stable step identities, three-way merges, refusals."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys

import pytest

from planner import storage
from planner.document import PlanDocument
from planner.lineage import made_from, step_ids
from planner.merge import MergeRefused, merge_copy
from planner.model import Action, Dependency
from plan_factory import small_plan

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(*args):
    return subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), *args],
                          capture_output=True, text=True, timeout=120)


def digest(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


@pytest.fixture
def copies(tmp_path):
    """A plan (mine, open) and a copy of it (theirs, a path) made before either was edited."""
    mine = PlanDocument.create(tmp_path / "mine.rcplan", small_plan())
    mine.update("action", "A1", duration=6)
    theirs = mine.save_copy(tmp_path / "theirs.rcplan")
    yield mine, theirs
    mine.close()


def test_a_copy_records_its_fork_point_and_shares_step_identities(copies):
    mine, theirs_path = copies
    with PlanDocument.open(theirs_path) as theirs:
        fork = made_from(theirs.conn)
        assert fork["plan_id"] == mine.plan.settings.plan_id
        assert fork["state"] == mine.state_id == theirs.state_id
        assert step_ids(theirs.conn) == step_ids(mine.conn)
        theirs.update("action", "A2", duration=3)
        assert theirs.state_id != mine.state_id
    assert made_from(mine.conn) is None  # the original is no copy


def _downgrade_to_v3(path) -> None:
    """Make a current file look exactly as format 3 wrote it (no step identities)."""
    conn = sqlite3.connect(path)
    with conn:
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND "
                                    "tbl_name = 'journal_groups' AND sql LIKE '%step%'").fetchall():
            conn.execute(f"DROP INDEX [{name}]")
        conn.execute("ALTER TABLE journal_groups DROP COLUMN step")
        conn.execute("DROP TABLE merged_steps")
        from planner.migrations import _V5_NAMES  # columns format 5 added
        for table, columns in _V5_NAMES.items():
            for column in columns:
                conn.execute(f"ALTER TABLE [{table}] DROP COLUMN [{column}]")
        conn.execute("PRAGMA user_version = 3")
    conn.close()


def test_format_3_copies_migrated_apart_still_share_their_history(tmp_path):
    original = tmp_path / "old.rcplan"
    with PlanDocument.create(original, small_plan()) as doc:
        doc.update("action", "A1", duration=6)
    _downgrade_to_v3(original)
    other = tmp_path / "old-copy.rcplan"
    other.write_bytes(original.read_bytes())
    with PlanDocument.open(original) as a, PlanDocument.open(other) as b:
        assert a.backup is not None
        assert len(step_ids(a.conn)) == 2 and step_ids(a.conn) == step_ids(b.conn)
        b.update("action", "A2", duration=4)
        b_path = b.path
    with PlanDocument.open(original) as a:
        report = merge_copy(a, b_path)
        assert a.plan.actions["A2"].duration == 4 and len(report.applied) == 1


def test_merge_applies_one_sided_edits_renumbers_clashing_ids_and_lists_conflicts(copies):
    mine, theirs_path = copies
    with PlanDocument.open(theirs_path) as theirs:
        theirs.add("action", Action("A6", "Theirs: open a second site", owner="P2"))
        theirs.add("dependency", Dependency("A6", "A5", "SS", 2))
        theirs.update("action", "A2", duration=12)
        theirs.update("action", "A3", title="Pilot the college for a year")
        theirs.update("milestone", "M1", comment="theirs")
    mine.add("action", Action("A6", "Mine: recruit tutors", owner="P1"))
    mine.update("action", "A2", duration=11)
    mine.close()  # the command below edits the file: no other program may hold it (lock file)
    before = digest(mine.path)
    r = run("merge", str(mine.path), str(theirs_path), "--dry-run")
    assert r.returncode == 1 and "Nothing was changed (dry run)" in r.stdout
    assert digest(mine.path) == before
    r = run("merge", str(mine.path), str(theirs_path))
    assert r.returncode == 1, r.stderr
    assert "A6 'Theirs: open a second site' is A7 here" in r.stdout
    assert "duration: base 10, here 11, incoming 12 (left as it is here)" in r.stdout
    with PlanDocument.open(mine.path) as merged:
        plan = merged.plan
        assert plan.actions["A6"].title == "Mine: recruit tutors"
        assert plan.actions["A7"].title == "Theirs: open a second site"
        assert {(d.action, d.needs, d.type, d.lag) for d in plan.dependencies.values()} >= {
            ("A7", "A5", "SS", 2)}
        assert plan.actions["A3"].title == "Pilot the college for a year"
        assert plan.actions["A2"].duration == 11
        assert plan.milestones["M1"].comment == "theirs"
        once = digest(mine.path)
        history = merged.history(1)[0]
        assert history.label == f"merge {theirs_path.name}"
    r = run("merge", str(mine.path), str(theirs_path))  # again: the open conflict, nothing else
    assert r.returncode == 1 and "Applied 0 changes" in r.stdout and "base 10, here 11" in r.stdout
    assert digest(mine.path) == once
    r = run("merge", str(mine.path), str(theirs_path), "--prefer", "mine")
    assert r.returncode == 0 and "kept as it is here" in r.stdout
    r = run("merge", str(mine.path), str(theirs_path))  # settled: nothing left at all
    assert r.returncode == 0 and "Applied 0 changes" in r.stdout and "conflict" not in r.stdout
    with PlanDocument.open(mine.path) as merged:
        assert merged.plan.actions["A2"].duration == 11
        assert len(merged.plan.actions) == 7


def test_prefer_theirs_settles_conflicts_and_undo_takes_the_whole_merge_back(copies):
    mine, theirs_path = copies
    with PlanDocument.open(theirs_path) as theirs:
        theirs.update("action", "A2", duration=12)
        theirs.delete("action", "A4")
    mine.update("action", "A2", duration=11)
    before = {k: a.duration for k, a in mine.plan.actions.items()}
    deps_before = len(mine.plan.dependencies)
    report = merge_copy(mine, theirs_path, prefer="theirs")
    assert not report.conflicts_left and len(report.conflicts) == 1
    assert mine.plan.actions["A2"].duration == 12 and "A4" not in mine.plan.actions
    assert mine.undo_label == f"merge {theirs_path.name}"
    mine.undo()
    assert {k: a.duration for k, a in mine.plan.actions.items()} == before
    assert len(mine.plan.dependencies) == deps_before


def test_a_deletion_against_an_edit_is_a_conflict_both_ways(copies):
    mine, theirs_path = copies
    with PlanDocument.open(theirs_path) as theirs:
        theirs.delete("action", "A4")
        theirs.update("action", "A3", notes="theirs edited this")
    mine.update("action", "A4", notes="mine edited this")
    mine.delete("action", "A3")
    report = merge_copy(mine, theirs_path)
    reasons = sorted(c.reason for c in report.conflicts)
    assert len(reasons) == 2
    assert reasons[0].startswith("removed here, changed on the other side (notes")
    assert reasons[1].startswith("removed on the other side, but changed here (notes")
    assert "A4" in mine.plan.actions and "A3" not in mine.plan.actions
    report = merge_copy(mine, theirs_path, prefer="theirs")  # theirs wins: A3 back, A4 gone
    assert "A3" in mine.plan.actions and mine.plan.actions["A3"].notes == "theirs edited this"


def test_a_merge_that_would_close_a_loop_is_refused_whole(copies):
    mine, theirs_path = copies
    with PlanDocument.open(theirs_path) as theirs:
        theirs.add("dependency", Dependency("A3", "A4"))
        theirs.update("action", "A1", title="Theirs renamed this")
    mine.add("dependency", Dependency("A4", "A3"))
    mine.close()  # the command below edits the file: no other program may hold it (lock file)
    before = digest(mine.path)
    r = run("merge", str(mine.path), str(theirs_path))
    assert r.returncode == 2 and "refused" in r.stdout and "loop" in r.stdout.lower()
    assert digest(mine.path) == before
    with PlanDocument.open(mine.path) as mine:
        with pytest.raises(MergeRefused):
            merge_copy(mine, theirs_path)
        assert mine.plan.actions["A1"].title == "Set up steering group"


def test_another_plan_is_refused(copies, tmp_path):
    mine, _ = copies
    stranger = tmp_path / "stranger.rcplan"
    PlanDocument.create(stranger, small_plan()).close()
    r = run("merge", str(mine.path), str(stranger))
    assert r.returncode == 2 and "different plan" in r.stdout
    r = run("merge", str(mine.path), str(tmp_path / "missing.rcplan"))
    assert r.returncode == 2


def test_schema_version_is_current(copies):
    mine, _ = copies
    assert mine.conn.execute("PRAGMA user_version").fetchone()[0] == storage.SCHEMA_VERSION == 5
