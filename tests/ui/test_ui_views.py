"""People, Outcomes and Assessments views, and all five of part B's views on the sample plan."""

from __future__ import annotations

from datetime import date

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QApplication,  # noqa: E402
                               QComboBox, QDateEdit, QLineEdit)

from planner.dates import short_range  # noqa: E402
from planner.model import Action, Dependency, Reading  # noqa: E402
from tests.ui_helpers import drag, shown, small_context  # noqa: E402,F401
from ui import style  # noqa: E402
from ui.assessments_view import AssessmentsView  # noqa: E402
from ui.graph_view import GraphView  # noqa: E402
from ui.outcomes_view import OutcomesView  # noqa: E402
from ui.people_view import PeopleView  # noqa: E402
from ui.timeline_view import TimelineView  # noqa: E402


# ----- People ---------------------------------------------------------------------------------

def test_overloaded_person_is_flagged_and_cleared(qtbot, small_context):
    view = shown(qtbot, PeopleView(small_context))
    assert not view.is_overloaded("P2")
    assert "No one is over capacity" in view.summary.text()

    # Ben Ode (capacity 2) is given two more actions that run alongside his A2
    doc = small_context.doc
    with doc.batch("give Ben two more actions"):
        doc.add("action", Action("A6", "Map local employers", owner="P2", challenges=[10],
                                 duration=30))
        doc.add("action", Action("A7", "Draft housing protocol", owner="P2", challenges=[10],
                                 duration=30))

    assert view.is_overloaded("P2")
    assert "Overloaded" in view.summary.text() and "Ben Ode" in view.summary.text()
    over = [o for o in small_context.analysis.overloads if o.person == "P2"]
    assert over and over[0].count > 2
    row = view.model.people.index("P2")
    col = view.load.weeks.index(over[0].week)
    index = view.model.index(row, col)
    assert index.data().endswith("!")
    assert "overloaded" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert "Ben Ode" in view.overloads.item(0).text()

    # choosing the cell lists the week's actions; choosing one selects it everywhere
    view.table.setCurrentIndex(index)
    assert view.week_actions.count() == over[0].count
    view.week_actions.setCurrentRow(0)
    assert small_context.selected_action == view.week_actions.item(0).data(Qt.ItemDataRole.UserRole)

    view.only_over.setChecked(True)
    assert view.model.people == ["P2"]

    doc.update("person", "P2", capacity=5)
    assert not view.is_overloaded("P2")


def test_a_busy_week_of_hand_overs_says_why_it_is_not_an_overload(qtbot, small_context):
    """Three short actions one after another in Ben's first week: three in the week against a
    capacity of two, but never two at once, so no flag, and the cell's tooltip says why."""
    view = shown(qtbot, PeopleView(small_context))
    doc = small_context.doc
    with doc.batch("give Ben a week of short actions"):
        for aid, days in (("A6", 2), ("A7", 2), ("A8", 1)):
            doc.add("action", Action(aid, f"Short task {aid}", owner="P2", challenges=[10],
                                     duration=days))
        doc.add("dependency", Dependency("A7", "A6"))
        doc.add("dependency", Dependency("A8", "A7"))
    row = view.model.people.index("P2")
    week = next(w for w in view.load.weeks if "A8" in view.load.cells.get(("P2", w), []))
    index = view.model.index(row, view.load.weeks.index(week))
    assert view.load.count("P2", week) == 3 and not view.is_overloaded("P2")
    assert index.data() == "3"
    assert "never more than 2 under way on the same day" in index.data(Qt.ItemDataRole.ToolTipRole)


# ----- Outcomes -------------------------------------------------------------------------------

def test_outcome_chart_shows_readings_limits_baseline_and_target(qtbot, small_context):
    view = shown(qtbot, OutcomesView(small_context))
    card = view.card("OM1")
    assert len(card.chart.data.points) == 1
    assert "Not enough readings" in card.status.text()

    doc = small_context.doc
    with doc.batch("monthly enrolments"):
        for month, value in enumerate([12, 14, 13, 15, 14, 16, 18, 21, 24, 26, 29, 31, 33], 3):
            y, m = 2026 + (month - 1) // 12, (month - 1) % 12 + 1
            doc.add("reading", Reading("OM1", date(y, m, 1), float(value)))
        doc.update("measure", "OM1", baseline=12.0, target=40.0, direction="higher")

    card = view.card("OM1")
    labels = [ln.label for ln in card.chart.data.lines]
    assert len(card.chart.data.points) == 14
    assert any(lb.startswith("mean") for lb in labels)
    assert "process limits" in labels
    assert "baseline 12" in labels and "target 40" in labels
    assert "Special cause: improvement" in card.status.text()   # a long rising run
    assert card.chart.accessibleDescription() == card.status.text()
    assert not card.chart.grab().isNull()


def test_new_measure_from_the_catalogue(qtbot, small_context):
    view = shown(qtbot, OutcomesView(small_context))
    box = view.catalogue_box
    assert box.itemText(0) == "New from catalogue…"
    index = box.findData("restrictive")
    assert index > 0
    box.setCurrentIndex(index)
    box.activated.emit(index)  # what picking an item with the mouse or keyboard does
    doc = small_context.doc
    new = [m for m in doc.plan.measures.values() if m.name.startswith("Restrictive")]
    assert len(new) == 1
    m = new[0]
    assert m.measure_type == "rate" and m.denominator == "per 1,000 occupied bed days"
    assert m.direction == "lower"
    assert view.card(m.id) is not None
    assert box.currentIndex() == 0  # ready for the next pick
    assert doc.undo_label == f"add measure {m.id}"
    doc.undo()
    assert m.id not in doc.plan.measures


def test_cumulative_measure_is_shown_on_a_run_chart(qtbot, small_context):
    view = shown(qtbot, OutcomesView(small_context))
    doc = small_context.doc
    with doc.batch("trained so far"):
        for month, value in enumerate([5, 9, 14, 20, 26, 31, 37, 44, 50], 3):
            doc.add("reading", Reading("OM1", date(2026, month, 1), float(value)))
        doc.update("measure", "OM1", measure_type="cumulative")
    card = view.card("OM1")
    labels = [ln.label for ln in card.chart.data.lines]
    assert any(lb.startswith("median") for lb in labels)
    assert "process limits" not in labels
    assert "Run chart" in card.status.text() and "Special cause" not in card.status.text()


def test_adding_a_reading_from_the_form_updates_the_chart(qtbot, small_context):
    view = shown(qtbot, OutcomesView(small_context))
    view.measure_box.setCurrentIndex(view.measure_box.findData("OM1"))
    view.reading_date.selectAll()
    QTest.keyClicks(view.reading_date, "02/04/2026")  # typed as a UK user writes it
    QTest.keyClicks(view.reading_value, "17.5")
    QTest.keyClicks(view.reading_note, "first month of the pilot")
    QTest.keyClick(view.reading_note, Qt.Key.Key_Return)
    readings = small_context.plan.readings_of("OM1")
    assert [r.value for r in readings] == [12.0, 17.5]
    assert readings[-1].date == date(2026, 4, 2)
    assert readings[-1].note == "first month of the pilot"
    assert small_context.doc.undo_label == "add reading"
    assert len(view.card("OM1").chart.data.points) == 2
    assert "Added 17.5 for OM1" in view.banner.text()
    small_context.doc.undo()
    assert len(view.card("OM1").chart.data.points) == 1


# ----- Assessments ----------------------------------------------------------------------------

def test_rating_a_challenge_adds_an_assessment_and_updates_its_history(qtbot, small_context):
    view = shown(qtbot, AssessmentsView(small_context))
    before = len(small_context.plan.assessments_of(3))
    view.choose_challenge(3)
    view.when.selectAll()
    QTest.keyClicks(view.when, "2 Jun 2026")
    view.stage.setCurrentText("Development")
    QTest.keyClicks(view.evidence, "Pilot college running with 40 students")
    QTest.keyClick(view.evidence, Qt.Key.Key_Return)
    history = small_context.plan.assessments_of(3)
    assert len(history) == before + 1
    assert history[-1].stage == "Development"
    assert history[-1].evidence == "Pilot college running with 40 students"
    assert history[-1].date == date(2026, 6, 2)
    assert small_context.doc.undo_label == "add assessment"
    chart = view.histories[3]
    assert len(chart.chart.data.points) == before + 1
    assert "Now: Development" in chart.status.text()
    assert "Recorded" in view.banner.text()


def test_refused_rating_shows_the_planners_message(qtbot, small_context):
    view = shown(qtbot, AssessmentsView(small_context))
    view.stage.addItem("Flourishing")          # not on the plan's scale
    view.stage.setCurrentText("Flourishing")
    before = len(small_context.plan.assessments)
    assert not view.record_rating()
    assert len(small_context.plan.assessments) == before
    assert "not a stage on this plan's scale" in view.banner.text()


# ----- all five views on the sample plan ------------------------------------------------------

VIEWS = [GraphView, TimelineView, OutcomesView, PeopleView, AssessmentsView]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_views_paint_the_sample_plan_and_name_their_controls(qtbot, context, theme):
    app = QApplication.instance()
    old = app.palette()
    style.apply_style(app, theme)
    try:
        for cls in VIEWS:
            view = shown(qtbot, cls(context))
            assert view.objectName()
            assert not view.grab().isNull()
            controls = [w for cls_ in (QComboBox, QAbstractButton, QLineEdit, QDateEdit)
                        for w in view.findChildren(cls_)]
            for w in controls:
                if w.focusPolicy() == Qt.FocusPolicy.NoFocus or not w.isVisibleTo(view):
                    continue
                if isinstance(w.parent(), QAbstractSpinBox) and w.parent().accessibleName():
                    continue  # a date box's own text field: the date box carries the name
                named = w.accessibleName() or (isinstance(w, QAbstractButton) and w.text())
                assert named, f"{cls.__name__}: {type(w).__name__} has no accessible name"
    finally:
        app.setPalette(old)


def test_selection_is_shared_between_views(qtbot, context):
    graph = shown(qtbot, GraphView(context))
    timeline = shown(qtbot, TimelineView(context))
    some = next(iter(context.analysis.rows))
    context.select_action(some)
    assert graph.nodes[some].selected
    assert some in timeline.canvas.accessibleDescription()


# ----- whole workflows in the main window on the sample plan ----------------------------------

def test_window_duration_edit_moves_successors_in_timeline_and_graph(window):
    ctx = window.context
    window.show_view("timeline")
    timeline = window.view("timeline")
    path = [a for a in ctx.analysis.critical_path if ctx.plan.actions[a].status == "not started"]
    first, successor = path[0], path[1]
    bar_before = timeline.bar_rect(successor)
    finish_before = ctx.analysis.plan_finish

    ctx.doc.update("action", first, duration=ctx.plan.actions[first].duration + 20)

    assert timeline.bar_rect(successor).left() > bar_before.left()
    assert ctx.analysis.plan_finish > finish_before
    window.show_view("graph")
    graph = window.view("graph")
    row = ctx.analysis.rows[successor]
    assert graph.nodes[successor].look.dates == short_range(row.start, row.finish)
    window.undo()
    assert timeline.bar_rect(successor) == bar_before


def test_window_graph_refuses_a_loop_made_by_dragging(window, qtbot):
    ctx = window.context
    window.show_view("graph")
    graph = window.view("graph")
    qtbot.waitExposed(graph)
    path = [a for a in ctx.analysis.critical_path if ctx.plan.actions[a].status == "not started"]
    later, earlier = path[2], path[0]
    before = len(ctx.plan.dependencies)
    # both boxes on screen, as a user would arrange before dragging
    both = graph.nodes[later].sceneBoundingRect().united(graph.nodes[earlier].sceneBoundingRect())
    graph.canvas.fitInView(both.adjusted(-40, -40, 40, 40), Qt.AspectRatioMode.KeepAspectRatio)
    vp = graph.canvas.viewport()
    for aid in (later, earlier):
        assert vp.rect().contains(graph.canvas.mapFromScene(graph.node_centre(aid)))
    drag(graph, later, earlier)
    assert len(ctx.plan.dependencies) == before
    assert graph.banner.isVisible()
    assert ctx.plan.actions[earlier].title in graph.banner.text()


def test_window_people_view_flags_an_overloaded_person(window):
    ctx = window.context
    window.show_view("people")
    people = window.view("people")
    busy = max(people.load.people,
               key=lambda p: max(people.load.count(p, w) for w in people.load.weeks))
    assert not people.is_overloaded(busy)
    ctx.doc.update("person", busy, capacity=1)
    assert people.is_overloaded(busy)
    assert ctx.plan.people[busy].name in people.summary.text()


def test_window_people_view_heads_its_weeks_as_every_date_reads(window):
    """The week columns were headed "02", "09" and "Nov 26" (strftime, zero-padded, in the
    machine's locale) where every date reads "2 Nov 2026": a week is headed by its Monday's day
    without a zero, and a month's first week by the month as the deck's axes write it."""
    from PySide6.QtCore import Qt

    from planner.dates import short_date

    window.show_view("people")
    model = window.view("people").model
    weeks = model.load.weeks
    assert weeks
    for i, w in enumerate(weeks):
        day, month = model.headerData(i, Qt.Orientation.Horizontal).split("\n")
        assert day == str(w.day)
        first = w.day <= 7 or i == 0
        assert month == (short_date(w).split(" ", 1)[1].replace(" 20", " ") if first else "")
        tip = model.headerData(i, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        assert tip == f"Week of {short_date(w)}"
    assert any(w.day < 10 for w in weeks)


# ----- Qt bindings that keep Python alive ------------------------------------------------------

def test_qt_calls_that_return_nothing_keep_python_alive():
    """PySide6 6.12.0 on Python 3.11 dropped a reference to None on every void Qt call.

    A few thousand calls (seconds of painting) then ended in "Fatal Python error: none_dealloc",
    which is why pyproject.toml keeps PySide6 below 6.12. This fails if a binding with that bug
    is ever installed.
    """
    import sys

    from PySide6.QtGui import QImage, QPainter

    img = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(img)
    before = sys.getrefcount(None)
    for _ in range(2000):
        painter.save()
        painter.restore()
    after = sys.getrefcount(None)
    painter.end()
    assert after >= before - 50, f"None lost {before - after} references in 4,000 void Qt calls"

def test_no_control_or_label_is_squeezed_at_1280_by_800(window, qtbot):
    """Every button, box and one-line label of part B's views gets at least the width its text
    needs in the 1280 x 800 window (so nothing is clipped)."""
    from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton, QToolButton

    for key in ("graph", "timeline", "outcomes", "people", "assessments"):
        window.show_view(key)
        view = window.view(key)
        qtbot.waitExposed(view)
        QApplication.processEvents()
        for cls in (QPushButton, QToolButton, QCheckBox, QComboBox, QLabel):
            for w in view.findChildren(cls):
                if not w.isVisible() or (isinstance(w, QLabel) and w.wordWrap()):
                    continue
                if isinstance(w, QLabel) and not w.text():
                    continue
                name = f"{key}: {type(w).__name__} '{getattr(w, 'text', lambda: '')()}'"
                assert w.width() >= w.minimumSizeHint().width(), f"{name} is squeezed"
                right = w.mapTo(view, w.rect().bottomRight()).x()
                assert right <= view.width(), f"{name} runs off the view's right edge"


def test_outcome_cards_paint_the_variation_and_assurance_icons(qtbot, small_context):
    view = shown(qtbot, OutcomesView(small_context))
    doc = small_context.doc
    with doc.batch("readings"):
        for month, value in enumerate([12, 14, 13, 15, 14, 16, 18, 21, 24, 26, 29, 31, 33], 3):
            y, m = 2026 + (month - 1) // 12, (month - 1) % 12 + 1
            doc.add("reading", Reading("OM1", date(y, m, 1), float(value)))
        doc.update("measure", "OM1", target=90.0, direction="higher")
    card = view.card("OM1")
    variation, assurance = card.icons.icons
    assert variation.mark == "H" and variation.colour == "289DE0"  # improvement, high
    assert assurance.mark == "F"  # the limits sit below the target
    assert "special cause improvement" in card.icons.accessibleDescription()
    card.layout().activate()
    assert card.icons.y() < card.chart.y()  # beside the words, above the chart
    assert not card.icons.grab().isNull()


def test_chart_axis_labels_never_touch():
    """On the Outcomes view the first month's label, "Jan 2025", was kept inside the axis and
    ran into "Apr 25" beside it. A label that would touch the one before it is left out; the
    first stays, and every label drawn stays within the chart."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from ui.charts import axis_label_lefts

    assert axis_label_lefts([(40, 56), (80, 40), (160, 40)], 40, 400) == [40, None, 140]

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.tuples(st.floats(0, 500), st.floats(1, 80)), max_size=30))
    def check(labels):
        labels = sorted(labels)
        lefts = axis_label_lefts(labels, 30, 600)
        drawn = [(lx, w) for lx, (_x, w) in zip(lefts, labels) if lx is not None]
        if labels:
            assert lefts[0] is not None
        for (a, wa), (b, _wb) in zip(drawn, drawn[1:]):
            assert a + wa + 6 <= b
        assert all(30 <= lx and lx + w <= 600 for lx, w in drawn)

    check()
