"""The plan file: one SQLite database (``.rcplan``), opened defensively because plans travel by email.

Opening a file checks it before anything is read into the program: the SQLite header, an integrity
check, the program's own application id, no triggers or views (a plan never has any), a known
schema version, and every stored value against its field's type. The checks run on a read-only
connection, so a file that fails them is never modified. Older files are copied to a backup and
migrated forward; newer ones are refused.

A save cut short (the program killed, a power cut) leaves a rollback journal beside the plan, and
the plan itself may hold half of the change. The journal is what makes the file whole again, so it
is never called junk: before the checks, a read-write connection lets SQLite roll the unfinished
change back under its own exclusive lock (issue 9). Only then do the read-only checks run.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import codec
from .errors import NewerVersionError, NotAPlanError, RecoveryNeedsWriteAccess
from .model import KINDS, Plan, Settings, field_types

if TYPE_CHECKING:  # imported where a file is written: reading a plan needs only sqlite3
    import sqlite_utils

SCHEMA_VERSION = 5
APPLICATION_ID = 0x52435031  # "RCP1"
SQLITE_HEADER = b"SQLite format 3\x00"

JOURNAL_TABLES = {
    "journal_groups": {"grp": int, "ts": str, "who": str, "label": str, "state": str,
                       "step": str},
    "journal": {"seq": int, "grp": int, "kind": str, "key": str, "uid": str, "field": str,
                "old": str, "new": str},
}

MERGED_STEPS = {"step": str, "grp": int, "source": str}
"""Steps of another copy (or update packs) already merged into this file, and the step that did it."""


def _harden(conn: sqlite3.Connection) -> None:
    """Apply SQLite's defences for databases of unknown origin to a connection."""
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA cell_size_check = ON")
    conn.execute("PRAGMA mmap_size = 0")
    defensive = getattr(sqlite3, "SQLITE_DBCONFIG_DEFENSIVE", None)
    if defensive is not None and hasattr(conn, "setconfig"):  # Python 3.12+
        conn.setconfig(defensive, True)


def connect(path: str | os.PathLike, *, readonly: bool = False) -> sqlite3.Connection:
    """A hardened connection to a plan file (rollback journal, safe on network drives)."""
    uri = Path(path).resolve().as_uri() + ("?mode=ro" if readonly else "?mode=rw")
    conn = sqlite3.connect(uri, uri=True, isolation_level=None if readonly else "")
    conn.row_factory = sqlite3.Row
    _harden(conn)
    if not readonly:
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = FULL")
    return conn


def create_schema(db: sqlite_utils.Database) -> None:
    """Create every table of the current schema in an empty database."""
    conn = db.conn
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["settings"].create({"key": str, "value": str}, pk="key")
    for kind in KINDS.values():
        columns = {name: codec.column_type(tp) for name, tp in field_types(kind.cls).items()}
        db[kind.table].create(columns, pk=kind.key, not_null={kind.key, "uid"})
    db["dependencies"].create_index(["action"])
    db["dependencies"].create_index(["needs"])
    db["readings"].create_index(["measure"])
    db["journal_groups"].create(JOURNAL_TABLES["journal_groups"], pk="grp")
    db["journal"].create(JOURNAL_TABLES["journal"], pk="seq")
    db["journal"].create_index(["grp"])
    db["journal_groups"].create_index(["step"], unique=True)
    db["merged_steps"].create(MERGED_STEPS, pk="step")
    db["snapshots"].create({"uid": str, "created": str, "label": str, "data": str}, pk="uid")
    db["meta"].insert_all([
        {"key": "schema_version", "value": str(SCHEMA_VERSION)},
        {"key": "program", "value": "Recovery Change Planner"},
    ])


def write_settings(db: sqlite_utils.Database, settings: Settings, names: list[str] | None = None) -> None:
    """Store plan settings (all, or just ``names``) as key / JSON value rows."""
    names = names or list(field_types(Settings))
    db["settings"].upsert_all(
        [{"key": n, "value": json.dumps(codec.to_json(getattr(settings, n)))} for n in names],
        pk="key")


def write_plan(db: sqlite_utils.Database, plan: Plan) -> None:
    """Write every record of an in-memory plan into an empty schema."""
    write_settings(db, plan.settings)
    encode = codec.encode
    for kind in KINDS.values():
        records = plan.collection(kind.name).values()
        if records:
            # one prepared INSERT per table: sqlite-utils' insert_all re-inspects every value
            # and builds a statement per batch, several times the cost of the write (issue 13)
            names = list(field_types(kind.cls))
            sql = (f"INSERT INTO [{kind.table}] ({', '.join(f'[{n}]' for n in names)}) "
                   f"VALUES ({', '.join('?' * len(names))})")
            db.conn.executemany(sql, ([encode(getattr(r, n)) for n in names] for r in records))


def journal_path(path: Path) -> Path:
    """The rollback journal SQLite keeps beside a plan while a change is being saved."""
    return path.with_name(path.name + "-journal")


_READONLY_ROLLBACK = 776  # SQLITE_READONLY_ROLLBACK: a hot journal needs a writable file


def _needs_rollback(exc: sqlite3.Error) -> bool:
    return getattr(exc, "sqlite_errorcode", None) == _READONLY_ROLLBACK


def _cannot_recover(path: Path) -> RecoveryNeedsWriteAccess:
    return RecoveryNeedsWriteAccess(
        f"'{path.name}' was being saved when the program stopped, and finishing that needs "
        "permission to write to the file and its folder, which this account does not have here. "
        "Open it where you can write to it (or ask whoever manages the folder), and it will be "
        "put back as it was before the interrupted save. Keep the file and the "
        f"'{journal_path(path).name}' file beside it together.")


def recover_interrupted_save(path: Path) -> bool:
    """Roll back a save cut short (a hot journal beside ``path``); True if one was rolled back.

    SQLite decides whether the journal is hot (no live program is saving) and rolls it back under
    an exclusive lock; a journal of a save still in progress elsewhere is left alone.
    """
    journal = journal_path(path)
    try:
        if journal.stat().st_size == 0 or not path.is_file():
            return False
    except OSError:
        return False
    try:
        probe = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        probe.execute("PRAGMA schema_version").fetchone()
        return False  # readable as it is: no journal to play back
    except sqlite3.Error as exc:
        if not _needs_rollback(exc):
            return False  # check_file says what is wrong
    finally:
        probe.close()
    if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        raise _cannot_recover(path)
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=rw", uri=True,
                               isolation_level=None)
    except sqlite3.Error:
        raise _cannot_recover(path) from None
    try:
        _harden(conn)
        conn.execute("PRAGMA schema_version").fetchone()  # SQLite plays the journal back here
    except sqlite3.Error as exc:
        if _needs_rollback(exc) or getattr(exc, "sqlite_errorcode", 0) & 0xFF in (8, 14):
            raise _cannot_recover(path) from None  # READONLY, CANTOPEN
        return False  # check_file says what is wrong
    finally:
        conn.close()
    return True


def not_a_plan(path: Path, why: str) -> NotAPlanError:
    """The error for a file that cannot be opened as a plan, saying why."""
    return NotAPlanError(f"'{path.name}' cannot be opened as a plan: {why}")


def check_file(path: Path) -> int:
    """Check an untrusted file without changing it; return its schema version."""
    if not path.exists():
        raise NotAPlanError(f"There is no file '{path}'.")
    if path.is_dir():
        raise not_a_plan(path, "it is a folder, not a file.")
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        raise not_a_plan(path, f"it could not be read ({exc.strerror}).") from None
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        raise not_a_plan(path, "it is not a Recovery Change Planner plan file.")
    try:
        conn = connect(path, readonly=True)
    except sqlite3.Error as exc:
        raise not_a_plan(path, f"it could not be read ({exc}).") from None
    try:
        try:
            # A page cache that holds a big plan whole: the integrity check looks every row up
            # in each index, re-reading pages through the default 2 MB cache (20,000 actions:
            # 0.25 s of CPU -> 0.17 s; issue 13). Memory is taken only as pages are read.
            conn.execute("PRAGMA cache_size = -32768")
            result = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
        except sqlite3.Error as exc:
            if _needs_rollback(exc):
                raise _cannot_recover(path) from None
            raise
        if result != ["ok"]:
            raise not_a_plan(path, "the file is damaged (it may have been cut short or "
                                    "changed by another program).")
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id != APPLICATION_ID:
            raise not_a_plan(path, "it is a database from another program, not a plan.")
        kinds = {r[0] for r in conn.execute("SELECT type FROM sqlite_master")}
        if kinds - {"table", "index"}:
            raise not_a_plan(path, "it contains database triggers or views, which plan files "
                                    "never have, so it was not opened for safety.")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise NewerVersionError(
                f"'{path.name}' was saved by a newer version of Recovery Change Planner "
                f"(file format {version}; this version reads up to {SCHEMA_VERSION}). Please "
                "update the program to open it. The file has not been changed.")
        if version < 1:
            raise not_a_plan(path, "it has no plan format version.")
        return version
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # text SQLite cannot decode
        raise not_a_plan(path, f"the file is damaged ({exc}).") from None
    finally:
        conn.close()


def load_plan(conn: sqlite3.Connection, path: Path) -> Plan:
    """Read and check every record of a (checked, current-version) plan file."""
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        needed = {"meta", "settings", "journal", "journal_groups", "snapshots", "merged_steps"}
        needed |= {k.table for k in KINDS.values()}
        missing = needed - tables
        if missing:
            raise not_a_plan(path, "parts of the plan are missing ("
                                    + ", ".join(sorted(missing)) + ").")
        items = {}
        for row in conn.execute("SELECT key, value FROM settings"):
            try:
                items[row["key"]] = json.loads(row["value"]) if row["value"] is not None else None
            except (TypeError, ValueError):
                raise not_a_plan(path, f"the plan setting '{row['key']}' is damaged.") from None
        plan = Plan(settings=codec.settings_from_items(items))
        for kind in KINDS.values():
            columns = {r[1] for r in conn.execute(f"PRAGMA table_info([{kind.table}])")}
            lacking = set(field_types(kind.cls)) - columns
            if lacking:
                raise not_a_plan(path, f"the {kind.table} table lacks "
                                        + ", ".join(sorted(lacking)) + ".")
            collection = plan.collection(kind.name)
            names = list(field_types(kind.cls))
            cols = ", ".join(f"[{c}]" for c in names)
            at = names.index(kind.key)
            read = codec.row_reader(kind.cls, names,
                                    lambda row, label=kind.label, at=at: f"{label} {row[at]}")
            cursor = conn.cursor()
            cursor.row_factory = None  # plain tuples: the reader knows each column's place
            for row in cursor.execute(f"SELECT {cols} FROM [{kind.table}]"):
                rec = read(row)
                collection[getattr(rec, kind.key)] = rec
        return plan
    except codec.BadValue as exc:
        raise not_a_plan(path, f"it holds a value that does not fit ({exc}).") from None
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # text SQLite cannot decode
        raise not_a_plan(path, f"the file is damaged ({exc}).") from None


def read_only_copy(path: Path) -> sqlite3.Connection:
    """The checked plan file copied into memory through a read-only connection.

    What ``validate`` and the other reading commands use: the file is never written and a
    WAL-mode plan stays in WAL mode (``migrations.read_only_copy`` brings an older file forward
    in memory only).
    """
    try:
        source = connect(path, readonly=True)
        memory = sqlite3.connect(":memory:", isolation_level="")
        try:
            source.backup(memory)
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise not_a_plan(path, f"it could not be read ({exc}).") from None
    memory.row_factory = sqlite3.Row
    _harden(memory)
    return memory


def read_json(value: Any) -> Any:
    """Parse a JSON column value (None stays None)."""
    return None if value is None else json.loads(value)


def change_counter(conn: sqlite3.Connection) -> int:
    """How many saves the file has had (stored in ``meta``; bumped by every write, issue 9).

    Read inside a write transaction, it tells a program whether someone else saved to the file
    since it last read it.
    """
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'changes'").fetchone()
        return int(row[0]) if row and row[0] is not None else 0
    except (sqlite3.Error, ValueError, TypeError):
        return 0


def set_change_counter(conn: sqlite3.Connection, value: int) -> None:
    """Store the number of saves (inside the write transaction that makes the save)."""
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('changes', ?)", (str(value),))


def last_saved_by(conn: sqlite3.Connection) -> tuple[str, str]:
    """Who made the latest journalled change, and when (ISO time), for messages."""
    try:
        row = conn.execute("SELECT who, ts FROM journal_groups ORDER BY grp DESC LIMIT 1").fetchone()
    except sqlite3.Error:
        row = None
    return (str(row[0]), str(row[1])) if row else ("someone", "")


def changes_on_disk(path: Path) -> int | None:
    """The file's save counter read through a fresh read-only connection (None if unreadable)."""
    try:
        conn = connect(path, readonly=True)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'changes'").fetchone()
        return int(row[0]) if row and row[0] is not None else 0
    except (sqlite3.Error, ValueError, TypeError):
        return None  # busy (someone is saving) or unreadable: nothing known, nothing changed
    finally:
        conn.close()
