"""Opening a plan for editing: every check runs on the state of the file that is read, a damaged
index is refused before anything can be written, and reading a plan leaves nothing for the
cycle collector's young generations to walk (issue 13)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from planner import storage
from planner.document import PlanDocument
from planner.errors import NotAPlanError
from planner.model import Dependency
from plan_factory import small_plan

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def plan_file(tmp_path):
    path = tmp_path / "plan.rcplan"
    PlanDocument.create(path, small_plan()).close()
    return path


def _root_pages(conn, *names):
    return [conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (n,)).fetchone()[0]
            for n in names]


def _as_made_before_december_2026(path):
    """Index the links by their two actions, as every plan file made before 3 Dec 2026 does:
    such files are still about, and their indexes are still checked in full."""
    conn = sqlite3.connect(path)
    conn.execute('CREATE INDEX "idx_dependencies_action" ON "dependencies" ("action")')
    conn.execute('CREATE INDEX "idx_dependencies_needs" ON "dependencies" ("needs")')
    conn.commit()
    conn.close()


def _only_the_full_check_sees_it(path):
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    assert check.execute("PRAGMA integrity_check").fetchall() != [("ok",)]
    check.close()


def _swap_indexes(path, first, second):
    """Make index ``first`` hold ``second``'s entries and the other way round (their b-trees
    swapped in the schema): both are sound b-trees, so only the full check sees that their
    entries are not the rows' (a look-up by key would find another row)."""
    conn = sqlite3.connect(path)
    a, b = _root_pages(conn, first, second)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET rootpage = ? WHERE name = ?", (-1, first))
    conn.execute("UPDATE sqlite_master SET rootpage = ? WHERE name = ?", (a, second))
    conn.execute("UPDATE sqlite_master SET rootpage = ? WHERE name = ?", (b, first))
    conn.commit()
    conn.close()
    _only_the_full_check_sees_it(path)


def _link_left_out_of_index(path, index):
    """Add a link while ``index`` is out of the schema, then put the index back: the rows are
    whole and sound, the index lacks the new row."""
    conn = sqlite3.connect(path)
    sql, root = conn.execute("SELECT sql, rootpage FROM sqlite_master WHERE name = ?",
                             (index,)).fetchone()
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("DELETE FROM sqlite_master WHERE name = ?", (index,))
    conn.commit()
    conn.close()
    conn = sqlite3.connect(path)  # the schema read again: no index there to update
    conn.execute("INSERT INTO dependencies (action, needs, type, lag, uid) "
                 "VALUES ('A5', 'A1', 'FS', 0, 'link-left-out')")
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) "
                 "VALUES ('index', ?, 'dependencies', ?, ?)", (index, root, sql))
    conn.commit()
    conn.close()
    _only_the_full_check_sees_it(path)


def _refused_for_editing_and_never_written(path):
    before = path.read_bytes()
    with pytest.raises(NotAPlanError) as err:
        PlanDocument.open(path).close()
    assert "the file is damaged" in str(err.value)
    assert path.read_bytes() == before


@pytest.mark.parametrize("first, second", [
    ("sqlite_autoindex_dependencies_1", "idx_dependencies_action"),  # links looked up by uid
    ("idx_dependencies_action", "idx_dependencies_needs"),
    ("sqlite_autoindex_actions_1", "sqlite_autoindex_people_1"),  # actions looked up by ID
], ids=["link keys", "link ends", "action IDs"])
def test_an_index_listing_other_rows_is_refused_for_editing_and_never_written(plan_file, first,
                                                                               second):
    _as_made_before_december_2026(plan_file)
    _swap_indexes(plan_file, first, second)
    _refused_for_editing_and_never_written(plan_file)


def test_an_index_lacking_a_row_is_refused_for_editing_and_never_written(plan_file):
    _as_made_before_december_2026(plan_file)
    _link_left_out_of_index(plan_file, "idx_dependencies_needs")
    _refused_for_editing_and_never_written(plan_file)


def _link_indexes(path):
    conn = sqlite3.connect(path)
    try:
        return sorted(r[1] for r in conn.execute("PRAGMA index_list(dependencies)"))
    finally:
        conn.close()


def test_a_new_plan_does_not_index_its_links_by_action_and_an_older_file_still_edits(plan_file,
                                                                                      tmp_path):
    """Nothing looks links up by their actions: a new file carries only the index of their keys
    (smaller, and quicker to check in full). A file made before, with the two indexes, opens,
    takes an edit and a new link, and reads back the same."""
    assert _link_indexes(plan_file) == ["sqlite_autoindex_dependencies_1"]
    _as_made_before_december_2026(plan_file)
    with PlanDocument.open(plan_file) as doc:
        doc.update("action", "A2", duration=9)
        doc.add("dependency", Dependency(action="A3", needs="A1"))
        links = {(d.action, d.needs) for d in doc.plan.dependencies.values()}
    with PlanDocument.open(plan_file) as doc:
        assert doc.plan.actions["A2"].duration == 9
        assert {(d.action, d.needs) for d in doc.plan.dependencies.values()} == links
    conn = sqlite3.connect(plan_file)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()
    assert len(_link_indexes(plan_file)) == 3


def test_a_save_by_another_program_cannot_come_between_the_check_and_the_read(plan_file,
                                                                            monkeypatch):
    """The plan opened for editing is the state of the file that was checked: a change another
    program tries to save after the check and before the read has to wait."""
    real = storage.load_plan
    tried = []

    def load_after_a_foreign_save(conn, path, **kw):
        other = sqlite3.connect(path, timeout=0)
        try:
            other.execute("UPDATE actions SET title = 'Changed elsewhere' WHERE id = 'A1'")
            other.commit()
            tried.append("saved")
        except sqlite3.OperationalError:  # locked: the checked state is being read
            tried.append("waits")
        finally:
            other.close()
        return real(conn, path, **kw)

    monkeypatch.setattr(storage, "load_plan", load_after_a_foreign_save)
    with PlanDocument.open(plan_file) as doc:
        assert tried == ["waits"]
        assert doc.plan.actions["A1"].title == "Set up steering group"
        doc.update("action", "A2", duration=7)  # and the plan is edited as usual
    with PlanDocument.open(plan_file) as doc:
        assert doc.plan.actions["A2"].duration == 7


# ----- the cycle collector after a plan is read ----------------------------------------------

_COLLECTOR_PROBE = """
import gc, sys, weakref
sys.path[:0] = [{root!r}, {tests!r}]
from planner.document import PlanDocument
from planner.model import Action
if {frozen}:
    keep = [object() for _ in range(10)]
    gc.freeze()
frozen = gc.get_freeze_count()

class Cycle:
    pass

c = Cycle(); c.me = c; dead = weakref.ref(c); del c  # garbage the collector must still find
doc = PlanDocument.open({path!r})
gens = [sum(isinstance(o, Action) for o in gc.get_objects(g)) for g in range(3)]
print(gens, gc.get_freeze_count() == frozen, gc.isenabled())
gc.collect()
print(dead() is None)
doc.close()
"""


def _probe(path, frozen):
    code = _COLLECTOR_PROBE.format(root=str(ROOT), tests=str(ROOT / "tests"), path=str(path),
                                   frozen=frozen)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                       cwd=ROOT)
    assert r.returncode == 0, r.stderr
    return r.stdout.split("\n")[:2]


def test_a_plan_read_is_left_in_the_collectors_oldest_generation(plan_file):
    """Nothing frozen (the command line, scripts): the records read are not in the young
    generations, so the first young collection does not walk them; the collector is on and
    garbage made before is still collected."""
    gens, collected = _probe(plan_file, frozen=False)
    assert gens == "[0, 0, 5] True True"
    assert collected == "True"


def test_a_plan_read_leaves_what_the_window_froze_frozen(plan_file):
    gens, collected = _probe(plan_file, frozen=True)
    assert gens.endswith("] True True") and gens != "[0, 0, 5] True True"
    assert collected == "True"
