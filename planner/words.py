"""Words as people write them in workbooks and packs, mapped to the plan's own values.

A lead's spreadsheet says "Not started", "Complete", "Done", "On track", "Delayed", "Y" or "N";
the plan holds ``not started``, ``done``, ``achieved``, ``planned``, ``True``. This module is the
one table of such words (issue 10: a milestone status of "not started" refused a whole import).
Exact values need no mapping; a mapped word is reported back so the user sees what it became; an
unknown word is refused with the accepted words listed.
"""

from __future__ import annotations

import functools
import re

from .errors import PlanError
from .model import ACTION_STATUSES, MILESTONE_STATUSES

YES_NO = "yes or no"
ACTION_STATUS = "action status"
MILESTONE_STATUS = "milestone status"

WORDS: dict[str, dict[str, object]] = {
    ACTION_STATUS: {
        "complete": "done", "completed": "done", "finished": "done", "closed": "done",
        "achieved": "done", "delivered": "done", "met": "done",
        "notstarted": "not started", "notyetstarted": "not started", "todo": "not started",
        "planned": "not started", "new": "not started", "open": "not started",
        "inprogress": "in progress", "started": "in progress", "ongoing": "in progress",
        "underway": "in progress", "ontrack": "in progress", "delayed": "in progress",
        "late": "in progress", "behind": "in progress", "atrisk": "in progress",
        "wip": "in progress", "active": "in progress",
        "onhold": "on hold", "paused": "on hold", "hold": "on hold", "blocked": "on hold",
        "deferred": "on hold",
        "cancelled": "cancelled", "canceled": "cancelled", "dropped": "cancelled",
        "stopped": "cancelled", "withdrawn": "cancelled",
    },
    MILESTONE_STATUS: {
        "notstarted": "planned", "notyetstarted": "planned", "open": "planned",
        "ontrack": "planned", "delayed": "planned", "late": "planned", "atrisk": "planned",
        "inprogress": "planned", "started": "planned", "pending": "planned", "due": "planned",
        "forecast": "planned",
        "complete": "achieved", "completed": "achieved", "done": "achieved",
        "met": "achieved", "reached": "achieved", "delivered": "achieved",
        "finished": "achieved", "closed": "achieved",
        "notmet": "missed", "failed": "missed", "overdue": "missed",
        "canceled": "cancelled", "dropped": "cancelled", "withdrawn": "cancelled",
    },
    YES_NO: {
        "y": True, "yes": True, "true": True, "1": True, "x": True, "✓": True, "✔": True,
        "ticked": True,
        "n": False, "no": False, "false": False, "0": False, "": False, "-": False,
    },
}
"""For each kind of choice: a typed word (lower case, no spaces or punctuation) -> plan value."""

_OPTIONS: dict[str, list[object]] = {ACTION_STATUS: list(ACTION_STATUSES),
                                     MILESTONE_STATUS: list(MILESTONE_STATUSES),
                                     YES_NO: [True, False]}


class WordError(PlanError):
    """A word that is neither one of the plan's values nor a known way of writing one."""


def squeeze(text: str) -> str:
    """A word as the table keys it: lower case without spaces, hyphens or full stops."""
    return re.sub(r"[\s_\-./]+", "", str(text).strip().casefold())


def _shown(value: object) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def accepted(kind: str) -> str:
    """The plan's values for ``kind`` and the other words understood, for messages."""
    options = _OPTIONS[kind]
    words = sorted({w for w in WORDS[kind] if w and w not in {squeeze(_shown(o)) for o in options}})
    return (f"{', '.join(_shown(o) for o in options)} (also understood: {', '.join(words)})")


def read_word(text: str, kind: str, options: list[object] | None = None) -> tuple[object, bool]:
    """(the plan's value for ``text``, whether it was mapped from another word).

    ``options`` narrows the plan's values (default: all of ``kind``'s). Raises WordError naming
    the accepted words when ``text`` means none of them.
    """
    if type(text) is str:
        try:
            return _read_word(text, kind, None if options is None else tuple(options))
        except TypeError:  # an option that cannot be a cache key: read it uncached
            pass
    return _read_word.__wrapped__(text, kind, options)


@functools.lru_cache(maxsize=4096)
def _read_word(text: str, kind: str, options: tuple | None) -> tuple[object, bool]:
    """:func:`read_word`, kept per (word, kind, options): an import reads the same few words on
    every row (issue 13). A WordError is raised afresh each time (errors are not kept)."""
    options = list(options if options is not None else _OPTIONS[kind])
    key = squeeze(text)
    for option in options:
        if squeeze(_shown(option)) == key:
            return option, False
    mapped = WORDS.get(kind, {}).get(key, None)
    if key in WORDS.get(kind, {}) and mapped in options:
        return mapped, True
    article = "an" if kind[0] in "aeiou" else "a"
    raise WordError(f"'{str(text).strip()}' is not {article} {kind}; use one of: {accepted(kind)}")
