"""The command line's JSON is written exactly as json.dump with indent=2 writes it."""

from __future__ import annotations

import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.cli import write_json
from planner.model import ActionStatus

SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                   st.text(max_size=6), st.sampled_from(list(ActionStatus)))  # a str's subclass
KEY = st.one_of(st.text(max_size=4), st.integers(-5, 5), st.booleans())
JSONISH = st.recursive(SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(KEY, inner, max_size=4)),
                       max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(JSONISH)
def test_write_json_matches_json_dump_indent_2(data):
    out = io.StringIO()
    write_json(data, out)
    expected = io.StringIO()
    json.dump(data, expected, indent=2)
    assert out.getvalue() == expected.getvalue()
