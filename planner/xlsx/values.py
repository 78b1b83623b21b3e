"""Reading cell values: dates, whole numbers, decimals, percentages, yes/no and choices."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Optional, TypeVar

from planner.xlsx.columns import normalise

YES = {"yes", "y", "true", "1", "x", "✓", "✔"}
NO = {"no", "n", "false", "0", ""}
STATUS_SYNONYMS = {"complete": "done", "completed": "done", "finished": "done",
                   "notstarted": "not started", "inprogress": "in progress", "started": "in progress",
                   "onhold": "on hold", "paused": "on hold", "met": "achieved",
                   "reached": "achieved", "missed": "missed", "done": "done"}
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
            cleaned = value.replace(",", "").rstrip("%").strip()
            try:
                return float(cleaned)
            except ValueError:
                pass
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
        parsed = parse_date(value)
        if parsed is None:
            self.problem(column, f"'{_show(value)}' is not a date; use a real date, "
                                 f"or type it as YYYY-MM-DD or DD/MM/YYYY")
        return parsed

    def days(self, column: str) -> list[date]:
        """A list of dates in one cell, separated by commas or semicolons (or one real date)."""
        value = self.raw(column)
        if value is None:
            return []
        parts = [value] if isinstance(value, (date, datetime)) else [
            p.strip() for p in re.split(r"[,;]+", str(value)) if p.strip()]
        out: list[date] = []
        for part in parts:
            parsed = parse_date(part)
            if parsed is None:
                self.problem(column, f"'{_show(part)}' is not a date; list dates as YYYY-MM-DD "
                                     f"or DD/MM/YYYY separated by commas")
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
        text = _show(value).lower()
        if text in YES:
            return True
        if text in NO:
            return False
        self.problem(column, f"'{_show(value)}' should be yes or no")
        return False

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


def parse_date(value: Any) -> date | None:
    """A cell's value as a date: real Excel dates, day numbers, ``YYYY-MM-DD`` or ``DD/MM/YYYY``."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466 and float(value).is_integer():
            return _EXCEL_EPOCH + timedelta(days=int(value))
        return None
    if isinstance(value, str):
        text = value.strip()
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?", text)
        if m:
            y, mo, d = int(m[1]), int(m[2]), int(m[3])
        else:
            m = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", text)
            if not m:
                return None
            d, mo, y = int(m[1]), int(m[2]), int(m[3])
        try:
            return date(y, mo, d)
        except ValueError:
            return None
    return None

