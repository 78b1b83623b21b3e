"""The keyboard is complete (issue 10, item 9): Alt + an underlined letter never means two things
on one screen (in Graph, Alt+F opened nothing but pressed "Fit"), Ctrl+5 puts the cursor on the
first forecast as docs/ui.md says, and the F1 list is read from the real menu commands, so it
names Ctrl+N, Ctrl+Q and Ctrl+Delete and nothing that has no command behind it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractButton, QApplication, QGroupBox, QLabel, QMenu,
                               QMessageBox, QPushButton, QWidget)

from ui import registry
from ui.milestones_view import COL


def mnemonic(text: str) -> str:
    """The Alt+letter that ``text`` (with an & before a letter) claims, or ""."""
    return QKeySequence.mnemonic(text).toString(QKeySequence.SequenceFormat.PortableText)


def claimed_in(root: QWidget, leave_out: QWidget | None = None) -> list[tuple[str, str]]:
    """(Alt+letter, whose) for every button, box title and buddy label under ``root`` (but not
    under ``leave_out``)."""
    return [(k, who) for k, who, _w in claims(root, leave_out)]


def claims(root: QWidget, leave_out: QWidget | None = None) -> list[tuple[str, str, QWidget]]:
    """(Alt+letter, whose, the widget) under ``root``, as ``claimed_in``."""
    out = []
    for w in root.findChildren(QWidget):
        if leave_out is not None and leave_out.isAncestorOf(w):
            continue
        if isinstance(w, QAbstractButton):
            text = w.text()
        elif isinstance(w, QGroupBox):
            text = w.title()
        elif isinstance(w, QLabel) and w.buddy() is not None:  # a label's & works only with a buddy
            text = w.text()
        else:
            continue
        if mnemonic(text):
            out.append((mnemonic(text), f"{type(w).__name__} {text!r}", w))
    return out


def menu_bar_claims(window) -> list[tuple[str, str]]:
    return [(mnemonic(a.text()), f"menu {a.text()!r}") for a in window.menuBar().actions()
            if mnemonic(a.text())]


def window_claims(window) -> list[tuple[str, str]]:
    """The menu bar and the window's own controls around the views (banners, status bar)."""
    return menu_bar_claims(window) + claimed_in(window, leave_out=window.stack)


def clashes(claims: list[tuple[str, str]]) -> dict[str, list[str]]:
    by_key: dict[str, list[str]] = {}
    for key, who in claims:
        by_key.setdefault(key, []).append(who)
    return {k: v for k, v in by_key.items() if len(v) > 1}


def test_no_alt_letter_means_two_things_on_any_screen(window):
    """Every view with the menu bar above it, and every menu's own entries."""
    found = {}
    for key in registry.view_keys():
        window.show_view(key)
        both = clashes(window_claims(window) + claimed_in(window.views[key]))
        if both:
            found[key] = both
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        own = clashes([(mnemonic(a.text()), a.text()) for a in menu.actions() if mnemonic(a.text())])
        if own:
            found[menu_action.text()] = own
    assert found == {}


def focused():
    return QApplication.focusWidget()


def active(window, qtbot):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)


@pytest.mark.parametrize("letter, menu", [(Qt.Key.Key_F, "&File"), (Qt.Key.Key_V, "&View"),
                                          (Qt.Key.Key_E, "&Edit"), (Qt.Key.Key_P, "&Plan")])
def test_alt_letter_opens_its_menu_in_every_view(window, qtbot, letter, menu):
    pressed = []
    for key in registry.view_keys():
        window.show_view(key)
        view = window.views[key]
        for button in view.findChildren(QAbstractButton):
            button.clicked.connect(lambda *_a, b=button: pressed.append(b.text()))
        active(window, qtbot)
        view.focusNextChild()  # the keyboard is somewhere inside the view
        assert view.isAncestorOf(focused()), key
        popup = next(a.menu() for a in window.menuBar().actions() if a.text() == menu)
        qtbot.keyClick(focused(), letter, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=2000)
        assert QApplication.activePopupWidget() is popup, (key, menu)
        popup.close()
        qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None, timeout=2000)
        qtbot.wait(150)  # a button's Alt+letter clicks it 100 ms later (animateClick)
    assert pressed == []  # Alt+F in Graph no longer presses "Fit"


def test_ctrl_5_puts_the_cursor_on_the_first_forecast(window, qtbot):
    active(window, qtbot)
    window.navigator.setFocus()
    qtbot.keyClick(focused(), Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    view = window.views["milestones"]
    assert window.current_view_key() == "milestones"
    assert focused() is view.table
    current = view.table.currentIndex()
    assert (current.row(), current.column()) == (0, COL["forecast"])
    # a second visit keeps the cell the project manager had got to
    qtbot.keyClick(focused(), Qt.Key.Key_Down)
    qtbot.keyClick(focused(), Qt.Key.Key_Down)
    qtbot.keyClick(focused(), Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.views["actions"].isAncestorOf(focused())
    qtbot.keyClick(focused(), Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert focused() is view.table
    assert (view.table.currentIndex().row(), view.table.currentIndex().column()) == \
        (2, COL["forecast"])


def all_actions(window):
    for menu_action in window.menuBar().actions():
        yield from menu_action.menu().actions()


def test_f1_lists_every_command_key_and_nothing_without_one(window, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    window.show_shortcuts()
    listed = {k for k, _what in window.shortcut_rows}
    for expected in ("Ctrl+N", "Ctrl+Q", "Ctrl+Del", "Ctrl+O", "Ctrl+Shift+M", "F1"):
        assert expected in listed, expected
    commands = {" / ".join(k.toString(QKeySequence.SequenceFormat.PortableText)
                           for k in a.shortcuts()) for a in all_actions(window) if a.shortcuts()}
    view_keys = set()
    for key in registry.view_keys():
        by_what: dict[str, list[str]] = {}
        for sc in window.views[key].findChildren(QShortcut):
            assert sc.whatsThis(), f"a {key} shortcut ({sc.key().toString()}) says nothing in F1"
            by_what.setdefault(sc.whatsThis(), []).append(sc.key().toString())
        view_keys |= {f"{registry.spec(key).title}: {' / '.join(keys)}"
                      for keys in by_what.values()}
    assert "Milestones: Ctrl+Return / Ctrl+Enter" in view_keys
    general = {"F2 or typing", "Tab / Shift+Tab"}  # how any table and form is worked
    buttons = {b.shortcut().toString() for b in window.findChildren(QPushButton)
               if not b.shortcut().isEmpty() and b.shortcut() != QKeySequence.mnemonic(b.text())}
    assert "F5" in buttons  # Reload, in the banner that says the file changed
    f5 = [what for k, what in window.shortcut_rows if k == "F5"]
    assert f5 == ["Show the plan as it is now saved in the file"]  # its key once, in the key column
    assert listed == commands | view_keys | general | buttons  # every key has a command, every command a line
    for keys in commands:
        assert f"<b>{keys}</b>" in shown[0]
    assert ("Ctrl+5", "Milestones: fast keyboard updates of milestones for project managers") in \
        window.shortcut_rows


def visible_claims(dialog: QWidget) -> list[tuple[str, str]]:
    """Claims of the controls a dialog shows now (a hidden page's letters are not active)."""
    return [(k, who) for k, who, w in claims(dialog) if w.isVisibleTo(dialog)]

def test_no_alt_letter_means_two_things_in_a_dialog(window, qtbot, sample_copy):
    from ui.backups_dialog import BackupsDialog
    from ui.export_dialog import ExportDialog
    from ui.wizard import StartingPointWizard

    found = {}
    dialogs = [ExportDialog(window.context, window), BackupsDialog(window.context, window)]
    wizard = StartingPointWizard(window.context, window)
    for dialog in dialogs + [wizard]:
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        both = clashes(visible_claims(dialog))
        if both:
            found[type(dialog).__name__] = both
    assert not found, "\n".join(f"{d}: {c}" for d, c in found.items())
