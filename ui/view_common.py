"""Pieces shared by the visual views: a view's base classes, chart cards, small helpers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (QBoxLayout, QFrame, QGridLayout, QHBoxLayout, QLabel, QLayout,
                               QVBoxLayout, QWidget)

from planner.changes import ChangeSet
from ui.context import AppContext
from ui.style import muted_text
from ui.widgets import OperationBanner, RefreshWhenShown

if TYPE_CHECKING:  # the Overview, shown first, has neither (their Python types cost start-up)
    from PySide6.QtWidgets import QComboBox, QScrollArea


class PlanView(RefreshWhenShown, QWidget):
    """The base of every view of the open plan (register one in ui/registry.py).

    It names the view for assistive technology, holds the app's context and the view's
    ``banner`` (where refusals show, ui/widgets.py: place it in the layout), and hears every
    operation's change set in ``apply_change``. The analysis is refreshed before the change set
    arrives (``analysis_changed`` fires first), so a view drawn from the analysis may need nothing
    more; a view drawn from the plan itself overrides ``apply_change`` and asks the change set what
    changed (``change.actions``, ``change.touches("measure")``, ``change.schedule``...), never
    the field changes. ``refresh_when_shown()`` redraws now if on screen, else when next shown.
    """

    def __init__(self, context: AppContext, object_name: str, accessible_name: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setAccessibleName(accessible_name)
        self.context = context
        self.banner = OperationBanner(context, self)
        context.plan_changed.connect(self.apply_change)

    def apply_change(self, change: ChangeSet) -> None:
        """Bring the view up to date after an operation, undo or redo (default: nothing more)."""

    def refresh(self) -> None:
        """Redraw from the plan (views drawn from their models need not)."""
        self._stale = False
        self.update()


class LazyPlanView(PlanView):
    """A view that is built when first shown and rebuilds only when shown."""

    _stale = True  # built when first shown

    def _changed(self) -> None:
        self.refresh_when_shown()


class ChartCard(QFrame):
    """A framed card: a bold title, an optional subtitle, a line of status text and a chart."""

    def __init__(self, parent: QWidget | None, *, status_name: str, chart_height: int,
                 height: int, margins: tuple[int, int], spacing: int, subtitle: bool = False):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(self)
        f = QFont(self.font())
        f.setBold(True)
        self.title.setFont(f)
        self.title.setWordWrap(True)
        if subtitle:
            self.subtitle = QLabel(self)
            self.subtitle.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setObjectName(status_name)
        self.status.setWordWrap(True)
        from ui.charts import LineChart  # the charts module is not needed by the Overview, shown first

        self.chart = LineChart(self)
        self.chart.setMinimumHeight(chart_height)
        self.setMinimumHeight(height)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(margins[0], margins[1], margins[0], margins[1])
        layout.setSpacing(spacing)
        layout.addWidget(self.title)
        if subtitle:
            layout.addWidget(self.subtitle)
        layout.addWidget(self.status)
        layout.addWidget(self.chart, 1)


LayoutPart = QWidget | QLayout | int | tuple[QWidget | QLayout, int]
"""What ``hbox`` and ``page_layout`` take: a widget, a layout, ``(either, stretch)``, or an int of spacing."""


def _fill(box: QBoxLayout, parts: tuple[LayoutPart, ...]) -> None:
    for part in parts:
        if isinstance(part, int):
            box.addSpacing(part)
            continue
        item, stretch = part if isinstance(part, tuple) else (part, 0)
        if isinstance(item, QLayout):
            box.addLayout(item, stretch)
        else:
            box.addWidget(item, stretch)


def hbox(*parts: LayoutPart) -> QHBoxLayout:
    """A row of widgets and layouts, left to right (a toolbar or a form line)."""
    box = QHBoxLayout()
    _fill(box, parts)
    return box


def page_layout(view: QWidget, *parts: LayoutPart) -> QVBoxLayout:
    """``view``'s layout: its parts top to bottom, with the views' common 6-pixel margin."""
    layout = QVBoxLayout(view)
    layout.setContentsMargins(6, 6, 6, 6)
    _fill(layout, parts)
    return layout


def mute(label: QLabel, palette: QPalette) -> None:
    """Show ``label``'s text in the muted colour of ``palette``."""
    pal = label.palette()
    pal.setColor(QPalette.ColorRole.WindowText, muted_text(palette))
    label.setPalette(pal)


def card_grid(parent: QWidget, spacing: int) -> tuple[QWidget, QGridLayout, QScrollArea]:
    """A scrolling grid for cards: (the grid's host widget, the grid, the scroll area)."""
    from PySide6.QtWidgets import QScrollArea

    host = QWidget(parent)
    grid = QGridLayout(host)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setSpacing(spacing)
    # the cards' minimum heights must make the page scroll, not squeeze the cards together
    grid.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
    scroll = QScrollArea(parent)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(host)
    return host, grid, scroll


def set_combo_quietly(combo: QComboBox, index: int) -> None:
    """Move a combo box to ``index`` without emitting its change signals."""
    combo.blockSignals(True)
    combo.setCurrentIndex(index)
    combo.blockSignals(False)


def id_key(aid: str) -> tuple:
    """Sort key for ids such as A2 < A10: (prefix, number, id)."""
    digits = "".join(ch for ch in aid if ch.isdigit())
    return (aid.rstrip("0123456789"), int(digits) if digits else 0, aid)


def short(text: str, n: int = 40) -> str:
    """``text`` cut to ``n`` characters with an ellipsis."""
    return text if len(text) <= n else text[: n - 1] + "…"


def chosen_action(combo, entries: dict[str, str], titles) -> tuple[str | None, str]:
    """The action an editable "waits for" box names, or None and, in the user's words, why not
    (the one rule of the Graph's and the Actions view's boxes).

    The item picked from the list counts only while the box still shows its text: text typed
    over it afterwards wins (the box keeps the picked item as current until then). Typed text
    is an action's ID, its whole title or its entry ``"ID  title"`` in ``entries`` (any case),
    or a part of one entry only; a part of several, or of none, names no action. ``titles``
    maps an ID to its title (for the message naming the matches)."""
    typed = combo.currentText()
    i = combo.currentIndex()
    if i >= 0 and typed == combo.itemText(i):
        return combo.itemData(i), ""
    text = " ".join(typed.split())
    if not text:
        return None, "Choose the action it should wait for: type its ID or title, or pick it from the list."
    folded = text.casefold()
    for aid in entries:
        if aid.casefold() == folded:
            return aid, ""
    whole = [aid for aid, entry in entries.items()
             if " ".join(entry.split()).casefold() == folded
             or " ".join(entry.split()[1:]).casefold() == folded]
    found = whole or [aid for aid, entry in entries.items() if folded in entry.casefold()]
    if len(found) == 1:
        return found[0], ""
    if not found:
        return None, (f"No action matches '{text}'. Type an action's ID or title, or pick "
                      "it from the list; no link was added.")
    names = ", ".join(f"{aid} '{short(titles(aid), 30)}'" for aid in sorted(found, key=id_key)[:3])
    more = f" and {len(found) - 3} more" if len(found) > 3 else ""
    return None, (f"'{text}' matches {len(found)} actions ({names}{more}). Type its ID or "
                  "more of its title; no link was added.")
