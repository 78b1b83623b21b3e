"""State that belongs to a plan goes with it (issue 10, item 7): a search typed into one plan's
Actions table made a challenge tile of the next plan open an empty table ("0 of 108"); filters,
half-typed forms, banners and old errors are reset when another plan is opened, and a tile opens
exactly the actions it counts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from planner.document import PlanDocument
from tests.plan_factory import small_plan
from ui.actions_model import ID_ROLE


def focused():
    return QApplication.focusWidget()


def other_plan(tmp_path):
    path = tmp_path / "other.rcplan"
    PlanDocument.create(path, small_plan()).close()
    return path


def type_into(qtbot, widget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def shown_ids(actions) -> set[str]:
    return {actions.proxy.index(r, 0).data(ID_ROLE) for r in range(actions.proxy.rowCount())}


def test_a_search_does_not_follow_the_user_into_another_plan(window, qtbot, tmp_path):
    window.show_view("actions")
    actions = window.views["actions"]
    type_into(qtbot, actions.search, "peer")
    actions.status_filter.setCurrentIndex(actions.status_filter.findData("in progress"))
    qtbot.keyClick(actions.overdue_filter, Qt.Key.Key_Space)
    assert actions.overdue_filter.isChecked() and actions.proxy.rowCount() < 108
    assert window.open_plan(other_plan(tmp_path), quiet=True)
    assert actions.search.text() == ""
    assert actions.current_filter() == type(actions.current_filter())()  # no filter at all
    assert actions.count_label.text() == "5 actions"
    # the tile for challenge 4 says how many actions serve it; Enter opens exactly those
    window.show_view("overview")
    tile = window.views["overview"].tiles[4]
    tile.setFocus()
    qtbot.keyClick(tile, Qt.Key.Key_Return)
    assert window.current_view_key() == "actions"
    assert shown_ids(actions) == {"A1", "A2"}
    assert actions.proxy.rowCount() == tile.summary.actions
    assert actions.count_label.text() == "2 of 5"
    assert focused() is actions.table


def test_a_tile_opens_what_it_counts_whatever_was_filtered_before(window, qtbot):
    window.show_view("actions")
    actions = window.views["actions"]
    type_into(qtbot, actions.search, "zzz no such action")
    assert actions.proxy.rowCount() == 0
    window.show_view("overview")
    for number, tile in window.views["overview"].tiles.items():
        window.show_view("overview")
        tile.setFocus()
        qtbot.keyClick(tile, Qt.Key.Key_Return)
        assert actions.proxy.rowCount() == tile.summary.actions, number
        assert actions.search.text() == ""


def test_forms_filters_and_banners_start_afresh_with_another_plan(window, qtbot, tmp_path):
    ms = window.view("milestones")
    window.show_view("milestones")
    ms.slipped_only.setChecked(True)
    window.context.refuse("An earlier refusal about the old plan")
    assert ms.banner.isVisible()
    window.show_view("people")
    people = window.views["people"]
    people.only_over.setChecked(True)
    window.show_view("outcomes")
    outcomes = window.views["outcomes"]
    type_into(qtbot, outcomes.reading_value, "42")
    window.show_view("assessments")
    assessments = window.views["assessments"]
    type_into(qtbot, assessments.evidence, "Board minutes of the old plan")
    window.statusBar().showMessage("'x.rcplan' could not be opened: No such file.", 15000)

    assert window.open_plan(other_plan(tmp_path), quiet=True)
    assert window.statusBar().currentMessage() == ""
    assert not ms.slipped_only.isChecked() and ms.banner.isHidden()
    assert not people.only_over.isChecked()
    assert outcomes.reading_value.text() == ""
    assert assessments.evidence.text() == ""
    window.show_view("milestones")
    assert ms.proxy.rowCount() == 1  # M1 of the new plan, not filtered away by the old choices
