"""The window's one path for operations: a refusal shows the same way in whichever view is on
screen and hides after the next successful operation; Undo and Redo are right at once."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from planner import operations
from planner.errors import PlanError


def test_a_refusal_shows_in_the_current_views_banner_and_hides_after_a_success(window):
    ctx = window.context
    window.show_view("milestones")
    ms = window.views["milestones"]
    title = ctx.plan.actions["A27"].title
    assert ctx.run(operations.edit_action, "A27", title="   ") is None
    assert ctx.plan.actions["A27"].title == title, "a refused operation changes nothing"
    assert ms.banner.isVisible() and "title is needed" in ms.banner.text()
    # only the banner on screen shows it: another view's stays hidden
    assert window.view("outcomes").banner.isHidden()
    # the next operation that succeeds hides the refusal
    assert ctx.run(operations.edit_action, "A27", duration=41) is not None
    assert ms.banner.isHidden()


def test_a_refusal_is_dismissed_with_escape(window):
    window.show_view("outcomes")
    view = window.views["outcomes"]
    assert window.context.run(operations.add_reading, None, date(2026, 3, 1), 3.0) is None
    assert view.banner.isVisible() and "Choose a measure first" in view.banner.text()
    QTest.keyClick(view.banner, Qt.Key.Key_Escape)
    assert view.banner.isHidden()


def test_a_write_failure_from_the_core_shows_like_a_refusal(window):
    window.show_view("overview")
    overview = window.views["overview"]

    def failing(doc):
        raise PlanError("The plan file could not be written (disk full); nothing was changed.")

    assert window.context.run(failing) is None
    assert overview.banner.isVisible() and "disk full" in overview.banner.text()
    assert "Not changed: The plan file could not be written" in window.statusBar().currentMessage()


def test_undo_and_redo_labels_are_right_straight_after_the_step(window):
    ctx = window.context
    ctx.run(operations.mark_achieved, "M6", on=ctx.plan.settings.as_of)
    assert window.act_undo.text() == "&Undo: mark M6 achieved"
    window.act_undo.trigger()  # no event loop turn in between: no timer is needed
    assert window.act_redo.text() == "&Redo: mark M6 achieved"
    assert window.act_undo.text() != "&Undo: mark M6 achieved"
    window.act_redo.trigger()
    assert window.act_undo.text() == "&Undo: mark M6 achieved" and not window.act_redo.isEnabled()


def test_views_refresh_from_the_change_set_after_undo(window):
    ctx = window.context
    window.show_view("actions")
    actions = window.views["actions"]
    before = actions.model.rowCount()
    change = ctx.run(operations.add_action_after, "A27")
    assert actions.model.rowCount() == before + 1 and change.actions
    window.act_undo.trigger()
    assert actions.model.rowCount() == before
    assert ctx.analysis is not None and set(ctx.analysis.rows) <= set(ctx.plan.actions)
