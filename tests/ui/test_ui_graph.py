"""Graph view: drag to add a link (and see a loop refused), selection both ways, layout, export."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from planner.document import PlanDocument  # noqa: E402
from tests.plan_factory import small_plan  # noqa: E402
from tests.ui_helpers import drag, shown, small_context  # noqa: E402,F401
from ui.context import AppContext  # noqa: E402
from ui.graph_view import GraphView  # noqa: E402


@pytest.fixture
def graph(qtbot, small_context):
    return shown(qtbot, GraphView(small_context))


def links(ctx) -> set[tuple[str, str]]:
    return {(d.action, d.needs) for d in ctx.plan.dependencies.values()}


def test_drag_adds_a_dependency_through_the_planner(graph, small_context):
    assert ("A4", "A1") not in links(small_context)
    drag(graph, "A1", "A4")
    assert ("A4", "A1") in links(small_context)           # A4 now waits for A1
    assert small_context.doc.undo_label == "add dependency"
    assert "now waits for" in graph.banner.text()
    assert len(graph.edges) == len(small_context.plan.dependencies)
    small_context.doc.undo()
    assert ("A4", "A1") not in links(small_context)
    assert len(graph.edges) == len(small_context.plan.dependencies)


def test_drag_that_would_make_a_loop_is_refused_with_its_message(graph, small_context):
    before = links(small_context)
    drag(graph, "A5", "A1")                                 # A1 would wait for A5: a loop
    assert links(small_context) == before
    message = graph.banner.text()
    assert graph.banner.isVisible()
    assert "loop" in message.lower() or "circle" in message.lower()
    assert "Set up steering group" in message and "Open the college" in message
    QTest.keyClick(graph.banner, Qt.Key.Key_Escape)
    assert not graph.banner.isVisible()


def test_click_selects_and_selection_from_elsewhere_highlights(graph, small_context, qtbot):
    vp = graph.canvas.viewport()
    with qtbot.waitSignal(small_context.selection_changed):
        QTest.mouseClick(vp, Qt.MouseButton.LeftButton,
                         pos=graph.canvas.mapFromScene(graph.node_centre("A3")))
    assert small_context.selected_action == "A3"
    assert graph.nodes["A3"].selected
    small_context.select_action("A2")
    assert graph.nodes["A2"].selected and not graph.nodes["A3"].selected
    graph.canvas.setFocus()
    QTest.keyClick(graph.canvas, Qt.Key.Key_Right)        # to the next wave
    assert small_context.selected_action in ("A3", "A4")


def test_keyboard_route_adds_a_link(graph, small_context):
    small_context.select_action("A5")
    graph.needs_combo.setCurrentIndex(graph.needs_combo.findData("A1"))
    QTest.mouseClick(graph.add_link_button, Qt.MouseButton.LeftButton)
    assert ("A5", "A1") in links(small_context)


def test_layout_by_wave_and_phase_and_critical_marks(graph, small_context):
    x = {a: graph.nodes[a].pos().x() for a in graph.nodes}
    assert x["A1"] < x["A2"] < x["A3"] == x["A4"] < x["A5"]
    critical = {a for a, n in graph.nodes.items() if n.look.critical}
    assert critical == set(small_context.analysis.critical_ids)
    assert not graph.links.critical.isEmpty()
    assert "M1" in graph.markers and graph.markers["M1"].anchor.action_id == "A5"
    graph.layout_combo.setCurrentIndex(1)
    assert graph.layout_by == "phase"
    assert len({n.pos().x() for n in graph.nodes.values()}) == 1   # no phases: one column


def test_duration_edit_updates_boxes_without_rebuilding(graph, small_context):
    node_a5 = graph.nodes["A5"]
    old = node_a5.look.dates
    small_context.doc.update("action", "A2", duration=20)
    assert graph.nodes["A5"] is node_a5          # the same item, updated in place
    assert node_a5.look.dates != old


def test_zoom_and_export(graph, tmp_path):
    scale = graph.canvas.transform().m11()
    graph.canvas.setFocus()
    QTest.keyClick(graph.canvas, Qt.Key.Key_Minus)
    assert graph.canvas.transform().m11() < scale
    png = graph.export_png(tmp_path / "graph.png")
    svg = graph.export_svg(tmp_path / "graph.svg")
    assert png.stat().st_size > 2000
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and "Open the" in text


def test_views_fill_in_when_a_background_analysis_arrives(qtbot, qapp, tmp_path):
    from ui.timeline_view import TimelineView

    doc = PlanDocument.create(tmp_path / "bg.rcplan", small_plan())
    ctx = AppContext()
    graph = GraphView(ctx)
    timeline = TimelineView(ctx)
    for view in (graph, timeline):
        qtbot.addWidget(view)
        view.resize(1000, 700)
        view.show()
    ctx.set_document(doc, background=True)
    assert ctx.wait_for_analysis(20000)
    assert set(graph.nodes) == set(ctx.plan.actions)
    assert timeline.row_of("A5") >= 0
    doc.close()


def test_link_menu_removes_a_link_through_the_planner(graph, small_context):
    menu = graph.link_menu("A5")
    entries = [a.text() for a in menu.actions()]
    assert len(entries) == 2 and all("waiting for" in e for e in entries)
    before = len(small_context.plan.dependencies)
    menu.actions()[0].trigger()
    assert len(small_context.plan.dependencies) == before - 1
    assert "Removed the link" in graph.banner.text()
    assert len(graph.edges) == before - 1
    small_context.doc.undo()
    assert len(small_context.plan.dependencies) == before
    assert len(graph.edges) == before


def test_the_menu_key_on_the_canvas_opens_the_selected_boxs_link_menu(graph, small_context,
                                                                        monkeypatch):
    """The canvas asks its view through signals (it no longer imports the view)."""
    from PySide6.QtCore import QEvent, QPoint
    from PySide6.QtGui import QContextMenuEvent

    opened = []

    class FakeMenu:
        def __init__(self, aid):
            self.aid = aid

        def exec(self, pos):
            opened.append((self.aid, pos))

    monkeypatch.setattr(graph, "link_menu", FakeMenu)
    small_context.select_action("A5")
    graph.canvas.setFocus()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, QPoint(5, 5))
    assert event.type() == QEvent.Type.ContextMenu
    graph.canvas.contextMenuEvent(event)
    assert [aid for aid, _ in opened] == ["A5"]
    assert opened[0][1] == graph.canvas.global_centre(graph.nodes["A5"])


# --- the keyboard route: what is typed over a picked item wins ----------------------------------

def typing_at(graph, qtbot, action: str):
    """The Graph active with ``action`` selected and the keyboard in the prerequisite box."""
    graph.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is graph, timeout=2000)
    graph.context.select_action(action)
    edit = graph.needs_combo.lineEdit()
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus, timeout=2000)
    return edit


def pick_from_list(qtbot, edit, action: str) -> None:
    """Open the list (F4), go down it with the arrow keys to ``action``, Enter: as a user picks."""
    combo = edit.parent()
    qtbot.keyClick(edit, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: combo.view().isVisible(), timeout=2000)
    view = combo.view()
    while view.currentIndex().data(Qt.ItemDataRole.UserRole) != action:
        qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not combo.view().isVisible(), timeout=2000)
    assert combo.currentData() == action


def type_over(qtbot, edit, text: str) -> None:
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # select all
    qtbot.keyClicks(edit, text)


def press_add_link(qtbot, edit) -> None:
    """Alt+L, the button's underlined letter (its click follows a moment later)."""
    qtbot.keyClick(edit, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    qtbot.wait(250)


@pytest.mark.parametrize("typed, then", [
    ("A3", None), ("a3", None),            # the box completes these to A3's entry
    pytest.param("A3", Qt.Key.Key_Delete, id="A3-completion-deleted"),  # just the ID
    ("Pilot recovery college", None), ("pilot RECOVERY", None)])
def test_typed_prerequisite_wins_over_the_one_picked_before(graph, small_context, qtbot, typed,
                                                            then):
    edit = typing_at(graph, qtbot, "A4")
    pick_from_list(qtbot, edit, "A1")
    type_over(qtbot, edit, typed)
    if then is not None:
        qtbot.keyClick(edit, then)
        assert graph.needs_combo.currentText() == typed
    press_add_link(qtbot, edit)
    assert ("A4", "A3") in links(small_context)
    assert ("A4", "A1") not in links(small_context)
    assert "'Recruit peer trainers' (A4) now waits for 'Pilot recovery college' (A3)" in graph.banner.text()


def test_typed_title_wins_when_the_button_is_clicked(graph, small_context, qtbot):
    edit = typing_at(graph, qtbot, "A4")
    pick_from_list(qtbot, edit, "A1")
    type_over(qtbot, edit, "Pilot recovery college")
    QTest.mouseClick(graph.add_link_button, Qt.MouseButton.LeftButton)
    assert ("A4", "A3") in links(small_context) and ("A4", "A1") not in links(small_context)


def test_picked_prerequisite_is_used_when_nothing_is_typed_over_it(graph, small_context, qtbot):
    edit = typing_at(graph, qtbot, "A4")
    pick_from_list(qtbot, edit, "A1")
    press_add_link(qtbot, edit)
    assert ("A4", "A1") in links(small_context)


@pytest.mark.parametrize("typed, words", [
    ("college", ["'college' matches 2 actions", "A3 'Pilot recovery college'",
                 "A5 'Open the college'", "Type its ID or more of its title"]),
    ("Z99", ["No action matches 'Z99'", "Type an action's ID or title"]),
])
def test_ambiguous_or_unknown_typed_text_is_refused_and_changes_nothing(
        graph, small_context, qtbot, typed, words):
    before = links(small_context)
    edit = typing_at(graph, qtbot, "A4")
    pick_from_list(qtbot, edit, "A1")
    type_over(qtbot, edit, typed)
    press_add_link(qtbot, edit)
    assert links(small_context) == before
    assert small_context.doc.undo_label is None
    assert graph.banner.isVisible()
    for w in words:
        assert w in graph.banner.text()
    assert "no link was added" in graph.banner.text()


def test_every_box_gives_its_dates_as_every_date_reads_and_whole(qtbot, context):
    """The boxes said "25 Nov–03 Dec 27" (and "30 Dec–08 Jan 27" across a new year, its start
    in no year): each now reads as the tables do ("25 Nov–3 Dec 2027", "30 Dec 2026–8 Jan
    2027"), and its first line, with " · critical" or " · done", is never cut short."""
    import re

    from PySide6.QtGui import QFont, QFontMetrics

    from planner.dates import short_date
    from ui.graph_items import NODE_W

    view = shown(qtbot, GraphView(context))
    assert view.show_done.isChecked()  # done boxes too
    rows = context.analysis.rows
    small = QFont(view.canvas.font())
    small.setPointSizeF(max(6.0, small.pointSizeF() * 0.85))
    fm = QFontMetrics(small)
    across = 0
    assert view.nodes
    for aid, node in view.nodes.items():
        start, finish = rows[aid].start, rows[aid].finish
        first, _, last = node.look.dates.partition("–")
        assert (last or first) == short_date(finish), node.look.dates
        if last:
            assert short_date(start).startswith(first), node.look.dates
            assert re.search(r"\d{4}$", first) or start.year == finish.year, node.look.dates
            across += start.year != finish.year
        else:
            assert start == finish
        assert fm.horizontalAdvance(node.top_line()) <= NODE_W - 16, node.top_line()
    assert across  # the sample has boxes across a new year
    from planner import rules
    slipped = 0
    for mid, marker in view.markers.items():  # a diamond's tip: "Forecast: 4 Feb 2027" (was "04 Feb")
        f = context.analysis.milestones[mid]
        tip = marker.toolTip()
        assert f"Forecast: {short_date(f.forecast)}" in tip and not re.search(r"\b0\d ", tip), tip
        if f.slip_days:  # in the Milestones view's words (it said "Late by 1 working days")
            assert f"Slip: {rules.slip_text(f.slip_days)}" in tip, tip
            slipped += 1
    assert slipped


def test_every_arrowhead_is_filled_however_many_links_end_there(qtbot, context):
    """Links into one box end at one point, their arrowheads one on top of another. They were
    filled by the even-odd rule in one path: two in one chunk of the link layer cancelled out
    and drew a hollow triangle (the sample's A95, and others as links came and went). Each
    arrowhead's inside is now grey (or red) whatever the number."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter

    view = shown(qtbot, GraphView(context))
    layer = view.links
    base = view.palette().color(view.palette().ColorRole.Base).rgb()
    ends = {}
    for s, t, link, _chunk, _bounds in layer._geom.values():
        if t[0] >= s[0]:  # into a box's left side: the arrowhead points right, its tip at t
            ends.setdefault(t, []).append(link.uid)
    assert any(len(uids) % 2 == 0 for uids in ends.values())  # heads that used to cancel
    for (tx, ty), uids in ends.items():
        image = QImage(48, 48, QImage.Format.Format_RGB32)
        image.fill(QColor(base))
        p = QPainter(image)
        view._render(p, QRectF(image.rect()), QRectF(tx - 12, ty - 6, 12, 12))
        p.end()
        # inside the triangle, off its middle line (where the curves come in): x tx-7..tx-4,
        # y ty+1..ty+2 in the scene, at 4 pixels a unit
        inside = [image.pixel(x, y) for x in range(20, 32) for y in range(28, 32)]
        blank = sum(px == base for px in inside)
        assert blank <= len(inside) // 10, ((tx, ty), uids, blank)
