"""Bringing plan files written by earlier versions forward, one schema version at a time.

Format 1 (the first release) had no risks, no phases with dates, no per-person capacity and no
board snapshots. ``write_v1_schema`` recreates that layout so tests can prove migration works on a
file exactly as version 1 wrote it.
"""

from __future__ import annotations

from typing import Callable

import sqlite_utils

from . import codec
from .model import KINDS, field_types
from .storage import APPLICATION_ID, JOURNAL_TABLES

_V1_MISSING_TABLES = {"risks", "phases"}
_V1_MISSING_COLUMNS = {"people": {"capacity"}}


def write_v1_schema(db: sqlite_utils.Database) -> None:
    """Create the tables exactly as schema version 1 had them (for tests and tooling)."""
    db.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.conn.execute("PRAGMA user_version = 1")
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["meta"].insert({"key": "schema_version", "value": "1"})
    db["settings"].create({"key": str, "value": str}, pk="key")
    for kind in KINDS.values():
        if kind.table in _V1_MISSING_TABLES:
            continue
        skip = _V1_MISSING_COLUMNS.get(kind.table, set())
        columns = {n: codec.column_type(t) for n, t in field_types(kind.cls).items() if n not in skip}
        db[kind.table].create(columns, pk=kind.key)
    for name, columns in JOURNAL_TABLES.items():
        db[name].create(columns, pk=next(iter(columns)))


def _v1_to_v2(db: sqlite_utils.Database) -> None:
    """Add capacity (default 3), risks, phases and snapshots."""
    db["people"].add_column("capacity", int)
    db.execute("UPDATE people SET capacity = 3 WHERE capacity IS NULL")
    for kind in KINDS.values():
        if kind.table in _V1_MISSING_TABLES:
            columns = {n: codec.column_type(t) for n, t in field_types(kind.cls).items()}
            db[kind.table].create(columns, pk=kind.key)
    db["snapshots"].create({"uid": str, "created": str, "label": str, "data": str}, pk="uid")
    db["dependencies"].create_index(["action"], if_not_exists=True)
    db["dependencies"].create_index(["needs"], if_not_exists=True)
    db["readings"].create_index(["measure"], if_not_exists=True)
    db["journal"].create_index(["grp"], if_not_exists=True)


MIGRATIONS: dict[int, Callable[[sqlite_utils.Database], None]] = {1: _v1_to_v2}
"""MIGRATIONS[n] brings a file from version n to n + 1."""
