"""Small widget pieces shared by the views: redrawing only when shown, the message banner (refusals
and notes above a view), lists."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QFrame, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QToolButton, QWidget)

from ui.style import CRITICAL_COLOUR, WARNING_COLOUR, is_dark

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

    def up_to_date(self) -> None:
        """Redraw now if an edit made while hidden left this stale (before reading its state)."""
        if self._stale:
            self.refresh()


class UpToDate:
    """An attribute of a ``RefreshWhenShown`` widget that is brought up to date when read.

    A view off screen does no work on an edit (issue 13); whoever reads its rows or boxes
    meanwhile (a script, a test, an export) still sees them as after the edit:
    ``rows = UpToDate()`` in the class body, then ``self.rows = [...]`` as usual.
    """

    def __set_name__(self, owner, name: str) -> None:
        self.slot = "_" + name + "_value"

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        if obj._stale:
            obj.refresh()
        return obj.__dict__[self.slot]

    def __set__(self, obj, value) -> None:
        obj.__dict__[self.slot] = value


def elided_list(accessible_name: str, max_height: int) -> QListWidget:
    """A short list of one-line entries, cut with "…" rather than scrolled sideways."""
    lst = QListWidget()
    lst.setAccessibleName(accessible_name)
    lst.setMaximumHeight(max_height)
    lst.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    lst.setTextElideMode(Qt.TextElideMode.ElideRight)
    return lst


def _in_table(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractItemView):
            return True
        parent = parent.parentWidget()
    return False


class PlanUndoKeys(QObject):
    """Ctrl+Z (and redo) pressed in a text box of ``window`` that has no typing of its own to
    undo undoes the plan's last step, as it would anywhere else in the window (issue 10: after
    Enter added a reading, Ctrl+Z in the emptied value box did nothing at all).

    It lets the window's Undo and Redo actions have the key by not passing the box its
    ShortcutOverride. Qt sends that event to the focused widget only, so the filter sits on the
    text box that has the focus (moved as the focus moves) rather than on the whole application,
    where every event of every widget would pass through Python (a cost paid at start-up too)."""

    def __init__(self, window: QWidget, undo: QAction, redo: QAction):
        super().__init__(window)
        self.window, self.undo, self.redo = window, undo, redo
        QApplication.instance().focusChanged.connect(self._focus_changed)

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if isinstance(old, QLineEdit):
            old.removeEventFilter(self)
        if isinstance(new, QLineEdit):
            new.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(obj, QLineEdit) \
                or obj.window() is not self.window or _in_table(obj):
            return False  # a cell being edited keeps its keys: Esc, not Ctrl+Z, abandons it
        pressed = QKeySequence(event.keyCombination())
        for action, own in ((self.undo, obj.isUndoAvailable()), (self.redo, obj.isRedoAvailable())):
            if not own and action.isEnabled() and pressed in action.shortcuts():
                return True  # the box does not claim the key, so the window's action gets it
        return False


class MessageBanner(QFrame):
    """An inline, non-modal message above a view: refusals (e.g. a loop) and notes; Esc or × hides it."""

    closed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("messageBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.label = QLabel(self)
        self.label.setObjectName("messageText")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                           | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.label.setAccessibleName("Message")
        self.close_button = QToolButton(self)
        self.close_button.setText("×")
        self.close_button.setToolTip("Hide this message")
        self.close_button.setAccessibleName("Hide message")
        self.close_button.clicked.connect(self.dismiss)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 6, 6)
        row.addWidget(self.label, 1)
        row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.kind = "info"
        self.hide()

    def text(self) -> str:
        """The message shown (empty when hidden)."""
        return self.label.text() if not self.isHidden() else ""

    def show_message(self, text: str, kind: str = "error") -> None:
        """Show ``text``; ``kind`` is 'error', 'warning' or 'info' (sets the colour and the icon)."""
        self.kind = kind
        prefix = {"error": "Not done: ", "warning": "Note: ", "info": ""}.get(kind, "")
        self.label.setText(prefix + text)
        self.setAccessibleDescription(self.label.text())
        base = {"error": CRITICAL_COLOUR, "warning": WARNING_COLOUR}.get(kind, QColor("#2F65CA"))
        pal = self.palette()
        bg = QColor(base)
        bg.setAlpha(60 if is_dark(pal) else 35)
        win = pal.color(QPalette.ColorRole.Window)
        mixed = QColor(
            int(win.red() * (1 - bg.alphaF()) + base.red() * bg.alphaF()),
            int(win.green() * (1 - bg.alphaF()) + base.green() * bg.alphaF()),
            int(win.blue() * (1 - bg.alphaF()) + base.blue() * bg.alphaF()))
        pal.setColor(QPalette.ColorRole.Window, mixed)
        self.setPalette(pal)
        self.setStyleSheet(f"#messageBanner {{ border: 2px solid {base.name()}; border-radius: 4px; }}")
        self.show()

    def dismiss(self) -> None:
        """Hide the message."""
        self.hide()
        self.closed.emit()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.dismiss()
        else:
            super().keyPressEvent(event)


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

    def _succeeded(self, change) -> None:
        # a refusal is over once something succeeds; a note about a step is no longer true
        # once that step (or any other) is undone or redone
        undone = str(getattr(change, "label", "")).startswith(("undo: ", "redo: "))
        if (self.kind == "error" or undone) and not self.isHidden():
            self.hide()
