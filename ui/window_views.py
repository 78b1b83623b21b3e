"""The main window's views and look: each view built on first use, switching between them
(navigator, View menu, Ctrl+1…, an Overview tile or warning), the dark palette, and the window's
size, position and view remembered in the user's settings.

``WindowViews`` is a part of ``ui.main_window.MainWindow``: it uses the window's navigator,
stack and View menu actions.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QApplication, QWidget

from ui import registry, style

def settings() -> QSettings:
    """The user's settings (window layout, recent files, last plan, theme)."""
    return QSettings()


def setting_list(value: object) -> list[str]:
    """A list read back from QSettings: a one-entry list comes back as a plain string (issue 10)."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value if v]


class WindowViews:
    """Views built on first use and switched between; the look and the window's layout."""

    def view(self, key: str) -> QWidget:
        """The view called ``key``, built on first use."""
        if key not in self.views:
            widget = registry.spec(key).make(self.context)
            self.views[key] = widget
            if key == "overview":
                widget.challenge_activated.connect(self.show_challenge_actions)
                widget.record_activated.connect(self.show_record)
            self.stack.addWidget(widget)
        return self.views[key]

    def show_view(self, key: str) -> None:
        """Switch to a view ('overview', 'actions', ...)."""
        self.navigator.setCurrentRow(registry.view_keys().index(key))

    def go_to_view(self, key: str) -> None:
        """Show a view and put the keyboard in it (View menu, Ctrl+1…): where its work starts,
        e.g. the first forecast in Milestones, else its first control."""
        self.show_view(key)
        widget = self.views[key]
        start = getattr(widget, "focus_start", None)
        if callable(start):
            start()
        elif not widget.isAncestorOf(QApplication.focusWidget()):
            widget.focusNextChild()

    def show_challenge_actions(self, number: int) -> None:
        """Open the Actions view filtered to one challenge (from an Overview tile)."""
        self.show_view("actions")
        self.views["actions"].show_challenge(number)

    def show_record(self, ident: str) -> None:
        """Open an action in Actions, or a milestone in Milestones."""
        plan = self.context.plan
        if plan is None:
            return
        if ident in plan.actions:
            self.show_view("actions")
            actions = self.views["actions"]
            if actions.proxy.mapFromSource(actions.model.index(actions.model.row_of(ident), 0)) \
                    .isValid() is False:
                actions.clear_filters()
            self.context.select_action(ident)
            actions._select_row(ident)
            actions.table.setFocus()
        elif ident in plan.milestones:
            self.show_view("milestones")
            self.views["milestones"].show_milestone(ident)

    def current_view_key(self) -> str:
        """The key of the view on screen."""
        row = self.navigator.currentRow()
        return registry.view_keys()[row] if row >= 0 else "overview"

    def _navigate(self, row: int) -> None:
        if row < 0:
            return
        key = registry.view_keys()[row]
        widget = self.view(key)
        self.stack.setCurrentWidget(widget)
        self.view_actions[key].setChecked(True)
        self.view_changed.emit(key)

    def toggle_dark(self, on: bool) -> None:
        """Switch between the light and dark palettes (remembered)."""
        style.apply_style(QApplication.instance(), "dark" if on else "light")
        settings().setValue("theme", "dark" if on else "light")
        for w in self.views.values():
            w.update()

    def _restore_layout(self) -> None:
        s = settings()
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = s.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        self.act_dark.blockSignals(True)
        self.act_dark.setChecked(s.value("theme", "light") == "dark")
        self.act_dark.blockSignals(False)

    def save_layout(self) -> None:
        """Remember the window's size, position and current view."""
        s = settings()
        for key, value in (("window/geometry", self.saveGeometry()),
                           ("window/state", self.saveState()),
                           ("window/view", self.current_view_key())):
            if s.value(key) != value:  # unchanged, it is not written again (about 2 ms a quit)
                s.setValue(key, value)
        s.sync()
