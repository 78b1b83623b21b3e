"""Dates typed from the keyboard into the real window are the dates the plan file holds (issue 10).

Every test here types real keys into whatever has the focus (QTest key clicks), then reopens the
plan file to check what was stored: the old date editor stored 15/03/2027 as 15 Feb 2027 and
31/02/2027 as 3 or 28 Feb 2027, silently.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from planner.document import PlanDocument
from ui.editors import DateEditor
from ui.milestones_view import COL, ID_ROLE

TEN = [  # (what is typed, the day it means) - the forms a UK project manager types
    ("15/03/2027", date(2027, 3, 15)), ("16/3/27", date(2027, 3, 16)),
    ("17 Mar 2027", date(2027, 3, 17)), ("18-03-2027", date(2027, 3, 18)),
    ("2027-03-19", date(2027, 3, 19)), ("22032027", date(2027, 3, 22)),
    ("23Mar2027", date(2027, 3, 23)), ("1/4/2027", date(2027, 4, 1)),
    ("02/04/27", date(2027, 4, 2)), ("5 April 2027", date(2027, 4, 5)),
]


def focused():
    return QApplication.focusWidget()


def type_text(qtbot, text: str) -> None:
    """Each key goes to whatever has the focus (the table first, then the editor it opens)."""
    for ch in text:
        qtbot.keyClicks(focused(), ch)


def key(qtbot, k, mod=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(focused(), k, mod)
    qtbot.wait(5)


def stored(path) -> dict:
    with PlanDocument.open(path) as doc:
        return {m.id: (m.forecast, m.actual, m.status) for m in doc.plan.milestones.values()}


@pytest.fixture
def ms(window):
    window.show_view("milestones")
    view = window.views["milestones"]
    view.set_owner(None)
    view.open_only.setChecked(False)
    view.table.setFocus()
    return view


def row_ids(view) -> list[str]:
    return [view.proxy.index(r, 0).data(ID_ROLE) for r in range(view.proxy.rowCount())]


def go(view, mid: str, column: str) -> None:
    view.table.setCurrentIndex(view.proxy.index(row_ids(view).index(mid), COL[column]))
    view.table.setFocus()


def test_ten_forecasts_typed_the_uk_way_are_stored_exactly(ms, window, qtbot, sample_copy):
    ids = row_ids(ms)[:10]
    for mid, (typed, _day) in zip(ids, TEN):
        go(ms, mid, "forecast")
        type_text(qtbot, typed)  # the first key opens the editor; no F2, no mouse
        assert isinstance(focused(), DateEditor)
        key(qtbot, Qt.Key.Key_Return)
        assert not isinstance(focused(), DateEditor), f"{typed!r} was not accepted"
    path = window.context.doc.path
    window.context.doc.close()
    held = stored(path)
    assert {mid: held[mid][0] for mid in ids} == {mid: day for mid, (_t, day) in zip(ids, TEN)}


@pytest.mark.parametrize("typed, why", [("31/02/2027", "February 2027 has 28 days"),
                                        ("29/02/2027", "February 2027 has 28 days"),
                                        ("31/04/2027", "April 2027 has 30 days"),
                                        ("15/13/2027", "no month 13"),
                                        ("next week", "dd/mm/yyyy")])
def test_an_impossible_date_is_refused_inline_and_never_stored(ms, window, qtbot, typed, why):
    mid = row_ids(ms)[0]
    before = window.context.plan.milestones[mid].forecast
    go(ms, mid, "forecast")
    type_text(qtbot, typed)
    editor = focused()
    assert isinstance(editor, DateEditor)
    assert editor.placeholderText() == "dd/mm/yyyy"
    key(qtbot, Qt.Key.Key_Return)
    assert focused() is editor  # Enter does not leave a date that is not one
    assert editor.error_label.isVisible() and why in editor.error_label.text()
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is editor
    key(qtbot, Qt.Key.Key_Escape)
    assert window.context.plan.milestones[mid].forecast == before
    path = window.context.doc.path
    window.context.doc.close()
    assert stored(path)[mid][0] == before


def test_an_actual_on_the_status_date_is_stored_as_typed(ms, window, qtbot):
    plan = window.context.plan
    assert plan.settings.as_of == date(2026, 11, 20)
    mid = next(m for m in row_ids(ms) if plan.milestones[m].actual is None
               and plan.milestones[m].status == "planned")
    go(ms, mid, "actual")
    type_text(qtbot, "18/11/2026")
    key(qtbot, Qt.Key.Key_Return)
    assert plan.milestones[mid].actual == date(2026, 11, 18)  # not 18 Dec 2026
    assert plan.milestones[mid].status == "achieved"


def test_an_actual_after_the_status_date_needs_a_yes(ms, window, qtbot, monkeypatch):
    plan = window.context.plan
    asked = []
    answer = [False]
    monkeypatch.setattr("ui.editors.confirm_later_actual",
                        lambda actual, status: asked.append((actual, status)) or answer[0])
    mid = next(m for m in row_ids(ms) if plan.milestones[m].actual is None
               and plan.milestones[m].status == "planned")
    later = plan.settings.as_of + timedelta(days=3)
    go(ms, mid, "actual")
    type_text(qtbot, f"{later:%d/%m/%Y}")
    key(qtbot, Qt.Key.Key_Return)
    assert asked == [(later, date(2026, 11, 20))]
    assert plan.milestones[mid].actual is None  # "No": nothing recorded, and it says so
    assert ms.banner.isVisible() and "not recorded" in ms.banner.text()
    answer[0] = True
    go(ms, mid, "actual")
    type_text(qtbot, f"{later:%d/%m/%Y}")
    key(qtbot, Qt.Key.Key_Return)
    assert plan.milestones[mid].actual == later
    assert plan.settings.as_of == later  # moved on in the same step...
    window.act_undo.trigger()
    assert plan.milestones[mid].actual is None and plan.settings.as_of == date(2026, 11, 20)


def test_an_actual_in_the_future_is_refused(ms, window, qtbot):
    plan = window.context.plan
    mid = next(m for m in row_ids(ms) if plan.milestones[m].actual is None
               and plan.milestones[m].status == "planned")
    go(ms, mid, "actual")
    type_text(qtbot, "18/12/2099")
    key(qtbot, Qt.Key.Key_Return)
    assert plan.milestones[mid].actual is None
    assert "after the plan's status date" in ms.banner.text()


def test_words_and_working_days_in_the_editor(ms, window, qtbot):
    plan = window.context.plan
    mid = row_ids(ms)[0]
    go(ms, mid, "forecast")
    type_text(qtbot, "today")
    key(qtbot, Qt.Key.Key_Return)
    assert plan.milestones[mid].forecast == date.today()
    go(ms, mid, "forecast")
    type_text(qtbot, "+5")
    key(qtbot, Qt.Key.Key_Return)
    assert plan.milestones[mid].forecast > date.today() + timedelta(days=4)


def test_tabbing_through_an_empty_actual_stores_nothing(ms, window, qtbot):
    plan = window.context.plan
    mid = next(m for m in row_ids(ms) if plan.milestones[m].actual is None
               and plan.milestones[m].status == "planned")
    go(ms, mid, "actual")
    key(qtbot, Qt.Key.Key_F2)
    assert isinstance(focused(), DateEditor) and focused().text() == ""
    key(qtbot, Qt.Key.Key_Tab)
    assert plan.milestones[mid].actual is None
    assert plan.milestones[mid].status == "planned"
