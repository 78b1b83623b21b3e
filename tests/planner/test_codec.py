"""The fast row reader used when opening a plan gives exactly what the checking converters give."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from planner import codec
from planner.model import KINDS, field_types

RAW = st.one_of(st.none(), st.integers(-3, 3), st.booleans(), st.floats(allow_nan=True),
                st.sampled_from([2000, 2001, -2001, 10**6, 10**6 + 1, -10**6 - 1, 1e15, 2e15,
                                 2000.5, "1989-12-31", "2200-12-31", "2201-01-01",
                                 "x" * 32_000, "y" * 32_001, "[" + "1," * 1000 + "1]"]),
                st.sampled_from(["", "0", "1", "2027-01-04", "2027-13-01", "[]", "[1, 2]",
                                 '["a"]', "[1.5]", "{}", "x\x01y", "plain text", "12",
                                 "20270104"]),
                st.text(max_size=8), st.binary(max_size=3))


def _expected(cls, names, row):
    try:
        return "ok", codec.record_from_row(cls, dict(zip(names, row)), f"X {row[0]}")
    except codec.BadValue as exc:
        return "bad", str(exc)


def _actual(read, row):
    try:
        return "ok", read(row)
    except codec.BadValue as exc:
        return "bad", str(exc)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(KINDS)), st.data())
def test_row_reader_matches_the_checking_converters(kind, data):
    cls = KINDS[kind].cls
    names = list(field_types(cls))
    read = codec.row_reader(cls, names, lambda row: f"X {row[0]}")
    for _ in range(3):  # a reader remembers dates and lists it has seen: read a few rows
        row = tuple(data.draw(RAW) for _ in names)
        expected, actual = _expected(cls, names, row), _actual(read, row)
        assert expected == actual
        if expected[0] == "ok":
            for name in names:  # equal values of the same type (True is not 1, lists are copies)
                assert type(getattr(actual[1], name)) is type(getattr(expected[1], name))
                if isinstance(getattr(actual[1], name), list):
                    assert getattr(actual[1], name) is not getattr(read(row), name)


def test_an_infinite_whole_number_is_a_bad_value_not_a_crash():
    import pytest

    for raw in (float("inf"), float("-inf"), float("nan")):
        with pytest.raises(codec.BadValue):
            codec.decode(int, raw)
