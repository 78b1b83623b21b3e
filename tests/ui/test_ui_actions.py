"""Workflows in the Actions view: edit in the table and see the schedule move, filter and sort,
refused edits, dependencies (a loop is refused with its message), co-production and the
recovery check."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QSpinBox

from ui.actions_model import COLUMN_INDEX, ID_ROLE


@pytest.fixture
def actions(window):
    window.show_view("actions")
    return window.views["actions"]


def shown_cell(view, action_id: str, key: str) -> str:
    model = view.model
    return model.index(model.row_of(action_id), COLUMN_INDEX[key]).data()


def press_enter(qtbot, editor) -> None:
    """Enter in a cell editor: the delegate commits on the next turn of the event loop."""
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(5)


def visible_ids(view) -> list[str]:
    return [view.proxy.index(r, 0).data(ID_ROLE) for r in range(view.proxy.rowCount())]


def test_change_duration_in_table_moves_successors_and_timeline(window, actions, qtbot):
    plan = window.context.plan
    timeline = window.view("timeline")
    a32_start_before = shown_cell(actions, "A32", "start")
    bar_before = timeline.bar_rect("A32")
    assert plan.actions["A31"].duration == 47

    index = actions.edit_cell("A31", "duration")
    editor = actions.table.indexWidget(index) or actions.table.focusWidget()
    assert isinstance(editor, QSpinBox)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "57")
    press_enter(qtbot, editor)

    assert plan.actions["A31"].duration == 57
    assert shown_cell(actions, "A31", "duration") == "57"
    # The successor starts 10 working days (two weeks) later, in the table and on the timeline.
    assert shown_cell(actions, "A32", "start") != a32_start_before
    assert (window.context.analysis.rows["A32"].start - date(2027, 11, 25)).days == 14
    bar_after = timeline.bar_rect("A32")
    assert bar_after.left() > bar_before.left()
    assert window.act_undo.text() == "&Undo: change duration of A31"


def test_refused_edit_leaves_plan_and_says_why(actions, window):
    model = actions.model
    index = model.index(model.row_of("A31"), COLUMN_INDEX["title"])
    assert not model.setData(index, "   ")
    assert window.context.plan.actions["A31"].title.startswith("Evaluate the pilot")
    assert actions.banner.isVisibleTo(actions)
    assert "title is needed" in actions.banner.text()


def test_owner_and_status_editors_are_lists(actions, window, qtbot):
    plan = window.context.plan
    index = actions.edit_cell("A31", "owner")
    editor = actions.table.indexWidget(index) or actions.table.focusWidget()
    assert isinstance(editor, QComboBox)
    editor.setCurrentIndex(editor.findText("Anil Rao"))
    press_enter(qtbot, editor)
    assert plan.actions["A31"].owner == "P4"
    assert shown_cell(actions, "A31", "owner") == "Anil Rao"

    index = actions.edit_cell("A31", "status")
    editor = actions.table.indexWidget(index) or actions.table.focusWidget()
    assert [editor.itemText(i) for i in range(editor.count())][:3] == [
        "not started", "in progress", "done"]
    editor.setCurrentIndex(1)
    press_enter(qtbot, editor)
    assert plan.actions["A31"].status == "in progress"


def test_challenges_editor_ticks_with_space(actions, window, qtbot):
    index = actions.edit_cell("A31", "challenges")
    editor = actions.table.indexWidget(index) or actions.table.focusWidget()
    assert editor.value() == [3]
    editor.setCurrentRow(7)  # challenge 8
    qtbot.keyClick(editor, Qt.Key.Key_Space)
    actions.table.itemDelegate().commitData.emit(editor)
    actions.table.itemDelegate().closeEditor.emit(editor)
    assert window.context.plan.actions["A31"].challenges == [3, 8]


def test_filters_text_challenge_owner_status_critical(actions, window):
    plan = window.context.plan
    total = len(plan.actions)
    assert actions.proxy.rowCount() == total
    actions.search.setText("peer")
    ids = visible_ids(actions)
    assert ids and all("peer" in (plan.actions[i].title + " " + (
        plan.people[plan.actions[i].owner].name if plan.actions[i].owner else "")).lower()
        for i in ids)
    assert f"of {total}" in actions.count_label.text()
    actions.search.clear()

    actions.challenge_filter.setCurrentIndex(actions.challenge_filter.findData(3))
    assert all(3 in plan.actions[i].challenges for i in visible_ids(actions))
    actions.status_filter.setCurrentIndex(actions.status_filter.findData("not started"))
    ids = visible_ids(actions)
    assert ids and all(plan.actions[i].status == "not started" and 3 in plan.actions[i].challenges
                       for i in ids)
    actions.challenge_filter.setCurrentIndex(0)
    actions.status_filter.setCurrentIndex(0)

    actions.owner_filter.setCurrentIndex(actions.owner_filter.findData("P5"))
    assert {plan.actions[i].owner for i in visible_ids(actions)} == {"P5"}
    actions.owner_filter.setCurrentIndex(0)

    actions.critical_filter.setChecked(True)
    rows = window.context.analysis.rows
    ids = visible_ids(actions)
    assert ids and all(rows[i].critical for i in ids)
    actions.critical_filter.setChecked(False)
    assert actions.proxy.rowCount() == total


def test_overdue_filter_finds_an_action_forecast_past_its_deadline(actions, window):
    doc = window.context.doc
    doc.update("action", "A31", deadline=date(2027, 10, 1))  # scheduled to finish 24 Nov 2027
    actions.overdue_filter.setChecked(True)
    assert "A31" in visible_ids(actions)
    assert all(actions.proxy.is_overdue(window.context.plan.actions[i]) for i in visible_ids(actions))


def test_sort_by_finish(actions):
    actions.table.sortByColumn(COLUMN_INDEX["finish"], Qt.SortOrder.AscendingOrder)
    rows = actions.context.analysis.rows
    finishes = [rows[i].finish for i in visible_ids(actions) if i in rows]
    assert finishes == sorted(finishes)


def test_the_detail_panel_gives_dates_and_float_as_the_table_and_the_timeline(actions, window):
    """The panel said "12 Mar 2026 → 13 Jan 2027.  Float 484 days." for a float the Float
    column and the Timeline count in working days: it says "working days", and its dates read
    as the table's cells do."""
    window.context.select_action("A15")
    row = window.context.analysis.rows["A15"]
    assert not row.critical and row.float_days > 1
    text = actions.detail.schedule_label.text()
    assert f"Float {row.float_days} working days." in text
    start, finish = (shown_cell(actions, "A15", key) for key in ("start", "finish"))
    assert text.startswith(f"{start} → {finish}."), (text, start, finish)


def test_loop_refused_in_detail_panel_then_link_added_and_undone(actions, window):
    plan = window.context.plan
    window.context.select_action("A30")
    detail = actions.detail
    assert detail.heading.text().startswith("A30")
    before = len(plan.dependencies)
    # A31 waits for A30; A30 waiting for A32 would close a loop A30 → A31 → A32 → A30.
    assert not detail.add_dependency("A32")
    assert len(plan.dependencies) == before
    # the refusal shows in the view's banner, the one place every refusal shows
    text = actions.banner.text()
    assert actions.banner.isVisibleTo(actions) and "loop" in text.lower()
    assert "Board decision on a full recovery college" in text
    # a good link is added and listed, and Undo takes it away
    detail.add_combo.setEditText("A3")
    detail.add_dependency_from_form()
    assert any(d.action == "A30" and d.needs == "A3" for d in plan.dependencies.values())
    assert "loop" not in actions.banner.text().lower(), "a successful edit hides the refusal"
    assert "A30 now waits for A3" in actions.banner.text()
    assert any(detail.needs_list.item(i).text().startswith("A3 ")
               for i in range(detail.needs_list.count()))
    window.act_undo.trigger()
    assert not any(d.action == "A30" and d.needs == "A3" for d in plan.dependencies.values())


def test_remove_dependency_and_recovery_check(actions, window):
    plan = window.context.plan
    window.context.select_action("A31")
    detail = actions.detail
    assert detail.needs_list.count() == 1
    detail.needs_list.setCurrentRow(0)
    detail.remove_button.click()
    assert not plan.predecessors("A31")

    detail.coproduced.setChecked(True)
    detail.coproduced_with.setText("Service user reference group")
    detail.coproduced_with.editingFinished.emit()
    combo = detail.check_boxes["hope"]
    combo.setCurrentIndex(combo.findData(1))
    a = plan.actions["A31"]
    assert a.coproduced and a.coproduced_with == "Service user reference group"
    assert a.check_hope == 1
    assert window.act_undo.text() == "&Undo: change check hope of A31"


def test_new_action_is_added_and_edited(actions, window, qtbot):
    plan = window.context.plan
    n = len(plan.actions)
    window.context.select_action("A31")
    actions.add_button.click()
    assert len(plan.actions) == n + 1
    new_id = window.context.selected_action
    assert plan.actions[new_id].challenges == [3]
    editor = actions.table.focusWidget()
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "Write the college's evaluation summary")
    press_enter(qtbot, editor)
    assert plan.actions[new_id].title == "Write the college's evaluation summary"


def test_deadline_editor_sets_and_leaves_empty_dates_alone(actions, window, qtbot):
    plan = window.context.plan
    assert plan.actions["A31"].deadline is None
    index = actions.edit_cell("A31", "deadline")
    editor = actions.table.indexWidget(index) or actions.table.focusWidget()
    finish = window.context.analysis.rows["A31"].finish
    assert editor.text() == "" and editor.placeholderText() == "dd/mm/yyyy"
    assert editor.suggested == finish  # Up and Down start from the scheduled finish
    press_enter(qtbot, editor)
    assert plan.actions["A31"].deadline is None  # only looked at: nothing stored
    index = actions.edit_cell("A31", "deadline")
    editor = actions.table.focusWidget()
    qtbot.keyClick(editor, Qt.Key.Key_Up)  # a day after the scheduled finish
    press_enter(qtbot, editor)
    assert plan.actions["A31"].deadline == finish + timedelta(days=1)
    assert window.act_undo.text() == "&Undo: change deadline of A31"


def test_column_widths_and_sort_are_remembered(actions, window, qtbot):
    from ui.actions_view import ActionsView

    actions.table.setColumnWidth(COLUMN_INDEX["title"], 333)
    actions.table.sortByColumn(COLUMN_INDEX["finish"], Qt.SortOrder.DescendingOrder)
    again = ActionsView(window.context)
    qtbot.addWidget(again)
    assert again.table.columnWidth(COLUMN_INDEX["title"]) == 333
    assert again.table.horizontalHeader().sortIndicatorSection() == COLUMN_INDEX["finish"]
    rows = window.context.analysis.rows
    finishes = [rows[i].finish for i in visible_ids(again) if i in rows]
    assert finishes == sorted(finishes, reverse=True)


def test_detail_panel_shows_the_initiative_and_why_this_order(actions, window):
    """Issue 12: the starter's rationale per initiative is shown in the window, not only in the
    workbook: the detail panel names the initiative and why it comes in this order."""
    plan = window.context.plan
    a = plan.actions["A31"]
    init = plan.initiatives[a.initiative]
    assert init.rationale
    window.context.select_action("A31")
    text = actions.detail.rationale_label.text()
    assert f"Initiative {init.id}: {init.title}" in text
    assert f"Why this order: {init.rationale}" in text
