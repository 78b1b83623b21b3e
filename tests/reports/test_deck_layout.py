"""The timeline slide's layout, read back as shape geometry: no text sits on other text or on a
drawn mark (bar, diamond, baseline, slip line, the status-date line), at any plan size.

Lane bands and month gridlines are the background every label is written on, as in a chart, so
they are the only shapes text may lie over.
"""

from __future__ import annotations

import random
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from pptx.enum.shapes import MSO_SHAPE_TYPE

from planner.document import PlanDocument
from planner.model import Milestone, Plan
from reports import ExportOptions, build_deck

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_plans" / "northmoor.rcplan"
BACKGROUND = ("Lane C", "Gridline ")


def sample_plan(tmp_path) -> Plan:
    path = tmp_path / "northmoor.rcplan"
    shutil.copy(SAMPLE, path)
    with PlanDocument.open(path, readonly=True) as doc:
        return doc.plan


def crowded_plan(tmp_path) -> Plan:
    """The sample with milestones where labels collide: on the status date in every lane, on the
    first day shown, a cluster just before and after the status date, and more than a lane can
    draw close to the right edge."""
    plan = sample_plan(tmp_path)
    as_of = plan.settings.as_of
    rng = random.Random(7)
    by_challenge: dict[int, str] = {}  # an initiative serving that challenge alone, else fewest
    for iid, ini in sorted(plan.initiatives.items(), key=lambda kv: len(kv[1].challenges)):
        for n in ini.challenges:
            by_challenge.setdefault(n, iid)
    first = min([plan.settings.start] + [a.actual_start for a in plan.actions.values()
                                         if a.actual_start]).replace(day=1)  # the first day shown
    k = 900
    for n, iid in sorted(by_challenge.items()):
        days = [0, 0, -3, 3, -9, 9, 15] + [rng.randrange(-60, 60) for _ in range(2)]
        when = [as_of + timedelta(days=d) for d in days] + [first]
        if n == 3:
            when += [plan.settings.end - timedelta(days=i) for i in range(12)]
        for d in when:
            k += 1
            plan.milestones[f"M{k}"] = Milestone(f"M{k}", f"Crowded {k}", initiative=iid,
                                                 baseline=d - timedelta(days=20), forecast=d)
    return plan


def big_plan() -> Plan:
    from bench.bench_deck import big_plan as bench_big_plan
    return bench_big_plan()


def timeline_group(plan: Plan):
    prs, _ = build_deck(plan, ExportOptions(output="unused.pptx"))
    slide = next(s for s in prs.slides
                 if s.shapes.title.text_frame.text.startswith("Timeline"))
    return next(sh for sh in slide.shapes if sh.name == "Timeline")


def flat(shapes):
    for sh in shapes:
        if sh.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from flat(sh.shapes)
        else:
            yield sh


def box(sh) -> tuple[int, int, int, int]:
    return sh.left, sh.top, sh.left + sh.width, sh.top + sh.height


def overlap(a, b) -> bool:
    """Boxes share some area, or a line (no width or no height) runs through a box's inside;
    touching edges is not overlapping."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def collisions(group) -> list[str]:
    texts, marks = [], []
    for sh in flat(group.shapes):
        words = sh.text_frame.text.strip() if sh.has_text_frame else ""
        if words:
            texts.append((f"{sh.name!r} ({words!r})", box(sh)))
        elif not sh.name.startswith(BACKGROUND):
            marks.append((repr(sh.name), box(sh)))
    return [f"{t} overlaps {other}" for i, (t, tb) in enumerate(texts)
            for other, ob in texts[i + 1:] + marks if overlap(tb, ob)]


@pytest.mark.parametrize("make", ["sample", "crowded", "2,000 actions"])
def test_timeline_text_overlaps_no_other_text_or_mark(make, tmp_path):
    plan = {"sample": lambda: sample_plan(tmp_path), "crowded": lambda: crowded_plan(tmp_path),
            "2,000 actions": big_plan}[make]()
    group = timeline_group(plan)
    names = [sh.name for sh in flat(group.shapes)]
    assert "As-of line" in names and sum(n.endswith(" label") for n in names) >= 10
    # lanes with more milestones than can be drawn still say how many are not drawn
    assert any(n.endswith("more milestones") for n in names) == (make != "sample")
    assert collisions(group) == []


def test_a_label_beside_the_status_line_stays_by_its_diamond(tmp_path):
    """In the sample, M15 (achieved ten days before the status date) sits under the status
    line: it keeps its id, moved just clear of the line and still beside its diamond."""
    shapes = {sh.name: sh for sh in flat(timeline_group(sample_plan(tmp_path)).shapes)}
    line = shapes["As-of line"]
    label, diamond = shapes["M15 label"], shapes["M15 milestone"]
    assert diamond.left < line.left < diamond.left + diamond.width  # the line crosses the diamond
    assert not label.left < line.left < label.left + label.width
    centre = diamond.left + diamond.width // 2
    assert abs(label.left + label.width // 2 - centre) <= label.width
    assert label.top + label.height <= diamond.top


def test_a_risk_that_wraps_continues_under_its_title_not_under_the_ids(tmp_path):
    """The risk list's wrapped lines ('high)' of R5) started under the ids, reading as a risk of
    their own: each risk is its id, a tab, then the words, with a hanging indent as wide as the
    tab's stop, so wrapped lines start under the first word."""
    plan = sample_plan(tmp_path)
    prs, _ = build_deck(plan, ExportOptions(output="unused.pptx"))
    slide = next(s for s in prs.slides if s.shapes.title.text_frame.text == "Risk map")
    listing = next(sh for sh in slide.shapes if sh.name == "Risk list")
    paras = listing.text_frame.paragraphs
    assert len(paras) == len(plan.risks)
    for p in paras:
        rid, tab, rest = p.text.partition("\t")
        assert rid in plan.risks and tab and rest.startswith(plan.risks[rid].title)
        ppr = p._p.pPr
        assert int(ppr.get("marL")) > 0 and int(ppr.get("indent")) == -int(ppr.get("marL"))


def _four_three_template(tmp_path) -> Path:
    from pptx import Presentation
    path = tmp_path / "four-three.pptx"
    Presentation().save(path)  # python-pptx's own master: 4:3
    return path


def _clustered_at_status_date(tmp_path) -> Plan:
    """The sample with seven more milestones of challenge 3 on and just after the status date:
    too many ids for one shared label beside the status line on a 4:3 slide."""
    plan = sample_plan(tmp_path)
    as_of = plan.settings.as_of
    iid = next(i for i, ini in sorted(plan.initiatives.items()) if 3 in ini.challenges)
    for k in range(7):
        d = as_of + timedelta(days=k % 3)
        plan.milestones[f"M{1000 + k}"] = Milestone(f"M{1000 + k}", f"Cluster {k}",
                                                   initiative=iid, baseline=d, forecast=d)
    return plan


@pytest.mark.parametrize("make", ["sample", "crowded", "cluster, 16:9", "cluster, 4:3",
                                  "crowded, 4:3"])
def test_every_diamond_is_named_and_plus_n_counts_exactly_the_rest(make, tmp_path):
    """A lane draws at most ten diamonds and says "+N more" for the others. On a 4:3 slide a
    cluster of milestones at the status date could not share one label beside the line: all
    ten diamonds of the lane were drawn unnamed while "+7 more" counted only the ones not
    drawn. Now every diamond drawn is named, one that cannot be is not drawn, and N is exactly
    the lane's milestones (not cancelled, dated) that have no diamond."""
    from planner import rules
    from reports import facts

    plan = {"sample": lambda: sample_plan(tmp_path), "crowded": lambda: crowded_plan(tmp_path),
            "cluster, 16:9": lambda: _clustered_at_status_date(tmp_path),
            "cluster, 4:3": lambda: _clustered_at_status_date(tmp_path),
            "crowded, 4:3": lambda: crowded_plan(tmp_path)}[make]()
    template = _four_three_template(tmp_path) if make.endswith("4:3") else None
    prs, _ = build_deck(plan, ExportOptions(output="unused.pptx", template=template))
    slide = next(s for s in prs.slides if s.shapes.title.text_frame.text.startswith("Timeline"))
    shapes = list(flat(next(sh for sh in slide.shapes if sh.name == "Timeline").shapes))
    sched = facts.schedule(plan, plan.settings.as_of)
    hidden_somewhere = False
    for n in sorted(plan.challenges):
        lane = next(sh for sh in shapes if sh.name == f"Lane C{n}")

        def in_lane(sh) -> bool:
            return lane.top <= sh.top + sh.height // 2 < lane.top + lane.height

        drawn = [sh.name.split()[0] for sh in shapes
                 if sh.name.endswith(" milestone") and in_lane(sh)]
        named = [i for sh in shapes if sh.name.endswith(" label") and in_lane(sh)
                 and not sh.name.startswith("Lane") for i in sh.text_frame.text.split(", ")]
        assert sorted(drawn) == sorted(named), n
        more = [sh.text_frame.text for sh in shapes if sh.name == f"C{n} more milestones"]
        hidden = int(more[0].removeprefix("+").removesuffix(" more")) if more else 0
        dated = [m.id for m in plan.milestones.values()
                 if m.status != "cancelled" and n in rules.milestone_challenges(plan, m)
                 and (m.actual if rules.is_achieved(m) and m.actual
                      else sched.milestones[m.id].forecast) is not None]
        assert len(drawn) + hidden == len(dated), n
        assert len(drawn) <= 10
        hidden_somewhere |= hidden > 0
    assert hidden_somewhere == (make != "sample")


@pytest.mark.parametrize("four_three", [False, True])
def test_the_timeline_legend_is_whole_and_leaves_the_lanes_their_milestone_ids(four_three, tmp_path):
    """On a 4:3 slide eight legend entries shared the plot's width in equal slots: "Scheduled
    work of al…" and "Over 20 working da…" were cut and the status date ran to three lines.
    Every entry now has the width its words need (in one row from under the lanes' labels when
    the plot is too narrow), none overlaps another or leaves the slide, the longest word of
    each fits on one line, and every lane still names its milestones."""
    from pptx.util import Inches

    from reports.slide_text import wrap_count

    plan = sample_plan(tmp_path)
    template = _four_three_template(tmp_path) if four_three else None
    prs, _ = build_deck(plan, ExportOptions(output="unused.pptx", template=template))
    slide = next(s for s in prs.slides if s.shapes.title.text_frame.text.startswith("Timeline"))
    shapes = list(flat(next(sh for sh in slide.shapes if sh.name == "Timeline").shapes))
    legend = sorted((sh for sh in shapes if sh.name.startswith("Legend: ")), key=lambda sh: sh.left)
    assert len(legend) == 8
    for sh in legend:
        words = sh.name.removeprefix("Legend: ")
        assert sh.text_frame.text == words  # whole, no "…"
        inner = sh.width - Inches(0.06)
        assert wrap_count(words, inner, 7) <= 2, words
        assert all(inner >= _word_width(w) for w in words.split()), words  # "Wor k don e"
        assert sh.left >= 0 and sh.left + sh.width <= prs.slide_width
    for a, b in zip(legend, legend[1:]):
        assert a.top != b.top or a.left + a.width <= b.left, (a.name, b.name)
    named = [sh for sh in shapes if sh.name.endswith(" label") and sh.name[0] == "M"]
    drawn = [sh for sh in shapes if sh.name.endswith(" milestone")]
    assert drawn and len({i for sh in named for i in sh.text_frame.text.split(", ")}) == len(drawn)


def _word_width(word: str) -> int:
    """A word's width at 7 pt as the deck estimates a label (``reports.timeline._label_width``)."""
    from reports.timeline import _label_width
    return _label_width(word)


def test_a_four_three_deck_cuts_no_date_score_or_heading(tmp_path):
    """Looked at on 4:3 slides: the slipped table's forecast read "18 Dec 2026 (mis…", the
    measures' headings "Variati…" and "Assuran…", the risk score "16 Extreme…" and the
    mitigations "every pane…". Each is now whole."""
    plan = sample_plan(tmp_path)
    prs, _ = build_deck(plan, ExportOptions(output="unused.pptx",
                                            template=_four_three_template(tmp_path)))

    def table(title: str) -> list[dict]:
        s = next(s for s in prs.slides if s.shapes.title.text_frame.text == title)
        t = next(sh for sh in s.shapes if sh.has_table).table
        rows = [[c.text_frame.text for c in r.cells] for r in t.rows]
        return [dict(zip(rows[0], r)) for r in rows[1:]]

    slipped = {r["ID"]: r for r in table("Milestones slipped")}
    assert slipped["M25"]["Forecast"] == "18 Dec 2026 (missed)"
    summary = next(s for s in prs.slides
                   if s.shapes.title.text_frame.text == "Outcome measures at a glance")
    headers = [sh.text_frame.text for sh in summary.shapes if sh.name.startswith("Header ")]
    assert headers == ["Measure", "Latest", "Target and trajectory", "Variation", "Assurance"]
    risks = {r["ID"]: r for r in table("Risks")}
    for rid, risk in plan.risks.items():
        assert risks[rid]["Mitigation"] == risk.mitigation, rid
        assert "…" not in risks[rid]["Current score"], rid
    assert risks["R1"]["Current score"] == "16 Extreme (4×4)"


@pytest.mark.parametrize("four_three", [False, True])
def test_the_measures_table_gives_every_unit_whole_above_the_status_line(four_three, tmp_path):
    """The at-a-glance table wrote "35" and "42" where the Outcomes view writes "35 score 0-60"
    and "42 students per month" (a unit over five letters was left out for room). Every figure
    now has its unit, and a row is as tall as its text needs: nothing is cut, no row runs into
    the next or past the slide's status line, on 16:9 and 4:3 slides alike."""
    plan = sample_plan(tmp_path)
    m = plan.measures["OM5"]
    m.unit = "students enrolled in the month"  # longer than the sample's: three lines on 4:3
    prs, _ = build_deck(plan, ExportOptions(
        output="unused.pptx", template=_four_three_template(tmp_path) if four_three else None))
    cells: dict[str, list[str]] = {}
    for s in prs.slides:
        if not s.shapes.title.text_frame.text.startswith("Outcome measures at a glance"):
            continue
        status = next(sh for sh in s.shapes if sh.name == "Status line")
        rows = sorted({(sh.top, sh.top + sh.height) for sh in s.shapes
                       if sh.name.startswith("Cell ")})
        assert rows[-1][1] <= status.top
        assert all(a[1] <= b[0] for a, b in zip(rows, rows[1:])), rows
        for sh in s.shapes:
            if sh.name.startswith("Cell "):
                text = sh.text_frame.text
                assert "…" not in text, (sh.name, text)
                cells.setdefault(sh.name.removeprefix("Cell "), []).append(text)
    assert set(cells) == set(plan.measures)
    assert cells["OM1"][1].splitlines()[0] == "35 score 0-60"
    assert cells["OM1"][2].startswith("36 score 0-60 by 31 Mar 2027\n35.12 score 0-60 by now")
    assert cells["OM5"][1].startswith("42 students enrolled in the month\n")
    assert cells["OM3"][1].splitlines()[0] == "45.7%"
