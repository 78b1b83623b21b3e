"""The board deck read back with python-pptx: titles, tables, charts, shapes, snapshots, errors."""

from __future__ import annotations

import random
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE, MSO_SHAPE_TYPE
from pptx.oxml.ns import qn

from planner import spc
from planner.document import PlanDocument
from planner.errors import PlanError
from reports import ExportOptions, Summary, TemplateError, build_deck, export_deck
from reports.charts import SERIES_MEAN, SERIES_UPPER, SERIES_VALUE
from planner.model import Milestone, Plan

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_plans" / "northmoor.rcplan"


# ----- helpers --------------------------------------------------------------------------------------

def titles(prs) -> list[str]:
    return [s.shapes.title.text_frame.text if s.shapes.title is not None else None
            for s in prs.slides]


def tables(slide):
    return [sh.table for sh in slide.shapes if sh.has_table]


def table_rows(table) -> list[list[str]]:
    return [[c.text_frame.text for c in row.cells] for row in table.rows]


def slides_titled(prs, prefix: str):
    return [s for s in prs.slides if s.shapes.title.text_frame.text.startswith(prefix)]


def all_shapes(shapes):
    for sh in shapes:
        yield sh
        if sh.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from all_shapes(sh.shapes)


def alt_text(shape) -> str:
    el = shape._element.find(".//" + qn("p:cNvPr"))
    return el.get("descr", "") if el is not None else ""


def big_milestone_plan(n_milestones: int = 500, seed: int = 3) -> Plan:
    """A generated plan with ``n_milestones`` milestones, most forecast late (long tables)."""
    from bench.gen_plans import make_plan
    plan = make_plan(300, 500, seed)
    rng = random.Random(seed)
    ids = list(plan.actions)
    plan.milestones.clear()
    start = plan.settings.start
    plan.settings.end = start + timedelta(days=900)
    for i in range(1, n_milestones + 1):
        mid = f"M{i}"
        plan.milestones[mid] = Milestone(
            mid, f"Milestone {i}: {rng.choice(['agree', 'launch', 'review'])} the "
                 f"{rng.choice(['peer role framework', 'college prospectus', 'safety plan audit'])}",
            action=rng.choice(ids), baseline=start + timedelta(days=rng.randrange(5, 200)),
            comment=rng.choice(["", "Waiting on the commissioners' decision and a budget line "
                                    "for the second year of the programme."]))
    plan.settings.as_of = start + timedelta(days=30)
    return plan


@pytest.fixture(scope="module")
def sample_export(tmp_path_factory):
    """The sample plan exported twice: a report compared with the September board's snapshot
    the sample keeps, then one compared with the first (marked presented, so stored)."""
    d = tmp_path_factory.mktemp("deck")
    plan_path = d / "northmoor.rcplan"
    shutil.copy(SAMPLE, plan_path)
    with PlanDocument.open(plan_path) as doc:
        first = export_deck(doc, ExportOptions(output=d / "first.pptx", store_snapshot=True))
        doc.update_settings(as_of=date(2026, 12, 20))  # actuals are never after the status date
        doc.update("milestone", "M8", actual=date(2026, 11, 25), status="achieved")
        second = export_deck(doc, ExportOptions(output=d / "second.pptx",
                                                as_of=date(2026, 12, 20), store_snapshot=True))
        snaps = doc.snapshots()
    return d, first, second, snaps


# ----- the sample plan's deck ------------------------------------------------------------------------

def test_every_slide_has_a_real_title_and_notes(sample_export):
    d, first, _, _ = sample_export
    prs = Presentation(d / "first.pptx")
    ts = titles(prs)
    assert all(t for t in ts), ts
    assert [e.title for e in first.outline] == ts
    for s in prs.slides:
        assert s.has_notes_slide and s.notes_slide.notes_text_frame.text.strip()
    wanted = ["Cover sheet", "Executive summary", "The ten challenges: stage and RAG",
              "Milestones since the last report", "Milestones slipped", "Timeline by challenge",
              "Outcome measures at a glance", "Outcome measures (SPC charts)",
              "Co-production and the recovery checks", "You said, we did",
              "Risks", "Decisions required from the board",
              "Appendix: actions by owner", "Appendix: RAG definitions", "Appendix: data notes"]
    for w in wanted:
        assert w in ts


def test_nothing_runs_off_the_slide(sample_export):
    d, *_ = sample_export
    prs = Presentation(d / "first.pptx")
    W, H = prs.slide_width, prs.slide_height
    for n, s in enumerate(prs.slides, 1):
        for sh in s.shapes:
            if sh.left is None:
                continue
            assert sh.left >= 0 and sh.top >= 0, (n, sh.name)
            assert sh.left + sh.width <= W and sh.top + sh.height <= H, (n, sh.name)


def test_cover_sheet_and_summary(sample_export):
    d, first, _, _ = sample_export
    prs = Presentation(d / "first.pptx")
    cover = prs.slides[0]
    assert "Northmoor" in cover.shapes.title.text_frame.text
    sheet = slides_titled(prs, "Cover sheet")[0]
    rows = dict((r[0], r[1]) for r in table_rows(tables(sheet)[0])[1:])
    assert rows["Purpose"] == "Assurance"
    assert rows["Level of assurance"] == "Limited"
    assert rows["Recommendation"].startswith("The Board is asked")
    assert rows["Previous report"] == "4 Sep 2026"  # the September board's stored snapshot
    for item in ("Executive lead", "Author", "Previously considered by",
                 "Equality, quality and legal impact", "Lived-experience involvement"):
        assert item in rows, item
    summary = slides_titled(prs, "Executive summary")[0]
    texts = " ".join(sh.text_frame.text for sh in summary.shapes if sh.has_text_frame)
    assert "milestones are behind their baseline on" in texts
    assert "recovery college" in texts and "transforming the workforce" in texts
    assert "Agree recurrent funding" in texts
    assert first.drafted == []  # the sample plan keeps the lead's text for all four


def test_challenges_table(sample_export):
    d, *_ = sample_export
    prs = Presentation(d / "first.pptx")
    s = slides_titled(prs, "The ten challenges")[0]
    rows = table_rows(tables(s)[0])
    assert rows[0][:3] == ["#", "Challenge", "Stage now"]
    assert [r[0] for r in rows[1:]] == [str(n) for n in range(1, 11)]
    assert all(r[6] in ("Red", "Amber", "Green", "Grey") for r in rows[1:])
    # RAG at the September report beside RAG now (the sample keeps that report's snapshot)
    assert all(r[5] in ("Red", "Amber", "Green", "Grey") for r in rows[1:])
    assert all(r[7] for r in rows[1:])  # a one-line reason on every row


def test_second_report_compares_with_the_snapshot(sample_export):
    d, first, second, snaps = sample_export
    assert first.previous_as_of == date(2026, 9, 4)  # the September board's snapshot
    assert len(snaps) == 3 and first.snapshot_uid == snaps[1].uid
    assert "as of 2026-11-20" in snaps[1].label
    assert second.previous_as_of == date(2026, 11, 20)
    prs = Presentation(d / "second.pptx")
    s = slides_titled(prs, "The ten challenges")[0]
    rows = table_rows(tables(s)[0])
    assert all(r[5] in ("Red", "Amber", "Green", "Grey") for r in rows[1:])
    ms = slides_titled(prs, "Milestones since the last report")[0]
    achieved = [r for t in tables(ms) for r in table_rows(t)]
    assert any(r[0] == "M8" for r in achieved)
    status = [sh.text_frame.text for sh in ms.shapes if sh.name == "Status line"][0]
    assert "Previous report 20 Nov 2026" in status and "20 Dec 2026" in status


def test_spc_charts_are_native_with_the_readings(sample_export):
    d, *_ = sample_export
    prs = Presentation(d / "first.pptx")
    with PlanDocument.open(d / "northmoor.rcplan", readonly=True) as doc:
        plan = doc.plan
    charts = [sh for s in slides_titled(prs, "Outcome measures (SPC") for sh in s.shapes if sh.has_chart]
    assert len(charts) == len(plan.measures)
    for gf in charts:
        mid = gf.name.split()[-1]
        chart = gf.chart
        assert chart.chart_type in (XL_CHART_TYPE.LINE, XL_CHART_TYPE.LINE_MARKERS)  # a line chart
        series = {s.name: list(s.values) for s in chart.plots[0].series}
        readings = [r.value for r in plan.readings_of(mid)]
        assert series[SERIES_VALUE] == pytest.approx(readings)
        r = spc.measure_xmr(plan, plan.measures[mid])  # with the measure's own rebase dates
        assert series[SERIES_MEAN] == pytest.approx([p.mean for p in r.points], abs=1e-3)
        if r.kind == "run":  # a cumulative measure: a run chart, no process limits
            assert SERIES_UPPER not in series
        else:
            assert series[SERIES_UPPER][-1] == pytest.approx(r.upper, abs=1e-3)
        assert ("Run chart of" if r.kind == "run" else "SPC chart of") in alt_text(gf)
        assert "no target set" not in alt_text(gf) or plan.measures[mid].target is None
        assert chart.part.chart_workbook.xlsx_part is not None  # "Edit Data" works
    # restraint (lower is better) fell when the ward programme began: the chart starts new,
    # lower limits at that known change (the sample re-bases it there)
    m = next(m for m in plan.measures.values() if m.name.startswith("Restrictive"))
    restraint = [gf for gf in charts if gf.name.endswith(f" {m.id}")][0]
    series = {s.name: list(s.values) for s in restraint.chart.plots[0].series}
    assert m.spc_rebase and "Target" in series
    means = [v for v in series[SERIES_MEAN] if v is not None]
    assert means[-1] < means[0] - 1  # a lower centre line after the change


def test_variation_and_assurance_icons_and_headers_agree_with_the_points(sample_export):
    d, *_ = sample_export
    prs = Presentation(d / "first.pptx")
    with PlanDocument.open(d / "northmoor.rcplan", readonly=True) as doc:
        plan = doc.plan
    s = slides_titled(prs, "Outcome measures (SPC")[0]
    labels = {sh.name.split()[-1]: sh.text_frame.text for sh in s.shapes
              if sh.name.startswith("Variation label")}
    assert len(labels) == 4
    icons = [sh for sh in s.shapes if sh.name.startswith(("Variation icon", "Assurance icon"))]
    assert len(icons) == 8 and all(sh.auto_shape_type == MSO_SHAPE.OVAL for sh in icons)
    for mid, text in labels.items():
        r = spc.measure_xmr(plan, plan.measures[mid])
        assert text.startswith(("Latest point: ", "Run chart", "Too few"))
        if r.variation == "common" and r.special_points("improvement") + r.special_points("concern"):
            assert "earlier point" in text  # never "common cause" alone over special-cause dots
        # chart titles use the window's measure IDs
        chart = next(sh.chart for sh in s.shapes if sh.has_chart and sh.name.endswith(mid))
        assert chart.chart_title.text_frame.text.startswith(f"{mid} ")
    # the summary table: one row per measure with both icons
    summary = slides_titled(prs, "Outcome measures at a glance")
    ids = {sh.name.split()[-1] for sl in summary for sh in sl.shapes
           if sh.name.startswith("Variation icon")}
    assert ids == set(plan.measures)


def test_timeline_is_native_shapes(sample_export):
    d, *_ = sample_export
    prs = Presentation(d / "first.pptx")
    s = slides_titled(prs, "Timeline")[0]
    group = [sh for sh in s.shapes if sh.name == "Timeline"][0]
    assert group.shape_type == MSO_SHAPE_TYPE.GROUP
    names = [sh.name for sh in group.shapes]
    assert sum(1 for n in names if n.startswith("Lane C")) == 10
    assert sum(1 for n in names if n.endswith(" work bar")) == 10
    assert "As-of line" in names
    assert sum(1 for n in names if n.endswith(" milestone")) >= 5
    assert any(n.endswith(" baseline") for n in names)
    assert "Timeline from" in alt_text(group)
    # the whole plan is shown and nothing runs past the slide's right edge
    right = prs.slide_width
    for sh in all_shapes(group.shapes):
        assert sh.left + sh.width <= right, sh.name
    with PlanDocument.open(d / "northmoor.rcplan", readonly=True) as doc:
        end = doc.plan.settings.end
    assert f"{end:%b %Y}" in alt_text(group) or str(end.year) in alt_text(group)


def test_risks_sorted_by_score(sample_export):
    d, *_ = sample_export
    prs = Presentation(d / "first.pptx")
    table = table_rows(tables(slides_titled(prs, "Risks")[0])[0])
    assert table[0][2:5] == ["Current score", "Target", "Since last report"]
    rows = table[1:]
    scores = [int(r[2].split()[0]) for r in rows]
    assert scores == sorted(scores, reverse=True) and len(rows) == 5
    # against the September report: recruitment risk raised, college funding risk lowered
    moved = {r[0]: r[4] for r in rows}
    assert moved["R1"] == "Up from 12" and moved["R2"] == "Down from 16"
    assert all(moved[r] == "No change" for r in ("R3", "R4", "R5"))
    second = Presentation(d / "second.pptx")
    moves = [r[4] for r in table_rows(tables(slides_titled(second, "Risks")[0])[0])[1:]]
    assert all(m == "No change" or m.startswith(("Up from", "Down from", "New")) for m in moves)


def test_bad_template_writes_nothing(tmp_path):
    plan_path = tmp_path / "p.rcplan"
    shutil.copy(SAMPLE, plan_path)
    bad = tmp_path / "bad.pptx"
    bad.write_text("this is not a presentation")
    out = tmp_path / "deck.pptx"
    with PlanDocument.open(plan_path) as doc:
        with pytest.raises(TemplateError, match="not a PowerPoint"):
            before = doc.snapshots()
            export_deck(doc, ExportOptions(output=out, template=bad, store_snapshot=True))
        assert doc.snapshots() == before
    assert not out.exists()
    assert not list(tmp_path.glob("*.tmp"))
    fake = tmp_path / "fake.pptx"
    import zipfile
    with zipfile.ZipFile(fake, "w") as z:
        z.writestr("hello.txt", "a zip, but not a presentation")
    with PlanDocument.open(plan_path) as doc:
        with pytest.raises(PlanError, match="could not be opened"):
            export_deck(doc, ExportOptions(output=out, template=fake))
    with PlanDocument.open(plan_path) as doc:
        with pytest.raises(PlanError, match="not found"):
            export_deck(doc, ExportOptions(output=out, template=tmp_path / "missing.pptx"))
        with pytest.raises(PlanError, match="No snapshot matches"):
            export_deck(doc, ExportOptions(output=out, since="nothing-like-this"))
    assert not out.exists()


def test_edited_summary_is_kept_for_next_time(tmp_path):
    plan_path = tmp_path / "p.rcplan"
    shutil.copy(SAMPLE, plan_path)
    edited = Summary("Yes, mostly.", "Two milestones met.", "Open the college.",
                     "Approve the budget.")
    with PlanDocument.open(plan_path) as doc:
        report = export_deck(doc, ExportOptions(output=tmp_path / "d.pptx", summary=edited))
        assert doc.plan.settings.summary_decisions == "Approve the budget."
    assert report.summary == edited
    with PlanDocument.open(plan_path) as doc:
        assert doc.plan.settings.summary_on_track == "Yes, mostly."
    prs = Presentation(tmp_path / "d.pptx")
    texts = " ".join(sh.text_frame.text for sh in slides_titled(prs, "Decisions")[0].shapes
                     if sh.has_text_frame)
    assert "Approve the budget." in texts


def test_command_line(tmp_path, capsys):
    from reports.cli import run_export
    import io
    plan_path = tmp_path / "p.rcplan"
    shutil.copy(SAMPLE, plan_path)
    out = io.StringIO()
    assert run_export(str(plan_path), str(tmp_path / "x.pptx"), None, date(2026, 11, 30), None,
                      out) == 0
    text = out.getvalue()
    assert "Template:" in text and "layout 'Title Only'" in text and "x.pptx" in text
    assert "Slides:" in text and "Executive summary" in text
    assert (tmp_path / "x.pptx").exists()


# ----- a plan with 500 milestones: continuation slides ------------------------------------------------

@pytest.fixture(scope="module")
def big_deck():
    plan = big_milestone_plan()
    prs, report = build_deck(plan, ExportOptions(output="unused.pptx"))
    return plan, prs, report


def test_long_tables_continue_and_lose_no_rows(big_deck):
    plan, prs, report = big_deck
    slipped = slides_titled(prs, "Milestones slipped")
    assert len(slipped) > 3
    assert slipped[0].shapes.title.text_frame.text == "Milestones slipped"
    assert all(s.shapes.title.text_frame.text == "Milestones slipped (continued)" for s in slipped[1:])
    ids = [r[0] for s in slipped for t in tables(s) for r in table_rows(t)[1:]]
    from reports import facts
    sched = facts.schedule(plan, plan.settings.as_of)
    late = [m for m in plan.milestones.values() if sched.milestones[m.id].slip_days > 0]
    assert len(ids) == len(set(ids)) == len(late)
    W, H = prs.slide_width, prs.slide_height
    for s in prs.slides:
        assert s.shapes.title.text_frame.text
        for sh in s.shapes:
            assert sh.top + sh.height <= H and sh.left + sh.width <= W


def test_timeline_caps_diamonds_per_lane(big_deck):
    plan, prs, report = big_deck
    s = slides_titled(prs, "Timeline")[0]
    group = [sh for sh in s.shapes if sh.name == "Timeline"][0]
    diamonds = [sh for sh in group.shapes if sh.name.endswith(" milestone")]
    assert 0 < len(diamonds) <= 10 * 10
    assert any(sh.name.endswith("more milestones") for sh in group.shapes)


# ----- awkward plans ---------------------------------------------------------------------------------

def test_empty_plan_still_makes_a_complete_deck():
    from planner.model import ten_challenges
    plan = Plan(challenges=ten_challenges())
    plan.settings.name = "Empty plan"
    plan.settings.as_of = date(2026, 5, 1)
    seen = []
    prs, report = build_deck(plan, ExportOptions(output="x.pptx"),
                             progress=lambda share, msg: seen.append(share))
    ts = titles(prs)
    assert all(ts) and "Timeline by challenge" in ts and "Outcome measures (SPC charts)" in ts
    assert seen == sorted(seen) and seen[0] == 0.0
    s = slides_titled(prs, "The ten challenges")[0]
    assert all(r[6] == "Grey" for r in table_rows(tables(s)[0])[1:])
    assert "Not yet started" in report.summary.on_track
    assert set(report.drafted) == {"on_track", "changed", "next", "decisions"}


def test_plan_with_a_loop_falls_back_to_plan_dates():
    from planner.model import Action, Dependency, ten_challenges
    plan = Plan(challenges=ten_challenges())
    plan.settings.as_of = plan.settings.start = date(2026, 1, 5)
    plan.actions = {"A1": Action("A1", "One", challenges=[1]), "A2": Action("A2", "Two", challenges=[1])}
    for a, b in [("A1", "A2"), ("A2", "A1")]:
        d = Dependency(a, b)
        plan.dependencies[d.uid] = d
    plan.milestones["M1"] = Milestone("M1", "Done", action="A2", baseline=date(2026, 1, 2),
                                      forecast=date(2026, 2, 2))
    prs, report = build_deck(plan, ExportOptions(output="x.pptx"))
    assert report.schedule_source == "plan dates"
    assert any("could not be worked out" in n for n in report.notes)
    slipped = slides_titled(prs, "Milestones slipped")[0]
    assert table_rows(tables(slipped)[0])[1][0] == "M1"


def test_measures_with_few_or_no_readings_and_no_direction():
    from planner.model import Measure, Reading, ten_challenges
    plan = Plan(challenges=ten_challenges())
    plan.settings.as_of = date(2026, 5, 1)
    plan.measures = {"OM1": Measure("OM1", "No readings"),
                     "OM2": Measure("OM2", "One reading", direction="sideways"),
                     "OM3": Measure("OM3", "Three readings", target=5)}
    for mid, values in [("OM2", [3]), ("OM3", [1, 2, 3])]:
        for k, v in enumerate(values):
            r = Reading(mid, date(2026, 1 + k, 1), v)
            plan.readings[r.uid] = r
    prs, report = build_deck(plan, ExportOptions(output="x.pptx"))
    s = slides_titled(prs, "Outcome measures (SPC")[0]
    charts = [sh for sh in s.shapes if sh.has_chart]
    assert len(charts) == 2  # no chart without readings; a note instead
    assert any(sh.name == "No readings OM1" for sh in s.shapes)
    notes = s.notes_slide.notes_text_frame.text
    assert "provisional" in notes


def test_status_line_is_read_last():
    plan = big_milestone_plan(20)
    prs, _ = build_deck(plan, ExportOptions(output="x.pptx"))
    for s in prs.slides:
        assert list(s.shapes)[-1].name == "Status line"


def test_shape_ids_are_unique_in_every_part(sample_export):
    """Duplicate shape ids are a classic cause of PowerPoint's "repair" prompt."""
    import collections
    import re
    import zipfile
    d, *_ = sample_export
    for deck in (d / "first.pptx", ROOT / "templates" / "board.pptx"):
        with zipfile.ZipFile(deck) as z:
            for name in z.namelist():
                if name.startswith("ppt/slide") and name.endswith(".xml"):
                    ids = re.findall(rb'<p:cNvPr id="(\d+)"', z.read(name))
                    dup = [k for k, v in collections.Counter(ids).items() if v > 1]
                    assert not dup, (deck.name, name, dup)


def test_three_step_export_for_a_worker_thread(tmp_path):
    import threading
    from reports import finish_export, prepare_export, run_export
    plan_path = tmp_path / "p.rcplan"
    shutil.copy(SAMPLE, plan_path)
    with PlanDocument.open(plan_path) as doc:
        job = prepare_export(doc, ExportOptions(output=tmp_path / "w.pptx",
                                                store_snapshot=True))
        assert job.plan is not doc.plan
        assert job.previous is not None and job.previous.settings.as_of == date(2026, 9, 4)
        box = {}
        t = threading.Thread(target=lambda: box.update(report=run_export(job)))
        t.start()
        t.join()
        report = finish_export(doc, job, box["report"])
        assert report.snapshot_uid and len(doc.snapshots()) == 2
    assert Presentation(tmp_path / "w.pptx").slides[0].shapes.title.text_frame.text


def test_main_py_export_reports_a_bad_template_plainly(tmp_path):
    import subprocess
    import sys
    plan_path = tmp_path / "p.rcplan"
    shutil.copy(SAMPLE, plan_path)
    bad = tmp_path / "letter.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    out = tmp_path / "deck.pptx"
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "export", str(plan_path),
                        "--pptx", str(out), "--template", str(bad)],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode != 0
    assert "Traceback" not in r.stderr + r.stdout
    assert "letter.docx" in r.stderr + r.stdout
    assert not out.exists()
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "export", str(plan_path),
                        "--pptx", str(out), "--as-of", "2026-11-30"],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "Slides:" in r.stdout and out.exists()


def test_risk_map_places_each_risk_in_its_cell(sample_export):
    d, *_ = sample_export
    prs = Presentation(d / "first.pptx")
    with PlanDocument.open(d / "northmoor.rcplan", readonly=True) as doc:
        risks = doc.plan.risks
    s = slides_titled(prs, "Risk map")[0]
    grid = [sh for sh in s.shapes if sh.name == "Risk map"][0]
    cells = {sh.name: sh.text_frame.text for sh in grid.shapes if sh.name.startswith("Cell ")}
    assert len(cells) == 25
    for r in risks.values():
        assert r.id in cells[f"Cell L{r.likelihood} I{r.impact}"].split("\n")[-1]
    assert "Risk map, likelihood by impact" in alt_text(grid)


def test_sections_left_out_are_not_in_the_deck():
    from reports import SECTIONS
    from plan_factory import small_plan

    plan = small_plan()
    everything = titles(build_deck(plan, ExportOptions(output="x.pptx"))[0])
    prs, report = build_deck(plan, ExportOptions(output="x.pptx",
                                                 sections=frozenset({"summary", "risks"})))
    kept = titles(prs)
    assert kept[:3] == everything[:3]  # cover, cover sheet, executive summary
    assert "Risks" in kept and "Decisions required from the board" in kept
    for gone in ("The ten challenges", "Timeline", "Outcome measures", "Milestones", "Appendix"):
        assert not any(t.startswith(gone) for t in kept), gone
    assert [e.title for e in report.outline] == kept
    assert set(SECTIONS) >= {"summary", "challenges", "milestones", "timeline", "outcomes",
                             "risks", "appendix"}
    with pytest.raises(PlanError, match="no section colours"):
        build_deck(plan, ExportOptions(output="x.pptx", sections=frozenset({"colours"})))


def test_only_the_deck_presented_stores_a_snapshot_and_the_comparison_is_earlier(tmp_path):
    plan_path = tmp_path / "p.rcplan"
    shutil.copy(SAMPLE, plan_path)
    with PlanDocument.open(plan_path) as doc:
        before = len(doc.snapshots())
        draft = export_deck(doc, ExportOptions(output=tmp_path / "draft.pptx"))
        assert draft.snapshot_uid is None and len(doc.snapshots()) == before
        assert any("Not marked as presented" in line for line in draft.lines())
        shown = export_deck(doc, ExportOptions(output=tmp_path / "board.pptx",
                                               store_snapshot=True))
        assert shown.snapshot_uid and len(doc.snapshots()) == before + 1
        # a second deck for the same status date does not compare with the one just stored
        again = export_deck(doc, ExportOptions(output=tmp_path / "again.pptx"))
        assert again.previous_as_of is None or again.previous_as_of < again.as_of
        # a later report compares with the one presented
        later = export_deck(doc, ExportOptions(output=tmp_path / "later.pptx",
                                               as_of=date(2027, 1, 20)))
        assert later.previous_as_of == shown.as_of


def test_claimed_assurance_is_checked_against_the_measures(tmp_path):
    from reports.assurance import check_assurance

    plan_path = tmp_path / "p.rcplan"
    shutil.copy(SAMPLE, plan_path)
    with PlanDocument.open(plan_path) as doc:
        plan = doc.plan
        limited = check_assurance(plan, "Limited")
        assert not limited.contradicted
        substantial = check_assurance(plan, "Substantial")
        assert substantial.contradicted and "substantial assurance" in substantial.message
        assert all(mid in substantial.message for mid in substantial.failing)


def test_main_py_export_stores_a_snapshot_only_when_presented(tmp_path):
    import subprocess
    import sys
    plan_path = tmp_path / "p.rcplan"
    shutil.copy(SAMPLE, plan_path)
    with PlanDocument.open(plan_path) as doc:
        doc.update_settings(board_assurance="Substantial")
        before = len(doc.snapshots())
    run = lambda *extra: subprocess.run(  # noqa: E731
        [sys.executable, str(ROOT / "main.py"), "export", str(plan_path), "--pptx",
         str(tmp_path / "b.pptx"), *extra], capture_output=True, text=True, cwd=ROOT)
    draft = run()
    assert draft.returncode == 0, draft.stderr
    assert "Assurance check: The paper claims substantial assurance" in draft.stdout
    assert "Not marked as presented" in draft.stdout
    shown = run("--presented")
    assert "Marked as the deck presented" in shown.stdout
    with PlanDocument.open(plan_path) as doc:
        assert len(doc.snapshots()) == before + 1


def test_lived_experience_slides_roll_up_coproduction_and_carry_you_said_we_did():
    from plan_factory import small_plan

    plan = small_plan()
    plan.actions["A3"].coproduced = True
    plan.actions["A3"].check_hope = 1
    plan.actions["A4"].check_control = -1
    plan.settings.board_you_said = ("Letters were full of jargon => Letters rewritten with the "
                                    "partnership group\nWe want carers at reviews =>")
    prs, _ = build_deck(plan, ExportOptions(output="x.pptx", sections=frozenset({"voice"})))
    roll = table_rows(tables(slides_titled(prs, "Co-production and the recovery checks")[0])[0])
    three = next(r for r in roll if r[0] == "3")
    assert three[2] == "3" and three[3].startswith("1 (33%)")  # A3, A4, A5 filed under 3
    assert three[4] == "+0 / −1" and three[6] == "+1"
    said = table_rows(tables(slides_titled(prs, "You said, we did")[0])[0])
    assert said[1] == ["Letters were full of jargon", "Letters rewritten with the partnership group"]
    assert said[2] == ["We want carers at reviews", "Not yet answered"]


def _slide_ids(prs) -> list[list[str]]:
    return [s._element.xpath(".//p:cNvPr/@id") for s in prs.slides]


def test_shape_ids_are_unique_on_every_slide_of_a_big_deck(monkeypatch):
    """Slides of hundreds of shapes (timeline, long tables, a risk map with its list drawn
    after the grid is grouped) take their shape ids from a counter, not from a search of the
    slide (issue 13): every id on a slide stays unique, and each is the very id the search
    would have given, so the deck is the same as before."""
    from pptx.shapes.shapetree import _BaseGroupShapes
    from planner.model import Risk

    plan = big_milestone_plan(120)
    for i in range(1, 9):
        plan.risks[f"R{i}"] = Risk(f"R{i}", f"Risk {i}", 1 + i % 5, 1 + (i * 3) % 5,
                                   mitigation="Agreed with the steering group.")
    prs, _ = build_deck(plan, ExportOptions(output="unused.pptx"))
    counted = _slide_ids(prs)
    assert sum(len(ids) for ids in counted) > 500
    for s, ids in zip(prs.slides, counted):
        assert len(ids) == len(set(ids)), (s.shapes.title.text_frame.text, ids)
    # the same deck with every id found by python-pptx's search of the whole slide
    prop = _BaseGroupShapes.turbo_add_enabled
    monkeypatch.setattr(_BaseGroupShapes, "turbo_add_enabled",
                        property(prop.fget, lambda self, value: None))
    searched, _ = build_deck(plan, ExportOptions(output="unused.pptx"))
    assert _slide_ids(searched) == counted
