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

import contextlib
import gc
import json
import os
import sqlite3
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

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
    # No index of the links by their actions, nor of the readings by measure: nothing looks
    # records up by those columns (a plan is read whole; an edit writes one record by its
    # key). Files made before 3 Dec 2026 have them, and keep them, harmlessly: each cost every
    # save of a link, a fifth of the file and, opening for editing, most of the full integrity
    # check (20,000 actions: 203 -> 75 ms without the two link indexes; issue 13).
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


PLAN_TABLES = frozenset(k.table for k in KINDS.values())
"""The tables holding the plan's records (read whole into memory when a plan is opened)."""


DAMAGED = "the file is damaged (it may have been cut short or changed by another program)."


def check_file(path: Path, *, quick: bool = False) -> int:
    """Check an untrusted file without changing it; return its schema version.

    ``quick`` (a current-version file opened only to read): SQLite's ``quick_check`` of the
    whole file and the full ``integrity_check`` of every table except the plan's record tables,
    whose unique keys ``load_plan(check_keys=True)`` then checks. What is left out is the check
    that every index of a record table lists exactly that table's rows; a read-only open never
    uses those indexes (the records are read from the tables themselves, and every edit is
    refused), so a file opened this way shows exactly what a full check would let it show.
    On 20,000 actions the full check costs more than reading every row (issue 13).
    """
    conn = _connect_plan_file(path)
    try:
        # A page cache that holds a big plan whole: the integrity check looks every row up
        # in each index, re-reading pages through the default 2 MB cache (20,000 actions:
        # 0.25 s of CPU -> 0.17 s; issue 13). Memory is taken only as pages are read.
        return _check_database(conn, path, quick, lambda: conn.execute(
            "PRAGMA cache_size = -32768"))
    finally:
        conn.close()


def checked_reader(path: Path) -> tuple[int, sqlite3.Connection]:
    """``check_file(path)`` (the full check) on a read-only connection that is kept, inside
    the read transaction the check ran in, for reading the plan: what is read next is exactly
    what was checked (another program cannot save between the two), and the pages the check
    read are read once (an open for editing read the whole file twice; issue 13). The caller
    closes it before writing through another connection. The file is never written."""
    conn = _connect_plan_file(path)
    try:
        version = _check_database(conn, path, False, lambda: (
            conn.execute("PRAGMA cache_size = -32768"),  # as check_file
            conn.execute("BEGIN")))  # deferred: the check's first read takes the lock
    except BaseException:
        conn.close()
        raise
    return version, conn


def checked_copy(path: Path) -> tuple[int, sqlite3.Connection]:
    """``check_file(path, quick=True)`` and ``read_only_copy(path)`` in one: the file is copied
    into memory through a read-only connection, then the copy is checked; return the file's
    schema version and the copy.

    The same checks, refusing the same files with the same words, run on exactly the pages that
    are then read (checking the file and then copying it read every page twice and left a
    moment between the check and the copy; issue 13). The file is never written.
    """
    source = _connect_plan_file(path)
    try:
        memory = sqlite3.connect(":memory:", isolation_level="")
        memory.row_factory = sqlite3.Row
        _harden(memory)
        try:
            version = _check_database(memory, path, True, lambda: source.backup(memory))
        except BaseException:
            memory.close()
            raise
    finally:
        source.close()
    return version, memory


def _connect_plan_file(path: Path) -> sqlite3.Connection:
    """A read-only connection to ``path`` once it is known to be a file starting with SQLite's
    header (``check_file``'s first step)."""
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
        return connect(path, readonly=True)
    except sqlite3.Error as exc:
        raise not_a_plan(path, f"it could not be read ({exc}).") from None


def _check_database(conn: sqlite3.Connection, path: Path, quick: bool,
                    prepare: Any) -> int:
    """``check_file``'s checks of the database on ``conn`` (after ``prepare()``, which first
    reads the file); return its schema version."""
    try:
        try:
            prepare()
            if quick:
                result = _quick_check(conn)
            else:
                result = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
        except sqlite3.Error as exc:
            if _needs_rollback(exc):
                raise _cannot_recover(path) from None
            raise
        if result != ["ok"]:
            raise not_a_plan(path, DAMAGED)
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


@contextlib.contextmanager
def collector_paused(*, promote: bool = False) -> Iterator[None]:
    """Python's cycle collector held off while a plan's records are built (or checked).

    Records hold no reference cycles, but the collector, triggered by every few hundred new
    objects, would walk all of them again and again: building a 20,000-action plan took about
    twice as long with it on, and ``validate`` a quarter longer (issue 13). It runs as usual
    afterwards.

    ``promote`` (reading a plan): what is still alive when the collector resumes is moved into
    its oldest generation, where every object that lives long ends up (``gc.freeze`` then
    ``gc.unfreeze``), so that the first young collection does not walk the whole plan just read
    (about 90 M instructions on 20,000 actions, issue 13). Nothing is left out of collecting:
    the oldest generation is collected as always. Only when nothing is frozen (the window
    freezes its start-up objects: unfreezing would give them back to the collector), and only
    by the outermost pause.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            if promote and not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def _quick_check(conn: sqlite3.Connection) -> list[str]:
    """``check_file(quick=True)``'s check: what ``integrity_check`` would say, bar the record
    tables' index contents (a file of another version gets the full check)."""
    result = [r[0] for r in conn.execute("PRAGMA quick_check(20)")]
    if result != ["ok"]:
        return result
    if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
        return [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                 ).fetchall():
        if table not in PLAN_TABLES:
            result = _table_check(conn, table)
            if result != ["ok"]:
                return result
    return ["ok"]


def _table_check(conn: sqlite3.Connection, table: Any) -> list[str]:
    """``integrity_check`` of one table and its indexes (the whole file for an odd name)."""
    if not isinstance(table, str) or "\x00" in table:
        return [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
    quoted = table.replace("'", "''")
    return [r[0] for r in conn.execute(f"PRAGMA integrity_check('{quoted}')")]


def _unique_columns(conn: sqlite3.Connection, table: str, names: list[str]) -> list[str] | None:
    """The column of each unique index of ``table``, or None if one is not a plain index
    (one column of ``names``, no expression or condition, BINARY collation)."""
    columns = []
    for _seq, index, unique, _origin, partial in conn.execute(f"PRAGMA index_list([{table}])"):
        if not unique:
            continue
        if partial or not isinstance(index, str):
            return None
        quoted = index.replace("'", "''")
        keys = [r for r in conn.execute(f"PRAGMA index_xinfo('{quoted}')") if r[5]]
        if len(keys) != 1 or keys[0][2] not in names or keys[0][4] != "BINARY":
            return None
        columns.append(keys[0][2])
    return columns


def _distinct(rows: list[tuple], at: int) -> bool:
    """Whether the stored values in place ``at`` of ``rows`` are whole numbers, text or bytes,
    all different."""
    values = list(map(itemgetter(at), rows))
    return set(map(type, values)) <= {str, int, bytes} and len(set(values)) == len(values)


def load_plan(conn: sqlite3.Connection, path: Path, *, check_keys: bool = False,
              columns: dict[str, dict[str, tuple]] | None = None,
              unbuilt: dict[str, Any] | None = None) -> Plan:
    """Read and check every record of a (checked, current-version) plan file.

    ``check_keys``: the file had the quick check (``checked_copy``); the record tables' unique
    keys are checked here, from the rows read (or by SQLite's ``integrity_check`` of the table when
    that cannot settle it), with the full check's refusal, before any value of the table is
    refused. Every unique index must be plain and over one column whose stored values are
    whole numbers, text or bytes, all different; for the key field, read exactly
    (``codec.read_table``), the records' keys are those values, so the collection tells.

    ``columns`` (a dict): for each kind whose table was read exactly, with records and no two
    sharing a key, the text and whole-number fields of its records as whole columns, in the
    collection's order (``codec.stored_columns``: the very values the records hold), are put in
    it by kind name, so that checks of whole columns need not look at each record (issue 13).

    ``unbuilt`` (a dict, with ``columns``; ``validate`` passes ``{"dependency": None}``): the
    kinds named in it whose table reads exactly, as told column by column
    (``codec.plain_columns``), with no two records sharing a key, are checked and their columns
    put in ``columns`` as above, but their records are not built: their collection stays empty
    and ``unbuilt[kind]`` becomes a function that builds them and puts them in it, exactly as
    reading them here would have (for a check that needs the records; issue 13). A kind left
    as None was read as usual.
    """
    with collector_paused(promote=True):
        return _load_plan(conn, path, check_keys, columns, unbuilt or {})


def simple_key(kind: Any) -> bool:
    """Whether the key field of records of ``kind`` is text or a whole number, never empty."""
    base, optional = codec._base(field_types(kind.cls)[kind.key])
    return base in (str, int) and not optional


def _load_plan(conn: sqlite3.Connection, path: Path, check_keys: bool,
               kept: dict[str, dict[str, tuple]] | None, unbuilt: dict[str, Any]) -> Plan:
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
            except (TypeError, ValueError, RecursionError):  # RecursionError: nested too deep
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
            where = lambda row, label=kind.label, at=at: f"{label} {row[at]}"  # noqa: E731
            cursor = conn.cursor()
            cursor.row_factory = None  # plain tuples: the reader knows each column's place
            # NOT INDEXED: the rows come from the table itself, never from an index of it
            rows = cursor.execute(f"SELECT {cols} FROM [{kind.table}] NOT INDEXED").fetchall()
            own_key = False  # the key field's index: judged after the records are read
            if check_keys:
                unique = _unique_columns(conn, kind.table, names)
                own_key = unique is not None and kind.key in unique and simple_key(kind)
                if ((unique is None or not all(_distinct(rows, names.index(c))
                                               for c in unique if c != kind.key or not own_key))
                        and _table_check(conn, kind.table) != ["ok"]):
                    raise not_a_plan(path, DAMAGED)
            if kept is not None and kind.name in unbuilt:
                plain = codec.plain_columns(kind.cls, rows)
                if plain is not None and len(set(plain[kind.key])) == len(rows):
                    # read exactly, all keys different: what reading them would keep, unbuilt
                    kept[kind.name] = plain
                    unbuilt[kind.name] = _builder(kind, rows, where, collection)
                    continue
            try:
                records, exact = codec.read_table(kind.cls, rows, where)
            except Exception:  # noqa: BLE001 - twin keys are refused first, as they always were
                if own_key and not _distinct(rows, at) and _table_check(conn, kind.table) != ["ok"]:
                    raise not_a_plan(path, DAMAGED) from None
                raise
            collection.update(zip(map(attrgetter(kind.key), records), records))
            # read exactly, each record's key is its stored value: all different if no two
            # records share one
            if (own_key and not (len(collection) == len(rows) if exact else _distinct(rows, at))
                    and _table_check(conn, kind.table) != ["ok"]):
                raise not_a_plan(path, DAMAGED)
            if kept is not None and exact and rows and len(collection) == len(rows):
                kept[kind.name] = codec.stored_columns(kind.cls, rows)
        return plan
    except codec.BadValue as exc:
        raise not_a_plan(path, f"it holds a value that does not fit ({exc}).") from None
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # text SQLite cannot decode
        raise not_a_plan(path, f"the file is damaged ({exc}).") from None


def _builder(kind: Any, rows: list[tuple], where: Any, collection: dict) -> Any:
    """The function ``load_plan(unbuilt=...)`` leaves for a kind whose records it did not build:
    it builds them from ``rows`` (once) and puts them in ``collection``, in the rows' order."""
    def build() -> None:
        if rows and not collection:
            records = codec.read_table(kind.cls, rows, where)[0]
            collection.update(zip(map(attrgetter(kind.key), records), records))
            rows.clear()
    return build


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
