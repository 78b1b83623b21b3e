"""Opening a plan quickly refuses and reads exactly what the plain checks refuse and read (issue 13).

The fast paths: all of a table's text searched for invisible characters at once
(``codec.records_from_rows``, ``codec.has_invisible``), and the quick file check of a read-only
open, with the record tables' unique keys checked from the rows read (``storage.check_file``
with ``quick``, ``storage.load_plan`` with ``check_keys``).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import typing
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner import codec, storage
from planner.document import PlanDocument
from planner.errors import NotAPlanError, ReadOnlyPlan
from planner.model import KINDS, field_types
from plan_factory import small_plan

ROOT = Path(__file__).resolve().parent.parent.parent

INVISIBLE = "\x00\x01\x08\x0b\x0c\x0e\x1f\ufffe\uffff\ud800\udfff"
TEXT = st.text(alphabet=st.sampled_from("aZ 7-\t\n\r\x7f\x80é–€😀\ufffd" + INVISIBLE),
               max_size=12)
RAW = st.one_of(st.none(), st.integers(-3, 3), st.floats(allow_nan=True),
                st.sampled_from([2000, -2001, 10**6 + 1, 1e15, 2e15, 2000.5, "1989-12-31",
                                 "2027-01-04", "2201-01-01", "x" * 32_001, "", "[]", "[1, 2]",
                                 '["a\x01"]', "[1.5]", "12", "20270104"]),
                TEXT, st.binary(max_size=3))


@settings(max_examples=500, deadline=None)
@given(st.one_of(TEXT, st.text()))
def test_has_invisible_is_the_search(text):
    assert codec.has_invisible(text) == (codec._NOT_IN_XML.search(text) is not None)


def _plain(cls, names, rows):
    """Row by row with the per-value search: the reading the fast path must equal."""
    read = codec.row_reader(cls, names, lambda row: f"X {row[0]}")
    try:
        return "ok", [read(row) for row in rows]
    except codec.BadValue as exc:
        return "bad", str(exc)


def _fast(cls, names, rows):
    try:
        return "ok", codec.records_from_rows(cls, names, rows, lambda row: f"X {row[0]}")
    except codec.BadValue as exc:
        return "bad", str(exc)


def _plausible(tp, data):
    """A value that usually fits ``tp`` (so that whole tables often read), else anything."""
    base, _ = codec._base(tp)
    if data.draw(st.integers(0, 4)) == 0:
        return data.draw(RAW)
    if base is str:
        return data.draw(_TEXT_OR_NONE)
    if base in (int, bool):
        return data.draw(st.integers(0, 1))
    if base is float:
        return data.draw(st.floats(-10, 10))
    return data.draw(_OTHER_PLAUSIBLE)


# made once, not for every value drawn (see _FITTING below)
_TEXT_OR_NONE = st.one_of(TEXT, st.none())
_OTHER_PLAUSIBLE = st.sampled_from([None, "2027-01-04", "[]", "[1, 2]", '["A1"]'])


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(sorted(KINDS)), st.data())
def test_records_from_rows_read_what_the_row_reader_reads(kind, data):
    cls = KINDS[kind].cls
    types_ = field_types(cls)
    names = list(types_)
    rows = [tuple(_plausible(types_[n], data) for n in names)
            for _ in range(data.draw(st.integers(0, 4)))]
    expected, actual = _plain(cls, names, rows), _fast(cls, names, rows)
    assert actual == expected
    if expected[0] == "ok":
        for a, e in zip(actual[1], expected[1]):
            for name in names:  # the same types too (True is not 1)
                assert type(getattr(a, name)) is type(getattr(e, name))


# ----- the quick file check of a read-only open --------------------------------------------

@pytest.fixture
def plan_file(tmp_path):
    path = tmp_path / "plan.rcplan"
    PlanDocument.create(path, small_plan()).close()
    return path


def _unique_index_holding_twins(path, table, column, values_sql):
    """Give two rows of ``table`` the same ``column`` and put a UNIQUE index over it anyway
    (written into the schema by hand, as a hostile or damaged file could hold)."""
    conn = sqlite3.connect(path)
    conn.executescript(values_sql)
    conn.execute(f"CREATE INDEX twins ON [{table}] ([{column}])")
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(f"UPDATE sqlite_master SET sql = 'CREATE UNIQUE INDEX twins ON [{table}] "
                 f"([{column}])' WHERE name = 'twins'")
    conn.commit()
    conn.close()
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA integrity_check").fetchall() != [("ok",)]
    assert check.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    check.close()


def _refusal(path, readonly):
    with pytest.raises(NotAPlanError) as err:
        PlanDocument.open(path, readonly=readonly).close()
    return str(err.value)


@pytest.mark.parametrize("table, column, change", [
    ("actions", "title", "UPDATE actions SET title = 'Same' WHERE id IN ('A1', 'A2');"),
    ("dependencies", "action", "UPDATE dependencies SET action = 'A5';"),
    ("journal_groups", "who", "INSERT INTO journal_groups (grp, who, label, step) "
                              "SELECT 2, who, 'x', 'other' FROM journal_groups;"),
    ("people", "capacity", "UPDATE people SET capacity = 3;"),
], ids=["record text", "record link", "journal", "record number"])
def test_a_unique_index_holding_twins_is_refused_read_only_as_for_editing(plan_file, table,
                                                                          column, change):
    _unique_index_holding_twins(plan_file, table, column, change)
    editing = _refusal(plan_file, readonly=False)
    assert "the file is damaged" in editing
    assert _refusal(plan_file, readonly=True) == editing


def test_validate_and_info_refuse_such_a_file(plan_file):
    _unique_index_holding_twins(plan_file, "actions", "title",
                                "UPDATE actions SET title = 'Same' WHERE id IN ('A1', 'A2');")
    for command in ("validate", "info"):
        r = subprocess.run([sys.executable, str(ROOT / "main.py"), command, str(plan_file)],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode != 0 and "the file is damaged" in r.stderr + r.stdout
        assert "Traceback" not in r.stderr


def test_distinct_keys_open_read_only_without_sqlites_table_check(plan_file, monkeypatch):
    calls = []
    real = storage._table_check
    monkeypatch.setattr(storage, "_table_check",
                        lambda conn, table: calls.append(table) or real(conn, table))
    with PlanDocument.open(plan_file, readonly=True) as doc:
        assert len(doc.plan.actions) == 5
    assert not set(calls) & storage.PLAN_TABLES  # the record tables' keys settled from rows
    assert "journal_groups" in calls  # the other tables have SQLite's full check


def _index_of_another_column(path, version=None):
    """Make an index of the actions table list another column's values (quick_check passes,
    integrity_check does not)."""
    conn = sqlite3.connect(path)
    conn.execute("UPDATE actions SET notes = 'n' || id")
    conn.execute("CREATE INDEX skewed ON actions (title)")
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX skewed ON actions (notes)' "
                 "WHERE name = 'skewed'")
    if version is not None:
        conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


def test_a_skewed_record_index_is_not_read_by_a_read_only_open(plan_file):
    _index_of_another_column(plan_file)
    assert "the file is damaged" in _refusal(plan_file, readonly=False)
    with PlanDocument.open(plan_file, readonly=True) as doc:  # rows come from the table
        assert [a.title for a in doc.plan.actions.values()] == [
            a.title for a in small_plan().actions.values()]
        with pytest.raises(ReadOnlyPlan):
            doc.update("action", "A1", title="Changed")  # and nothing is ever written


def test_an_older_file_read_only_has_the_full_check(plan_file):
    _index_of_another_column(plan_file, version=storage.SCHEMA_VERSION - 1)
    assert "the file is damaged" in _refusal(plan_file, readonly=True)


# ----- the table reader: one generated loop over a whole table (issue 13) -------------------

# a small pool, so that rows repeat dates, lists and keys; texts near the length limit, whose
# sum in one row is over it; values of every stored type in every field
POOL = st.one_of(
    st.sampled_from([None, 0, 1, -1, 1.0, 0.0, -0.0, 2, 2000, -2000, 2001, 10**6, 10**6 + 1,
                     1e15, 2e15, float("inf"), 2000.5, 3.5, "", "A1", "A2", "P1", "FS",
                     "2027-01-04", "2027-01-05", "1989-12-31", "2201-01-01", "20270104",
                     "[]", "[1, 2]", "[3]", '["A1"]', '["2027-01-04"]', "[1.5]", "[[1]]", "{}",
                     "[" + "1," * 1000 + "1]", "x" * 16_001, "y" * 32_000, "z" * 32_001,
                     "a\x01b", "é–€😀", b"", b"A1"]),
    TEXT)


# The strategies are made once: a strategy made anew for every value drawn cost hypothesis more
# than the readers under test (validated and measured each time), for the same values.
_QUARTER = st.integers(0, 3)
_FITTING = {
    str: st.one_of(st.sampled_from(["", "A1", "A2", "FS", "y" * 16_000]),
                   st.text(alphabet="aZ 7-\té–€😀", max_size=6)),
    bool: st.sampled_from([0, 1]),
    int: st.integers(-3, 2000),
    float: st.floats(-2000, 2000),
    date: st.sampled_from(["2027-01-04", "2027-01-05", "2030-06-30"]),
    # a list, stored as JSON text
    list[int]: st.sampled_from(["[]", "[1, 2]", "[3]"]),
    list[date]: st.sampled_from(["[]", '["2027-01-04"]']),
    list[str]: st.sampled_from(["[]", '["A1"]', '["Engagement"]']),
}


def _fitting(tp):
    """Values that fit ``tp`` (text short or near the limit, dates and lists that repeat), None
    one time in four where the field may be empty."""
    base, optional = codec._base(tp)
    if not optional:
        return _FITTING[base]
    return st.tuples(_QUARTER, _FITTING[base]).map(lambda q: None if q[0] == 0 else q[1])


_ROWS: dict = {}


def _fitting_rows(types_, names):
    """Rows whose every value fits its field (one strategy per kind of record, made once)."""
    key = tuple((n, types_[n]) for n in names)
    if key not in _ROWS:
        _ROWS[key] = st.tuples(*(_fitting(types_[n]) for n in names)).map(list)
    return _ROWS[key]


NEAR_MISSES = {  # values a field of that type must not take as they are
    str: [None, 1, 1.5, b"x", "z" * 32_001, "a\x01b", "\ufffe"],
    bool: [2, -1, 1.0, 0.0, True, "1", "true", None, b"\x01"],
    int: [2001, -2001, 10**6 + 1, -10**6 - 1, 3.5, 2.0, "3", None, b""],
    float: [1, 0, -1.0, 2000.5, 2e15, float("inf"), float("-inf"), "1.5", None],
    date: ["", None, "2027-13-01", "1989-12-31", "2201-01-01", "20270104", 20270104, b""],
    list: ["", None, "[1.5]", "{}", "[[1]]", '["x"]', "[" + "1," * 1000 + "1]", 5, "[1"],
}
_NEAR_MISSES = {tp: st.sampled_from(values) for tp, values in NEAR_MISSES.items()}
_HOW_MANY_MISSES = st.sampled_from([0, 1, 1, 2])


def _table_rows(types_, names, data):
    """Rows that fit, with now and then a value that does not in a field of a type drawn first
    (so that every type's near misses come up), or any value in any field."""
    fitting = _fitting_rows(types_, names)
    rows = [data.draw(fitting) for _ in range(data.draw(st.integers(0, 8)))]
    by_type: dict = {}
    for j, n in enumerate(names):
        base = codec._base(types_[n])[0]
        by_type.setdefault(typing.get_origin(base) or base, []).append(j)
    for _ in range(data.draw(_HOW_MANY_MISSES) if rows else 0):
        row = data.draw(st.sampled_from(rows))
        tp = data.draw(st.sampled_from(sorted(by_type, key=str)))
        j = data.draw(st.sampled_from(by_type[tp]))
        row[j] = data.draw(_NEAR_MISSES[tp] if data.draw(_QUARTER) else POOL)
    return [tuple(row) for row in rows]


def _read_table(cls, rows, small):
    """``codec.read_table``, with the generated table reader for tables of ``small`` rows and
    more: ("ok", records) or ("bad", message), and whether it read exactly."""
    saved, codec._SMALL_TABLE = codec._SMALL_TABLE, small
    try:
        records, exact = codec.read_table(cls, rows, lambda row: f"X {row[0]}")
        return ("ok", records), exact
    except codec.BadValue as exc:
        return ("bad", str(exc)), False
    finally:
        codec._SMALL_TABLE = saved


@settings(max_examples=800, deadline=None)
@given(st.sampled_from(sorted(KINDS)), st.data())
def test_the_table_reader_reads_what_the_row_reader_reads(kind, data):
    cls = KINDS[kind].cls
    types_ = field_types(cls)
    names = list(types_)
    rows = _table_rows(types_, names, data)
    expected = _plain(cls, names, rows)
    for small in (0, 10**9):  # generated code for a table of any size, and for none
        actual, exact = _read_table(cls, rows, small)
        assert actual == expected
    whole = _read_table(cls, rows, 0)
    for chunk in (1, 3):  # text searched for invisible characters a few rows at a time
        with mock.patch.object(codec, "_TEXT_CHUNK", chunk):
            assert _read_table(cls, rows, 0) == whole
    actual, exact = _read_table(cls, rows, 0)
    if expected[0] == "ok":
        for a, e in zip(actual[1], expected[1]):
            for name in names:  # the same types too (True is not 1), lists each its own
                assert type(getattr(a, name)) is type(getattr(e, name))
        lists = [id(v) for r in actual[1] for v in map(r.__getattribute__, names)
                 if isinstance(v, list)]
        assert len(lists) == len(set(lists))
        if exact:  # each text or whole-number field holds the stored value itself
            for row, record in zip(rows, actual[1]):
                for j, name in enumerate(names):
                    if codec._base(types_[name])[0] in (str, int):
                        assert getattr(record, name) is row[j]


@settings(max_examples=800, deadline=None)
@given(st.sampled_from(sorted(KINDS)), st.data())
def test_plain_columns_are_there_exactly_when_the_table_reads_exactly(kind, data):
    """``codec.plain_columns`` (the table reader's checks without its records, which lets
    ``validate`` leave the links unbuilt) says what reading the table says: the stored columns
    when it reads every row exactly, nothing when a row is refused or read the plain way."""
    cls = KINDS[kind].cls
    types_ = field_types(cls)
    rows = _table_rows(types_, list(types_), data)
    (outcome, _records), exact = _read_table(cls, rows, 0)
    for chunk in (1, 3, codec._TEXT_CHUNK):
        with mock.patch.object(codec, "_SMALL_TABLE", 0), \
                mock.patch.object(codec, "_TEXT_CHUNK", chunk):
            plain = codec.plain_columns(cls, rows)
        if outcome == "ok" and exact and rows:
            assert plain == codec.stored_columns(cls, rows)
        else:
            assert plain is None
    assert codec.plain_columns(cls, rows) is None  # a small table: read, never left unbuilt


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(KINDS)), st.data())
def test_an_exact_read_tells_twin_keys_as_the_stored_values_do(kind, data):
    """``load_plan``'s key check of an exactly read table (records keyed by their key field,
    as many as the rows) says what the stored values say (``storage._distinct``)."""
    k = KINDS[kind]
    types_ = field_types(k.cls)
    names = list(types_)
    at = names.index(k.key)
    keys = st.sampled_from([0, 1, 2, "A1", "A2", "b"]) if data.draw(st.booleans()) else POOL
    rows = []
    for row in _table_rows(types_, names, data):
        row = list(row)
        row[at] = data.draw(keys)
        rows.append(tuple(row))
    (outcome, records), exact = _read_table(k.cls, rows, 0)
    if exact:
        collection = dict(zip((getattr(r, k.key) for r in records), records))
        assert (len(collection) == len(rows)) == storage._distinct(rows, at)


# ----- a read-only open checks the copy it reads (issue 13) --------------------------------

_PLAN_BYTES: list[bytes] = []


def _plan_bytes(tmp: Path) -> bytes:
    """The bytes of a small plan file (made once)."""
    if not _PLAN_BYTES:
        path = tmp / "made.rcplan"
        PlanDocument.create(path, small_plan()).close()
        _PLAN_BYTES.append(path.read_bytes())
        path.unlink()
    return _PLAN_BYTES[0]


def _outcome(run):
    try:
        return "ok", run()
    except (NotAPlanError, storage.NewerVersionError) as exc:
        return type(exc).__name__, str(exc)


def _check_then_copy(path):
    """What a read-only open did before: check the file, then copy it into memory."""
    version = storage.check_file(path, quick=True)
    conn = storage.read_only_copy(path)
    try:
        return version, _plan_outcome(conn, path, version)
    finally:
        conn.close()


def _copy_then_check(path):
    version, conn = storage.checked_copy(path)
    try:
        return version, _plan_outcome(conn, path, version)
    finally:
        conn.close()


def _plan_outcome(conn, path, version):
    if version != storage.SCHEMA_VERSION:
        return "older"
    return _outcome(lambda: codec.plan_to_json(storage.load_plan(conn, path, check_keys=True)))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.integers(0, 99), st.integers(0, 159_743)),
                          st.integers(0, 255)), max_size=3),
       st.one_of(st.none(), st.integers(0, 159_743)))
def test_checking_the_copy_refuses_what_checking_the_file_refused(changes, cut):
    """Changed bytes (in the header or anywhere) and files cut short: the same refusal, in the
    same words, or the same plan."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        data = bytearray(_plan_bytes(Path(tmp)))
        for offset, value in changes:
            if offset < len(data):
                data[offset] = value
        if cut is not None:
            del data[cut:]
        path = Path(tmp) / "plan.rcplan"
        path.write_bytes(bytes(data))
        assert _outcome(lambda: _copy_then_check(path)) == _outcome(lambda: _check_then_copy(path))


@pytest.mark.parametrize("table, column", [("actions", "challenges"), ("settings", "value")])
@pytest.mark.parametrize("readonly", [True, False])
def test_a_list_nested_too_deep_is_refused_not_a_crash(plan_file, table, column, readonly):
    """JSON nested deeper than Python's parser goes (a hostile file) is a value that does not
    fit, or a damaged setting: refused in words, never "Something went wrong"."""
    deep = "[" * 100_000 + "]" * 100_000
    conn = sqlite3.connect(plan_file)
    conn.execute(f"UPDATE [{table}] SET [{column}] = ?", (deep,))
    conn.commit()
    conn.close()
    said = _refusal(plan_file, readonly=readonly)
    assert "does not fit" in said or "is damaged" in said
