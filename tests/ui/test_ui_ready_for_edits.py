"""A plan shown in the window is made ready for its first edit while the user reads it (issue
13): the first link added to a 20,000-action plan built the links' index, the longest-chain
bound and the uids in use, and imported sqlite-utils, about half a second in all."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from planner import operations  # noqa: E402
from planner.document import PlanDocument  # noqa: E402
from plan_factory import small_plan  # noqa: E402
from ui.context import AppContext  # noqa: E402


def _ready(doc) -> bool:
    return (doc._links._plan is doc.plan and doc._chain._plan is doc.plan
            and doc._chain._bound is not None and "db" in vars(doc))


def test_a_shown_plan_is_ready_for_its_first_edit_a_moment_later(qtbot, tmp_path):
    doc = PlanDocument.create(tmp_path / "plan.rcplan", small_plan())
    try:
        ctx = AppContext(doc)
        assert not _ready(doc)  # nothing done while the plan is being shown
        qtbot.waitUntil(lambda: _ready(doc), timeout=5000)
        count = len(doc.plan.dependencies)
        operations.add_dependency(doc, "A5", "A1")  # and the first edit goes as before
        assert len(doc.plan.dependencies) == count + 1
    finally:
        doc.close()
    with PlanDocument.open(tmp_path / "plan.rcplan") as again:
        assert any((d.action, d.needs) == ("A5", "A1") for d in again.plan.dependencies.values())
    assert ctx.doc is doc


def test_a_plan_opened_only_to_read_is_not_prepared(qtbot, tmp_path):
    PlanDocument.create(tmp_path / "plan.rcplan", small_plan()).close()
    doc = PlanDocument.open(tmp_path / "plan.rcplan", readonly=True)
    try:
        AppContext(doc)
        qtbot.wait(1300)
        assert "db" not in vars(doc) and doc._links._plan is None
    finally:
        doc.close()


def test_a_plan_closed_before_it_was_ready_is_left_alone(qtbot, tmp_path):
    """The window closed (or the plan closed) within the second: nothing runs on the closed
    file, and no error reaches the event loop."""
    doc = PlanDocument.create(tmp_path / "plan.rcplan", small_plan())
    AppContext(doc)
    doc.close()
    qtbot.wait(1300)
    assert "db" not in vars(doc) and doc._links._plan is None
