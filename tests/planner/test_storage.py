"""The plan file: hostile and damaged files are refused untouched; old files migrate after a backup."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import date

import pytest
import sqlite_utils

from planner import codec, storage
from planner.document import PlanDocument
from planner.errors import NewerVersionError, NotAPlanError
from planner.migrations import write_old_schema
from plan_factory import small_plan


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def plan_file(tmp_path):
    path = tmp_path / "good.rcplan"
    PlanDocument.create(path, small_plan()).close()
    return path


def assert_refused_untouched(path, words, error=NotAPlanError):
    before = digest(path)
    with pytest.raises(error) as err:
        PlanDocument.open(path)
    assert words in str(err.value)
    assert digest(path) == before
    return err.value


def test_random_bytes_are_not_a_plan(tmp_path):
    path = tmp_path / "noise.rcplan"
    path.write_bytes(bytes(range(256)) * 40)
    assert_refused_untouched(path, "is not a Recovery Change Planner plan file")


def test_empty_file_is_not_a_plan(tmp_path):
    path = tmp_path / "empty.rcplan"
    path.write_bytes(b"")
    assert_refused_untouched(path, "not a Recovery Change Planner plan file")


def test_missing_file_is_named(tmp_path):
    with pytest.raises(NotAPlanError, match="There is no file"):
        PlanDocument.open(tmp_path / "nowhere.rcplan")


def test_another_programs_database_is_refused(tmp_path):
    path = tmp_path / "other.rcplan"
    db = sqlite_utils.Database(path)
    db["contacts"].insert({"name": "x"})
    db.close()
    assert_refused_untouched(path, "database from another program")


def test_truncated_plan_is_refused(plan_file):
    data = plan_file.read_bytes()
    plan_file.write_bytes(data[: len(data) // 2])
    assert_refused_untouched(plan_file, "damaged")


def test_corrupted_page_is_refused(plan_file):
    data = bytearray(plan_file.read_bytes())
    for i in range(4096 + 100, len(data), 997):
        data[i] ^= 0x5A
    plan_file.write_bytes(bytes(data))
    assert_refused_untouched(plan_file, "cannot be opened as a plan")


def test_a_trigger_in_the_file_is_never_run(plan_file, tmp_path):
    conn = sqlite3.connect(plan_file)
    conn.execute("CREATE TABLE stolen (x)")
    conn.execute("CREATE TRIGGER t AFTER UPDATE ON actions BEGIN INSERT INTO stolen VALUES (1); END")
    conn.commit()
    conn.close()
    assert_refused_untouched(plan_file, "triggers or views")


def test_a_view_in_the_file_is_refused(plan_file):
    conn = sqlite3.connect(plan_file)
    conn.execute("CREATE VIEW v AS SELECT * FROM actions")
    conn.commit()
    conn.close()
    assert_refused_untouched(plan_file, "triggers or views")


def test_a_value_of_the_wrong_type_is_reported(plan_file):
    conn = sqlite3.connect(plan_file)
    conn.execute("UPDATE actions SET duration = 'lots' WHERE id = 'A2'")
    conn.commit()
    conn.close()
    err = assert_refused_untouched(plan_file, "action A2: duration should be a whole number")
    assert "lots" in str(err)


def test_a_missing_table_is_reported(plan_file):
    conn = sqlite3.connect(plan_file)
    conn.execute("DROP TABLE milestones")
    conn.commit()
    conn.close()
    assert_refused_untouched(plan_file, "parts of the plan are missing (milestones)")


def test_a_file_from_a_newer_version_is_refused(plan_file):
    conn = sqlite3.connect(plan_file)
    conn.execute(f"PRAGMA user_version = {storage.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    err = assert_refused_untouched(plan_file, "newer version", NewerVersionError)
    assert "has not been changed" in str(err)


def test_a_folder_is_not_a_plan(tmp_path):
    with pytest.raises(NotAPlanError, match="folder"):
        PlanDocument.open(tmp_path)


def write_old_file(path, version: int = 1) -> None:
    """A plan file exactly as ``version`` of the program wrote it."""
    plan = small_plan()
    db = sqlite_utils.Database(path)
    write_old_schema(db, version)
    db["settings"].insert_all(
        [{"key": k, "value": json.dumps(v)} for k, v in codec.record_to_json(plan.settings).items()])
    for table, coll in (("challenges", plan.challenges), ("people", plan.people),
                        ("actions", plan.actions), ("dependencies", plan.dependencies),
                        ("milestones", plan.milestones), ("measures", plan.measures),
                        ("readings", plan.readings), ("assessments", plan.assessments)):
        rows = [codec.record_to_row(r) for r in coll.values()]
        columns = set(db[table].columns_dict)
        db[table].insert_all([{k: v for k, v in row.items() if k in columns} for row in rows])
    db.close()


def test_before_a_format_update_a_copy_goes_to_the_backups_folder(tmp_path):
    from planner import backups

    path = tmp_path / "old.rcplan"
    write_old_file(path, 1)
    PlanDocument.open(path).close()
    kept = backups.backups_of(path)
    assert [b.reason for b in kept] == [f"before format {storage.SCHEMA_VERSION} update"]
    assert sqlite3.connect(kept[0].path).execute("PRAGMA user_version").fetchone()[0] == 1
    PlanDocument.open(path).close()  # already up to date: no second copy
    assert len(backups.backups_of(path)) == 1


def test_version_1_file_is_backed_up_then_migrated(tmp_path):
    path = tmp_path / "old.rcplan"
    write_old_file(path, 1)
    original = digest(path)
    doc = PlanDocument.open(path)
    assert doc.backup is not None and doc.backup.exists()
    assert digest(doc.backup) == original
    assert doc.plan.people["P2"].capacity == 3  # capacity did not exist in version 1
    assert len(doc.plan.actions) == 5 and len(doc.plan.dependencies) == 5
    doc.update("action", "A1", duration=7)
    from planner.model import Risk
    doc.add("risk", Risk("R1", "Peer roles not funded", owner="P1"))
    doc.close()
    again = PlanDocument.open(path)
    assert again.backup is None
    assert again.plan.risks["R1"].title == "Peer roles not funded"
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == storage.SCHEMA_VERSION
    again.close()


def test_saved_values_round_trip_exactly(tmp_path):
    plan = small_plan()
    plan.settings.holidays = [date(2026, 12, 25), date(2026, 12, 28)]
    plan.actions["A1"].coproduced = True
    plan.actions["A1"].check_hope = -1
    path = tmp_path / "p.rcplan"
    PlanDocument.create(path, plan).close()
    doc = PlanDocument.open(path)
    assert codec.plan_to_json(doc.plan) == codec.plan_to_json(plan)
    doc.close()


def test_version_2_file_gains_spc_settings(tmp_path):
    path = tmp_path / "v2.rcplan"
    write_old_file(path, 2)
    doc = PlanDocument.open(path)
    assert doc.backup is not None and doc.backup.name == "v2.rcplan.v2-backup"
    measure = doc.plan.measures["OM1"]
    assert measure.spc_fix_after is None and measure.spc_rebase == []
    doc.update("measure", "OM1", spc_rebase=[date(2026, 3, 1)], spc_fix_after=12)
    doc.close()
    again = PlanDocument.open(path)
    assert again.plan.measures["OM1"].spc_rebase == [date(2026, 3, 1)]
    assert again.plan.people["P2"].capacity == 2  # kept, since version 2 had capacity
    again.close()


def test_version_4_file_gains_measure_types_and_board_fields(tmp_path):
    path = tmp_path / "v4.rcplan"
    write_old_file(path, 4)
    conn = sqlite3.connect(path)
    assert "measure_type" not in {r[1] for r in conn.execute("PRAGMA table_info(measures)")}
    # format 4 allowed limits fixed on 6 readings; the reference needs at least 12
    conn.execute("UPDATE measures SET spc_fix_after = 6 WHERE id = 'OM1'")
    conn.commit()
    conn.close()
    doc = PlanDocument.open(path)
    assert doc.backup is not None and doc.backup.name == "v4.rcplan.v4-backup"
    m = doc.plan.measures["OM1"]
    assert m.measure_type == "count" and m.denominator == "" and m.spc_fix_after is None
    assert all(a.tag == "" for a in doc.plan.actions.values())
    doc.update("measure", "OM1", measure_type="rate", denominator="per 1,000 occupied bed days")
    doc.close()
    again = PlanDocument.open(path)
    assert again.plan.measures["OM1"].denominator == "per 1,000 occupied bed days"
    again.close()
