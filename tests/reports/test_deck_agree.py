"""The same fact shows the same figure on every slide of the deck that gives it."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from reports import ExportOptions, build_deck
from planner.spc import format_number


def rows_of(prs, title: str, first_header: str) -> list[list[str]]:
    """Body rows of every table headed ``first_header`` on the slides whose title starts ``title``."""
    out = []
    for s in prs.slides:
        if not s.shapes.title.text_frame.text.startswith(title):
            continue
        for sh in s.shapes:
            if sh.has_table:
                rows = [[c.text_frame.text for c in row.cells] for row in sh.table.rows]
                if rows[0][0] == first_header:
                    out += [dict(zip(rows[0], r)) for r in rows[1:]]
    return out


def test_a_missed_milestone_shows_its_recovery_date_wherever_it_is_listed(doc):
    """M25 (missed, now expected 18 Dec 2026) is both slipped and due next period: both tables
    give the date it is now expected and the same working days late."""
    prs, _ = build_deck(doc.plan, ExportOptions(output="unused.pptx"))
    slipped = {r["ID"]: r for r in rows_of(prs, "Milestones slipped", "ID")}
    due = {r["ID"]: r for r in rows_of(prs, "Milestones since the last report", "ID")
           if "Working days late" in r}
    both = set(slipped) & set(due)
    assert "M25" in both
    for mid in both:
        assert slipped[mid]["Forecast"].startswith(due[mid]["Forecast"]), mid
        assert slipped[mid]["Working days late"] == due[mid]["Working days late"], mid
    assert slipped["M25"]["Forecast"] == "18 Dec 2026 (missed)"


@given(st.one_of(st.integers(-10 ** 7, 10 ** 7).map(float),
                 st.floats(-1e7, 1e7, allow_nan=False, allow_infinity=False)))
def test_a_number_reads_as_people_write_it(v):
    """One rule for every screen and slide: never 1.2e+04, never more than two decimals, thousands
    separated, and the figure is the number to the nearest hundredth."""
    text = format_number(v)
    assert "e" not in text and "E" not in text
    whole, _, decimals = text.lstrip("-").partition(".")
    assert len(decimals) <= 2 and not decimals.endswith("0")
    assert whole == f"{int(whole.replace(',', '')):,}"
    assert abs(float(text.replace(",", "")) - v) <= 0.005 + 1e-9 * abs(v)


def test_a_measures_latest_reading_and_target_read_as_in_the_window(doc):
    """A target of 35.3746 reads 35.37 (the window's figure), a reading of 12,345.6 never
    1.235e+04, in the at-a-glance table and the chart's alt text alike."""
    plan = doc.plan
    m = plan.measures["OM1"]
    m.target = 35.3746
    last = max(plan.readings_of("OM1"), key=lambda r: r.date)
    last.value = 12345.6
    prs, _ = build_deck(plan, ExportOptions(output="unused.pptx"))
    cells = [sh.text_frame.text for s in prs.slides
             if s.shapes.title.text_frame.text.startswith("Outcome measures at a glance")
             for sh in s.shapes if sh.name == "Cell OM1"]
    assert cells[1].splitlines()[0] == f"{format_number(12345.6)} score 0-60" \
        == "12,345.6 score 0-60"
    assert cells[2].startswith(format_number(35.3746) + " score 0-60 by ") and "35.37 sc" in cells[2]
    chart = next(sh for s in prs.slides for sh in s.shapes if sh.name == "SPC chart OM1")
    alt = chart._element.xpath(".//p:cNvPr")[0].get("descr")
    assert "Latest 12,345.6 score 0-60" in alt and "Target 35.37 score 0-60" in alt


def test_the_drafted_decision_names_risks_in_the_risk_tables_words(doc):
    """The draft asked the board to consider '1 high risk' (R1, 16) that the risk table on
    the same deck calls Extreme, beside four it calls High."""
    from reports import preview_summary

    _shown, draft = preview_summary(doc)
    prs, _ = build_deck(doc.plan, ExportOptions(output="unused.pptx"))
    risks = {r["ID"]: r for r in rows_of(prs, "Risks", "ID")}
    assert risks["R1"]["Current score"].startswith("16 Extreme")
    assert "Consider 1 extreme risk, led by R1 " in draft.decisions
    assert "high risk" not in draft.decisions


def test_a_milestone_on_time_reads_on_time_in_every_table(doc):
    """M34 (the December board report, forecast on its baseline) read "0" in the due-next table
    where M33, achieved on its baseline, read "on time" in the achieved table: every
    "Working days late" cell now says it the one way (``facts.slip_cell``), and a milestone
    listed in two tables reads the same in both."""
    from reports import facts

    plan = doc.plan
    prs, _ = build_deck(plan, ExportOptions(output="unused.pptx"))
    sched = facts.schedule(plan, plan.settings.as_of)
    cells: dict[str, set[str]] = {}
    for title in ("Milestones since the last report", "Milestones slipped"):
        for r in rows_of(prs, title, "ID"):
            if "Working days late" in r:
                cells.setdefault(r["ID"], set()).add(r["Working days late"])
    assert cells["M34"] == {"on time"}
    for mid, seen in cells.items():
        md = sched.milestones[mid]
        assert seen == {facts.slip_cell(md.slip_days if md.baseline else None)}, mid
    assert "0" not in {c for seen in cells.values() for c in seen}


def test_slip_cell_words():
    from reports.facts import slip_cell

    assert [slip_cell(d) for d in (0, 1, 64, -3, None)] == ["on time", "1", "64", "3 early", "—"]


def test_the_timeline_and_the_challenges_slide_say_which_done_figure_they_give(doc):
    """Challenge 1 read '83% done' on the timeline and '12 of 18 actions done' on the challenges
    slide: two figures for one fact with nothing to say they differ. The timeline's figure is the
    share of the work (weighted by duration) and now says so; the count is of the same actions."""
    from planner import rules

    plan = doc.plan
    prs, _ = build_deck(plan, ExportOptions(output="unused.pptx"))
    slide = next(s for s in prs.slides if s.shapes.title.text_frame.text == "Timeline by challenge")
    group = next(sh for sh in slide.shapes if sh.name == "Timeline")
    labels = {sh.name: sh.text_frame.text for sh in group.shapes if sh.name.startswith("Lane label")}
    reasons = {r["#"]: r["Reason"] for r in rows_of(prs, "The ten challenges", "#")}
    counted = 0
    for n in plan.challenges:
        p = rules.challenge_progress(plan, n)
        assert labels[f"Lane label C{n}"].endswith(f" · {p.percent_done}% of the work done"), n
        assert " done" not in labels[f"Lane label C{n}"].replace("of the work done", "")
        if "actions done" in reasons[str(n)]:
            assert reasons[str(n)].startswith(f"{p.done} of {p.actions} actions done"), n
            counted += 1
    assert counted >= 3  # the sample's green challenges give the count
    notes = slide.notes_slide.notes_text_frame.text
    assert "83% of the work done" in notes and "% done" not in notes


def test_the_timeline_legend_counts_working_days_as_the_rag_rule_does(doc):
    """The legend's red diamond read "Over 20 days late or missed" where the RAG rule, the
    challenges slide and the slipped table count working days; the legend now says so, and
    no legend entry is cut short on the product's template."""
    from planner.rules import RED_DAYS

    prs, _ = build_deck(doc.plan, ExportOptions(output="unused.pptx"))
    slide = next(s for s in prs.slides if s.shapes.title.text_frame.text == "Timeline by challenge")
    group = next(sh for sh in slide.shapes if sh.name == "Timeline")
    legend = [sh.text_frame.text for sh in group.shapes if sh.name.startswith("Legend: ")]
    assert f"Over {RED_DAYS} working days late or missed" in legend
    assert "Work done" in legend
    assert not any("…" in t for t in legend), legend


def test_the_meeting_date_is_written_in_full_and_the_status_date_as_everywhere_else(doc):
    """The cover gives the board meeting's date as a board paper does ("3 December 2026", it said
    "3 Dec 2026"); the status date reads "20 Nov 2026" on the cover, the cover sheet and every
    footer, as the window's plan bar writes it."""
    prs, _ = build_deck(doc.plan, ExportOptions(output="unused.pptx"))
    cover, sheet = list(prs.slides)[:2]
    texts = [sh.text_frame.text for sh in cover.shapes if sh.has_text_frame]
    assert any("\n3 December 2026\n" in t for t in texts), texts
    assert any("Status as of 20 Nov 2026" in t for t in texts), texts
    rows = {r["Item"]: r["Detail"] for r in rows_of(prs, "Cover sheet", "Item")}
    assert rows["Report to"] == "Trust Board (meeting in public), 3 December 2026"
    assert rows["Status date"] == "20 Nov 2026"
    for s in prs.slides:  # every footer
        said = re.findall(r"Status as of (\d+ \w+ \d{4})", "\n".join(
            sh.text_frame.text for sh in s.shapes if sh.has_text_frame))
        assert said and set(said) == {"20 Nov 2026"}, said


def test_the_timeline_axis_names_months_as_the_window_does(doc):
    """The timeline slide's axis reads as the window's timeline and charts: "Mar 27", and a
    year's first month with its whole year ("Jan 2027"), in English month words whatever the
    machine's locale (it was strftime's "%b %y": "Jan 27" on the slide, "Jan 2027" on screen)."""
    from datetime import date

    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    prs, _ = build_deck(doc.plan, ExportOptions(output="unused.pptx"))
    labels = {sh.name[len("Axis label "):]: sh.text_frame.text
              for s in prs.slides for group in s.shapes if group.name == "Timeline"
              for sh in group.shapes if sh.name.startswith("Axis label ")}
    assert len(labels) >= 4
    januaries = 0
    for iso, text in labels.items():
        d = date.fromisoformat(iso)
        if d.month == 1:
            januaries += 1
            assert text == f"Jan {d.year}", (iso, text)
        else:
            assert text == f"{months[d.month - 1]} {d.year % 100:02d}", (iso, text)
    assert januaries >= 1
