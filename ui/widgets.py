"""Small widget pieces shared by the views: redrawing only when shown, the refusal banner, lists."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QListWidget, QWidget

from ui.charts import MessageBanner

if TYPE_CHECKING:
    from ui.context import AppContext


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


class OperationBanner(MessageBanner):
    """Where a view (or dialog) shows why an operation was refused: the one way refusals look.

    Every view and dialog holds one, bound to the app's context. A refusal
    (``AppContext.refused``, from ``AppContext.run`` or ``AppContext.refuse``) shows in the banner
    that is on screen: the current view's, or the open dialog's. It hides again after the next
    operation that succeeds, when dismissed (× or Esc), or when another plan is opened. The view
    may also use it for its own notes (``show_message(text, "info")``).
    """

    def __init__(self, context: "AppContext", parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        context.refused.connect(self._refused)
        context.plan_changed.connect(self._succeeded)
        context.document_replaced.connect(self.hide)

    def on_screen(self) -> bool:
        """Whether this banner's place is on screen (its view shown, in the active dialog)."""
        host = self.parentWidget()
        if host is None or not host.isVisible():
            return False
        modal = QApplication.activeModalWidget()
        return modal is None or modal is self.window()

    def _refused(self, exc) -> None:
        if self.on_screen():
            self.show_message(str(exc), "error")

    def _succeeded(self, _change) -> None:
        if self.kind == "error" and not self.isHidden():
            self.hide()
