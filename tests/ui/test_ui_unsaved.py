"""A write that fails is never silent (issue 10, item 3): the window names the file and the
reason, keeps the typed value on screen marked "not saved" (Retry / Discard), and its status bar
tells the truth; status messages never run into the save state, and an old error goes when
another plan opens.

The failure is real: the plan's SQLite connection is made query-only, so the write is refused by
the database exactly as on a read-only file (root ignores chmod, so chmod cannot be used here).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from planner.document import PlanDocument
from tests.ui.test_ui_typing_dates import ms, row_ids  # noqa: F401 (a fixture)
from ui.milestones_view import COL


def focused():
    return QApplication.focusWidget()


def type_forecast(qtbot, view, mid: str, typed: str) -> None:
    row = row_ids(view).index(mid)
    view.table.setCurrentIndex(view.proxy.index(row, COL["forecast"]))
    view.table.setFocus()
    for ch in typed:
        QTest.keyClicks(focused(), ch)
    QTest.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.wait(5)


def forecast_cell(view, mid: str, role=Qt.ItemDataRole.DisplayRole):
    return view.proxy.index(row_ids(view).index(mid), COL["forecast"]).data(role)


def stored_forecast(path, mid):
    with PlanDocument.open(path) as doc:
        return doc.plan.milestones[mid].forecast


def test_a_typed_date_the_file_cannot_take_stays_on_screen_marked_not_saved(ms, window, qtbot):
    ctx = window.context
    mid = row_ids(ms)[0]
    before = ctx.plan.milestones[mid].forecast
    ctx.doc.conn.execute("PRAGMA query_only = 1")  # the file cannot be written any more
    type_forecast(qtbot, ms, mid, "15/03/2027")
    banner = window.unsaved_banner
    assert banner.isVisible()
    assert "Not saved" in banner.text() and ctx.doc.path.name in banner.text()
    assert "cannot write" in banner.text()  # the reason, in words
    assert "forecast of " + mid + ": 15 Mar 2027" in banner.text()
    # the cell keeps what was typed, marked: never silently put back
    assert forecast_cell(ms, mid) == "15 Mar 2027  ⚠ not saved"
    assert window.saved_label.text().startswith("Not saved")
    assert "Every change is saved" not in window.saved_label.text()
    assert window.statusBar().currentMessage().startswith("Not saved:")
    assert ctx.plan.milestones[mid].forecast == before  # the plan holds what the file holds
    # once the file can be written again, Retry writes what was typed
    ctx.doc.conn.execute("PRAGMA query_only = 0")
    QTest.mouseClick(banner.retry_button, Qt.MouseButton.LeftButton)
    assert banner.isHidden()
    assert window.saved_label.text() == "Every change is saved as you make it"
    assert "⚠" not in forecast_cell(ms, mid)
    path = ctx.doc.path
    ctx.doc.close()
    assert stored_forecast(path, mid) == date(2027, 3, 15)


def test_discard_shows_what_the_file_holds(ms, window, qtbot):
    ctx = window.context
    mid = row_ids(ms)[1]
    before = ctx.plan.milestones[mid].forecast
    ctx.doc.conn.execute("PRAGMA query_only = 1")
    type_forecast(qtbot, ms, mid, "16/03/2027")
    assert "not saved" in forecast_cell(ms, mid)
    QTest.keyClick(window.unsaved_banner, Qt.Key.Key_Escape)  # Esc does not lose it unseen
    assert window.unsaved_banner.isVisible()
    QTest.mouseClick(window.unsaved_banner.discard_button, Qt.MouseButton.LeftButton)
    assert window.unsaved_banner.isHidden()
    assert "not saved" not in (forecast_cell(ms, mid) or "")
    assert window.saved_label.text() == "Every change is saved as you make it"
    ctx.doc.conn.execute("PRAGMA query_only = 0")
    path = ctx.doc.path
    ctx.doc.close()
    assert stored_forecast(path, mid) == before


def test_a_storage_write_that_raises_shows_for_an_action_title(window, qtbot, monkeypatch):
    """The planner's SaveError from any write (here: the journal write raises it)."""
    from planner import document
    from planner.errors import SaveError

    window.show_view("actions")
    actions = window.views["actions"]

    def full(*_a, **_k):
        raise SaveError("The change was not saved: 'northmoor.rcplan' could not be written "
                        "because the disk (or your share of it) is full.")

    monkeypatch.setattr(document.PlanDocument, "_journal", full)
    model = actions.model
    row = model.row_of("A27")
    col = model.columns.index["title"]
    index = actions.proxy.mapFromSource(model.index(row, col))
    actions.table.setCurrentIndex(index)
    actions.table.setFocus()
    QTest.keyClick(focused(), Qt.Key.Key_F2)
    focused().selectAll()
    QTest.keyClicks(focused(), "Peer workers in every team")
    QTest.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.wait(5)  # the delegate commits on the next turn of the event loop
    assert "disk (or your share of it) is full" in window.unsaved_banner.text()
    assert index.data() == "Peer workers in every team  ⚠ not saved"
    assert window.saved_label.text().startswith("Not saved")


def test_status_messages_have_their_own_place_beside_the_save_state(window, qtbot):
    bar = window.statusBar()
    bar.showMessage("A very long message " * 30, 10000)
    qtbot.wait(10)
    message = bar.message
    assert message.isVisible() and window.saved_label.isVisible()
    right_edge = message.mapTo(window, message.rect().topRight()).x()
    saved_left = window.saved_label.mapTo(window, window.saved_label.rect().topLeft()).x()
    assert right_edge < saved_left  # the message is cut with … at its edge, never under it
    assert message.width() < message.fontMetrics().horizontalAdvance(message.text())


def test_an_old_error_goes_when_another_plan_opens(window, tmp_path, sample_copy):
    bad = tmp_path / "not a plan.rcplan"
    bad.write_text("hello")
    assert not window.open_plan(bad, quiet=True)
    assert "not a plan" in window.statusBar().currentMessage()
    other = tmp_path / "other.rcplan"
    other.write_bytes(sample_copy.read_bytes())
    window.context.doc.close()
    assert window.open_plan(other, quiet=True)
    assert "not a plan" not in window.statusBar().currentMessage()
