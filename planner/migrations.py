"""Bringing plan files written by earlier versions forward, one schema version at a time.

``migrate`` copies a file to a backup and runs the steps; ``planner.storage`` only says which
version a file is (it never imports this module: issue 8 removed that two-way import).

Format 1 had no risks, no phases with dates, no per-person capacity and no board snapshots.
Format 2 had all of those but no per-measure SPC settings (limits fixed after N readings, rebase
dates). Format 3 had no lasting identity for journal steps and no record of merged steps.
Format 4 had no measure types, denominators or board commentary, no action tags, no initiative
rationales and no risk target scores or BAF references, and allowed SPC limits fixed on fewer
than 12 readings. ``write_old_schema`` recreates any of these layouts so tests can prove
migration works on a file exactly as that version wrote it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import codec
from .model import KINDS, field_types
from .storage import (APPLICATION_ID, JOURNAL_TABLES, MERGED_STEPS, SCHEMA_VERSION, connect,
                      not_a_plan)
from .storage import read_only_copy as read_only_copy_of  # the copy; this module migrates it

if TYPE_CHECKING:  # sqlite-utils is imported when a file is migrated (command-line start-up)
    import sqlite_utils

_SPC_COLUMNS = {"spc_fix_after", "spc_rebase"}
_V5_NAMES = {"measures": {"measure_type", "denominator", "so_what", "next_action", "action_by"},
             "actions": {"tag"}, "initiatives": {"rationale"},
             "risks": {"target_likelihood", "target_impact", "baf_ref"}}
_MISSING_TABLES = {1: {"risks", "phases", "snapshots"}, 2: set(), 3: set(), 4: set()}
_MISSING_COLUMNS = {1: {"people": {"capacity"}, "measures": _SPC_COLUMNS | _V5_NAMES["measures"],
                        "actions": _V5_NAMES["actions"], "initiatives": _V5_NAMES["initiatives"]},
                    2: {"measures": _SPC_COLUMNS | _V5_NAMES["measures"],
                        "actions": _V5_NAMES["actions"], "initiatives": _V5_NAMES["initiatives"],
                        "risks": _V5_NAMES["risks"]},
                    3: dict(_V5_NAMES), 4: dict(_V5_NAMES)}


def write_old_schema(db: sqlite_utils.Database, version: int) -> None:
    """Create the tables exactly as schema ``version`` (1 to 4) had them (for tests and tooling)."""
    missing_tables, missing_columns = _MISSING_TABLES[version], _MISSING_COLUMNS[version]
    db.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.conn.execute(f"PRAGMA user_version = {version}")
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["meta"].insert({"key": "schema_version", "value": str(version)})
    db["settings"].create({"key": str, "value": str}, pk="key")
    for kind in KINDS.values():
        if kind.table in missing_tables:
            continue
        skip = missing_columns.get(kind.table, set())
        columns = {n: codec.column_type(t) for n, t in field_types(kind.cls).items() if n not in skip}
        db[kind.table].create(columns, pk=kind.key)
    for name, columns in JOURNAL_TABLES.items():
        db[name].create({c: t for c, t in columns.items() if c != "step" or version >= 4},
                        pk=next(iter(columns)))
    if "snapshots" not in missing_tables:
        db["snapshots"].create({"uid": str, "created": str, "label": str, "data": str}, pk="uid")
    if version >= 4:
        db["merged_steps"].create(MERGED_STEPS, pk="step", if_not_exists=True)


def _v1_to_v2(db: sqlite_utils.Database) -> None:
    """Add capacity (default 3), risks, phases and snapshots."""
    db["people"].add_column("capacity", int)
    db.execute("UPDATE people SET capacity = 3 WHERE capacity IS NULL")
    for kind in KINDS.values():
        if kind.table in _MISSING_TABLES[1] - {"snapshots"}:
            columns = {n: codec.column_type(t) for n, t in field_types(kind.cls).items()
                       if n not in _MISSING_COLUMNS[2].get(kind.table, set())}
            db[kind.table].create(columns, pk=kind.key)
    db["snapshots"].create({"uid": str, "created": str, "label": str, "data": str}, pk="uid")
    db["journal"].create_index(["grp"], if_not_exists=True)


def _v2_to_v3(db: sqlite_utils.Database) -> None:
    """Add per-measure SPC settings: none fixed, no rebase dates."""
    db["measures"].add_column("spc_fix_after", int)
    db["measures"].add_column("spc_rebase", str)
    db.execute("UPDATE measures SET spc_rebase = '[]' WHERE spc_rebase IS NULL")


def _v3_to_v4(db: sqlite_utils.Database) -> None:
    """Give every journal step a lasting identity and add the record of merged steps.

    Existing steps get an identity derived from the plan id and the step's own number, time,
    author and label, so two copies of one file migrated apart give their shared history the same
    identities and can still find their common ancestor.
    """
    import hashlib
    import json

    db["journal_groups"].add_column("step", str)
    row = db.execute("SELECT value FROM settings WHERE key = 'plan_id'").fetchone()
    plan_id = json.loads(row[0]) if row and row[0] else ""
    rows = db.execute("SELECT grp, ts, who, label FROM journal_groups").fetchall()
    db.conn.executemany(
        "UPDATE journal_groups SET step = ? WHERE grp = ?",
        [(hashlib.sha256(json.dumps([plan_id, *r]).encode()).hexdigest()[:32], r[0])
         for r in rows])
    db["journal_groups"].create_index(["step"], unique=True, if_not_exists=True)
    db["merged_steps"].create(MERGED_STEPS, pk="step", if_not_exists=True)


_V5_COLUMNS = {
    "measures": {"measure_type": (str, "'count'"), "denominator": (str, "''"),
                 "so_what": (str, "''"), "next_action": (str, "''"), "action_by": (str, None)},
    "actions": {"tag": (str, "''")},
    "initiatives": {"rationale": (str, "''")},
    "risks": {"target_likelihood": (int, None), "target_impact": (int, None),
              "baf_ref": (str, "''")},
}


def _v4_to_v5(db: sqlite_utils.Database) -> None:
    """Add measure types (count by default), denominators and board commentary; action tags;
    initiative rationales; risk target scores and BAF references."""
    for table, columns in _V5_COLUMNS.items():
        for name, (tp, default) in columns.items():
            db[table].add_column(name, tp)
            if default is not None:
                db.execute(f"UPDATE [{table}] SET [{name}] = {default} WHERE [{name}] IS NULL")
    # Limits may no longer be fixed on fewer than 12 readings (as in NHSRplotthedots): such a
    # setting is dropped and the chart's limits use every reading of the period again.
    db.execute("UPDATE measures SET spc_fix_after = NULL WHERE spc_fix_after < 12")


MIGRATIONS: dict[int, Callable[[sqlite_utils.Database], None]] = {
    1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4, 4: _v4_to_v5}
"""MIGRATIONS[n] brings a file from version n to n + 1."""


def backup_path(path: Path, version: int) -> Path:
    """Where the copy of a file is kept before it is migrated from ``version``."""
    candidate = path.with_name(f"{path.name}.v{version}-backup")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.v{version}-backup{n}")
        n += 1
    return candidate


def bring_forward(conn: sqlite3.Connection, version: int) -> None:
    """Run the migrations from ``version`` to the current schema in one transaction."""
    import sqlite_utils

    db = sqlite_utils.Database(conn, execute_plugins=False)
    with db.atomic():
        while version < SCHEMA_VERSION:
            MIGRATIONS[version](db)
            version += 1
            conn.execute(f"PRAGMA user_version = {version}")
        db["meta"].upsert({"key": "schema_version", "value": str(version)}, pk="key")


def migrate(path: Path, version: int) -> Path:
    """Copy the file to a backup, then bring it forward to the current schema; return the backup."""
    import shutil

    backup = backup_path(path, version)
    shutil.copy2(path, backup)
    conn = connect(path)
    try:
        bring_forward(conn, version)
    except sqlite3.DatabaseError as exc:
        raise not_a_plan(path, f"it could not be brought up to date ({exc}); the original is "
                               f"kept as '{backup.name}'.") from None
    finally:
        conn.close()
    return backup


def read_only_copy(path: Path, version: int) -> sqlite3.Connection:
    """The plan file copied into memory (``storage.read_only_copy``), brought forward there if older."""
    return forward_in_memory(read_only_copy_of(path), path, version)


def forward_in_memory(memory: sqlite3.Connection, path: Path, version: int) -> sqlite3.Connection:
    """A copy in memory of the plan file ``path`` (of format ``version``), brought forward there
    if older."""
    if version < SCHEMA_VERSION:
        try:
            bring_forward(memory, version)
        except sqlite3.DatabaseError as exc:
            raise not_a_plan(path, f"it could not be brought up to date ({exc}).") from None
    return memory
