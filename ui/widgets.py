"""Small widget pieces shared by the views: redrawing only when shown, elided link lists."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget


class RefreshWhenShown:
    """Mixin for a widget with ``refresh()``: a change while hidden redraws when next shown.

    List it before the Qt base class (``class View(RefreshWhenShown, QWidget)``).
    """

    _stale = False

    def refresh(self) -> None:
        """Redraw from the plan (each widget says how)."""
        raise NotImplementedError

    def refresh_when_shown(self) -> None:
        """Redraw now if on screen, else when next shown (edits stay quick on big plans)."""
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event):  # noqa: N802
        if self._stale:
            self.refresh()
        super().showEvent(event)


def elided_list(accessible_name: str, max_height: int) -> QListWidget:
    """A short list of one-line entries, cut with "…" rather than scrolled sideways."""
    lst = QListWidget()
    lst.setAccessibleName(accessible_name)
    lst.setMaximumHeight(max_height)
    lst.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    lst.setTextElideMode(Qt.TextElideMode.ElideRight)
    return lst
