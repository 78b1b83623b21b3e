"""Workflows typed from the keyboard (issue 10): rate the challenges one after another, add a
reading (never a 0 nobody typed), each checked in the plan file after reopening it."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from planner.document import PlanDocument
from tests.ui_helpers import shown, small_context  # noqa: F401
from ui.assessments_view import AssessmentsView
from ui.outcomes_view import OutcomesView


def focused():
    return QApplication.focusWidget()


def reopened(context):
    path = context.doc.path
    context.doc.close()
    return PlanDocument.open(path)


def test_add_reading_with_no_value_typed_adds_nothing(qtbot, small_context):
    view = shown(qtbot, OutcomesView(small_context))
    view.measure_box.setCurrentIndex(view.measure_box.findData("OM1"))
    assert view.reading_value.text() == ""  # no 0.00 waiting to be added
    before = len(small_context.plan.readings)
    QTest.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    assert len(small_context.plan.readings) == before
    assert "type the reading's value first" in view.banner.text()
    QTest.keyClicks(view.reading_value, "abc")
    QTest.keyClick(view.reading_value, Qt.Key.Key_Return)
    assert len(small_context.plan.readings) == before
    assert "'abc' is not a number" in view.banner.text()
    view.reading_value.clear()
    view.reading_date.selectAll()
    QTest.keyClicks(view.reading_date, "31/02/2026")
    QTest.keyClicks(view.reading_value, "14")
    QTest.keyClick(view.reading_value, Qt.Key.Key_Return)
    assert len(small_context.plan.readings) == before
    assert "February 2026 has 28 days" in view.banner.text()
    view.reading_date.selectAll()
    QTest.keyClicks(view.reading_date, "28/02/2026")
    QTest.keyClick(view.reading_value, Qt.Key.Key_Return)
    with reopened(small_context) as doc:
        added = [r for r in doc.plan.readings_of("OM1") if r.date == date(2026, 2, 28)]
    assert [r.value for r in added] == [14.0]


def test_rating_the_challenges_moves_on_to_the_next_one(qtbot, small_context):
    view = shown(qtbot, AssessmentsView(small_context))
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    view.when.selectAll()
    QTest.keyClicks(view.when, "02/03/2026")
    view.choose_challenge(1)
    stages = ["Engagement", "Development", "Engagement"]
    for number, stage in enumerate(stages, 1):
        assert view.challenge.currentData() == number
        assert focused() is view.stage
        qtbot.wait(QApplication.keyboardInputInterval() + 50)  # a new search, not a longer one
        QTest.keyClicks(view.stage, stage)  # a closed list box picks by typing
        QTest.keyClick(view.stage, Qt.Key.Key_Tab)
        QTest.keyClicks(focused(), f"Evidence for challenge {number}")
        QTest.keyClick(focused(), Qt.Key.Key_Return)
    assert view.challenge.currentData() == 4
    with reopened(small_context) as doc:
        got = {a.challenge: (a.stage, a.date) for a in doc.plan.assessments.values()
               if a.evidence.startswith("Evidence for")}
    assert got == {n: (s, date(2026, 3, 2)) for n, s in enumerate(stages, 1)}
