"""Colours and palette of the window: ten challenge colours, RAG colours, light and dark palettes.

The challenge colours are the ten of Paul Tol's "muted" and "bright" qualitative schemes chosen
to stay distinct for the common colour-vision deficiencies and to carry white or black text (see
``text_colour_on``). Views never pick colours of their own for challenges or RAG: they import them
from here so every chart, tile and swimlane agrees.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

# One colour per challenge number (1..10).
CHALLENGE_COLOURS: dict[int, QColor] = {
    1: QColor("#332288"),   # indigo
    2: QColor("#88CCEE"),   # cyan
    3: QColor("#44AA99"),   # teal
    4: QColor("#117733"),   # green
    5: QColor("#999933"),   # olive
    6: QColor("#DDCC77"),   # sand
    7: QColor("#CC6677"),   # rose
    8: QColor("#882255"),   # wine
    9: QColor("#AA4499"),   # purple
    10: QColor("#E68A2E"),  # orange
}

# Red / amber / green (and grey for "no rating yet"); chosen to differ in lightness too.
RAG_COLOURS: dict[str, QColor] = {
    "red": QColor("#C0392B"),
    "amber": QColor("#E8A317"),
    "green": QColor("#2E8B57"),
    "grey": QColor("#8A8F98"),
}
RAG_LABELS = {"red": "Red", "amber": "Amber", "green": "Green", "grey": "Not rated"}

CRITICAL_COLOUR = QColor("#C0392B")
DONE_COLOUR = QColor("#2E8B57")
WARNING_COLOUR = QColor("#B9770E")


def challenge_colour(number: int | None) -> QColor:
    """The colour of challenge ``number`` (grey for None or an unknown number)."""
    if number is None:
        return QColor(RAG_COLOURS["grey"])
    return QColor(CHALLENGE_COLOURS.get(int(number), RAG_COLOURS["grey"]))


def rag_colour(rag: str | None) -> QColor:
    """The colour of a RAG rating ('red', 'amber', 'green'; anything else is grey)."""
    return QColor(RAG_COLOURS.get((rag or "grey").lower(), RAG_COLOURS["grey"]))


def text_colour_on(background: QColor) -> QColor:
    """Black or white, whichever reads better on ``background`` (WCAG relative luminance)."""
    def channel(c: float) -> float:
        c /= 255.0
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = (0.2126 * channel(background.red()) + 0.7152 * channel(background.green())
           + 0.0722 * channel(background.blue()))
    # contrast with white = 1.05 / (lum + 0.05); with black = (lum + 0.05) / 0.05
    return QColor("#000000") if (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) else QColor("#FFFFFF")


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether the window uses a dark palette (light text on a dark background)."""
    if palette is None:
        app = QApplication.instance()
        palette = app.palette() if app is not None else QPalette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def dark_palette() -> QPalette:
    """A dark palette for the Fusion style."""
    p = QPalette()
    window, base, text = QColor("#2B2D30"), QColor("#1F2023"), QColor("#E6E6E6")
    p.setColor(QPalette.ColorRole.Window, window)
    p.setColor(QPalette.ColorRole.WindowText, text)
    p.setColor(QPalette.ColorRole.Base, base)
    p.setColor(QPalette.ColorRole.AlternateBase, QColor("#26282B"))
    p.setColor(QPalette.ColorRole.ToolTipBase, QColor("#3C3F41"))
    p.setColor(QPalette.ColorRole.ToolTipText, text)
    p.setColor(QPalette.ColorRole.Text, text)
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor("#9A9A9A"))
    p.setColor(QPalette.ColorRole.Button, QColor("#35383B"))
    p.setColor(QPalette.ColorRole.ButtonText, text)
    p.setColor(QPalette.ColorRole.BrightText, QColor("#FF6B6B"))
    p.setColor(QPalette.ColorRole.Link, QColor("#6CB4FF"))
    p.setColor(QPalette.ColorRole.Highlight, QColor("#2F65CA"))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor("#FFFFFF"))
    _grey_disabled(p, QColor("#7A7A7A"), QColor("#303235"))
    return p


def light_palette() -> QPalette:
    """A light palette for the Fusion style (the default look)."""
    p = QPalette()
    p.setColor(QPalette.ColorRole.Window, QColor("#F3F4F6"))
    p.setColor(QPalette.ColorRole.WindowText, QColor("#1D1F22"))
    p.setColor(QPalette.ColorRole.Base, QColor("#FFFFFF"))
    p.setColor(QPalette.ColorRole.AlternateBase, QColor("#F6F7F9"))
    p.setColor(QPalette.ColorRole.Text, QColor("#1D1F22"))
    p.setColor(QPalette.ColorRole.Button, QColor("#E9EBEE"))
    p.setColor(QPalette.ColorRole.ButtonText, QColor("#1D1F22"))
    p.setColor(QPalette.ColorRole.Highlight, QColor("#2F65CA"))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor("#FFFFFF"))
    p.setColor(QPalette.ColorRole.ToolTipBase, QColor("#FFFFE8"))
    p.setColor(QPalette.ColorRole.ToolTipText, QColor("#1D1F22"))
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor("#6B6F76"))
    _grey_disabled(p, QColor("#8A8E95"), QColor("#EEF0F2"))
    return p


def _grey_disabled(p: QPalette, text: QColor, face: QColor) -> None:
    """Make what cannot be used look so: greyed text (buttons, labels, menu entries, boxes)
    and a flatter button face nearer the window's colour. Colours set without a group are
    set for the Disabled group too, so without this a disabled button looks like one that
    works."""
    disabled = QPalette.ColorGroup.Disabled
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.ButtonText):
        p.setColor(disabled, role, text)
    p.setColor(disabled, QPalette.ColorRole.Button, face)


def apply_style(app: QApplication, theme: str = "light", *, fusion_already: bool = False) -> None:
    """Use the Fusion style with the light or dark palette (``theme``: 'light', 'dark').

    ``fusion_already``: the application was created with ``-style Fusion`` (ui/app.py), so the
    style need not be set again (setting it costs about 10 ms of start-up)."""
    if not fusion_already:
        app.setStyle("Fusion")
    app.setPalette(dark_palette() if theme == "dark" else light_palette())


def muted_text(palette: QPalette | None = None) -> QColor:
    """A secondary text colour that still reads on the window background."""
    return QColor("#A8ABB0") if is_dark(palette) else QColor("#5A5F66")


def alert_colour(palette: QPalette | None = None) -> QColor:
    """Red for warning text, lightened on a dark palette so it stays readable."""
    return QColor("#FF7A6E") if is_dark(palette) else QColor(CRITICAL_COLOUR)


def good_colour(palette: QPalette | None = None) -> QColor:
    """Green for good-news text, lightened on a dark palette."""
    return QColor("#5FD38D") if is_dark(palette) else QColor(DONE_COLOUR)
