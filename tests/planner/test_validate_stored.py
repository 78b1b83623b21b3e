"""``validate`` reads whole columns of the actions' and links' text and whole-number fields from
the rows the plan was read from (``storage.load_plan(columns=...)``, ``codec.stored_columns``)
instead of from each record (issue 13): checked here against reading them from the records."""

from __future__ import annotations

import tempfile
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from planner import codec
from planner.cli import open_plan
from planner.document import PlanDocument
from planner.domain_checks import domain_warnings
from planner.validate import plan_warnings, validate_plan

from tests.planner.test_validate_fast import plans


RULE_TAGS = ["", "co-delivered-course", "peer-tutor-training", "peer-hire", "hr-readiness",
             "form-change", "staff-training", "ips-fidelity-review", "employment-specialists"]
"""Tags the practice rules pair up (so that they look along the links)."""


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans(), st.data())
def test_the_stored_columns_give_what_the_records_give(plan, data):
    for action in plan.actions.values():
        if data.draw(st.booleans()):
            action.tag = data.draw(st.sampled_from(RULE_TAGS))
    # every table read by the generated reader, as a big plan's are (so that rows are kept)
    with tempfile.TemporaryDirectory(prefix="validate-stored-") as folder, \
            mock.patch.object(codec, "_SMALL_TABLE", 0):
        path = Path(folder) / "p.rcplan"
        columns: dict = {}
        try:
            PlanDocument.create(path, plan, overwrite=True).close()
            doc = open_plan(str(path), columns=columns)
        except Exception:  # noqa: BLE001 - refused on the way in or out: nothing to compare
            assume(False)
        with doc:
            read = doc.plan
            assert "action" in columns
            for kind, fields in columns.items():
                records = list(read.collection(kind).values())
                for name, column in fields.items():
                    assert len(column) == len(records)
                    assert all(v is getattr(r, name) for v, r in zip(column, records))
            assert (validate_plan(read, read=True, columns=columns)
                    == validate_plan(read, read=True) == validate_plan(read))
            assert plan_warnings(read, columns=columns) == plan_warnings(read)
            assert domain_warnings(read, columns=columns) == domain_warnings(read)
