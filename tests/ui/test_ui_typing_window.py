"""Each workflow typed at the real window from its keyboard shortcuts alone (issue 10, item 10).

Every key goes to whatever has the focus (no setData, no setCurrentIndex, no clicks): Ctrl+5 and
ten dates down the Milestones list in every form a project manager writes; Ctrl+2, Alt+N for a new
action and Alt+W for what it waits for; Ctrl+8 to rate challenges one after another; Ctrl+6 to
add a reading. Each test then closes the plan and reads the FILE, so what was typed is what the
plan holds.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from planner.dates import add_working_days
from planner.document import PlanDocument
from ui.editors import DateEditor
from ui.milestones_view import COL

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def focused():
    return QApplication.focusWidget()


def type_text(qtbot, text: str) -> None:
    for ch in text:  # the first key may open an editor, which then takes the rest
        qtbot.keyClicks(focused(), ch)


def press(qtbot, key, mod=Qt.KeyboardModifier.NoModifier, wait: int = 5) -> None:
    qtbot.keyClick(focused(), key, mod)
    qtbot.wait(wait)


def alt(qtbot, letter: str) -> None:
    """Alt + an underlined letter (a button's click follows 100 ms later, so wait for it)."""
    press(qtbot, getattr(Qt.Key, f"Key_{letter.upper()}"), ALT, wait=200)


def start(window, qtbot, view_number: int) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    window.navigator.setFocus()
    press(qtbot, getattr(Qt.Key, f"Key_{view_number}"), CTRL)


def reopened(window) -> PlanDocument:
    path = window.context.doc.path
    window.context.doc.close()
    return PlanDocument.open(path)


def test_ten_milestones_typed_from_ctrl_5_in_every_form(window, qtbot):
    plan = window.context.plan
    today = date.today()
    forms = [("15/03/2027", date(2027, 3, 15)), ("16/3/27", date(2027, 3, 16)),
             ("17 Mar 2027", date(2027, 3, 17)), ("18-03-2027", date(2027, 3, 18)),
             ("2027-03-19", date(2027, 3, 19)), ("22032027", date(2027, 3, 22)),
             ("today", today), ("tomorrow", today + timedelta(days=1)),
             ("+5", add_working_days(today, 5, plan.settings.holidays)),
             ("5 April 2027", date(2027, 4, 5))]
    start(window, qtbot, 5)
    view = window.views["milestones"]
    typed = {}
    for text, day in forms:
        assert focused() is view.table and view.table.currentIndex().column() == COL["forecast"]
        mid = view.current_milestone().id
        type_text(qtbot, text)
        assert isinstance(focused(), DateEditor)
        press(qtbot, Qt.Key.Key_Return)  # keeps it and moves down a row
        assert focused() is view.table, f"{text!r} was not taken"
        typed[mid] = day
    assert len(typed) == 10
    # an impossible date: refused in words, the editor stays, Esc leaves the old date
    mid = view.current_milestone().id
    before = plan.milestones[mid].forecast
    type_text(qtbot, "31/02/2027")
    editor = focused()
    press(qtbot, Qt.Key.Key_Return)
    assert focused() is editor and "February 2027 has 28 days" in editor.error_label.text()
    press(qtbot, Qt.Key.Key_Escape)
    assert focused() is view.table
    with reopened(window) as doc:
        held = {m.id: m.forecast for m in doc.plan.milestones.values()}
    assert {m: held[m] for m in typed} == typed
    assert held[mid] == before


def test_a_new_action_and_what_it_waits_for_typed_from_ctrl_2(window, qtbot):
    start(window, qtbot, 2)
    actions = window.views["actions"]
    assert actions.isAncestorOf(focused())
    before = set(window.context.plan.actions)
    alt(qtbot, "n")  # New action: a row after the selected one, its title open for typing
    (new_id,) = set(window.context.plan.actions) - before
    type_text(qtbot, "Peer support drop-in at the library")
    press(qtbot, Qt.Key.Key_Return)
    assert focused() is actions.table
    alt(qtbot, "w")  # "Add an action it waits for"
    assert focused() in (actions.detail.add_combo, actions.detail.add_combo.lineEdit())
    type_text(qtbot, "A12")
    press(qtbot, Qt.Key.Key_Return)
    with reopened(window) as doc:
        action = doc.plan.actions[new_id]
        waits_for = {d.needs for d in doc.plan.dependencies.values() if d.action == new_id}
    assert action.title == "Peer support drop-in at the library"
    assert waits_for == {"A12"}


def test_what_an_action_waits_for_typed_as_part_of_a_title_from_ctrl_2(window, qtbot):
    """The Actions view's "waits for" box reads typed text by the Graph's rule: a part of one
    title names that action; a part of several names some and asks for the ID, adding nothing.
    (It took the first word as an ID: "Peer tutors gain" was refused as an unknown action "Peer",
    and an ambiguous whole title linked the first action that had it.)"""
    start(window, qtbot, 2)
    actions = window.views["actions"]
    before = set(window.context.plan.actions)
    alt(qtbot, "n")
    (new_id,) = set(window.context.plan.actions) - before
    type_text(qtbot, "Co-produced induction for new tutors")
    press(qtbot, Qt.Key.Key_Return)
    alt(qtbot, "w")
    type_text(qtbot, "peer tutors gain")
    press(qtbot, Qt.Key.Key_Return)
    alt(qtbot, "w")
    press(qtbot, Qt.Key.Key_A, CTRL)
    type_text(qtbot, "college")
    press(qtbot, Qt.Key.Key_Return)
    assert "'college' matches 14 actions" in actions.banner.text()
    assert "no link was added" in actions.banner.text()
    with reopened(window) as doc:
        waits_for = {d.needs for d in doc.plan.dependencies.values() if d.action == new_id}
    assert waits_for == {"A95"}


def test_rating_challenges_typed_from_ctrl_8(window, qtbot):
    start(window, qtbot, 8)
    view = window.views["assessments"]
    alt(qtbot, "d")  # Review date
    assert focused() is view.when
    press(qtbot, Qt.Key.Key_A, CTRL)
    type_text(qtbot, "18/11/2026")
    alt(qtbot, "c")  # Challenge
    assert focused() is view.challenge
    type_text(qtbot, "2")  # a closed list picks by typing: "2. ..."
    alt(qtbot, "s")  # Stage
    rated = {}
    for stage in ("Development", "Engagement", "Transformation"):
        number = view.challenge.currentData()
        assert focused() is view.stage
        qtbot.wait(QApplication.keyboardInputInterval() + 50)  # a new search, not a longer one
        type_text(qtbot, stage)
        press(qtbot, Qt.Key.Key_Tab)
        assert focused() is view.evidence
        type_text(qtbot, f"Panel evidence for challenge {number}")
        press(qtbot, Qt.Key.Key_Return)  # records it and moves on to the next challenge
        rated[number] = stage
    assert list(rated) == [2, 3, 4]
    with reopened(window) as doc:
        got = {a.challenge: (a.stage, a.date) for a in doc.plan.assessments.values()
               if a.evidence.startswith("Panel evidence")}
    assert got == {n: (s, date(2026, 11, 18)) for n, s in rated.items()}


def test_a_reading_typed_from_ctrl_6(window, qtbot):
    start(window, qtbot, 6)
    view = window.views["outcomes"]
    alt(qtbot, "m")  # New reading for measure
    assert focused() is view.measure_box
    type_text(qtbot, "OM2")
    measure = view.measure_box.currentData()
    assert measure == "OM2"
    alt(qtbot, "t")  # Date
    assert focused() is view.reading_date
    press(qtbot, Qt.Key.Key_A, CTRL)
    type_text(qtbot, "15 Nov 2026")
    alt(qtbot, "u")  # Value
    assert focused() is view.reading_value
    type_text(qtbot, "17.5")
    press(qtbot, Qt.Key.Key_Return)
    with reopened(window) as doc:
        added = [r.value for r in doc.plan.readings_of("OM2") if r.date == date(2026, 11, 15)]
    assert added == [17.5]


def test_ctrl_z_in_the_box_just_used_undoes_the_plan_step(window, qtbot):
    """Found at the desktop: after Enter added a reading, Ctrl+Z in the (now empty) value box
    went to the box, which had nothing to undo, so the reading stayed and nothing said so."""
    plan = window.context.plan
    start(window, qtbot, 6)
    view = window.views["outcomes"]
    before = len(plan.readings)
    alt(qtbot, "u")
    type_text(qtbot, "66")
    press(qtbot, Qt.Key.Key_Return)
    assert len(plan.readings) == before + 1 and focused() is view.reading_value
    assert "Undo removes it" in view.banner.text()
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert len(plan.readings) == before
    assert window.statusBar().currentMessage() == "Undone: add reading"
    assert view.banner.isHidden()  # "Added 66 … Undo removes it" is no longer true
    # a box with typing of its own to undo keeps Ctrl+Z for that typing
    type_text(qtbot, "12")
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert view.reading_value.text() == "" and len(plan.readings) == before
    press(qtbot, Qt.Key.Key_Z, CTRL, wait=20)
    with reopened(window) as doc:
        assert len(doc.plan.readings) == before
