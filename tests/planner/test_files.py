"""Files are replaced whole or not at all."""

from __future__ import annotations

import pytest

from planner.files import replaced_atomically


def test_success_replaces_the_file(tmp_path):
    path = tmp_path / "report.pptx"
    path.write_text("old")
    with replaced_atomically(path) as tmp:
        tmp.write_text("new")
    assert path.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pptx"]


def test_failure_half_way_keeps_the_old_file_and_leaves_nothing(tmp_path):
    path = tmp_path / "plan.rcplan"
    path.write_text("the lead's work")
    with pytest.raises(RuntimeError):
        with replaced_atomically(path) as tmp:
            tmp.write_text("half a fi")
            (tmp.parent / (tmp.name + "-journal")).write_text("journal")
            raise RuntimeError("disk full")
    assert path.read_text() == "the lead's work"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.rcplan"]
