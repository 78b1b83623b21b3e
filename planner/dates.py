"""Dates as people type them: one parser for the window, Excel import and the command line.

UK users write ``15/03/2027``, ``15/3/27``, ``15 Mar 2027``, ``15-03-2027``, ``15032027`` or
``15Mar2027``; tools write ``2027-03-15``. All of these mean the same day, and a day that does not
exist (``31/02/2027``) is refused with a message, never moved to a nearby day (issue 10: the old
date editor stored ``15/03/2027`` as 15 Feb 2027 and ``31/02/2027`` as 3 or 28 Feb).

Numbers are read day first unless the plan's date order says month first (``DATE_ORDERS``).
Words work too: ``today``, ``tomorrow``, ``yesterday``, and ``+N`` / ``-N`` working days
(weekends and the plan's holidays skipped).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Iterable

from .errors import DateError

DAY_FIRST = "day first"
MONTH_FIRST = "month first"
DATE_ORDERS = [DAY_FIRST, MONTH_FIRST]
"""How numeric dates are read: 15/03/2027 (UK, the default) or 03/15/2027 (US)."""

_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# The English words ``calendar`` gave here at import (Python starts in the "C" locale for
# dates), written out: importing ``calendar`` (and ``locale``) cost every ``validate`` about
# 8 M instructions for nothing but ``DATE_ORDERS`` (issue 13).
_MONTHS = {name[:3]: i for i, name in enumerate(_MONTH_NAMES, 1)}
_MONTHS.update({name: i for i, name in enumerate(_MONTH_NAMES, 1)})
_MONTHS["sept"] = 9
_WEEKDAYS = {d[:3] for d in _DAY_NAMES} | set(_DAY_NAMES)
_ORDINAL = re.compile(r"(?<=\d)(st|nd|rd|th)\b", re.IGNORECASE)


def is_day_first(order: str | None) -> bool:
    """True unless ``order`` (a plan's date order setting) says month first."""
    return (order or DAY_FIRST).strip().lower() != MONTH_FIRST


def expected_form(day_first: bool = True) -> str:
    """The form an editor shows while empty: ``dd/mm/yyyy`` (or ``mm/dd/yyyy``)."""
    return "dd/mm/yyyy" if day_first else "mm/dd/yyyy"


def format_date(d: date | None, day_first: bool = True) -> str:
    """A date the way the editors show it and the parser reads it back: ``15/03/2027``."""
    if d is None:
        return ""
    return f"{d:%d/%m/%Y}" if day_first else f"{d:%m/%d/%Y}"


MONTH_ABBREVIATIONS = tuple(m[:3].capitalize() for m in _MONTH_NAMES)
"""``Jan`` to ``Dec``: the month as every label writes it, in English whatever the locale."""
_DAY_ABBREVIATIONS = tuple(d[:3].capitalize() for d in _DAY_NAMES)


def short_date(d: date | None, missing: str = "", *, weekday: bool = False) -> str:
    """A date as every screen, the deck, the wizard and every message write it: ``8 Dec 2028``.

    The day has no leading zero and the month is its English three letters, as GOV.UK style
    (which NHS board papers follow) writes a date where space is short: a deck's tables, charts
    and notes, and the window's tables, tiles and messages. One form everywhere, so the same
    milestone's date reads the same in every view and on every slide. ``missing`` stands in for
    no date; ``weekday`` puts the day of the week first (``Fri 8 Dec 2028``) where it matters: a
    span of work, a holiday. The month is written out here, not ``strftime("%b")``, whose words
    follow the machine's locale once Qt has set it.
    """
    if d is None:
        return missing
    text = f"{d.day} {MONTH_ABBREVIATIONS[d.month - 1]} {d.year}"
    return f"{_DAY_ABBREVIATIONS[d.weekday()]} {text}" if weekday else text


def axis_date(d: date, unit: str = "month") -> str:
    """A date as an axis labels it, in the window's charts and timeline and on the deck's slides
    alike: ``week`` 8 Dec, ``month`` Dec 26 (January with its whole year, Jan 2027, where a year
    begins), ``quarter`` Q1 2027, ``year`` 2027. The month's English three letters, not
    ``strftime("%b")``, whose words follow the machine's locale once Qt has set it."""
    if unit == "week":
        return f"{d.day} {MONTH_ABBREVIATIONS[d.month - 1]}"
    if unit == "quarter":
        return f"Q{(d.month - 1) // 3 + 1} {d.year}"
    if unit == "year":
        return str(d.year)
    return (f"{MONTH_ABBREVIATIONS[d.month - 1]} {d.year % 100:02d}" if d.month != 1
            else f"Jan {d.year}")


def month_year(d: date) -> str:
    """A month in a sentence: ``Mar 2026`` (``short_date``'s words without the day)."""
    return f"{MONTH_ABBREVIATIONS[d.month - 1]} {d.year}"


def short_range(start: date, finish: date) -> str:
    """A span of days where space is short (the Graph view's boxes), in ``short_date``'s words:
    ``25 Nov–3 Dec 2027``; the year is written once when both days share it, else with each
    (``25 Nov 2026–3 Feb 2027``), and a single day is its ``short_date``."""
    if start == finish:
        return short_date(start)
    if start.year == finish.year:
        return f"{short_date(start).rsplit(' ', 1)[0]}–{short_date(finish)}"
    return f"{short_date(start)}–{short_date(finish)}"


def long_date(d: date | None, missing: str = "") -> str:
    """The board meeting's date as a board paper's cover gives it, in full: ``8 December 2028``.

    Only the meeting's date is written this way (the deck's cover and cover sheet), as the name
    of an occasion; every date of the plan and of the report (the status date too) is a
    ``short_date`` wherever it shows, so one fact always reads the same.
    """
    if d is None:
        return missing
    return f"{d.day} {_MONTH_NAMES[d.month - 1].capitalize()} {d.year}"


def accepted_forms(day_first: bool = True) -> str:
    """The forms the parser accepts, in words, for error messages and help."""
    example = "15/03/2027, 15/3/27, 15-03-2027, 15032027" if day_first else \
        "03/15/2027, 3/15/27, 03-15-2027, 03152027"
    return (f"{expected_form(day_first)} ({example}), 15 Mar 2027, 15Mar2027, 2027-03-15, "
            f"today, tomorrow, or +N working days (e.g. +5)")


def _refuse(text: str, day_first: bool, why: str = "") -> DateError:
    reason = f": {why}" if why else ""
    return DateError(f"'{text}' is not a date{reason}. Type it as {accepted_forms(day_first)}.")


def _build(text: str, year: int, month: int, day: int, day_first: bool) -> date:
    import calendar  # only here: see _MONTHS

    if not 1 <= year <= 9999:  # how far a plan may reach is planner.limits' rule
        raise _refuse(text, day_first, f"there is no year {year}")
    if not 1 <= month <= 12:
        raise _refuse(text, day_first, f"there is no month {month}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise _refuse(text, day_first,
                      f"{calendar.month_name[month]} {year} has {last} days, not {day}")
    return date(year, month, day)


def _year(digits: str) -> int:
    """A typed year: two digits are this century's (27 is 2027)."""
    return int(digits) + (2000 if len(digits) == 2 else 0)


def add_working_days(start: date, n: int, holidays: Iterable[date] = ()) -> date:
    """The day ``n`` working days after ``start`` (before it for negative ``n``)."""
    off = set(holidays)
    step = 1 if n >= 0 else -1
    d = start
    for _ in range(abs(n)):
        d += timedelta(days=step)
        while d.weekday() >= 5 or d in off:
            d += timedelta(days=step)
    return d


def _numeric(text: str, groups: list[str], day_first: bool) -> date:
    a, b, c = groups
    if len(a) == 4:  # 2027-03-15: year first is never ambiguous
        return _build(text, int(a), int(b), int(c), day_first)
    if len(c) not in (2, 4):
        raise _refuse(text, day_first, "the year needs 2 or 4 digits")
    day, month = (a, b) if day_first else (b, a)
    return _build(text, _year(c), int(month), int(day), day_first)


def parse_date(text: str, *, day_first: bool = True, today: date | None = None,
               holidays: Iterable[date] = ()) -> date:
    """The date ``text`` means, or DateError saying why not and which forms are accepted.

    ``today`` anchors the words and ``+N``; ``holidays`` are skipped by ``+N`` working days.
    """
    raw = str(text)
    t = raw.strip().lower()
    if not t:
        raise DateError(f"A date is needed. Type it as {accepted_forms(day_first)}.")
    base = today or date.today()
    if t in ("today", "now", "t"):
        return base
    if t == "tomorrow":
        return base + timedelta(days=1)
    if t == "yesterday":
        return base - timedelta(days=1)
    m = re.fullmatch(r"([+-])\s*(\d{1,4})\s*(wd|w\.d\.|working\s+days?|days?|d)?", t)
    if m:
        n = int(m[2]) * (1 if m[1] == "+" else -1)
        return add_working_days(base, n, holidays)
    # ISO from tools and spreadsheets, perhaps with a midnight time part
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", t)
    if m:
        return _build(raw.strip(), int(m[1]), int(m[2]), int(m[3]), day_first)
    m = re.fullmatch(r"(\d{1,4})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{1,4})", t)
    if m:
        return _numeric(raw.strip(), [m[1], m[2], m[3]], day_first)
    if re.fullmatch(r"\d{8}", t):  # 15032027 (or 20270315 when that cannot be a day first)
        first = (t[0:2], t[2:4], t[4:8])
        try:
            return _numeric(raw.strip(), list(first), day_first)
        except DateError as first_error:
            try:
                return _build(raw.strip(), int(t[:4]), int(t[4:6]), int(t[6:]), day_first)
            except DateError:
                raise first_error from None
    if re.fullmatch(r"\d{6}", t):  # 150327
        return _numeric(raw.strip(), [t[0:2], t[2:4], t[4:6]], day_first)
    # words for months: 15 Mar 2027, 15Mar2027, 15-March-27, Mar 15 2027, Wed 15th March 2027
    words = _ORDINAL.sub("", t.replace(",", " "))
    words = re.sub(r"([a-z])(\d)|(\d)([a-z])", lambda g: " ".join(x for x in g.groups() if x),
                   words)
    parts = [p for p in re.split(r"[\s/.\-]+", words) if p]
    if parts and parts[0] in _WEEKDAYS:
        parts = parts[1:]
    if len(parts) == 3:
        names = [p for p in parts if p in _MONTHS]
        if len(names) == 1 and all(p.isdigit() for p in parts if p not in _MONTHS):
            if parts[1] in _MONTHS and parts[0].isdigit():
                day, month, year = parts[0], _MONTHS[parts[1]], parts[2]
            elif parts[0] in _MONTHS:
                day, month, year = parts[1], _MONTHS[parts[0]], parts[2]
            else:
                raise _refuse(raw.strip(), day_first)
            if len(year) not in (2, 4):
                raise _refuse(raw.strip(), day_first, "the year needs 2 or 4 digits")
            return _build(raw.strip(), _year(year), month, int(day), day_first)
    raise _refuse(raw.strip(), day_first)
