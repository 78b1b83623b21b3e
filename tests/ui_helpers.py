"""Fixtures and helpers shared by the view tests: a small plan's context, a view shown on screen."""

from __future__ import annotations

import pytest

from planner.document import PlanDocument
from tests.plan_factory import small_plan
from ui.context import AppContext


@pytest.fixture
def small_context(qapp, tmp_path):
    doc = PlanDocument.create(tmp_path / "small.rcplan", small_plan())
    ctx = AppContext(doc)
    yield ctx
    doc.close()


def shown(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(1280, 760)
    widget.show()
    qtbot.waitExposed(widget)
    return widget
