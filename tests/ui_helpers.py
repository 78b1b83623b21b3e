"""Fixtures and helpers shared by the view tests: a small plan's context, showing a view, a mouse drag."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from planner.document import PlanDocument
from tests.plan_factory import small_plan
from ui.context import AppContext

if TYPE_CHECKING:
    from ui.graph_view import GraphView

W = TypeVar("W", bound=QWidget)


@pytest.fixture
def small_context(qapp, tmp_path):
    """A context on a new document holding the small test plan."""
    doc = PlanDocument.create(tmp_path / "small.rcplan", small_plan())
    ctx = AppContext(doc)
    yield ctx
    doc.close()


def shown(qtbot, widget: W) -> W:
    """``widget`` at 1280 x 760, shown and exposed (closed by qtbot after the test)."""
    qtbot.addWidget(widget)
    widget.resize(1280, 760)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def drag(view: GraphView, source: str, target: str) -> None:
    """Press on one box, move across in steps, release on another: as a user's mouse would."""
    vp = view.canvas.viewport()
    start = view.canvas.mapFromScene(view.node_centre(source))
    end = view.canvas.mapFromScene(view.node_centre(target))
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    for k in range(1, 6):
        QTest.mouseMove(vp, start + (end - start) * k / 5)
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=end)
