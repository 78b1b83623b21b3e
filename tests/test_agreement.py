"""Every screen, the board deck and the command line give the same figures for the same plan (issue 8).

For the sample plan, ``planner.rules`` on the engine's schedule gives, per challenge, how many
actions serve it, the share done, the RAG and its reason, and each milestone's slip. The Overview
tiles, the Timeline lanes, the Milestones view, the Graph view, the deck's facts and
``main.py sequence --json`` must all say the same.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import graph
from planner import rules
from reports.deck_facts import gather
from tests.ui_helpers import shown

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def expected(doc):
    """The figures, worked out once from the rules on the engine's schedule."""
    plan = doc.plan
    an = graph.analyse(plan)
    per_challenge = {}
    for n in sorted(plan.challenges):
        p = rules.challenge_progress(plan, n)
        rag = rules.challenge_rag(plan, n, an.slips, an.finishes)
        per_challenge[n] = {"actions": p.actions, "filed": p.filed, "percent": p.percent_done,
                            "share": p.share_done, "rag": str(rag.colour), "reason": rag.reason}
    slips = {mid: f.slip_days for mid, f in an.milestones.items()}
    return {"challenges": per_challenge, "slips": slips, "as_of": an.as_of}


def test_the_figures_the_issue_quotes_now_agree(expected):
    """Challenge 3 is blamed on one milestone everywhere; counts are the counts of serving actions."""
    c = expected["challenges"]
    assert c[3]["rag"] == "Red" and c[3]["reason"].startswith("M6 ")
    assert c[1]["actions"] == 18 and c[1]["filed"] == 11  # serving it vs filed under it
    assert c[8]["percent"] == 48


def test_overview_tiles_agree(qtbot, context, expected):
    from ui.overview_view import OverviewView

    view = shown(qtbot, OverviewView(context))
    view.refresh()
    for n, want in expected["challenges"].items():
        s = view.tiles[n].summary
        assert (s.actions, s.filed, s.percent_done) == (want["actions"], want["filed"],
                                                        want["percent"]), n
        assert (s.rag, s.rag_reason) == (want["rag"].lower(), want["reason"] + "."), n
        # the tile says which actions it counts, and how that differs from the Timeline's lane
        assert f"{want['filed']} filed under it" in view.tiles[n].toolTip()


def test_overview_tiles_say_the_share_in_the_decks_words(qtbot, context, expected):
    """The tile's share of the work read "83% done" beside its RAG reason's "12 of 18 actions
    done" (a count): it now says "83% of the work done", as the deck's timeline lane does, in
    full on a tile of the screenshot's size (1280 x 800), and so do its tooltip and the screen
    reader's description."""
    from PySide6.QtWidgets import QMainWindow

    from reports.timeline import work_done
    from ui.overview_view import OverviewView

    view = OverviewView(context)
    frame = QMainWindow()  # the view's share of a 1280 x 800 window (navigator 150 px)
    frame.setCentralWidget(view)
    qtbot.addWidget(frame)
    frame.resize(1130, 760)
    frame.show()
    qtbot.waitExposed(frame)
    view.refresh()
    plan = context.plan
    for n, want in expected["challenges"].items():
        tile = view.tiles[n]
        tile.grab()  # painted as on screen
        deck = work_done(rules.challenge_progress(plan, n))
        assert deck == f"{want['percent']}% of the work done", n
        assert f", {deck}." in tile.toolTip() and f", {deck}." in tile.accessibleDescription()
        assert f"{want['percent']}% done" not in tile.toolTip(), n
        assert tile.painted["work done"] == deck, n  # in full, not cut to fit
        assert tile.painted["actions"] == f"{want['actions']} actions", n


def test_overview_finish_says_the_days_the_deck_says(qtbot, context, expected):
    """The Overview said the sample plan finishes "10 weeks after its end date" where the deck's
    summary says "70 days after the planned end": the same words and number now."""
    import re

    from ui.overview_view import OverviewView

    plan = context.plan
    deck = gather(plan, expected["as_of"], None, None).draft.on_track
    said = re.search(r"(\d+) days after the planned end \((\d+) (\w+) (\d+)\)", deck)
    assert said, deck
    view = shown(qtbot, OverviewView(context))
    view.refresh()
    days, day, month, year = said.groups()
    assert (f"{days} days after the planned end ({int(day):02d} {month} {year})"
            in view.finish_label.text())
    assert "weeks" not in view.finish_label.text()


def test_overview_finish_before_and_on_the_end_date(qtbot, context, expected):
    """Before, on and after the end date, the Overview and the deck's summary say the same
    (the deck said "within the planned end", with no number, where the window said "9 days
    before", and "1 days after")."""
    from datetime import timedelta

    from planner.dates import short_date
    from ui.overview_view import OverviewView

    finish = context.analysis.plan_finish
    view = shown(qtbot, OverviewView(context))
    for end, words in ((finish + timedelta(days=9), "9 days before the planned end"),
                       (finish + timedelta(days=1), "1 day before the planned end"),
                       (finish, "on the planned end"),
                       (finish - timedelta(days=1), "1 day after the planned end")):
        assert context.run(lambda doc: doc.update_settings(end=end)) is not None
        view.refresh()
        said = f"{words} ({short_date(end)})"  # "9 Dec 2028" in both (the window wrote "09 Dec")
        assert said in view.finish_label.text(), words
        deck = gather(context.plan, expected["as_of"], None, None).draft.on_track
        assert said in deck, (words, deck)


def test_overview_next_milestones_count_working_days(qtbot, context, expected):
    """The next milestones said "— 75 days late" for a slip counted in working days: they say
    "75 working days late", as the Milestones view, the RAG reasons and the deck do."""
    from PySide6.QtCore import Qt

    from ui.overview_view import OverviewView

    view = shown(qtbot, OverviewView(context))
    view.refresh()
    late = 0
    for i in range(view.milestones.count()):
        item = view.milestones.item(i)
        mid = item.data(Qt.ItemDataRole.UserRole)
        slip = expected["slips"].get(mid) or 0
        if slip > 0:
            late += 1
            assert item.text().endswith(f"— {slip} working days late"), item.text()
        else:
            assert "late" not in item.text(), item.text()
    assert late >= 3


def test_a_milestones_date_reads_the_same_in_the_overview_the_milestones_view_and_the_deck(
        qtbot, context, tmp_path):
    """M17 is forecast for 4 Feb 2027: the Overview wrote "04 Feb 2027", the Milestones view
    "04 Feb 27" and the deck "4 Feb 2027". Every open milestone's date now reads as
    ``planner.dates.short_date`` writes it, the same in all three."""
    from PySide6.QtCore import Qt

    from planner.dates import short_date
    from reports.deck import ExportOptions, build_deck
    from ui.milestones_view import COL, MilestonesView
    from ui.overview_view import OverviewView

    plan, an = context.plan, context.analysis
    overview = shown(qtbot, OverviewView(context))
    overview.refresh()
    listed = {}
    for i in range(overview.milestones.count()):
        item = overview.milestones.item(i)
        listed[item.data(Qt.ItemDataRole.UserRole)] = item.text()
    table = shown(qtbot, MilestonesView(context)).model
    prs, _ = build_deck(plan, ExportOptions(output=str(tmp_path / "d.pptx")))
    deck_rows = {}  # milestone id -> the Forecast cells of the deck's milestone tables
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_table:
                rows = [[c.text_frame.text for c in r.cells] for r in shape.table.rows]
                if "Forecast" in rows[0]:
                    k = rows[0].index("Forecast")
                    for r in rows[1:]:
                        mid = next((c for c in r if c in plan.milestones), None)
                        if mid:
                            deck_rows.setdefault(mid, []).append(r[k])
    checked = set()
    for mid, text in listed.items():
        when = an.milestones[mid].forecast
        said = short_date(when)
        assert text.startswith(said + " "), text  # the Overview's list
        cells = [table.index(table.row_of(mid), COL[key]).data() for key in ("forecast", "scheduled")]
        assert said in [c.replace(" ≠", "") for c in cells], (mid, cells)  # the Milestones view
        for cell in deck_rows.get(mid, []):
            assert cell.replace(" (missed)", "") == said, (mid, cell)  # the deck's tables
            checked.add(mid)
    assert "M17" in checked and short_date(an.milestones["M17"].forecast) == "4 Feb 2027"


def test_overview_deadlines_agree_with_the_analysis(qtbot, context):
    """The Overview's "N of M deadlines forecast to be missed" names the open actions that finish,
    by the analysis's own ``finishes``, after their deadline (it reads them one by one, as the
    tiles' ratings do, rather than building every finish: the same dates)."""
    from datetime import timedelta

    from planner.model import ActionStatus
    from ui.overview_view import OverviewView

    doc, an = context.doc, context.analysis
    open_ids = [a.id for a in doc.plan.actions.values() if a.id in an.finishes
                and a.status not in (ActionStatus.DONE, ActionStatus.CANCELLED)]
    with doc.batch("set deadlines"):
        for k, aid in enumerate(open_ids[:9]):  # due the day it finishes, or the day before
            doc.update("action", aid, deadline=an.finishes[aid] - timedelta(days=k % 2))
    view = shown(qtbot, OverviewView(context))
    view.refresh()
    an = context.analysis
    due = [a for a in doc.plan.actions.values() if a.deadline is not None
           and a.status not in (ActionStatus.DONE, ActionStatus.CANCELLED)]
    late = [a.id for a in due if rules.misses_deadline(a, an.finishes.get(a.id))]
    assert 0 < len(late) < len(due)
    ids = ", ".join(late[:4]) + ("…" if len(late) > 4 else "")
    assert (f"<b>{len(late)} of {len(due)}</b> deadlines forecast to be missed ({ids})"
            in view.finish_label.text())


def test_timeline_lanes_agree_and_say_what_they_hold(qtbot, context, expected):
    from ui.timeline_view import TimelineView

    view = shown(qtbot, TimelineView(context))
    view.set_grouping("challenge")
    view.refresh()
    headings = {r.lane_key: r for r in view.rows if r.kind == "lane"}
    members: dict = {}
    for r in view.rows:
        if r.kind == "action":
            members[r.lane_key] = members.get(r.lane_key, 0) + 1
    for n, want in expected["challenges"].items():
        if not want["filed"]:
            continue
        assert members[n] == want["filed"]
        assert f"{want['filed']} filed here of {want['actions']} serving it" in headings[n].label
    assert "filed under that challenge" in view.legend.text()


def test_milestones_view_agrees(qtbot, context, expected):
    from ui.milestones_view import MilestonesView

    view = shown(qtbot, MilestonesView(context))
    model = view.model
    plan = context.plan
    for mid, slip in expected["slips"].items():
        m = plan.milestones[mid]
        assert model.slip_days(m) == slip, mid
        assert model.is_slipped(m) == rules.is_slipped(m, slip), mid


def test_milestones_view_says_working_days(qtbot, context, expected):
    """The Slip column said "75 days late" and "3 days early" for working days: every cell now
    says what the RAG reasons and the deck's notes say (``rules.slip_text``), in full."""
    from PySide6.QtGui import QFont, QFontMetrics

    from planner.model import MilestoneStatus
    from ui.milestones_view import COL, MilestonesView

    view = shown(qtbot, MilestonesView(context))
    model = view.model
    plan = context.plan
    bold = QFont(view.table.font())
    bold.setBold(True)  # the late ones are bold
    fm = QFontMetrics(bold)
    kinds = set()
    for mid, slip in expected["slips"].items():
        m = plan.milestones[mid]
        if slip is None or m.status == MilestoneStatus.CANCELLED:
            continue
        text = model.index(model.row_of(mid), COL["slip"]).data()
        flag = "⚠ " if slip > 0 and m.status == MilestoneStatus.PLANNED else ""
        assert text == flag + rules.slip_text(slip), mid
        kinds.add((slip > 0) - (slip < 0))
        assert fm.horizontalAdvance(text) + 8 <= view.table.columnWidth(COL["slip"]), text
    assert kinds >= {1, 0}


def test_graph_view_agrees(qtbot, context, expected):
    from ui.graph_view import GraphView

    view = shown(qtbot, GraphView(context))
    plan = context.plan
    assert view.markers
    for mid, marker in view.markers.items():
        slip = expected["slips"][mid]
        assert marker.slip == (slip or 0), mid
        assert marker.state == rules.milestone_state(plan.milestones[mid], slip), mid


def test_deck_facts_agree(doc, expected):
    plan = doc.plan
    f = gather(plan, expected["as_of"], None, None)
    for row in f.rows:
        want = expected["challenges"][row.number]
        assert (str(row.rag_now.colour), row.rag_now.reason) == (want["rag"], want["reason"])
    for mid, md in f.sched.milestones.items():
        assert md.slip_days == (expected["slips"][mid] or 0), mid
    slipped = {r.id for r in f.changes.slipped}
    for mid, slip in expected["slips"].items():
        state = rules.milestone_state(plan.milestones[mid], slip)
        assert (mid in slipped) == (state in (rules.MilestoneState.LATE,
                                              rules.MilestoneState.MISSED)), mid


def test_deck_timeline_lanes_agree(doc, expected, tmp_path):
    """The lane's label and its dark bar show the share of the work done (the Overview tile's
    figure), even for work begun off the slide."""
    from reports.deck import ExportOptions, build_deck

    plan = doc.plan
    prs, _report = build_deck(plan, ExportOptions(output=tmp_path / "t.pptx",
                                                  as_of=expected["as_of"],
                                                  sections=frozenset({"timeline"})))
    slide = next(s for s in prs.slides if s.shapes.title is not None
                 and s.shapes.title.text.startswith("Timeline"))
    group = next(sh for sh in slide.shapes if sh.name == "Timeline")
    shapes = {sh.name: sh for sh in group.shapes}
    for n, want in expected["challenges"].items():
        label = shapes[f"Lane label C{n}"].text_frame.text
        assert label.endswith(f" · {want['percent']}% of the work done"), n
        bar, done = shapes.get(f"C{n} work bar"), shapes.get(f"C{n} work done")
        if bar is not None and want["share"] > 0.05:
            assert done is not None, n
            assert done.width / bar.width == pytest.approx(want["share"], abs=0.02), n


def test_sequence_json_agrees(sample_copy, expected):
    r = subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), "sequence",
                        str(sample_copy), "--json"], capture_output=True, text=True, cwd=ROOT,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    for n, want in expected["challenges"].items():
        got = data["challenges"][str(n)]
        assert (got["actions"], got["filed"], got["percent_done"], got["rag"], got["reason"]) == (
            want["actions"], want["filed"], want["percent"], want["rag"], want["reason"]), n
    for mid, slip in expected["slips"].items():
        assert data["milestones"][mid]["slip_days"] == slip, mid


def test_the_sample_rag_weighs_outcomes_and_risks_and_every_place_explains_the_same_rule(
        window, expected, monkeypatch, tmp_path):
    """Issue 12: RAG rests on more than milestone slippage, and the rule is written down once."""
    from PySide6.QtWidgets import QMessageBox

    from reports.deck import ExportOptions, build_deck

    c = expected["challenges"]
    # staff wellbeing is on time but its outcome measure misses its trajectory: amber, named
    assert c[9]["rag"] == "Amber" and "consistently misses its trajectory" in c[9]["reason"]
    assert c[9]["reason"].startswith("OM")
    # the workforce's late milestone decides, and the extreme risk above its target is named too
    assert c[8]["rag"] == "Red" and "R1 scored 16 (target 6)" in c[8]["reason"]
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    window.show_rag_help()
    prs, _ = build_deck(window.context.plan, ExportOptions(output=tmp_path / "r.pptx",
                                                           as_of=expected["as_of"],
                                                           sections=frozenset({"appendix"})))
    appendix = " ".join(sh.text_frame.text for s in prs.slides for sh in s.shapes
                        if sh.has_text_frame)
    appendix += " ".join(cell.text for s in prs.slides for sh in s.shapes if sh.has_table
                         for row in sh.table.rows for cell in row.cells)
    for colour, text in rules.RAG_DEFINITIONS:
        assert text in shown[0], colour
        assert text in appendix, colour


def test_the_last_report_is_named_by_its_status_date_in_the_timeline_the_dialog_and_the_deck(
        qtbot, context, tmp_path):
    """The sample's last board report has the status date 4 Sep 2026 and was stored on 10 Sep.
    The deck's footers said "Previous report 4 Sep 2026", the Timeline's legend "baseline =
    board snapshot of 10 Sep 2026", the export dialog "Board report as of 2026-09-04 (…)
    (10 Sep 2026)" and the data notes "'Board report as of 2026-09-04 (…)'". All now give
    4 Sep 2026, written as every date is."""
    import re

    from reports.deck import ExportOptions, build_deck, prepare_export
    from ui.export_dialog import ExportDialog
    from ui.timeline_view import TimelineView

    doc = context.doc
    job = prepare_export(doc, ExportOptions(output=str(tmp_path / "d.pptx")))
    prs, _ = build_deck(job.plan, job.options, previous=job.previous,
                        previous_as_of=job.previous_as_of, compared_with=job.compared_with)
    text = "\n".join(sh.text_frame.text for s in prs.slides for sh in s.shapes
                     if sh.has_text_frame)
    footer = set(re.findall(r"Previous report (\d+ \w+ \d{4})", text))
    assert footer == {"4 Sep 2026"}, footer
    assert "2026-09-04" not in text
    assert "Board report as of 4 Sep 2026" in text  # the data notes
    timeline = shown(qtbot, TimelineView(context))
    timeline.refresh()
    assert "baseline = the board report of 4 Sep 2026;" in timeline.legend.text()
    dialog = ExportDialog(context)
    qtbot.addWidget(dialog)
    names = [dialog.since.itemText(i) for i in range(1, dialog.since.count())]
    assert names and names[0].startswith("Board report as of 4 Sep 2026"), names
    assert not any(re.search(r"\d{4}-\d\d-\d\d", n) for n in names), names


def test_a_measures_latest_reading_reads_as_in_the_decks_table(qapp, doc, tmp_path):
    """The Outcomes view said "Latest 45.7 % (Oct 2026)" where the deck's table says "45.7%"
    and "28 Oct 2026": the value, its unit and the reading's date now read alike. The deck's
    table left out a unit longer than five letters ("35" beside the window's "35 score 0-60",
    "42" beside "42 students per month"): every unit now reads as in the window."""
    from reports.deck import ExportOptions, build_deck
    from ui.outcomes_view import measure_chart

    plan = doc.plan
    prs, _ = build_deck(plan, ExportOptions(output=str(tmp_path / "d.pptx")))
    cells: dict[str, list[str]] = {}
    for s in prs.slides:
        if s.shapes.title.text_frame.text.startswith("Outcome measures at a glance"):
            for sh in s.shapes:
                if sh.name.startswith("Cell OM"):
                    cells.setdefault(sh.name.removeprefix("Cell "), []).append(sh.text_frame.text)
    checked = 0
    long_units: dict[str, str] = {}
    for mid, measure in plan.measures.items():
        if not plan.readings_of(mid):
            continue
        value, when = cells[mid][1].splitlines()
        _data, words = measure_chart(plan, measure)
        assert words.startswith(f"Latest {value} ({when})"), (mid, words, value, when)
        checked += 1
        long_units.update({mid: value} if len(measure.unit or "") > 5 else {})
    assert checked >= 10
    assert long_units["OM1"] == "35 score 0-60" and long_units["OM5"] == "42 students per month"


def test_a_challenges_previous_rating_reads_as_in_the_decks_table(qtbot, context, doc, tmp_path):
    """The Assessments view said "(up from Jul 2025)" where the deck's challenges table gives
    the previous stage and its date ("Engagement", "3 Jul 2025")."""
    from reports.deck import ExportOptions, build_deck
    from ui.assessments_view import AssessmentsView

    prs, _ = build_deck(context.plan, ExportOptions(output=str(tmp_path / "d.pptx")))
    rows = {}
    for s in prs.slides:
        if s.shapes.title.text_frame.text.startswith("The ten challenges"):
            for sh in s.shapes:
                if sh.has_table:
                    t = [[c.text_frame.text for c in r.cells] for r in sh.table.rows]
                    rows.update({int(r[0]): dict(zip(t[0], r)) for r in t[1:]})
    view = shown(qtbot, AssessmentsView(context))
    view.refresh()
    assert len(rows) == 10
    for n, row in rows.items():
        stage, when = row["Previous assessment"].splitlines()
        said = view.histories[n].status.text()
        assert f"{stage} on {when})" in said, (n, said, row["Previous assessment"])


def test_the_why_sentences_write_dates_as_the_tables_do(qtbot, context):
    """The Milestones view's detail said "is forecast for 2027-02-04" beside a table cell "4 Feb
    2027", and the Actions detail "in progress since 2026-03-12" under "12 Mar 2026 → ...": every
    date in those sentences (and in ``why`` and ``impact`` on the command line) is now a
    ``short_date``, and none is ISO."""
    import re

    from planner.dates import short_date
    from ui.actions_detail import ActionDetail
    from ui.milestones_view import MilestonesView

    iso = re.compile(r"\d{4}-\d\d-\d\d")
    plan, an = context.plan, context.analysis
    view = shown(qtbot, MilestonesView(context))
    view.show_milestone("M17")
    said = view.detail.text()
    assert f"is forecast for {short_date(an.milestones['M17'].forecast)}" in said, said
    assert "4 Feb 2027" in said and not iso.search(said), said
    for mid in plan.milestones:
        text = graph.why(plan, mid, analysis=an).text
        assert not iso.search(text), text
    kinds = set()
    for aid, row in an.rows.items():
        assert not iso.search(row.driver), row.driver
        kinds.add(row.driver.split(" ")[0])
    assert {"waits", "in", "done:"} <= kinds  # a link, work under way and work done all checked
    under_way = next(aid for aid, r in an.rows.items() if r.driver.startswith("in progress since"))
    detail = shown(qtbot, ActionDetail(context))
    detail.show_action(under_way)
    start = short_date(an.rows[under_way].start)
    text = detail.schedule_label.text()
    assert text.startswith(start + " → ") and f"in progress since {start}," in text, text
    critical = next(a for a, r in an.rows.items() if r.critical and r.driver.startswith("waits"))
    slip = graph.impact(plan, critical, 5)
    assert slip.text and not iso.search(slip.text), slip.text
