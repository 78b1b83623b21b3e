"""Turning record fields into SQLite column values and back, checking every value read from a file.

A plan file may come from anyone, so nothing read from it is trusted: each value is checked
against the field's declared type and a wrong one is reported in plain words.
"""

from __future__ import annotations

import dataclasses
import json
import re
import types
import typing
from datetime import date
from itertools import chain
from operator import itemgetter
from typing import Any

from . import limits
from .model import Plan, Settings, field_types


class BadValue(ValueError):
    """A stored value does not fit its field."""


_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Text without the characters that Excel and PowerPoint files cannot hold (XML 1.0).

    Such characters are invisible (stray control codes from a paste, say); the plan never keeps
    them, so every export can write what the plan holds.
    """
    return _NOT_IN_XML.sub("", text) if _NOT_IN_XML.search(text) else text


def _base(tp: Any) -> tuple[Any, bool]:
    """The underlying type of a field and whether it may be None."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0], True
    return tp, False


def column_type(tp: Any) -> type:
    """The SQLite column type (as a Python type for sqlite-utils) of a field type."""
    base, _ = _base(tp)
    if base in (int, bool):
        return int
    if base is float:
        return float
    return str


def encode(value: Any) -> Any:
    """A field value as stored in a column (dates as ISO text, lists as JSON, bools as 0/1)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return json.dumps([encode(v) for v in value])
    if isinstance(value, str):
        return clean_text(value)
    return value


def to_json(value: Any) -> Any:
    """A field value as JSON-friendly data (for the change journal and snapshots)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [to_json(v) for v in value]
    return value


def decode(tp: Any, raw: Any) -> Any:
    """A stored column value (or JSON journal value) back into the field's type; raises BadValue."""
    return decoder(tp)(raw)


def decode_field(name: str, tp: Any, raw: Any) -> Any:
    """``decode`` for the field ``name``, also checking the field's documented range (limits)."""
    value = decoder(tp)(raw)
    problem = limits.value_problem(name, value)
    if problem:
        raise BadValue(problem)
    return value


def decoder(tp: Any):
    """A checking converter for one field type (built once per type and cached)."""
    try:
        return _DECODERS[tp]
    except KeyError:
        fn = _DECODERS[tp] = _make_decoder(tp)
        return fn


_DECODERS: dict[Any, Any] = {}


def _make_decoder(tp: Any):
    base, optional = _base(tp)
    if typing.get_origin(base) is list:
        (item_tp,) = typing.get_args(base)
        item = decoder(item_tp)

        def convert(raw: Any) -> Any:
            items = raw
            if isinstance(raw, str):
                try:
                    items = json.loads(raw)
                except (ValueError, RecursionError) as exc:  # nested too deep for the parser
                    raise BadValue(f"is not a list ({raw[:40]!r})") from exc
            if not isinstance(items, list):
                raise BadValue("is not a list")
            return [item(v) for v in items]
    elif base is bool:
        def convert(raw: Any) -> Any:
            if raw in (0, 1, True, False):
                return bool(raw)
            raise BadValue(f"should be yes or no, not {raw!r}")
    elif base is int:
        def convert(raw: Any) -> Any:
            if type(raw) is int:
                return raw
            if (isinstance(raw, bool) or not isinstance(raw, (int, float))
                    or raw - raw != 0 or int(raw) != raw):  # raw - raw: not inf or NaN
                raise BadValue(f"should be a whole number, not {str(raw)[:40]!r}")
            return int(raw)
    elif base is float:
        def convert(raw: Any) -> Any:
            if isinstance(raw, bool) or not isinstance(raw, (int, float)):
                raise BadValue(f"should be a number, not {str(raw)[:40]!r}")
            if raw != raw or raw in (float("inf"), float("-inf")):
                raise BadValue("is not a finite number")
            return float(raw)
    elif base is date:
        def convert(raw: Any) -> Any:
            if isinstance(raw, date):
                return raw
            try:
                return date.fromisoformat(str(raw))
            except ValueError as exc:
                raise BadValue(f"should be a date, not {str(raw)[:40]!r}") from exc
    elif base is str:
        def convert(raw: Any) -> Any:
            if type(raw) is str:
                return clean_text(raw)
            raise BadValue(f"should be text, not {str(raw)[:40]!r}")
    else:  # pragma: no cover - model types are fixed
        raise TypeError(f"unknown field type {base!r}")

    def checked(raw: Any) -> Any:
        if raw is None or (raw == "" and optional and base is not str):
            if optional:
                return None
            if base is str:
                return ""
            raise BadValue("is missing")
        return convert(raw)

    return checked


def record_to_row(record: Any) -> dict[str, Any]:
    """A record as a dict of column values."""
    return {f.name: encode(getattr(record, f.name)) for f in dataclasses.fields(record)}


def record_to_json(record: Any) -> dict[str, Any]:
    """A record as JSON-friendly data."""
    return {f.name: to_json(getattr(record, f.name)) for f in dataclasses.fields(record)}


def record_from_row(cls: type, row: dict[str, Any], where: str) -> Any:
    """Build a record of ``cls`` from stored values, checking each; ``where`` names it in errors."""
    values = {}
    for name, convert in _record_decoders(cls):
        try:
            values[name] = value = convert(row.get(name))
            problem = limits.value_problem(name, value)
            if problem:
                raise BadValue(problem)
        except BadValue as exc:
            raise BadValue(f"{where}: {name.replace('_', ' ')} {exc}") from None
    return cls(**values)


def _record_decoders(cls: type) -> list:
    found = _RECORD_DECODERS.get(cls)
    if found is None:
        found = _RECORD_DECODERS[cls] = [(n, decoder(t)) for n, t in field_types(cls).items()]
    return found


_RECORD_DECODERS: dict[type, list] = {}



def _range_line(v: str, type_name: str, low: object, high: object, optional: bool,
                slow: str) -> str:
    """Generated line: send ``v`` to the full converter unless it is a ``type_name`` in range."""
    test = f"type({v}) is not {type_name} or not {low!r} <= {v} <= {high!r}"
    if optional:
        test = f"{v} is not None and ({test})"
    return f"    if {test}: {slow}"

def row_reader(cls: type, columns: list[str], where: Any, *, search: bool = True):
    """A function turning one stored row (a tuple in ``columns`` order) into a checked record.

    It gives exactly what ``record_from_row`` gives, value for value and error for error, but
    is generated once per record class with each field's common case checked inline (text that
    is text and holds no invisible characters, whole numbers that are ints, dates and lists seen
    before); anything else goes through the field's full checking converter. ``where(row)``
    names the record in error messages. Opening a 20,000-action plan decodes about 800,000
    values, so the per-value call of the generic converter was most of the cost (issue 13).
    """
    types_ = field_types(cls)
    fields_ = [f for f in dataclasses.fields(cls)]
    positional = (all(f.init and not f.kw_only for f in fields_)
                  and [f.name for f in fields_] == list(types_))
    env: dict[str, Any] = {"cls": cls, "_search": _NOT_IN_XML.search, "_where": where,
                           "_dates": {}, "_lists": {}, "_list": list}
    lines = ["def read(row):"]
    names = []
    for i, name in enumerate(types_):
        if name not in columns:
            continue
        j = columns.index(name)
        tp = types_[name]
        full = decoder(tp)
        env[f"_slow{i}"] = _slow_path(full, name, where)
        v = f"v{i}"
        names.append((name, v))
        lines.append(f"    {v} = row[{j}]")
        base, optional = _base(tp)
        slow = f"{v} = _slow{i}({v}, row)"
        # the fast paths also keep inside the field's documented range (planner/limits.py)
        days = name in limits.WORKING_DAY_FIELDS
        if base is str:
            lines.append(f"    if type({v}) is not str or len({v}) > {limits.MAX_TEXT}"
                         + (f" or _search({v})" if search else "") + f": {slow}")
        elif base is int:
            bound = limits.MAX_WORKING_DAYS if days else limits.MAX_WHOLE
            lines.append(_range_line(v, "int", -bound, bound, optional, slow))
        elif base is bool:
            lines.append(f"    if {v} == 1 and type({v}) is not str: {v} = True")
            lines.append(f"    elif {v} == 0 and type({v}) is not str: {v} = False")
            lines.append(f"    else: {slow}")
        elif base is float:
            low, high = (0, limits.MAX_WORKING_DAYS) if days else (-limits.MAX_NUMBER,
                                                                  limits.MAX_NUMBER)
            lines.append(_range_line(v, "float", low, high, optional, slow))
        elif base is date:
            # decoded dates are remembered by their text (a plan repeats few dates)
            lines.append(f"    if {v} is not None or not {optional}:")
            lines.append(f"        d = _dates.get({v}) if type({v}) is str else None")
            lines.append("        if d is None:")
            lines.append(f"            d = _slow{i}({v}, row)")
            lines.append(f"            if d is not None and type({v}) is str: _dates[{v}] = d")
            lines.append(f"        {v} = d")
        elif typing.get_origin(base) is list:
            # the same JSON text decodes to an equal list; each record gets its own copy
            cache = f"_lists{i}"
            env[cache] = {}
            lines.append(f"    t = {cache}.get({v}) if type({v}) is str else None")
            lines.append("    if t is None:")
            lines.append(f"        t = _slow{i}({v}, row)")
            lines.append(f"        if t is not None and type({v}) is str and len({cache}) < 4096:")
            lines.append(f"            {cache}[{v}] = _list(t)")
            lines.append(f"        {v} = t")
            lines.append(f"    else: {v} = _list(t)")
        else:  # pragma: no cover - model types are fixed
            lines.append(f"    {slow}")
    for name in types_:  # a field without a column is decoded from "no value", as before
        if name not in columns:
            i = list(types_).index(name)
            env[f"_slow{i}"] = _slow_path(decoder(types_[name]), name, where)
            names.append((name, f"_slow{i}(None, row)"))
    order = dict(names)
    if positional and len(order) == len(types_):
        args = ", ".join(order[n] for n in types_)
    else:
        args = ", ".join(f"{n}={v}" for n, v in names)
    lines.append(f"    return cls({args})")
    exec("\n".join(lines), env)  # noqa: S102 - code built from the model's own field names
    return env["read"]


def records_from_rows(cls: type, columns: list[str], rows: list[tuple], where: Any) -> list:
    """Checked records from stored rows (tuples in ``columns`` order), in row order.

    Exactly what ``row_reader`` gives row by row, value for value and error for error, with
    one check of all the text for invisible characters instead of a search per text value (a
    20,000-action plan holds about 470,000 of them; issue 13): the rows are read without that
    search, then all their text is searched at once, and only if some text holds such a
    character (which ``row_reader`` removes) are the rows read again with the search.
    When ``columns`` are the record's fields in order, this is ``read_table``.
    """
    types_ = field_types(cls)
    if columns == list(types_):
        return read_table(cls, rows, where)[0]
    records = list(map(row_reader(cls, columns, where, search=False), rows))
    at = [j for j, name in enumerate(columns)
          if name in types_ and _base(types_[name])[0] is str]
    if records and at:
        # every text value read is str or None here: anything else was refused above
        values = (map(itemgetter(at[0]), rows) if len(at) == 1
                  else chain.from_iterable(map(itemgetter(*at), rows)))
        if has_invisible("\n".join(filter(None, values))):
            records = list(map(row_reader(cls, columns, where), rows))
    return records


def stored_columns(cls: type, rows: list[tuple]) -> dict[str, tuple]:
    """Each text or whole-number field of records of ``cls`` read exactly from ``rows`` (tuples
    of every field in order, one per record), as a column of their values in the rows' order:
    one C-level pass over the rows instead of an attribute look-up per record and field
    (issue 13). Those are the very values the records hold (``read_table``'s exact read)."""
    return {name: column for (name, tp), column in zip(field_types(cls).items(), zip(*rows))
            if _base(tp)[0] in (str, int)}


def plain_columns(cls: type, rows: list[tuple]) -> dict[str, tuple] | None:
    """``stored_columns(cls, rows)`` when ``read_table(cls, rows, ...)`` would read every row
    exactly (``read_table``'s second answer), told without building a record; None otherwise
    (issue 13). The rows are checked by ``table_reader``'s own loop without its records: every
    row in the common case and no text holding an invisible character."""
    if len(rows) < _SMALL_TABLE or not rows:
        return None
    if not table_reader(cls, None, build=False)(rows):
        return None
    return stored_columns(cls, rows)


def read_table(cls: type, rows: list[tuple], where: Any) -> tuple[list, bool]:
    """``records_from_rows`` for rows holding every field of ``cls`` in order, read by
    ``table_reader``; also whether the read was exact: every row read in the common case and
    no text changed, so that each text or whole-number field holds the stored value itself."""
    if len(rows) < _SMALL_TABLE:  # not worth generating code for (none is made for none)
        names = list(field_types(cls))
        return [record_from_row(cls, dict(zip(names, row)), where(row)) for row in rows], False
    records, invisible, plain_rows = table_reader(cls, where)(rows)
    if invisible:
        return list(map(row_reader(cls, list(field_types(cls)), where), rows)), False
    return records, not plain_rows


_SMALL_TABLE = 32
_TEXT_CHUNK = 512
"""Rows whose text ``table_reader`` searches for invisible characters at once: the text of a
few hundred rows at a time, not of the whole table (which was several MB, made and searched
once; issue 13)."""


class _Plain(Exception):
    """A row the table reader hands to the plain row reader."""


_BOOLS = {0: False, 1: True}  # 1.0 and True find True too, as ``== 1`` does in ``row_reader``
_MAX_CACHED = 4096  # distinct texts of a list field remembered per table


def table_reader(cls: type, where: Any, *, build: bool = True):
    """A function reading a whole table's rows (tuples, one column per field, in field order):
    ``read(rows)`` gives the checked records, whether the text of their text fields holds an
    invisible character (searched ``_TEXT_CHUNK`` rows at a time, as ``records_from_rows``
    searches all of it) and how many rows were read the plain way.

    ``build=False``: the same loop checking the rows without making their records (issue 13):
    ``read(rows)`` is True when every row is in the common case (so ``build=True`` would read
    none the plain way) and no text holds an invisible character, else False.

    The records are exactly those of ``row_reader(cls, fields, where, search=False)`` row by row:
    a row is read by one generated loop (no function call per row) when every value is in the
    common case, checked inline: all text fields are text, joined in one call (which refuses
    anything else) and together no longer than one text may be; whole numbers are ints and
    numbers floats inside their range; yes/no values are 0 or 1; dates and lists are texts whose
    value was worked out once per table, before the loop, by the field's full converter. Any
    other row goes to ``row_reader``, which gives the record or the error it always gave, so a
    file is refused with the same message, naming the same first bad row and field.
    """
    types_ = field_types(cls)
    names = list(types_)
    fields_ = dataclasses.fields(cls)
    positional = (all(f.init and not f.kw_only for f in fields_)
                  and [f.name for f in fields_] == names)
    plain: list = []  # the row reader, made for the first row that needs it
    texts_at = [j for j, n in enumerate(names) if _base(types_[n])[0] is str]
    text_of = (itemgetter(*texts_at) if len(texts_at) > 1
               else (lambda row: (row[texts_at[0]],)) if texts_at else (lambda row: ()))

    def fallback(row: tuple, text: Any) -> Any:
        if not plain:
            plain.append(row_reader(cls, names, where, search=False))
        record = plain[0](row)
        # read: every text field held text or nothing
        text("".join(filter(None, text_of(row))))
        return record

    env: dict[str, Any] = {"cls": cls, "_join": "".join, "_list": list, "_B": _BOOLS,
                           "_Plain": _Plain, "_fallback": fallback, "_chunk": _TEXT_CHUNK,
                           "_invisible": has_invisible}
    unpack = ", ".join(f"c{j}" for j in range(len(names)))
    head = ["def read(rows, caches):"]
    lines = (["    out = []", "    append = out.append", "    texts = []",
              "    text = texts.append", "    plain = 0", "    invisible = False"] if build
             else ["    texts = []", "    text = texts.append"])
    body = []
    cached = []  # (j, optional, is_list) of fields read through a table-wide cache
    for j, name in enumerate(names):
        base, optional = _base(types_[name])
        c = f"c{j}"
        days = name in limits.WORKING_DAY_FIELDS
        if base is str:
            continue  # joined below
        if base is int:
            bound = limits.MAX_WORKING_DAYS if days else limits.MAX_WHOLE
            test = f"type({c}) is not int or not {-bound} <= {c} <= {bound}"
        elif base is float:
            low, high = (0, limits.MAX_WORKING_DAYS) if days else (-limits.MAX_NUMBER,
                                                                  limits.MAX_NUMBER)
            test = f"type({c}) is not float or not {low!r} <= {c} <= {high!r}"
        elif base is bool:
            body.append(f"            {c} = _B[{c}]")
            continue
        elif base is date or typing.get_origin(base) is list:
            is_list = base is not date
            cached.append((j, optional, is_list))
            env[f"_check{j}"] = _checked(decoder(types_[name]), name)
            lines.append(f"    _k{j} = caches[{len(cached) - 1}]")
            body.append(f"            {c} = _list(_k{j}[{c}])" if is_list
                        else f"            {c} = _k{j}[{c}]")
            continue
        else:  # pragma: no cover - model types are fixed
            raise TypeError(f"unknown field type {base!r}")
        if optional:
            test = f"{c} is not None and ({test})"
        body.append(f"            if {test}: raise _Plain")
    joined = ", ".join(f"c{j}" if not _base(types_[names[j]])[1]
                       else f"(c{j} if c{j} is not None else '')" for j in texts_at)
    body.insert(0, f"            s = _join(({joined},))" if texts_at else "            s = ''")
    body.insert(1, f"            if len(s) > {limits.MAX_TEXT}: raise _Plain")
    args = ", ".join(f"c{j}" if positional else f"{n}=c{j}" for j, n in enumerate(names))
    inner = ["    for row in rows[at:at + _chunk]:",
             "        try:",
             f"            {unpack}, = row",
             *body,
             "        except (_Plain, TypeError, KeyError, ValueError):",
             *(["            append(_fallback(row, text))",
                "            plain += 1",
                "            continue"] if build else ["            return False"]),
             "        text(s)",
             *([f"        append(cls({args}))"] if build else [])]
    lines += ["    for at in range(0, len(rows), _chunk):",
              *("    " + line for line in inner),
              *(["        if texts and not invisible: invisible = _invisible(_join(texts))",
                 "        texts.clear()",
                 "    return out, invisible, plain"] if build
                else ["        if texts and _invisible(_join(texts)): return False",
                      "        texts.clear()",
                      "    return True"])]
    exec("\n".join(head + lines), env)  # noqa: S102 - code built from the model's own field names
    loop = env["read"]

    def read(rows: list[tuple]) -> Any:
        return loop(rows, [_table_cache(rows, j, optional, is_list, env[f"_check{j}"])
                           for j, optional, is_list in cached])

    return read


def _table_cache(rows: list[tuple], j: int, optional: bool, is_list: bool,
                 convert: Any) -> dict[Any, Any]:
    """The converted value of each distinct text of column ``j`` that converts without a
    problem (with None for an optional field's None); other values are left out, so a row
    holding one goes to the plain reader, which reports it."""
    cache: dict[Any, Any] = {None: None} if optional else {}
    try:
        distinct = set(map(itemgetter(j), rows))
    except TypeError:  # an unhashable value (not from SQLite): every row the plain way
        return cache
    for raw in distinct:
        if type(raw) is not str:
            continue
        if is_list and len(cache) >= _MAX_CACHED:
            break
        try:
            cache[raw] = convert(raw)
        except Exception:  # noqa: BLE001 - the plain reader meets it in its row, as before
            pass
    return cache


_VISIBLE_BYTES = bytes(range(0x20, 0x100)) + b"\t\n\r"


def has_invisible(text: str) -> bool:
    """Whether ``text`` holds a character ``clean_text`` removes (``_NOT_IN_XML``).

    The same answer as a search with that pattern, in one C-level pass over the UTF-8 bytes
    instead of the regular expression's slower scan (a big plan's text is several MB): every
    byte of a character outside ASCII is 0x80 or above, so the ASCII control characters are the
    bytes left after deleting the rest, and U+FFFE / U+FFFF have one UTF-8 form each.
    Surrogates have no UTF-8 form: text holding one goes to the pattern.
    """
    if text.isascii():  # known without a look (Python keeps it); no U+FFFE / U+FFFF then
        return bool(text.encode("ascii").translate(None, _VISIBLE_BYTES))
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return _NOT_IN_XML.search(text) is not None
    return bool(data.translate(None, _VISIBLE_BYTES)
                or b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data)


def _checked(convert: Any, name: str):
    """The full converter and range check for one field."""
    def check(raw: Any) -> Any:
        value = convert(raw)
        problem = limits.value_problem(name, value)
        if problem:
            raise BadValue(problem)
        return value
    return check


def _slow_path(convert: Any, name: str, where: Any):
    """The full converter and range check for one field, with the record named in errors."""
    check = _checked(convert, name)

    def slow(raw: Any, row: Any) -> Any:
        try:
            return check(raw)
        except BadValue as exc:
            raise BadValue(f"{where(row)}: {name.replace('_', ' ')} {exc}") from None
    return slow


def settings_from_items(items: dict[str, Any]) -> Settings:
    """Plan settings from stored key/JSON-value pairs; unknown keys are ignored."""
    values = {}
    for name, tp in field_types(Settings).items():
        if name in items:
            try:
                values[name] = decode_field(name, tp, items[name])
            except BadValue as exc:
                raise BadValue(f"plan setting {name.replace('_', ' ')} {exc}") from None
    return Settings(**values)


def plan_to_json(plan: "Plan") -> dict[str, Any]:
    """A whole plan as JSON-friendly data (for snapshots)."""
    from .model import KINDS

    data: dict[str, Any] = {"settings": record_to_json(plan.settings)}
    for kind in KINDS.values():
        data[kind.table] = [record_to_json(r) for r in plan.collection(kind.name).values()]
    return data


def plan_from_json(data: dict[str, Any]) -> "Plan":
    """A plan back from ``plan_to_json`` data; raises BadValue if anything does not fit."""
    from .model import KINDS, Plan

    plan = Plan(settings=settings_from_items(data.get("settings", {})))
    for kind in KINDS.values():
        collection = plan.collection(kind.name)
        for row in data.get(kind.table, []):
            rec = record_from_row(kind.cls, row, f"{kind.label} {row.get(kind.key)}")
            collection[getattr(rec, kind.key)] = rec
    return plan
