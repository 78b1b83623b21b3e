"""MS Project XML: our export read back by a real reader (MPXJ), our own import, hostile files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date

import pytest

from graph import analyse
from planner.document import PlanDocument
from planner.model import Dependency
from planner.mspdi_read import read_mspdi
from plan_factory import small_plan
from reports.mspdi import export_mspdi

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(*args):
    return subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), *args],
                          capture_output=True, text=True, timeout=120)


def linked_plan():
    """The small plan with a start-to-start link with a lag, holidays and a baseline."""
    plan = small_plan()
    dep = Dependency("A4", "A1", "SS", 3)
    plan.dependencies[dep.uid] = dep
    plan.settings.holidays = [date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 4)]
    plan.milestones["M1"].forecast = date(2026, 6, 8)
    return plan


@pytest.fixture(scope="module")
def mpxj_reader():
    """MPXJ's universal reader, running in Java through JPype (skipped where Java is absent)."""
    if shutil.which("java") is None:
        pytest.skip("Java is not installed (scripts/setup.sh --tests installs it)")
    jpype = pytest.importorskip("jpype")
    pytest.importorskip("mpxj")
    if not jpype.isJVMStarted():
        jpype.startJVM()
    from org.mpxj.reader import UniversalProjectReader  # type: ignore[import-not-found]

    return UniversalProjectReader()


def _day(java_datetime) -> date | None:
    return None if java_datetime is None else date.fromisoformat(str(java_datetime)[:10])


def test_mpxj_reads_our_tasks_links_dates_resources_and_calendar(mpxj_reader, tmp_path):
    plan = linked_plan()
    out = tmp_path / "plan.xml"
    export_mspdi(plan, out)
    project = mpxj_reader.read(str(out))
    tasks = {str(t.getText(1)): t for t in project.getTasks() if t.getText(1) is not None}
    assert set(tasks) == set(plan.actions) | set(plan.milestones)
    rows = analyse(plan).rows
    for a in plan.actions.values():
        t = tasks[a.id]
        assert str(t.getName()) == a.title and not t.getMilestone()
        assert _day(t.getStart()) == rows[a.id].start and _day(t.getFinish()) == rows[a.id].finish
        assert float(t.getDuration().getDuration()) == a.duration
        assert str(t.getDuration().getUnits()) == "d"
    m = tasks["M1"]
    assert m.getMilestone() and _day(m.getFinish()) == date(2026, 6, 8)
    assert _day(m.getBaselineFinish()) == date(2026, 6, 1)
    links = set()
    for t in tasks.values():
        for r in t.getPredecessors():
            lag = r.getLag()
            assert str(lag.getUnits()) == "d"
            links.add((str(r.getPredecessorTask().getText(1)), str(t.getText(1)), str(r.getType()),
                       float(lag.getDuration())))
    want = {(d.needs, d.action, "FS" if d.type == "FS" else "SS", float(d.lag))
            for d in plan.dependencies.values()} | {("A5", "M1", "FS", 0.0)}
    assert links == want
    cal = project.getDefaultCalendar()
    from java.time import LocalDate  # type: ignore[import-not-found]

    for h in plan.settings.holidays:
        assert not cal.isWorkingDate(LocalDate.of(h.year, h.month, h.day))
    assert cal.isWorkingDate(LocalDate.of(2026, 4, 7))
    assert not cal.isWorkingDate(LocalDate.of(2026, 4, 11))  # a Saturday
    assert {str(r.getName()) for r in project.getResources() if r.getName()} == {
        p.name for p in plan.people.values()}
    owners = {(str(a.getTask().getText(1)), str(a.getResource().getName()))
              for a in project.getResourceAssignments()}
    assert owners == {(a.id, plan.people[a.owner].name) for a in plan.actions.values()} | {
        ("M1", "Asha Patel")}


def test_sample_plan_round_trips_through_our_import(doc, tmp_path):
    xml, back = tmp_path / "plan.xml", tmp_path / "back.rcplan"
    r = run("export-mspdi", str(doc.path), str(xml))
    assert r.returncode == 0, r.stderr
    r = run("import-mspdi", str(xml), str(back))
    assert r.returncode == 0, r.stderr
    assert "Not carried across" not in r.stdout
    plan = doc.plan
    with PlanDocument.open(back) as d:
        got = d.plan
    live = {k: a for k, a in plan.actions.items() if a.status != "cancelled"}
    assert set(got.actions) == set(live)
    for k, a in live.items():
        b = got.actions[k]
        assert (b.title, b.duration, b.owner and got.people[b.owner].name, b.uid, b.percent,
                b.not_before, b.deadline) == (
            a.title, a.duration, a.owner and plan.people[a.owner].name, a.uid, a.percent,
            a.not_before, a.deadline)
    assert {(d.action, d.needs, d.type, d.lag) for d in got.dependencies.values()} == {
        (d.action, d.needs, d.type, d.lag) for d in plan.dependencies.values()
        if d.action in live and d.needs in live}
    for k, m in plan.milestones.items():
        assert got.milestones[k].baseline == m.baseline and got.milestones[k].title == m.title
    assert got.settings.holidays == sorted(plan.settings.holidays)


FOREIGN = """<?xml version="1.0"?>
<Project xmlns="http://schemas.microsoft.com/project">
 <Name>Theirs</Name><MinutesPerDay>480</MinutesPerDay><CalendarUID>1</CalendarUID>
 <Calendars><Calendar><UID>1</UID><Name>Std</Name><WeekDays>
  <WeekDay><DayType>7</DayType><DayWorking>1</DayWorking></WeekDay></WeekDays>
  <Exceptions><Exception><TimePeriod><FromDate>2026-12-25T00:00:00</FromDate>
   <ToDate>2026-12-28T23:59:00</ToDate></TimePeriod><Type>1</Type><DayWorking>0</DayWorking>
  </Exception></Exceptions></Calendar></Calendars>
 <Tasks>
  <Task><UID>0</UID><ID>0</ID><Name>Theirs</Name><OutlineLevel>0</OutlineLevel><Summary>1</Summary></Task>
  <Task><UID>1</UID><Name>Phase one</Name><OutlineNumber>1</OutlineNumber><OutlineLevel>1</OutlineLevel><Summary>1</Summary></Task>
  <Task><UID>2</UID><Name>Design</Name><OutlineNumber>1.1</OutlineNumber><OutlineLevel>2</OutlineLevel><Duration>PT24H0M0S</Duration><ConstraintType>1</ConstraintType></Task>
  <Task><UID>3</UID><Name>Build</Name><OutlineNumber>1.2</OutlineNumber><OutlineLevel>2</OutlineLevel><Duration>PT20H0M0S</Duration>
   <PredecessorLink><PredecessorUID>2</PredecessorUID><Type>3</Type><LinkLag>9600</LinkLag><LagFormat>7</LagFormat></PredecessorLink>
   <PredecessorLink><PredecessorUID>2</PredecessorUID><Type>0</Type><LinkLag>0</LinkLag></PredecessorLink></Task>
  <Task><UID>4</UID><Name>Live</Name><OutlineNumber>1.3</OutlineNumber><OutlineLevel>2</OutlineLevel><Milestone>1</Milestone><Duration>PT0H0M0S</Duration><Finish>2027-01-15T17:00:00</Finish>
   <PredecessorLink><PredecessorUID>3</PredecessorUID><Type>1</Type></PredecessorLink>
   <Baseline><Number>0</Number><Finish>2027-01-08T17:00:00</Finish></Baseline></Task>
 </Tasks>
 <Resources><Resource><UID>1</UID><Name>Sam</Name><Type>1</Type></Resource>
  <Resource><UID>2</UID><Name>Bricks</Name><Type>0</Type></Resource>
  <Resource><UID>3</UID><Name>Kim</Name><Type>1</Type></Resource></Resources>
 <Assignments><Assignment><UID>1</UID><TaskUID>3</TaskUID><ResourceUID>1</ResourceUID></Assignment>
  <Assignment><UID>2</UID><TaskUID>3</TaskUID><ResourceUID>3</ResourceUID></Assignment></Assignments>
</Project>"""


def test_import_maps_what_fits_and_lists_what_it_dropped(tmp_path):
    xml = tmp_path / "theirs.xml"
    xml.write_text(FOREIGN)
    result = read_mspdi(xml)
    plan = result.plan
    assert [i.title for i in plan.initiatives.values()] == ["Phase one"]
    by_title = {a.title: a for a in plan.actions.values()}
    assert by_title["Design"].duration == 3 and by_title["Build"].duration == 3  # 2.5 rounded up
    assert by_title["Build"].initiative == "I1"
    assert plan.people[by_title["Build"].owner].name == "Sam"
    [dep] = plan.dependencies.values()
    assert (dep.action, dep.needs, dep.type, dep.lag) == (by_title["Build"].id,
                                                          by_title["Design"].id, "SS", 2)
    [m] = plan.milestones.values()
    assert (m.action, m.forecast, m.baseline) == (by_title["Build"].id, date(2027, 1, 15),
                                                  date(2027, 1, 8))
    assert plan.settings.holidays == [date(2026, 12, 25), date(2026, 12, 28)]
    text = "\n".join(result.dropped)
    for expected in ("rounded up to 3", "as late as possible", "finish-to-finish",
                     "material or cost resource", "extra resource assignment", "weekend working"):
        assert expected in text, expected


HOSTILE = {
    "laughs": '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;'
              '&a;&a;&a;&a;&a;">]><Project xmlns="http://schemas.microsoft.com/project">'
              '<Name>&b;</Name></Project>',
    "external": '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                '<Project><Name>&x;</Name></Project>',
    "not xml": "PK\x03\x04 this is not xml at all",
    "other xml": '<?xml version="1.0"?><html><body>hello</body></html>',
    "cut short": '<?xml version="1.0"?><Project xmlns="http://schemas.microsoft.com/project">'
                 '<Tasks><Task><UID>1</UID><Na',
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_or_foreign_xml_is_refused_and_writes_nothing(tmp_path, name):
    xml, plan = tmp_path / "in.xml", tmp_path / "out.rcplan"
    xml.write_text(HOSTILE[name])
    r = run("import-mspdi", str(xml), str(plan))
    assert r.returncode != 0
    assert "Nothing was imported" in r.stderr and "Traceback" not in r.stderr
    assert not plan.exists()
    assert list(tmp_path.iterdir()) == [xml]
