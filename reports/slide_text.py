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

# Advance widths (thousandths of the font size) of Arial, Helvetica and Liberation Sans, which
# share them; the other narrow fonts are no wider. A character not listed counts as a full em.
_ARIAL_CHARS = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~…·×–—‘’“”±≤≥£€é°→↑½'
_ARIAL_WIDTHS = [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 1000, 278, 584, 556, 1000, 222, 222, 333, 333, 549, 549, 549, 556, 556, 556, 400, 1000, 500, 834]
ARIAL_WIDTH = dict(zip(_ARIAL_CHARS, (w / 1000 for w in _ARIAL_WIDTHS)))
WIDTH_SAFETY = 1.1
"""Text measured with the narrow fonts' widths is taken as this much wider (bold, kerning,
another narrow font's letters), so that a line said to fit does fit."""


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


def needed_lines(text: str, width_emu: int, size_pt: float) -> int:
    """Lines ``text`` needs at ``width_emu`` and ``size_pt`` by its letters' own widths when the
    deck's font is a narrow one (``set_font``), with ``WIDTH_SAFETY`` to spare; else
    ``wrap_count``. What a table row is made tall for: a title of 70 letters took two lines by
    the count of letters though it fills four fifths of one (issue: the live actions' A57)."""
    if _char_width == CHAR_WIDTH:
        return wrap_count(text, width_emu, size_pt)
    return _measured_lines(text or "", int(width_emu / 12700 / size_pt * 1000))


@functools.lru_cache(maxsize=8192)
def _measured_lines(text: str, width: int) -> int:
    """Lines ``text`` takes wrapped at word boundaries in ``width`` thousandths of an em."""
    space = ARIAL_WIDTH[" "] * WIDTH_SAFETY
    width_em = width / 1000
    lines = 0
    for para in text.split("\n"):
        n, cur = 1, 0.0
        for word in para.split(" "):
            w = sum(ARIAL_WIDTH.get(ch, 1.0) for ch in word) * WIDTH_SAFETY
            if cur == 0:
                cur = w
            elif cur + space + w <= width_em:
                cur += space + w
                continue
            else:
                n += 1
                cur = w
            while cur > width_em:  # a word longer than the line breaks where it must
                n += 1
                cur -= width_em
        lines += n
    return lines


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
    return clip_head(text or "", "", width_emu, size_pt, max_lines)


def clip_head(head: str, tail: str, width_emu: int, size_pt: float, max_lines: int) -> str:
    """``head + tail`` in at most ``max_lines`` lines, ``head`` shortened with an ellipsis where
    it must be so that ``tail`` (a figure after a title) is never the part cut off."""
    text = head + tail
    if wrap_count(text, width_emu, size_pt) <= max_lines:
        return text
    lo, hi = 0, len(head)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if wrap_count(head[:mid].rstrip() + "…" + tail, width_emu, size_pt) <= max_lines:
            lo = mid
        else:
            hi = mid - 1
    return head[:lo].rstrip() + "…" + tail
