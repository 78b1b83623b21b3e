"""``validate`` on the command line reads the links and checks every stored value, but builds
the links' records only when a check needs them one by one (issue 13): the links' columns
serve the link rules, the longest chain and the practice checks. Checked here against the plan
read with its links' records, on plans with every kind of problem: ``validate`` prints the same
lines and exits the same way.
"""

from __future__ import annotations

import io
import tempfile
from datetime import date
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, assume, given, settings

from planner import cli, codec
from planner.cli import open_plan, run_validate
from planner.document import PlanDocument
from planner.domain_checks import domain_messages
from planner.model import (
    Action, Dependency, Initiative, Measure, Milestone, Person, Plan, ten_challenges,
)
from planner.validate import future_actuals, plan_warnings, validate_plan

from tests.planner.test_validate_fast import plans


def _built(path: Path) -> list[str]:
    """What ``validate`` lists, from the plan read with every record built and each check
    asked of the records alone."""
    with open_plan(str(path)) as doc:
        plan = doc.plan
        return (validate_plan(plan) + future_actuals(plan) + plan_warnings(plan)
                + domain_messages(plan))


def _printed(problems: list[str], path: Path) -> tuple[int, str]:
    """``run_validate``'s exit code and output for ``problems``, as it has always worded them."""
    if not problems:
        return 0, f"'{path}': no problems found.\n"
    return 1, (f"'{path}': {len(problems)} problem{'s' if len(problems) != 1 else ''} found:\n"
               + "".join(f"  - {p}\n" for p in problems))


def _validate(path: Path) -> tuple[int, str]:
    out = io.StringIO()
    code = run_validate(str(path), out)
    return code, out.getvalue()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_validate_prints_what_the_plan_read_with_its_links_gives(plan):
    # every table read by the generated reader, as a big plan's are (so links can stay unbuilt)
    with tempfile.TemporaryDirectory(prefix="validate-unbuilt-") as folder, \
            mock.patch.object(codec, "_SMALL_TABLE", 0):
        path = Path(folder) / "p.rcplan"
        try:
            PlanDocument.create(path, plan, overwrite=True).close()
            expected = _built(path)
        except Exception:  # noqa: BLE001 - refused on the way in or out: nothing to compare
            assume(False)
        assert _validate(path) == _printed(expected, path)


def _chain_plan(n: int = 40) -> Plan:
    """A sound plan of ``n`` actions, each waiting for the one before."""
    plan = Plan(challenges=ten_challenges())
    plan.settings.as_of = date(2027, 1, 4)
    plan.people = {"P1": Person("P1", "Asha")}
    for i in range(1, n + 1):
        plan.actions[f"A{i}"] = Action(f"A{i}", f"Step {i}", owner="P1", challenges=[1 + i % 10])
    for i in range(2, n + 1):
        d = Dependency(f"A{i}", f"A{i - 1}")
        plan.dependencies[d.uid] = d
    return plan


def _file(plan: Plan, folder: Path) -> Path:
    path = folder / "p.rcplan"
    PlanDocument.create(path, plan, overwrite=True).close()
    return path


def test_sound_links_are_read_and_checked_without_their_records(tmp_path):
    path = _file(_chain_plan(), tmp_path)
    columns: dict = {}
    unbuilt: dict = {"dependency": None}
    with open_plan(str(path), columns=columns, unbuilt=unbuilt) as doc:
        assert doc.plan.dependencies == {} and callable(unbuilt["dependency"])
        assert len(columns["dependency"]["uid"]) == 39
        assert validate_plan(doc.plan, read=True, columns=columns,
                             unbuilt_links=unbuilt["dependency"]) == []
        assert doc.plan.dependencies == {}  # nothing needed them one by one
        unbuilt["dependency"]()
        with open_plan(str(path)) as read:
            assert doc.plan == read.plan
    assert _validate(path) == _printed(_built(path), path)


def _broken_plan() -> Plan:
    """Every kind of problem ``validate`` lists, at once."""
    plan = _chain_plan()
    plan.settings.end = date(2027, 6, 30)
    plan.people["P2"] = Person("P2", " asha ")  # two people with one name
    plan.initiatives["I1"] = Initiative("I1", "", owner="P9", challenges=[12])
    a = plan.actions
    a["A3"].title = " "
    a["A4"].owner = "P7"
    a["A5"].status = "finished"
    a["A6"].percent = 120
    a["A7"].actual_start, a["A7"].actual_finish = date(2027, 3, 1), date(2027, 2, 1)
    a["A8"].actual_finish = date(2027, 5, 1)  # after the status date
    a["A9"].tag = "peer-hire"  # and no action makes HR ready
    a["A10"].duration = 2000
    a["A11"].phase = 0
    extra = [Dependency("A2", "A1"), Dependency("A12", "A12"), Dependency("A13", "A99"),
             Dependency("A14", "A2", type="XX"), Dependency("A15", "A3", lag=-2),
             Dependency("A1", "A40")]  # a twin pair, itself, unknown, bad type, negative lag, a loop
    for d in extra:
        plan.dependencies[d.uid] = d
    plan.milestones["M1"] = Milestone("M1", "Late", action="A2", baseline=date(2028, 1, 1))
    plan.measures["OM1"] = Measure("OM1", "People trained so far", challenges=[1])
    return plan


def test_a_broken_plan_prints_what_it_always_printed(tmp_path):
    path = _file(_broken_plan(), tmp_path)
    expected = _built(path)
    assert len(expected) > 15
    assert _validate(path) == _printed(expected, path)
    assert any("loop" in p for p in expected) and any("twice" in p for p in expected)


def test_each_link_problem_alone_builds_the_links_and_is_listed(tmp_path):
    for extra in ([Dependency("A2", "A1")], [Dependency("A12", "A12")],
                  [Dependency("A13", "A99")], [Dependency("A14", "A2", type="XX")],
                  [Dependency("A15", "A3", lag=-2)], [Dependency("A1", "A40")]):
        plan = _chain_plan()
        for d in extra:
            plan.dependencies[d.uid] = d
        path = _file(plan, tmp_path)
        expected = _built(path)
        assert expected, extra
        with mock.patch.object(cli, "keep_until_exit", None):
            assert _validate(path) == _printed(expected, path)


def test_a_chain_too_long_is_listed_from_the_columns(tmp_path):
    plan = _chain_plan()
    for action in plan.actions.values():
        action.duration = 1500  # 40 x 1,500 working days: beyond what a plan can schedule
    path = _file(plan, tmp_path)
    expected = _built(path)
    assert any("longest chain" in p for p in expected)
    assert _validate(path) == _printed(expected, path)
