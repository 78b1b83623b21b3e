"""The Milestones fast update mode, driven with the keyboard alone: pick an owner, change the
forecast, actual, status and comment, mark achieved; slipped milestones show their days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ui.milestones_view import COL, ID_ROLE


@pytest.fixture
def ms(window):
    window.show_view("milestones")
    view = window.views["milestones"]
    view.open_only.setChecked(True)
    return view


def focused():
    return QApplication.focusWidget()


def key(qtbot, k, mod=Qt.KeyboardModifier.NoModifier, wait=True):
    qtbot.keyClick(focused(), k, mod)
    if wait:
        qtbot.wait(5)  # delegates commit on the next turn of the event loop


def type_text(qtbot, text: str) -> None:
    """Type as a user would: each key goes to whatever has the focus (the editor, once open)."""
    for ch in text:
        qtbot.keyClicks(focused(), ch)


def shown_ids(view) -> list[str]:
    return [view.proxy.index(r, 0).data(ID_ROLE) for r in range(view.proxy.rowCount())]


def test_update_milestones_with_keys_only(ms, window, qtbot, monkeypatch):
    plan = window.context.plan
    # an actual after the plan's status date asks to move the status date on: say yes
    monkeypatch.setattr("ui.editors.confirm_later_actual", lambda actual, status: True)
    # Filter to Helen Okoro's milestones by typing her name in the owner box.
    ms.owner_filter.setFocus()
    qtbot.keyClicks(ms.owner_filter, "Helen")
    assert ms.owner_filter.currentData() == "P1"
    assert shown_ids(ms) == ["M34", "M35", "M36", "M37", "M38"]  # her board reports
    assert all(plan.milestones[m].owner == "P1" for m in shown_ids(ms))

    # Tab into the table: the cursor is on the first milestone's forecast.
    key(qtbot, Qt.Key.Key_Tab)
    while focused() is not ms.table:
        key(qtbot, Qt.Key.Key_Tab)
    ms.table.setCurrentIndex(ms.proxy.index(0, COL["forecast"]))  # where the filter put it
    assert ms.current_milestone().id == "M34"
    old_forecast = plan.milestones["M34"].forecast

    # F2 opens the date editor; Up moves the day on by one; Enter keeps it and moves down.
    key(qtbot, Qt.Key.Key_F2)
    key(qtbot, Qt.Key.Key_Up)
    key(qtbot, Qt.Key.Key_Return)
    assert plan.milestones["M34"].forecast == old_forecast + timedelta(days=1)
    # the schedule's view of it is refreshed at once (forecast and slip shown beside it)
    assert window.context.analysis.milestones["M34"].owner_forecast == old_forecast + timedelta(days=1)
    assert ms.current_milestone().id == "M35"

    # Type a comment on M35: Right to the comment column, type, Enter.
    for _ in range(COL["comment"] - COL["forecast"]):
        key(qtbot, Qt.Key.Key_Right, wait=False)
    type_text(qtbot, "Waiting for the partners' dates")
    key(qtbot, Qt.Key.Key_Return)
    assert plan.milestones["M35"].comment == "Waiting for the partners' dates"

    # Status of M34 to "missed" with the list editor.
    ms.table.setCurrentIndex(ms.proxy.index(0, COL["status"]))
    key(qtbot, Qt.Key.Key_F2)
    combo = focused()
    combo.setCurrentIndex(combo.findText("missed"))  # = pressing Down twice in the closed list
    key(qtbot, Qt.Key.Key_Return)
    assert plan.milestones["M34"].status == "missed"
    window.act_undo.trigger()
    assert plan.milestones["M34"].status == "planned"

    # Tabbing through an empty actual date stores nothing (it only suggests today)...
    ms.table.setCurrentIndex(ms.proxy.index(shown_ids(ms).index("M35"), COL["actual"]))
    key(qtbot, Qt.Key.Key_F2)
    key(qtbot, Qt.Key.Key_Tab)
    assert plan.milestones["M35"].actual is None
    # ...an actual date typed in (Down: yesterday) is recorded and marks it achieved.
    ms.table.setCurrentIndex(ms.proxy.index(shown_ids(ms).index("M35"), COL["actual"]))
    key(qtbot, Qt.Key.Key_F2)
    key(qtbot, Qt.Key.Key_Down)
    key(qtbot, Qt.Key.Key_Return)
    m35 = plan.milestones["M35"]
    # (on the 1st of a month Down cannot go back a day, so the date may still be today)
    assert m35.actual in (date.today(), date.today() - timedelta(days=1))
    assert m35.status == "achieved"
    # Open-only: the achieved milestone leaves the list on the next filter pass.
    ms.open_only.setChecked(False)
    ms.open_only.setChecked(True)
    assert "M35" not in shown_ids(ms)


def test_ctrl_enter_marks_achieved_and_delete_clears(ms, window, qtbot, monkeypatch):
    plan = window.context.plan
    monkeypatch.setattr("ui.editors.confirm_later_actual", lambda actual, status: True)
    ms.set_owner(None)
    row = shown_ids(ms).index("M12")
    ms.table.setFocus()
    ms.table.setCurrentIndex(ms.proxy.index(row, COL["comment"]))
    type_text(qtbot, "Nearly there")
    key(qtbot, Qt.Key.Key_Return)
    ms.table.setCurrentIndex(ms.proxy.index(row, COL["comment"]))
    key(qtbot, Qt.Key.Key_Delete)
    assert plan.milestones["M12"].comment == ""
    ms.table.setCurrentIndex(ms.proxy.index(row, COL["forecast"]))
    key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert plan.milestones["M12"].status == "achieved"
    assert plan.milestones["M12"].actual == date.today()


def test_slipped_milestones_flagged_with_days(ms, window):
    model = ms.model
    plan = window.context.plan
    forecasts = window.context.analysis.milestones
    slip = forecasts["M6"].slip_days
    assert slip > 0
    text = model.index(model.row_of("M6"), COL["slip"]).data()
    assert text == f"⚠ {slip} working days late"
    ms.slipped_only.setChecked(True)
    ids = shown_ids(ms)
    assert "M6" in ids and "M34" not in ids  # M34 is on its baseline
    assert all(forecasts[m].slip_days > 0 and plan.milestones[m].status == "planned" for m in ids)
    assert f"{len(ids)} slipped" in ms.count_label.text()


def test_owner_choice_is_remembered(ms, window, qtbot):
    ms.set_owner("P9")
    from ui.milestones_view import MilestonesView

    again = MilestonesView(window.context)
    qtbot.addWidget(again)
    assert again.owner_filter.currentData() == "P9"
