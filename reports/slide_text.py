"""Colours and text that fits: how many lines a text takes at a width and size, and the text
cut with an ellipsis to a number of lines.

The measure is a conservative estimate of characters per line for the font size (tighter for
the common narrow sans-serif fonts, ``set_font``), so that text never runs off a slide.
"""

from __future__ import annotations

import functools

from pptx.dml.color import RGBColor

RAG_FILL = {"Red": "D5281B", "Amber": "FFB81C", "Green": "007F3B", "Grey": "AEB7BD"}
RAG_INK = {"Red": "FFFFFF", "Amber": "212B32", "Green": "FFFFFF", "Grey": "212B32"}
INK = "212B32"
MUTED = "425563"
ACCENT = "005EB8"

CHAR_WIDTH = 0.58  # average character width as a share of the font size (wide fonts included)
LINE_HEIGHT = 1.22  # line pitch as a share of the font size


def rgb(hexv: str) -> RGBColor:
    return RGBColor.from_string(hexv)


@functools.lru_cache(maxsize=256)
def srgb(hexv: str) -> str:
    """A colour as python-pptx writes it in ``<a:srgbClr val=...>`` (``str(rgb(hexv))``), kept
    for each colour the deck uses (hundreds of shapes share a handful; issue 13)."""
    return str(RGBColor.from_string(hexv))


NARROW_FONTS = {"arial", "helvetica", "liberation sans", "calibri", "carlito", "segoe ui",
                "frutiger", "aptos", "arial nova"}
_char_width = CHAR_WIDTH


def set_font(typeface: str | None) -> float:
    """Use a tighter character-width estimate for the common narrow sans-serif fonts.

    Returns the estimate now in use. Set once per deck (decks are built one at a time).
    """
    global _char_width
    _char_width = 0.53 if (typeface or "").strip().lower() in NARROW_FONTS else CHAR_WIDTH
    return _char_width


def chars_per_line(width_emu: int, size_pt: float) -> int:
    """How many characters surely fit on one line of ``width_emu`` at ``size_pt``."""
    width_pt = width_emu / 12700
    return max(4, int(width_pt / (size_pt * _char_width)))


def wrap_count(text: str, width_emu: int, size_pt: float) -> int:
    """Lines ``text`` takes when wrapped at word boundaries in ``width_emu``."""
    return _wrapped_lines(text or "", chars_per_line(width_emu, size_pt))


@functools.lru_cache(maxsize=8192)
def _wrapped_lines(text: str, cpl: int) -> int:
    """Lines ``text`` takes wrapped at ``cpl`` characters a line. Kept for each text and width:
    a table's cells are measured for their row's height, for clipping and for the slide they
    fit on, often at the same width (issue 13)."""
    lines = 0
    for para in text.split("\n"):
        n, cur = 1, 0
        for word in para.split(" "):
            w = len(word)
            if cur == 0:
                cur = w
                while cur > cpl:
                    n += 1
                    cur -= cpl
            elif cur + 1 + w <= cpl:
                cur += 1 + w
            else:
                n += 1
                cur = w
                while cur > cpl:
                    n += 1
                    cur -= cpl
        lines += n
    return lines


def clip(text: str, width_emu: int, size_pt: float, max_lines: int) -> str:
    """``text`` shortened with an ellipsis so that it takes at most ``max_lines`` lines."""
    text = text or ""
    if wrap_count(text, width_emu, size_pt) <= max_lines:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if wrap_count(text[:mid].rstrip() + "…", width_emu, size_pt) <= max_lines:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…"
