"""The window's look: a disabled button looks disabled, in both palettes, in every view.

Fusion draws a button's text with the palette's Disabled colours. Colours set for every group at
once left a disabled button (Undo with nothing to undo, Tidy with nothing to tidy, Add link with
nothing selected) looking exactly like one that works: these tests render both and compare.
"""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtGui import QColor, QImage, QPalette  # noqa: E402
from PySide6.QtWidgets import QApplication, QPushButton, QToolButton, QWidget  # noqa: E402

from ui import style  # noqa: E402

Group, Role = QPalette.ColorGroup, QPalette.ColorRole


@pytest.fixture(params=["light", "dark"])
def theme(request, qapp):
    app = QApplication.instance()
    old_palette, old_style = app.palette(), app.style().name()
    style.apply_style(app, request.param)
    yield request.param
    app.setStyle(old_style)
    app.setPalette(old_palette)


def pixels(widget: QWidget) -> QImage:
    widget.resize(widget.sizeHint())
    return widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def ink(image: QImage, background: QColor) -> list[QColor]:
    """The colours of the pixels that differ clearly from ``background`` (text and border)."""
    out = []
    for y in range(image.height()):
        for x in range(image.width()):
            c = image.pixelColor(x, y)
            if sum(abs(a - b) for a, b in zip(c.getRgb()[:3], background.getRgb()[:3])) > 60:
                out.append(c)
    return out


def contrast(colours: list[QColor], background: QColor) -> float:
    """How far the darkest (light palette) or lightest (dark) ink is from the background."""
    return max(abs(c.lightness() - background.lightness()) for c in colours)


@pytest.mark.parametrize("kind", [QPushButton, QToolButton])
def test_a_disabled_button_looks_disabled(qtbot, theme, kind):
    enabled, disabled = kind(), kind()
    for b in (enabled, disabled):
        qtbot.addWidget(b)
        b.setText("Add link")
    disabled.setEnabled(False)
    on, off = pixels(enabled), pixels(disabled)
    assert on.size() == off.size()
    assert on != off, f"{theme}: a disabled {kind.__name__} is drawn like an enabled one"
    pal = QApplication.instance().palette()
    fill = pal.color(Group.Active, Role.Button)
    # the label is clearly fainter: less contrast with the button's face than an enabled one
    assert contrast(ink(off, fill), fill) < 0.75 * contrast(ink(on, fill), fill), theme


def test_the_palettes_grey_disabled_text_and_keep_it_readable(theme):
    pal = QApplication.instance().palette()
    for role, behind in ((Role.ButtonText, Role.Button), (Role.WindowText, Role.Window),
                         (Role.Text, Role.Base)):
        on, off = pal.color(Group.Active, role), pal.color(Group.Disabled, role)
        back = pal.color(Group.Disabled, behind)
        assert off != on, (theme, role)
        # greyed: nearer the background than the enabled text, yet still there to read
        assert abs(off.lightness() - back.lightness()) < abs(on.lightness() - back.lightness())
        assert abs(off.lightness() - back.lightness()) >= 60, (theme, role)


def test_disabled_buttons_in_the_window_are_drawn_greyed(window, qtbot):
    """Undo with nothing to undo, and the Graph's Tidy and its disabled toolbar state."""
    window.show_view("graph")
    graph = window.views["graph"]
    assert not graph.tidy_button.isEnabled()  # a freshly laid out graph: nothing to tidy
    pal = graph.tidy_button.palette()
    assert (pal.color(Group.Disabled, Role.ButtonText)
            != pal.color(Group.Active, Role.ButtonText))
    twin = QPushButton(graph.tidy_button.text(), graph.tidy_button.parentWidget())
    qtbot.addWidget(twin)
    twin.resize(graph.tidy_button.size())
    graph.tidy_button.resize(graph.tidy_button.size())
    assert (twin.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
            != graph.tidy_button.grab().toImage().convertToFormat(QImage.Format.Format_RGB32))
