"""Timeline view: bars follow the engine's schedule after edits, lanes, zoom, keyboard, baseline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from tests.ui_helpers import shown, small_context  # noqa: E402,F401
from ui.timeline_scale import period_start  # noqa: E402
from ui.timeline_view import LABEL_W, SCALES, TimelineView  # noqa: E402


@pytest.fixture
def timeline(qtbot, small_context):
    return shown(qtbot, TimelineView(small_context))


def test_duration_change_moves_successors_bars_and_not_predecessors(timeline, small_context):
    before = {a: timeline.bar_rect(a) for a in ("A1", "A2", "A3", "A4", "A5")}
    start_a3 = small_context.analysis.rows["A3"].start

    small_context.doc.update("action", "A2", duration=15)  # +5 working days

    after = {a: timeline.bar_rect(a) for a in ("A1", "A2", "A3", "A4", "A5")}
    ppd = SCALES[timeline.scale]
    assert after["A1"] == before["A1"]
    assert after["A2"].left() == before["A2"].left()
    assert after["A2"].width() == pytest.approx(before["A2"].width() + 7 * ppd)  # one more week
    for successor in ("A3", "A4", "A5"):
        assert after[successor].left() >= before[successor].left() + 7 * ppd - 0.01, successor
    # the bar sits where the engine says the action starts
    new_start = small_context.analysis.rows["A3"].start
    assert new_start == start_a3 + timedelta(days=7)
    assert after["A3"].left() == pytest.approx(timeline.x_of(new_start))

    small_context.doc.undo()
    assert timeline.bar_rect("A3") == before["A3"]


def test_baseline_ghost_keeps_the_dates_as_opened(timeline, small_context):
    opened = timeline.baseline["A5"]
    small_context.doc.update("action", "A1", duration=10)
    assert timeline.baseline["A5"] == opened
    row = timeline.rows[timeline.row_of("A5")]
    assert row.start > opened[0]
    assert "Baseline:" in timeline.tooltip_for(timeline.row_of("A5"),
                                               LABEL_W + timeline.bar_rect("A5").left() + 2)


def test_lanes_per_challenge_and_per_initiative(timeline, small_context):
    lanes = [r.label for r in timeline.rows if r.kind == "lane"]
    assert len(lanes) == 2 and lanes[0].startswith("3.") and lanes[1].startswith("4.")
    timeline.group_combo.setCurrentIndex(1)
    assert timeline.grouping == "initiative"
    assert [r.label for r in timeline.rows if r.kind == "lane"] == ["No initiative  (5 actions)"]


def test_milestone_and_critical_marks(timeline, small_context):
    a5 = timeline.rows[timeline.row_of("A5")]
    assert a5.milestones and a5.milestones[0][0].startswith("M1")
    critical = {r.action_id for r in timeline.rows if r.kind == "action" and r.critical}
    assert critical == set(small_context.analysis.critical_ids)
    assert "critical" in timeline.legend.text()


def test_zoom_by_week_month_quarter(timeline):
    widths = {}
    for scale in ("week", "month", "quarter"):
        timeline.scale_combo.setCurrentIndex(list(SCALES).index(scale))
        assert timeline.scale == scale
        widths[scale] = timeline.bar_rect("A4").width()
    assert widths["week"] > widths["month"] > widths["quarter"]
    timeline.canvas.setFocus()
    QTest.keyClick(timeline.canvas, Qt.Key.Key_Plus)
    assert timeline.scale == "month"


def test_click_and_keyboard_select_actions(timeline, small_context, qtbot):
    row = timeline.row_of("A3")
    y = timeline.canvas.hh + timeline.row_top(row) + 8 - timeline.canvas.verticalScrollBar().value()
    with qtbot.waitSignal(small_context.selection_changed):
        QTest.mouseClick(timeline.canvas.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(40, int(y)))
    assert small_context.selected_action == "A3"
    timeline.canvas.setFocus()
    order = [r.action_id for r in timeline.rows if r.kind == "action"]
    QTest.keyClick(timeline.canvas, Qt.Key.Key_Down)
    assert small_context.selected_action == order[order.index("A3") + 1]
    QTest.keyClick(timeline.canvas, Qt.Key.Key_End)
    assert small_context.selected_action == order[-1]
    QTest.keyClick(timeline.canvas, Qt.Key.Key_Home)
    assert small_context.selected_action == order[0]
    assert "Selected" in timeline.canvas.accessibleDescription()


def test_dragging_the_chart_pans_it(timeline):
    timeline.set_scale("week")
    hbar = timeline.canvas.horizontalScrollBar()
    hbar.setValue(hbar.maximum() // 2)
    before = hbar.value()
    vp = timeline.canvas.viewport()
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, pos=QPoint(700, 300))
    QTest.mouseMove(vp, QPoint(600, 300))
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=QPoint(600, 300))
    assert hbar.value() == before + 100


def test_sample_plan_timeline_paints(qtbot, context):
    view = shown(qtbot, TimelineView(context))
    assert sum(1 for r in view.rows if r.kind == "action") == len(context.analysis.rows)
    for scale in SCALES:
        view.set_scale(scale)
        assert not view.grab().isNull()


def test_the_chart_spans_every_milestone_date_and_the_status_date(timeline, small_context):
    """The chart starts a week before the period of its earliest date and ends 45 days after its
    latest: a milestone's baseline, forecast or actual, or the status date, can be either."""
    doc = small_context.doc

    def span():
        timeline.rows  # brought up to date when read
        return timeline.origin, timeline.end

    first_start = min(r.start for r in small_context.analysis.rows.values())
    assert span()[0] == period_start(first_start, timeline.scale) - timedelta(days=7)

    early = date(2025, 6, 2)
    doc.update("milestone", "M1", baseline=early)
    assert span()[0] == period_start(early, timeline.scale) - timedelta(days=7)
    earlier = date(2025, 5, 1)
    doc.update("milestone", "M1", status="achieved", actual=earlier)
    assert span()[0] == period_start(earlier, timeline.scale) - timedelta(days=7)

    late = date(2027, 9, 1)
    doc.update("milestone", "M1", forecast=late, status="planned", actual=None)
    assert span() == (period_start(early, timeline.scale) - timedelta(days=7),
                      late + timedelta(days=45))
    before_all = date(2025, 3, 3)  # a status date before the plan's start
    doc.update_settings(as_of=before_all)
    assert span()[0] == period_start(before_all, timeline.scale) - timedelta(days=7)


def test_the_legend_says_the_strip_and_the_line_in_the_decks_words(timeline):
    """The legend said "(strip: % done)" and "as-of date": the deck's timeline says "the share of
    the work done" and "Status date"."""
    text = timeline.legend.text()
    assert "the strip along a bar's foot: the share of its work done" in text
    assert "dashed line: the status date" in text
    assert "% done" not in text and "as-of" not in text
