"""One registry of views: a new view is one file and one registry line, and then it is in the
navigator, the View menu, the F1 list, ``--view`` and ``--help``, and it hears change sets."""

from __future__ import annotations

import textwrap

import pytest
from PySide6.QtWidgets import QMessageBox

import main
from planner import operations
from ui import registry
from ui.registry import ViewSpec

NOTES_VIEW = '''
"""A view for a test: a label, the view's banner, and the change sets it heard."""
from PySide6.QtWidgets import QLabel

from ui.view_common import PlanView, page_layout


class NotesView(PlanView):
    """Free notes about the plan."""

    def __init__(self, context, parent=None):
        super().__init__(context, "notesView", "Notes view", parent)
        self.heard = []
        page_layout(self, self.banner, QLabel("Notes"))

    def apply_change(self, change):
        self.heard.append(change)
'''


@pytest.fixture
def notes_view(tmp_path, monkeypatch):
    """The one new file, and the one registry line."""
    (tmp_path / "notes_view.py").write_text(textwrap.dedent(NOTES_VIEW))
    monkeypatch.syspath_prepend(str(tmp_path))
    registry.register(ViewSpec("notes", "Notes", "notes_view:NotesView", "free notes about the plan"))
    yield
    registry.unregister("notes")


def test_a_registered_view_is_in_the_navigator_menu_help_and_f1(notes_view, qtbot, sample_copy,
                                                                monkeypatch):
    from ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_plan(sample_copy, quiet=True)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    titles = [window.navigator.item(i).text() for i in range(window.navigator.count())]
    assert titles[-1] == "Notes" and len(titles) == len(registry.VIEWS)
    act = window.view_actions["notes"]
    assert act.text() == "Notes" and act.shortcut().toString() == "Ctrl+9"
    act.trigger()
    assert window.current_view_key() == "notes"
    view = window.stack.currentWidget()
    assert type(view).__name__ == "NotesView" and view is window.views["notes"]

    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    window.show_shortcuts()
    assert ("Ctrl+9", "Notes: free notes about the plan") in window.shortcut_rows
    assert "free notes about the plan" in shown[0]

    assert "notes (Ctrl+9): free notes about the plan" in main.window_parser().format_help()
    assert main.window_parser().parse_args(["--view", "notes"]).view == "notes"

    # it hears the change set of every operation, and shows refusals in its banner
    change = window.context.run(operations.mark_achieved, "M6",
                                on=window.context.plan.settings.as_of)
    assert view.heard == [change]
    assert window.context.run(operations.add_reading, None, None, 1.0) is None
    assert view.banner.isVisible() and "Choose a measure first" in view.banner.text()


def test_without_the_line_there_is_no_such_view():
    assert "notes" not in registry.view_keys()
    with pytest.raises(SystemExit):
        main.window_parser().parse_args(["--view", "notes"])


def test_every_view_has_a_screenshot_in_the_docs():
    from pathlib import Path

    shots = Path(main.__file__).resolve().parent / "docs" / "screenshots"
    for spec in registry.VIEWS:
        assert (shots / spec.screenshot_name).exists(), spec.key
