"""The Help menu: every keyboard shortcut (F1), read from the menu commands' QActions and the
views' own shortcuts; what the RAG ratings mean; About.

``WindowHelp`` is a part of ``ui.main_window.MainWindow``: it reads the window's menu bar and
views.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QPushButton

from ui import registry
from ui.window_bars import SAVED_TEXT


class WindowHelp:
    """The Help menu's commands."""

    def shortcut_actions(self) -> list[tuple[str, str]]:
        """(keys, what they do) for every menu command that has keys, read from the QActions."""
        rows = []
        for menu_action in self.menuBar().actions():
            menu = menu_action.menu()
            if menu is None:
                continue
            for act in menu.actions():
                keys = " / ".join(k.toString(QKeySequence.SequenceFormat.PortableText)
                                  for k in act.shortcuts())
                if keys:
                    where = menu_action.text().replace("&", "")
                    rows.append((keys, act.whatsThis() or
                                 f"{where} ▸ {act.text().replace('&', '').rstrip('…')}"))
        return rows

    def shortcut_keys(self) -> list[tuple[str, str]]:
        """(keys, what they do) for the keys that work inside a view rather than from a menu."""
        rows = [("F2 or typing", "Edit the current table cell; Enter keeps it, Esc cancels"),
                ("Tab / Shift+Tab", "Move between controls; Alt + an underlined letter jumps "
                                    "to that control")]
        from PySide6.QtGui import QShortcut

        for key in registry.view_keys():
            widget = self.views.get(key)
            if widget is None:
                continue
            keys_of: dict[str, list[str]] = {}  # one line per thing done, naming all its keys
            for sc in widget.findChildren(QShortcut):
                keys_of.setdefault(sc.whatsThis() or "(not described)", []).append(
                    sc.key().toString(QKeySequence.SequenceFormat.PortableText))
            for what, keys in keys_of.items():
                rows.append((f"{registry.spec(key).title}: {' / '.join(keys)}", what))
        for button in self.findChildren(QPushButton):  # a button's own key (not its Alt+letter)
            keys = button.shortcut()
            if not keys.isEmpty() and keys != QKeySequence.mnemonic(button.text()):
                name = keys.toString(QKeySequence.SequenceFormat.PortableText)
                what = button.toolTip() or button.text().replace("&", "")
                rows.append((name, what.removesuffix(f" ({name})")))
        return rows

    def show_shortcuts(self) -> None:
        """List the keyboard shortcuts: every menu command's keys (from its QAction), then the
        keys of the views' own shortcuts."""
        for key in registry.view_keys():
            self.view(key)  # every view's own keys are listed, not only those already shown
        rows = self.shortcut_actions() + self.shortcut_keys()
        self.shortcut_rows = rows  # what the dialog lists (the tests read it)
        text = "<table>" + "".join(f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{v}</td></tr>"
                                   for k, v in rows) + "</table>"
        from PySide6.QtWidgets import QMessageBox
        QMessageBox.information(self, "Keyboard shortcuts", text)

    def rag_help_text(self) -> str:
        """The RAG rule in words: the same definitions the board deck's appendix prints."""
        from planner.rules import RAG_DEFINITIONS

        return ("<p>Each challenge is rated from its milestones, its actions' deadlines, the "
                "outcome measures filed under it and its extreme risks. The worst fact decides the "
                "colour; the tile's reason names it, then up to two other facts.</p><table>"
                + "".join(f"<tr><td valign='top'><b>{colour}</b>&nbsp;&nbsp;</td><td>{text}</td></tr>"
                          for colour, text in RAG_DEFINITIONS) + "</table>")

    def show_rag_help(self) -> None:
        """Explain what Red, Amber, Green and Grey mean on the tiles and in the deck."""
        from PySide6.QtWidgets import QMessageBox
        QMessageBox.information(self, "What the RAG ratings mean", self.rag_help_text())

    def show_about(self) -> None:
        """About the program."""
        from PySide6.QtWidgets import QMessageBox
        QMessageBox.about(self, "About Recovery Change Planner",
                          "Recovery Change Planner helps mental-health organisations plan and "
                          "steer recovery-oriented change across the ten organisational "
                          "challenges.\n\n" + SAVED_TEXT)
