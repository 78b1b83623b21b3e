"""Operations on an open plan: every edit validated, stored at once, journaled, undoable."""

from __future__ import annotations

from datetime import date

import pytest

from planner.document import PlanDocument
from planner.errors import LoopError, PlanError, ValidationError
from planner.model import Action, Dependency, Person, Phase, Risk
from plan_factory import small_plan


@pytest.fixture
def doc(tmp_path):
    d = PlanDocument.create(tmp_path / "plan.rcplan", small_plan(), user="tester")
    yield d
    d.close()


def reopen(d: PlanDocument) -> PlanDocument:
    d.close()
    return PlanDocument.open(d.path)


def test_an_edit_is_stored_at_once_without_saving(doc):
    doc.update("action", "A3", duration=12, notes="Waiting on venue")
    again = reopen(doc)
    assert again.plan.actions["A3"].duration == 12
    assert again.plan.actions["A3"].notes == "Waiting on venue"
    again.close()


def test_undo_label_names_the_change(doc):
    doc.update("action", "A3", actual_start=date(2026, 2, 2))
    doc.update("action", "A3", actual_finish=date(2026, 2, 20))
    assert doc.undo_label == "change finish of A3"
    doc.undo()
    assert doc.plan.actions["A3"].actual_finish is None
    assert doc.redo_label == "change finish of A3"
    doc.redo()
    assert doc.plan.actions["A3"].actual_finish == date(2026, 2, 20)


def test_opening_a_file_is_not_undoable(doc):
    doc.update("action", "A1", duration=9)
    again = reopen(doc)
    assert again.undo_label is None
    assert again.undo() is None
    assert again.plan.actions["A1"].duration == 9
    again.close()


def test_undo_and_redo_survive_in_the_file(doc):
    doc.update("action", "A1", duration=9)
    doc.undo()
    again = reopen(doc)
    assert again.plan.actions["A1"].duration == 5
    again.close()


def test_journal_records_who_what_old_and_new(doc):
    doc.update("action", "A2", percent=40)
    entry = doc.history()[0]
    assert entry.who == "tester"
    assert entry.label == "change percent complete of A2"
    (fc,) = entry.changes
    assert (fc.kind, fc.key, fc.field, fc.old, fc.new) == ("action", "A2", "percent", 0, 40)
    assert fc.uid == doc.plan.actions["A2"].uid


def test_deleting_an_action_takes_its_links_and_undo_brings_them_back(doc):
    before = {d.uid for d in doc.plan.dependencies.values()}
    doc.delete("action", "A2")
    assert "A2" not in doc.plan.actions
    assert all("A2" not in (d.action, d.needs) for d in doc.plan.dependencies.values())
    assert doc.undo_label == "delete action A2"
    doc.undo()
    assert {d.uid for d in doc.plan.dependencies.values()} == before
    assert doc.plan.actions["A2"].title == "Write recovery strategy"


def test_deleting_a_person_leaves_their_actions_unowned(doc):
    doc.delete("person", "P2")
    assert doc.plan.actions["A2"].owner is None
    doc.undo()
    assert doc.plan.actions["A2"].owner == "P2"


def test_a_batch_is_one_undoable_step(doc):
    with doc.batch("assign phase 1"):
        for key in ("A1", "A2", "A3"):
            doc.update("action", key, phase=1)
    assert doc.undo_label == "assign phase 1"
    doc.undo()
    assert all(doc.plan.actions[k].phase is None for k in ("A1", "A2", "A3"))


def test_a_batch_that_fails_half_way_changes_nothing(doc, tmp_path):
    with pytest.raises(ValidationError):
        with doc.batch("bad batch"):
            doc.update("action", "A1", duration=20)
            doc.update("action", "A2", percent=300)
    assert doc.plan.actions["A1"].duration == 5
    again = reopen(doc)
    assert again.plan.actions["A1"].duration == 5
    again.close()


def test_loop_is_refused_and_named_by_titles(doc):
    with pytest.raises(LoopError) as err:
        doc.add("dependency", Dependency("A1", "A5"))
    message = str(err.value)
    assert "'Set up steering group' cannot wait for 'Open the college'" in message
    assert "loop" in message
    assert "Open the college → Set up steering group → Write recovery strategy" in message
    assert err.value.loop[0] == err.value.loop[-1] == "A5"
    assert len(doc.plan.dependencies) == 5


@pytest.mark.parametrize("kind, make, words", [
    ("dependency", lambda: Dependency("A1", "A1"), "cannot wait for itself"),
    ("dependency", lambda: Dependency("A5", "A9"), "not in the plan"),
    ("dependency", lambda: Dependency("A2", "A1"), "already waits for"),
    ("dependency", lambda: Dependency("A4", "A1", lag=-2), "cannot be negative"),
    ("dependency", lambda: Dependency("A4", "A1", type="FF"), "FS (finish to start) or SS"),
    ("action", lambda: Action("A1", "Duplicate"), "already an action with the ID 'A1'"),
    ("action", lambda: Action("A9", "Unknown owner", owner="P7"), "owner 'P7' is not one of"),
    ("action", lambda: Action("A9", "Bad challenge", challenges=[11]), "no challenge 11"),
    ("action", lambda: Action("A9", "Negative", duration=-1), "duration cannot be negative"),
    ("action", lambda: Action("A9", "Pct", percent=101), "between 0 and 100"),
    ("action", lambda: Action("A9", "Backwards", actual_start=date(2026, 3, 2),
                              actual_finish=date(2026, 3, 1)), "cannot finish"),
    ("action", lambda: Action("A9", "Status", status="finished"), "is not a status"),
    ("action", lambda: Action("A9", "Check", check_hope=2), "must be -1, 0 or +1"),
    ("person", lambda: Person("P9", "asha patel"), "already a person called"),
    ("person", lambda: Person("P9", "Cara", role="boss"), "is not a role"),
    ("person", lambda: Person("P9", "Cara", capacity=0), "capacity"),
    ("risk", lambda: Risk("R1", "Funding", likelihood=6), "likelihood must be from 1 to 5"),
    ("phase", lambda: Phase(0), "numbered from 1"),
])
def test_bad_input_is_refused_with_words_and_changes_nothing(doc, kind, make, words):
    journal_before = len(doc.history())
    count_before = len(doc.plan.collection(kind))
    with pytest.raises(ValidationError) as err:
        doc.add(kind, make())
    assert words in str(err.value)
    assert len(doc.plan.collection(kind)) == count_before
    assert len(doc.history()) == journal_before


def test_stage_not_on_the_scale_is_refused(doc):
    from planner.model import Assessment

    with pytest.raises(ValidationError, match="not a stage on this plan's scale"):
        doc.add("assessment", Assessment(3, date(2026, 2, 1), "Excellent"))


def test_a_wrong_type_is_refused_in_plain_words(doc):
    with pytest.raises(ValidationError, match="Duration should be a whole number"):
        doc.update("action", "A1", duration="five")
    with pytest.raises(PlanError, match="no field colour"):
        doc.update("action", "A1", colour="red")


def test_ids_never_change(doc):
    with pytest.raises(ValidationError, match="cannot be changed"):
        doc.update("action", "A1", id="B1")


def test_settings_edit_and_custom_stage_scale(doc):
    doc.update_settings(name="Renamed plan")
    assert doc.undo_label == "change plan name"
    with pytest.raises(ValidationError, match="must keep the stages the plan already uses"):
        doc.update_settings(stage_scale=["Red", "Amber", "Green"])
    doc.update_settings(stage_scale=["Not yet started", "Engagement", "Development",
                                     "Embedding", "Transformation"])
    again = reopen(doc)
    assert again.plan.settings.name == "Renamed plan"
    assert "Embedding" in again.plan.stages
    again.close()


def test_snapshots_keep_the_plan_as_it_was(doc):
    uid = doc.save_snapshot("Board, March")
    doc.update("action", "A1", duration=30)
    old = doc.load_snapshot(uid)
    assert old.actions["A1"].duration == 5
    assert [s.label for s in doc.snapshots()] == ["Board, March"]


def test_save_a_copy_keeps_this_file_open(doc, tmp_path):
    copy = doc.save_copy(tmp_path / "copy.rcplan")
    doc.update("action", "A1", duration=8)
    other = PlanDocument.open(copy)
    assert other.plan.actions["A1"].duration == 5
    assert other.plan.settings.plan_id == doc.plan.settings.plan_id
    other.close()


def test_create_refuses_to_overwrite(tmp_path):
    path = tmp_path / "p.rcplan"
    PlanDocument.create(path).close()
    with pytest.raises(PlanError, match="already exists"):
        PlanDocument.create(path)


def test_listeners_hear_every_change_including_undo(doc):
    heard = []
    doc.listeners.append(lambda change: heard.append(change.label))
    doc.update("action", "A1", duration=6)
    doc.undo()
    doc.redo()
    assert heard == ["change duration of A1", "undo: change duration of A1",
                     "redo: change duration of A1"]


def test_listeners_see_the_undo_and_redo_labels_already_updated(doc):
    seen = []
    doc.update("action", "A1", duration=6)
    doc.listeners.append(lambda change: seen.append((doc.undo_label, doc.redo_label)))
    doc.undo()
    doc.redo()
    assert seen == [(None, "change duration of A1"), ("change duration of A1", None)]


def test_invisible_control_characters_never_reach_the_plan(doc, tmp_path):
    """Text pasted with control codes is kept without them, so Excel and PowerPoint can hold it."""
    from reports import ExportOptions, build_deck
    from planner.xlsx import export_workbook

    doc.update("action", "A1", title="Set up\x01 steering group\ufffe")
    doc.add("action", Action("A9", "Recruit\x0b peer tutors"))
    doc.update_settings(name="Plan\x02 2026")
    assert doc.plan.actions["A1"].title == "Set up steering group"
    assert doc.plan.actions["A9"].title == "Recruit peer tutors"
    assert doc.history()[0].changes[0].new == "Plan 2026"
    build_deck(doc.plan, ExportOptions(output="x.pptx"))[0].save(tmp_path / "d.pptx")
    export_workbook(doc.plan, tmp_path / "p.xlsx")


def test_a_file_holding_control_characters_opens_clean(tmp_path):
    import sqlite3

    path = tmp_path / "odd.rcplan"
    PlanDocument.create(path, small_plan()).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE actions SET title = 'Open\x07 the college' WHERE id = 'A5'")
    conn.commit()
    conn.close()
    with PlanDocument.open(path) as doc:
        assert doc.plan.actions["A5"].title == "Open the college"
