"""Named operations: each changes the plan as the user means, names its undo step, returns a change
set in the views' terms, and Undo puts back exactly what was there (in memory and in the file)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from planner import codec, operations
from planner.changes import ChangeSet, FieldChange
from planner.document import PlanDocument
from planner.errors import LoopError, PlanError, ValidationError
from plan_factory import small_plan


@pytest.fixture
def doc(tmp_path):
    d = PlanDocument.create(tmp_path / "plan.rcplan", small_plan(), user="tester")
    yield d
    d.close()


def _records(plan) -> dict:
    """Every record and setting as JSON (records in a stable order: a restored record may come
    back at the end of its collection)."""
    data = codec.plan_to_json(plan)
    return {k: sorted(v, key=json.dumps) if isinstance(v, list) else v for k, v in data.items()}


def state(doc: PlanDocument) -> dict:
    """The whole plan, to compare before and after."""
    return _records(doc.plan)


def on_disk(doc: PlanDocument) -> dict:
    again = PlanDocument.open(doc.path)
    try:
        return _records(again.plan)
    finally:
        again.close()


def undone_exactly(doc: PlanDocument, before: dict) -> None:
    """Undo the last step and check memory and file are exactly as ``before``; then redo."""
    after = state(doc)
    undo = operations.undo(doc)
    assert undo is not None and undo.label.startswith("undo: ")
    assert state(doc) == before and on_disk(doc) == before
    operations.redo(doc)
    assert state(doc) == after and on_disk(doc) == after


def test_edit_action_trims_the_title_and_names_the_field(doc):
    before = state(doc)
    change = operations.edit_action(doc, "A3", title="  Pilot the college  ", duration=9)
    assert doc.plan.actions["A3"].title == "Pilot the college"
    assert change.actions == {"A3"} and change.schedule_actions == {"A3"} and not change.links
    assert doc.undo_label == "edit action A3"
    undone_exactly(doc, before)


def test_add_action_after_copies_challenges_owner_and_initiative(doc):
    before = state(doc)
    change = operations.add_action_after(doc, "A4")
    (new_id,) = change.actions
    new = doc.plan.actions[new_id]
    assert new_id == "A6" and new.challenges == [3] and new.owner == "P2"
    assert doc.undo_label == "add action A6" and change.links and "action" in change.reshaped
    undone_exactly(doc, before)


def test_add_action_after_nothing_is_an_empty_action(doc):
    change = operations.add_action_after(doc, None, title="Map employers")
    (new_id,) = change.actions
    assert doc.plan.actions[new_id].challenges == [] and doc.plan.actions[new_id].owner is None


def test_delete_action_takes_its_links_and_comes_back_whole(doc):
    before = state(doc)
    change = operations.delete_action(doc, "A3")
    assert "A3" not in doc.plan.actions and change.links
    assert {"A2", "A3", "A5"} <= change.schedule_actions  # both ends of each link it took
    assert change.milestones == set()
    undone_exactly(doc, before)


def test_add_and_remove_a_dependency(doc):
    before = state(doc)
    change = operations.add_dependency(doc, "A4", "A3")
    assert doc.undo_label == "add dependency" and change.links
    assert change.schedule_actions == {"A3", "A4"}
    undone_exactly(doc, before)
    uid = next(iter(change.keys("dependency")))
    before = state(doc)
    operations.remove_dependency(doc, uid)
    assert doc.undo_label == "delete dependency"
    undone_exactly(doc, before)


def test_a_loop_or_waiting_on_itself_is_refused_and_changes_nothing(doc):
    before = state(doc)
    with pytest.raises(LoopError, match="loop"):
        operations.add_dependency(doc, "A1", "A5")
    with pytest.raises(ValidationError, match="cannot wait for itself"):
        operations.add_dependency(doc, "A1", "A1")
    with pytest.raises(PlanError, match="Choose the action"):
        operations.add_dependency(doc, "A1", "")
    assert state(doc) == before and doc.undo_label is None


def test_apply_phase_plan_takes_plain_pairs_as_one_step(doc):
    before = state(doc)
    change = operations.apply_phase_plan(doc, [("A1", 1), ("A2", 1), ("A3", 2)], "Start here")
    assert [doc.plan.actions[a].phase for a in ("A1", "A2", "A3")] == [1, 1, 2]
    assert doc.undo_label == "Start here" and change.actions == {"A1", "A2", "A3"}
    assert change.schedule_actions == {"A1", "A2", "A3"}
    undone_exactly(doc, before)


def test_apply_phase_plan_naming_a_missing_action_changes_nothing(doc):
    before = state(doc)
    with pytest.raises(PlanError, match="not in this plan: A99"):
        operations.apply_phase_plan(doc, [("A1", 1), ("A99", 1)])
    assert state(doc) == before


def test_mark_achieved_dates_it_today_or_keeps_its_actual_date(doc):
    doc.update_settings(as_of=date(2026, 6, 1))  # actual dates are never after the status date
    before = state(doc)
    change = operations.mark_achieved(doc, "M1", on=date(2026, 5, 4))
    m = doc.plan.milestones["M1"]
    assert (m.status, m.actual) == ("achieved", date(2026, 5, 4))
    assert doc.undo_label == "mark M1 achieved" and change.milestones == {"M1"}
    assert not change.schedule
    undone_exactly(doc, before)
    operations.edit_milestone(doc, "M1", actual=date(2026, 4, 1))
    assert doc.plan.milestones["M1"].status == "achieved", "an actual date means achieved"
    operations.edit_milestone(doc, "M1", status="planned", actual=None)
    operations.edit_milestone(doc, "M1", status="achieved", today=date(2026, 4, 2))
    assert doc.plan.milestones["M1"].actual == date(2026, 4, 2)
    with pytest.raises(ValidationError, match="no milestone 'M9'"):
        operations.mark_achieved(doc, "M9")


def test_an_actual_after_the_status_date_is_refused_unless_the_status_date_moves_on(doc):
    assert doc.plan.settings.as_of == date(2026, 3, 2)
    before = state(doc)
    with pytest.raises(ValidationError, match="after the plan's status date"):
        operations.edit_milestone(doc, "M1", actual=date(2026, 3, 10))
    with pytest.raises(ValidationError, match="after the plan's status date"):
        operations.mark_achieved(doc, "M1", on=date(2026, 3, 10))
    assert state(doc) == before
    today = date(2026, 3, 12)
    assert operations.later_actual(doc, "M1", today=today, actual=date(2026, 3, 10)) == \
        date(2026, 3, 10)
    assert operations.later_actual(doc, "M1", today=today, status="achieved") == today
    assert operations.later_actual(doc, "M1", today=today, actual=date(2026, 3, 1)) is None
    assert operations.later_actual(doc, "M1", today=today, actual=date(2026, 3, 20)) is None
    operations.edit_milestone(doc, "M1", actual=date(2026, 3, 10), move_status_date=True)
    assert doc.plan.settings.as_of == date(2026, 3, 10)
    assert doc.plan.milestones["M1"].status == "achieved"
    undone_exactly(doc, before)  # one step: the status date goes back with the actual date
    operations.edit_milestone(doc, "M1", actual=date(2026, 4, 3), move_status_date=True)
    assert doc.undo_label == "record M1 on 3 Apr 2026"  # as every date reads (was "03 Apr 2026")


def test_add_reading_needs_a_measure(doc):
    before = state(doc)
    change = operations.add_reading(doc, "OM1", date(2026, 3, 1), 17.5, " monthly ")
    assert doc.undo_label == "add reading" and len(change.readings) == 1
    (uid,) = change.readings
    assert doc.plan.readings[uid].note == "monthly" and not change.schedule
    undone_exactly(doc, before)
    with pytest.raises(PlanError, match="Choose a measure first"):
        operations.add_reading(doc, None, date(2026, 3, 1), 1.0)


def test_spc_settings(doc):
    before = state(doc)
    operations.add_spc_rebase(doc, "OM1", date(2026, 3, 1))
    operations.add_spc_rebase(doc, "OM1", date(2026, 2, 1))
    assert doc.plan.measures["OM1"].spc_rebase == [date(2026, 2, 1), date(2026, 3, 1)]
    change = operations.fix_spc_limits(doc, "OM1", 12)
    assert doc.plan.measures["OM1"].spc_fix_after == 12 and change.measures == {"OM1"}
    operations.clear_spc_settings(doc, "OM1")
    m = doc.plan.measures["OM1"]
    assert (m.spc_rebase, m.spc_fix_after) == ([], None)
    for _ in range(3):
        operations.undo(doc)
    operations.undo(doc)
    assert state(doc) == before
    with pytest.raises(PlanError, match="not an SPC setting"):
        operations.set_spc_settings(doc, "OM1", name="x")


def test_record_assessment(doc):
    before = state(doc)
    change = operations.record_assessment(doc, 3, date(2026, 3, 2), "Development", " notes ", "")
    (uid,) = change.assessments
    assert doc.plan.assessments[uid].evidence == "notes" and doc.undo_label == "add assessment"
    undone_exactly(doc, before)
    after = state(doc)
    with pytest.raises(ValidationError, match="not a stage"):
        operations.record_assessment(doc, 3, date(2026, 3, 2), "Nowhere")
    assert state(doc) == after


def test_store_board_cover_changes_only_what_differs(doc):
    before = state(doc)
    change = operations.store_board_cover(doc, board_meeting="Trust Board", board_purpose="Assurance",
                                          board_date=date(2026, 4, 1))
    assert change.settings == {"board_meeting", "board_date"}  # purpose was already Assurance
    assert not change.calendar
    undone_exactly(doc, before)
    after = state(doc)
    assert not operations.store_board_cover(doc, board_purpose="Assurance")
    with pytest.raises(PlanError, match="not part of the board report"):
        operations.store_board_cover(doc, holidays=[])
    assert state(doc) == after


def test_undo_and_redo_with_nothing_to_do_return_none(doc):
    assert operations.undo(doc) is None and operations.redo(doc) is None


# ----- change sets ------------------------------------------------------------------------------

def test_change_set_facts_are_computed_from_the_field_changes():
    cs = ChangeSet("x", [FieldChange("action", "A1", "u", "notes", "", "n"),
                         FieldChange("settings", "plan", "p", "holidays", [], ["2026-12-25"]),
                         FieldChange("person", "P1", "u", "capacity", 3, 4)])
    assert cs.actions == {"A1"} and cs.schedule_actions == set(), "notes do not move dates"
    assert cs.calendar and cs.schedule and not cs.links
    assert cs.people == {"P1"} and cs.settings == {"holidays"}
    assert cs.touches("person") and not cs.touches("risk") and cs.reshaped == set()


def test_every_step_undo_and_redo_report_the_same_records(doc):
    change = operations.delete_action(doc, "A5")
    undo = operations.undo(doc)
    redo = operations.redo(doc)
    assert change.records == undo.records == redo.records
    assert change.links and undo.links and redo.links
    assert [fc.field for fc in undo.changes] == [fc.field for fc in reversed(change.changes)]


def test_add_measure_from_the_catalogue(doc):
    before = state(doc)
    change = operations.add_measure_from_catalogue(doc, "ips_fidelity")
    (mid,) = change.records["measure"]
    m = doc.plan.measures[mid]
    assert m.name == "IPS employment support fidelity score" and m.measure_type == "score"
    assert doc.undo_label == f"add measure {mid}"
    with pytest.raises(PlanError, match="not in the measure catalogue"):
        operations.add_measure_from_catalogue(doc, "no such thing")
    operations.undo(doc)
    assert state(doc) == before
