"""What the document and the plan keep between edits to answer quickly (issue 13) is what a look
at every record gives: the next free id of a big collection (``Plan.next_id`` from the keys
removed and added since it last looked) and which uids records carry (the document's count,
kept as records are added and removed, by edits, Undo and Redo)."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_document_properties import apply, operations
from test_next_id_fast import plain_next_id

from planner.document import PlanDocument
from planner.errors import PlanError
from planner.model import Action, Dependency, Plan
from plan_factory import small_plan

KEYS = st.one_of(
    st.integers(0, 400).map(lambda n: f"A{n}"),
    st.integers(0, 400).map(lambda n: f"A{n:04d}"),  # leading zeros
    st.sampled_from(["A", "A-3", "AA12", "A12x", "M12", "A١٢", "A12\n", "Aé", ""]),
    st.integers(0, 9),  # not text
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(1, 120).map(lambda n: f"A{n}"), min_size=65, max_size=120,
                unique=True),
       st.lists(st.tuples(st.sampled_from(["add", "remove", "remove highest", "ask"]), KEYS),
                max_size=40))
def test_the_next_id_kept_between_calls_is_the_one_a_look_at_each_key_gives(first, steps):
    plan = Plan()
    for key in first:
        plan.actions[key] = None
    for what, key in steps:
        keys = plan.actions
        if what == "add":
            keys[key] = None
        elif what == "remove":
            keys.pop(key, None)
        elif what == "remove highest" and keys:
            keys.pop(max(keys, key=lambda k: (str(k).startswith("A") and str(k)[1:].isdigit()
                                              and str(k)[1:].isascii(), len(str(k)), str(k))))
        try:
            expected = plain_next_id(list(keys), "A")
        except ValueError:  # digits int() cannot read: the plain look fails on them too
            continue
        assert plan.next_id("action") == expected


def _counts(coll) -> Counter:
    return Counter(r.uid for r in coll.values())


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operations, max_size=20), st.data())
def test_the_uids_the_document_counts_are_the_ones_records_carry(ops, data):
    """After any operations, refused or not, undone or redone, the uids the document counts
    are the ones its records carry, and a record added with a uid another record carries gets
    a new one (as when every record was looked at)."""
    with tempfile.TemporaryDirectory() as tmp:
        doc = PlanDocument.create(Path(tmp) / "p.rcplan", small_plan())
        try:
            for op in ops:
                try:
                    apply(doc, op)
                except PlanError:
                    pass
                for kind in ("action", "dependency"):
                    coll = doc.plan.collection(kind)
                    kept = doc._uids._kept.get(kind)
                    if kept is not None and kept[0] is coll and kept[1] == len(coll):
                        assert {u: n for u, n in kept[2].items()} == dict(_counts(coll))
            plan = doc.plan
            if plan.actions:
                taken = data.draw(st.sampled_from(sorted(plan.actions.values(),
                                                         key=lambda a: a.id)))
                new_id = plan.next_id("action")
                doc.add("action", Action(new_id, "Copy", uid=taken.uid))
                assert plan.actions[new_id].uid != taken.uid
                assert len(_counts(plan.actions)) == len(plan.actions)
            if len(plan.actions) >= 2:
                a, b = sorted(plan.actions)[:2]
                dep = Dependency(b, a)
                try:
                    doc.add("dependency", dep)
                except PlanError:
                    pass
                else:
                    assert dep.uid in plan.dependencies
        finally:
            doc.close()
