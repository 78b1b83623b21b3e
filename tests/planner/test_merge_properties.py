"""Property: two copies edited apart merge into the union of their non-conflicting edits."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from planner import codec
from planner.document import PlanDocument
from planner.errors import PlanError
from planner.merge import MergeRefused, merge_copy
from planner.model import Action, Dependency
from plan_factory import small_plan

BASE_ACTIONS = ["A1", "A2", "A3", "A4", "A5"]

edit = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(["A6", "A7", "A8"]), st.text("abc ", min_size=1,
                                                                          max_size=6)),
    st.tuples(st.just("duration"), st.sampled_from(BASE_ACTIONS), st.integers(1, 4)),
    st.tuples(st.just("notes"), st.sampled_from(BASE_ACTIONS), st.sampled_from(["x", "y", ""])),
    st.tuples(st.just("delete"), st.sampled_from(BASE_ACTIONS + ["A6"]), st.none()),
    st.tuples(st.just("link"), st.sampled_from(BASE_ACTIONS + ["A6", "A7"]),
              st.sampled_from(BASE_ACTIONS + ["A6"])),
)


def apply(doc: PlanDocument, edits, tag: str) -> None:
    """Make the edits that the plan accepts (a refused one is simply not made)."""
    for op, target, value in edits:
        try:
            if op == "add":
                doc.add("action", Action(target, f"{tag} {value}", owner="P1"))
            elif op == "duration":
                doc.update("action", target, duration=value)
            elif op == "notes":
                doc.update("action", target, notes=f"{tag}:{value}")
            elif op == "delete":
                doc.delete("action", target)
            elif op == "link":
                doc.add("dependency", Dependency(target, value))
        except PlanError:
            pass


def content(plan) -> dict:
    """The plan's records, whatever order they sit in."""
    data = codec.plan_to_json(plan)
    return {k: sorted(v, key=lambda r: r["uid"]) if isinstance(v, list) else v
            for k, v in data.items()}


def by_uid(plan) -> dict[str, tuple[str, dict]]:
    out = {}
    for kind in ("action", "dependency"):
        for rec in plan.collection(kind).values():
            data = codec.record_to_json(rec)
            if kind == "dependency":  # links compare by the identities of their two actions
                uid_of = {a.id: a.uid for a in plan.actions.values()}
                data = {"type": rec.type, "lag": rec.lag, "action": uid_of.get(rec.action),
                        "needs": uid_of.get(rec.needs)}
            elif kind == "action":
                data.pop("id")
            out[rec.uid] = (kind, data)
    return out


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mine_edits=st.lists(edit, max_size=6), theirs_edits=st.lists(edit, max_size=6))
@example(mine_edits=[("delete", "A3", None)],  # a link arrives to an action removed here
         theirs_edits=[("delete", "A1", None), ("link", "A3", "A4")])
def test_merge_keeps_every_edit_or_reports_it(mine_edits, theirs_edits):
    with tempfile.TemporaryDirectory() as tmp:
        mine = PlanDocument.create(Path(tmp) / "mine.rcplan", small_plan())
        try:
            base = by_uid(mine.plan)
            theirs_path = mine.save_copy(Path(tmp) / "theirs.rcplan")
            with PlanDocument.open(theirs_path) as theirs:
                apply(theirs, theirs_edits, "theirs")
                theirs_state = by_uid(theirs.plan)
            apply(mine, mine_edits, "mine")
            mine_state = by_uid(mine.plan)
            content_before = content(mine.plan)
            try:
                report = merge_copy(mine, theirs_path)
            except MergeRefused as exc:
                event("refused whole")
                assert "refused" in str(exc)
                assert content(mine.plan) == content_before  # refused whole
                return
            merged = by_uid(mine.plan)
            event(f"conflicts: {min(len(report.conflicts), 2)}+")
            if report.renamed:
                event("an incoming ID was taken")
            conflicted = {c.uid for c in report.conflicts}
            conflicted_fields = {(c.uid, c.field) for c in report.conflicts}
            links_here = {(d["action"], d["needs"]) for k, d in merged.values()
                          if k == "dependency"}
            for uid, (kind, rec) in theirs_state.items():
                if uid not in base:  # added there: here now, unless a duplicate link
                    if kind == "dependency" and (rec["action"], rec["needs"]) in links_here:
                        continue
                    assert uid in merged or uid in conflicted, (kind, rec)
                    if uid in merged and kind == "action":
                        assert merged[uid][1]["title"] == rec["title"]
                    continue
                for f, v in rec.items():  # changed there: applied, or reported
                    if base[uid][1].get(f) != v:
                        assert (uid in merged and merged[uid][1].get(f) == v) or (
                            uid, f) in conflicted_fields or uid in conflicted, (uid, f)
            for uid, (kind, rec) in base.items():
                if uid not in theirs_state and uid in mine_state:  # removed there
                    assert uid not in merged or uid in conflicted or any(
                        c.uid == uid for c in report.conflicts), uid
            for uid, (kind, rec) in mine_state.items():  # my own edits are never lost
                if uid in merged:
                    for f, v in rec.items():
                        if uid in base and base[uid][1].get(f) != v and kind == "action":
                            assert merged[uid][1].get(f) == v or (uid, f) in conflicted_fields
                else:
                    # gone only if the other copy removed it and nothing here still needed it
                    assert uid in base and uid not in theirs_state, (kind, rec)
            again = content(mine.plan)
            merge_copy(mine, theirs_path)
            assert content(mine.plan) == again  # merging again changes nothing
        finally:
            mine.close()
