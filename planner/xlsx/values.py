"""Reading cell values: dates, whole numbers, decimals, percentages, yes/no and choices."""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Optional, TypeVar

from planner.dates import parse_date as parse_typed_date
from planner.errors import DateError
from planner.words import ACTION_STATUS, WORDS, YES_NO, WordError, read_word
from planner.xlsx.columns import normalise

YES = {w for w, v in WORDS[YES_NO].items() if v is True}
NO = {w for w, v in WORDS[YES_NO].items() if v is False}
STATUS_SYNONYMS = dict(WORDS[ACTION_STATUS])
"""Kept for callers of the old names; the one table is ``planner.words.WORDS``."""
_CHECKS = {"+1": 1, "1": 1, "0": 0, "-1": -1, "increase": 1, "increases": 1, "up": 1,
           "same": 0, "neutral": 0, "decrease": -1, "decreases": -1, "down": -1}
_EXCEL_EPOCH = date(1899, 12, 30)
_D = TypeVar("_D", bound=Optional[str])


def _show(value: Any) -> str:
    """How a cell value is quoted back to the user."""
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@dataclass
class _Row:
    """One data row of a sheet: its Excel row number and values by canonical header."""

    sheet: str
    number: int
    values: dict[str, Any]
    formats: dict[str, str]
    problems: list[str]
    day_first: bool = True
    """How numeric text dates are read (the plan's date order; UK day first by default)."""
    mapped: list[tuple[str, str, str]] = field(default_factory=list)
    """Words read as one of the plan's values: (column, the word as typed, the value)."""

    def problem(self, column: str, message: str) -> None:
        self.problems.append(f"{self.sheet}, row {self.number}, column {column}: {message}")

    def require(self, column: str, message: str) -> None:
        """Report ``message`` if the cell is empty."""
        if self.raw(column) is None:
            self.problem(column, message)

    def raw(self, column: str) -> Any:
        value = self.values.get(column)
        if isinstance(value, str):
            value = value.strip()
            return value if value else None
        return value

    def text(self, column: str) -> str:
        value = self.raw(column)
        if value is None:
            return ""
        if isinstance(value, (date, datetime)) or isinstance(value, float):
            return _show(value)
        return str(value)

    def required_text(self, column: str, what: str) -> str:
        value = self.text(column)
        if not value:
            self.problem(column, f"{what} is missing")
        return value

    def whole(self, column: str, what: str, default: int | None = None,
              low: int | None = None, high: int | None = None,
              signed: bool = False) -> int | None:
        value = self.raw(column)
        if value is None:
            return default
        number: int | None = None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str):
            cleaned = re.sub(r"\s*(working\s*)?days?$", "", value.strip().lower()).strip()
            if re.fullmatch(r"[+-]?\d+(\.0+)?", cleaned):
                number = int(float(cleaned))
        if number is None:
            self.problem(column, f"'{_show(value)}' is not {what}")
            return default
        if (low is not None and number < low) or (high is not None and number > high):
            if low is not None and high is not None:
                self.problem(column, f"{_show(value)} is not between {low} and {high}")
            else:
                self.problem(column, f"{_show(value)} cannot be below {low}")
            return default
        return number

    def decimal(self, column: str, what: str = "a number") -> float | None:
        value = self.raw(column)
        if value is None:
            return None
        if isinstance(value, bool):
            self.problem(column, f"'{_show(value)}' is not {what}")
            return None
        if isinstance(value, (int, float)):
            return float(value)
        if isinstance(value, str):
            number = parse_number(value)
            if number is not None:
                return number
        self.problem(column, f"'{_show(value)}' is not {what}")
        return None

    def percent(self, column: str) -> int:
        value = self.raw(column)
        if value is None:
            return 0
        fmt = self.formats.get(column, "")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in fmt:
            value = round(value * 100, 6)
        elif isinstance(value, str) and value.endswith("%"):
            value = value[:-1].strip()
        self.values[column] = value
        got = self.whole(column, "a whole percentage from 0 to 100", 0, 0, 100)
        return got if got is not None else 0

    def day(self, column: str) -> date | None:
        value = self.raw(column)
        if value is None:
            return None
        try:
            return cell_date(value, day_first=self.day_first)
        except DateError as exc:
            self.problem(column, str(exc))
            return None

    def days(self, column: str) -> list[date]:
        """A list of dates in one cell, separated by commas or semicolons (or one real date)."""
        value = self.raw(column)
        if value is None:
            return []
        parts = [value] if isinstance(value, (date, datetime)) else [
            p.strip() for p in re.split(r"[,;]+", str(value)) if p.strip()]
        out: list[date] = []
        for part in parts:
            try:
                parsed = cell_date(part, day_first=self.day_first)
            except DateError as exc:
                self.problem(column, f"{exc} List several dates separated by commas.")
                return []
            if parsed not in out:
                out.append(parsed)
        return sorted(out)

    def yes_no(self, column: str) -> bool:
        value = self.raw(column)
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        got = self.word(column, YES_NO, False)
        return bool(got)

    def word(self, column: str, kind: str, default: Any, options: list | None = None) -> Any:
        """A choice written in people's words ("Not started", "Done", "Y"): the plan's value,
        noted in ``mapped`` when it was another word; a problem listing the accepted words if
        the word is unknown."""
        value = self.raw(column)
        if value is None:
            return default
        try:
            got, was_mapped = read_word(_show(value), kind, options)
        except WordError as exc:
            self.problem(column, str(exc))
            return default
        if was_mapped:
            self.mapped.append((column, _show(value), "yes" if got is True else
                                "no" if got is False else str(got)))
        return got

    def choice(self, column: str, options: list[str], default: _D,
               synonyms: dict[str, str] | None = None,
               complaint: str = "is not one of: {options}") -> str | _D:
        value = self.raw(column)
        if value is None:
            return default
        key = normalise(value)
        for option in options:
            if normalise(option) == key:
                return option
        if synonyms and synonyms.get(key) in options:
            return synonyms[key]
        self.problem(column, f"'{_show(value)}' " + complaint.format(options=", ".join(options)))
        return default

    def numbers(self, column: str, what: str) -> list[int]:
        value = self.raw(column)
        if value is None:
            return []
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            parts = [_show(value)]
        else:
            parts = [p.strip() for p in re.split(r"[,;/ ]+|\band\b", str(value)) if p.strip()]
        out: list[int] = []
        for part in parts:
            if part.isdigit():
                if int(part) not in out:
                    out.append(int(part))
            else:
                self.problem(column, f"'{_show(value)}' should list {what} separated by commas, "
                                     f"e.g. 2, 3")
                return []
        return out

    def check(self, column: str) -> int | None:
        value = self.raw(column)
        if value is None:
            return None
        text = _show(value).lower()
        if text in _CHECKS:
            return _CHECKS[text]
        self.problem(column, f"'{_show(value)}' should be +1 (increases), 0 (no change) or "
                             f"-1 (decreases)")
        return None


def parse_number(text: str) -> float | None:
    """A number as typed (``1,234.5``, ``42%``, `` 7 ``), or None if the text is not one."""
    cleaned = str(text).replace(",", "").rstrip("%").strip()
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def cell_date(value: Any, *, day_first: bool = True) -> date:
    """A cell's value as a date: real Excel dates, day numbers, or text as people type it
    (``planner.dates.parse_date``); DateError says why not."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466 and float(value).is_integer():
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise DateError(f"'{_show(value)}' is not a date (as a number it is no day in Excel).")
    if type(value) is str:
        return _typed_date(value, day_first)
    return parse_typed_date(str(value), day_first=day_first)


@functools.lru_cache(maxsize=8192)
def _typed_date(text: str, day_first: bool) -> date:
    """A typed date, parsed once per text (an import meets the same dates on many rows); a
    DateError is raised afresh each time (errors are not kept)."""
    return parse_typed_date(text, day_first=day_first)


def parse_date(value: Any, *, day_first: bool = True) -> date | None:
    """A cell's value as a date, or None when it is not one (``cell_date`` says why)."""
    try:
        return cell_date(value, day_first=day_first)
    except DateError:
        return None
