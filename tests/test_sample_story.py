"""The sample plan tells one story: what its text says matches what the engine works out.

The Northmoor sample's comments, notes, measure commentary, rating evidence and board text are
written by ``sample_plans/build_sample.py``. Wherever that text names a driver of a slip, a date
or a state of the work, the engine (``graph.why``, the schedule, the SPC judgement) must say the
same, or the Milestones panel, the deck and ``main.py why`` tell a different story from it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import graph
from planner import spc
from planner.dates import short_date

ROOT = Path(__file__).resolve().parent.parent
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
MONTH = "(" + "|".join(MONTHS) + ")"
SHORT = "(" + "|".join(m[:3] for m in MONTHS) + ")"


@pytest.fixture
def story(doc):
    plan = doc.plan
    return plan, graph.analyse(plan)


def _action(plan, title_start: str):
    return next(a for a in plan.actions.values() if a.title.startswith(title_start))


def _milestone(plan, title: str):
    return next(m for m in plan.milestones.values() if m.title == title)


def _measure(plan, name_start: str):
    return next(m for m in plan.measures.values() if m.name.startswith(name_start))


def _month(text: str, pattern: str) -> tuple[int, int | None]:
    """The month (and year, if given) that ``pattern``'s group names in ``text``."""
    found = re.search(pattern, text)
    assert found, f"{pattern!r} not in {text!r}"
    year = re.match(r"\s*(\d{4})", text[found.end(1):])
    return MONTHS.index(found.group(1)) + 1, int(year.group(1)) if year else None


def _same_month(d: date, named: tuple[int, int | None]) -> bool:
    month, year = named
    return d.month == month and (year is None or d.year == year)


def test_every_slip_reason_names_the_driver_that_why_names(story):
    """A comment "Knock-on from A28: ..." names the engine's cause of the slip; a reason without
    one is about the milestone's own action, and the engine must name that action."""
    plan, an = story
    checked = 0
    for m in plan.milestones.values():
        ex = graph.why(plan, m.id, analysis=an)
        named = re.findall(r"\bA\d+\b", m.comment or "")
        if ex.slip_cause is None:
            assert not named, f"{m.id}'s comment names {named}; why names no cause: {ex.text}"
            continue
        if not m.comment:
            continue
        driver = named[0] if named else m.action
        assert driver == ex.slip_cause.action_id, (
            f"{m.id}: the comment {m.comment!r} blames {driver}; why says:\n{ex.text}")
        assert f"Cause of the slip: {driver} " in ex.text
        checked += 1
    assert checked >= 6  # M6, M8, M12, M14, M17, M24, M25, M26 in the sample
    for a in plan.actions.values():
        for aid in re.findall(r"Knock-on from (A\d+)", a.notes or ""):
            cause = graph.why(plan, a.id, analysis=an).slip_cause
            assert cause is not None and cause.action_id == aid, (a.id, a.notes)


def test_why_on_the_command_line_blames_what_the_comment_blames(sample_copy, doc):
    """``python main.py why PLAN M14`` (the issue's case) names the driver M14's comment names."""
    m = doc.plan.milestones["M14"]
    named = re.findall(r"Knock-on from (A\d+)", m.comment)
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "why", str(sample_copy), "M14"],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    cause = re.search(r"Cause of the slip: (A\d+) ", out).group(1)
    assert cause == (named[0] if named else m.action), (m.comment, out)


def test_months_in_milestone_comments_are_the_milestones_dates(story):
    plan, an = story
    for m in plan.milestones.values():
        for found in re.finditer(MONTH + r"( \d{4})?", m.comment or ""):
            when = m.actual or an.milestones[m.id].forecast
            named = _month(found.group(0), MONTH)
            assert _same_month(when, named), (m.id, m.comment, when)


def test_measure_commentary_states_the_dates_the_plan_holds(story):
    plan, an = story

    def forecast(title):
        return an.milestones[_milestone(plan, title).id].forecast

    def started(title):
        return _action(plan, title).actual_start

    def finished(title):
        return _action(plan, title).actual_finish

    seats = _measure(plan, "Programme board seats")
    first_at_target = next(r.date for r in plan.readings_of(seats.id) if r.value >= seats.target)
    claims = [
        ("Peer workers", r"cohort starts in " + MONTH, forecast("First peer workers in post")),
        ("Care contacts", r"contacts from " + MONTH, forecast("First peer workers in post")),
        ("Staff who completed", r"forecast by " + MONTH, forecast("Half of all staff trained")),
        ("Restrictive interventions", r"went live in " + MONTH,
         finished("Replace risk-prediction forms")),
        ("People with a co-produced safety plan", r"went live in " + MONTH,
         finished("Replace risk-prediction forms")),
        ("Recovery college enrolments", r"prospectus in " + MONTH,
         finished("Co-design the first prospectus")),
        ("People in settled accommodation", r"started in " + MONTH,
         started("Housing link workers")),
        ("Programme board seats", r"reached in " + MONTH, first_at_target),
    ]
    for name, pattern, when in claims:
        m = _measure(plan, name)
        text = f"{m.so_what} {m.next_action}"
        assert when is not None and _same_month(when, _month(text, pattern)), (name, text, when)
    college = _measure(plan, "Recovery college enrolments")  # a day, as every date reads
    assert f"began on {short_date(started('Run the pilot year'))}." in college.so_what, college


def test_measure_commentary_judges_the_trajectory_as_the_charts_do(story):
    plan, an = story
    words = {"pass": ("meets", "ahead"), "fail": ("misses", "behind", "below", "short"),
             "hit and miss": ("hit and miss",)}
    for m in plan.measures.values():
        if "trajectory" not in m.so_what:
            continue
        judged = spc.measure_xmr(plan, m).assurance
        said = [k for k, ws in words.items() if any(w in m.so_what for w in ws)]
        assert said == [judged], (m.name, m.so_what, judged)


def test_milestones_named_in_next_actions_are_due_by_then(story):
    plan, an = story
    for m in plan.measures.values():
        for mid in re.findall(r"\b(M\d+)\b", m.next_action or ""):
            ms = plan.milestones[mid]
            words = set(re.findall(r"[a-z]{4,}", ms.title.lower()))
            assert words & set(re.findall(r"[a-z]{4,}", m.next_action.lower())), (mid, m.next_action)
            assert an.milestones[mid].forecast <= m.action_by, (mid, m.action_by)


# Evidence phrases and what they need of an action on the day of the rating round.
EVIDENCE_CLAIMS = [
    (r"pilot college running|pilot year complete", "Run the pilot year", "started"),
    (r"first evaluation under way", "Evaluate the pilot", "started"),
    (r"first cohort employed|first peer workers recruited", "Recruit the first peer workers", "done"),
    (r"independent (fidelity )?review (reported|reached)|reached 'good fidelity'",
     "Independent IPS fidelity review", "done"),
    (r"college model agreed", "Agree the college model", "done"),
    (r"module being co-designed", "Co-design the core recovery training module", "started"),
    (r"template being co-produced", "Co-produce a joint crisis plan", "started"),
    (r"training of care coordinators continuing|care coordinators being trained",
     "Train care coordinators", "under way"),
    (r"policy review with people who use services (started|under way)", "Review the risk policy",
     "started"),
    (r"^preparing teams", "Prepare teams, job descriptions", "started"),
    (r"mapping of support under way", "Map staff wellbeing support", "started"),
    (r"steering group in place", "Set up the recovery steering group", "done"),
    (r"strategy approved", "Board approves the recovery strategy", "done"),
    (r"staff wellness plan launched", "Co-design a wellness and recovery plan", "done"),
    (r"partnership framework agreed", "Agree a partnership framework", "done"),
    (r"pilot opens when", "Run the pilot year", "not started"),
    (r"peer tutors being recruited", "Recruit the college's first peer tutors", "under way"),
    (r"first prospectus being co-designed", "Co-design the first prospectus", "under way"),
    (r"first peer workers being recruited", "Recruit the first peer workers", "under way"),
    (r"independent fidelity review to follow", "Independent IPS fidelity review", "not started"),
    (r"employment specialists joining", "Place employment specialists", "under way"),
    (r"joint crisis plans being offered", "Offer joint crisis plans", "under way"),
    (r"care coordinators trained", "Train care coordinators", "done"),
    (r"policy approved", "Board approves the revised risk", "done"),
    (r"language guide planned", "Co-produce a short guide to hopeful", "not started"),
    (r"language guide in use", "Co-produce a short guide to hopeful", "done"),
    (r"inspire collection planned", "Offer the INSPIRE brief", "not started"),
    (r"module to be co-designed", "Co-design the core recovery training module", "not started"),
    (r"college model, funding and venue to be agreed", "Agree the college model", "not started"),
    (r"co-produced module running", "Roll out recovery training", "under way"),
]


def test_rating_evidence_claims_only_work_the_plan_shows_by_that_day(story):
    plan, an = story
    checked = 0
    for a in plan.assessments.values():
        text = a.evidence.lower()
        for pattern, title, state in EVIDENCE_CLAIMS:
            if not re.search(pattern, text):
                continue
            act = _action(plan, title)
            begun = act.actual_start is not None and act.actual_start <= a.date
            done = act.actual_finish is not None and act.actual_finish <= a.date
            ok = {"started": begun, "done": done, "under way": begun and not done,
                  "not started": not begun}[state]
            assert ok, (a.challenge, a.date.isoformat(), a.evidence, act.id, act.actual_start,
                        act.actual_finish)
            checked += 1
        share = re.search(r"(\d+)% of staff trained", a.evidence)
        if share:
            trained = _measure(plan, "Staff who completed")
            read = [r.value for r in plan.readings_of(trained.id) if r.date <= a.date]
            assert int(share.group(1)) == round(read[-1]), (a.evidence, read[-1])
    assert checked >= 20


def test_you_said_we_did_claims_no_work_before_the_schedule_has_it(story):
    plan, an = story
    said = plan.settings.board_you_said
    letters = _action(plan, "Discharge letters written to the person")
    start = letters.actual_start or an.rows[letters.id].start
    if letters.actual_start is None:
        assert "letters are now written" not in said
    found = re.search(r"From " + MONTH + r" (\d{4}), discharge letters", said)
    assert found and _same_month(start, _month(found.group(0), MONTH)), (said, start)
    for title, pattern in [("Online courses for people", r"Online courses from " + MONTH),
                           ("Open community venues", r"community venues from " + MONTH)]:
        act = _action(plan, title)
        assert _same_month(act.actual_start or an.rows[act.id].start, _month(said, pattern))


def test_the_summarys_due_dates_are_the_forecasts(story):
    """"Due by the March board: second IPS fidelity review (14 Jan 2027); ..." on the cover, each
    date as the deck's tables give it (it said "(14 Jan)", with no year)."""
    plan, an = story
    items = re.findall(r"([a-z][^;:]*?) \((\d+ \w{3} \d{4})\)", plan.settings.summary_next)
    assert items
    by_title = {m.title[0].lower() + m.title[1:].replace("; ", ", "): m
                for m in plan.milestones.values()}
    for title, said in items:
        m = by_title[title]
        assert said == short_date(an.milestones[m.id].forecast), (title, said)


def test_the_summary_and_cover_write_dates_as_the_deck_does(story):
    """The summary said "(17 Sep)" with no year beside "29 October 2026", and the cover
    "19 November 2026; ... 12 Nov 2026": every day they name now reads as ``short_date`` writes
    it (the deck's own form; only the meeting's date on the cover is written in full)."""
    plan, _an = story
    s = plan.settings
    texts = [s.summary_on_track, s.summary_changed, s.summary_next, s.board_previously,
             *(m.so_what for m in plan.measures.values())]
    days = 0
    for text in texts:
        for found in re.finditer(r"\b(\d{1,2}) " + MONTH + r"|\b\d{1,2} " + SHORT + r"\b(?! \d{4})",
                                 text):
            raise AssertionError(f"{found.group(0)!r} is not a short_date: {text}")
        days += len(re.findall(r"\b\d{1,2} " + SHORT + r" \d{4}\b", text))
    assert days >= 10
    assert "opened on " + short_date(_action(plan, "Run the pilot year").actual_start) in \
        s.summary_changed


def _docs() -> list[Path]:
    return [ROOT / "README.md", ROOT / "sample_plans" / "README.md",
            *sorted((ROOT / "docs").glob("*.md"))]


def test_the_documents_quote_the_samples_own_causes(story):
    """A document quoting a slip reason of the sample ("Knock-on from A28") quotes one it has."""
    plan, _an = story
    comments = " ".join(m.comment for m in plan.milestones.values())
    quoted = 0
    for path in _docs():
        body = " ".join(path.read_text(encoding="utf-8").split())
        for found in re.findall(r"Knock-on from A\d+", body):
            assert found in comments, (path.name, found)
            quoted += 1
    assert quoted


def test_the_deck_guide_quotes_a_rag_reason_the_sample_gives(story):
    """docs/board-deck.md's example of a RAG reason is the sample's, word for word."""
    from planner import rules

    plan, an = story
    body = " ".join((ROOT / "docs" / "board-deck.md").read_text(encoding="utf-8").split())
    example = re.search(r'one of each other kind first \("([^"]+)"\)', body).group(1)
    reasons = [rules.challenge_rag(plan, n, an.slips, an.finishes).reason
               for n in sorted(plan.challenges)]
    assert example in reasons, (example, reasons)


def test_the_documents_give_the_samples_slide_count(sample_copy, tmp_path):
    """The deck guide's speed table and the README's Performance row count the sample's slides."""
    from pptx import Presentation

    out = tmp_path / "deck.pptx"
    subprocess.run([sys.executable, str(ROOT / "main.py"), "export", str(sample_copy), "--pptx",
                    str(out)], capture_output=True, check=True, cwd=ROOT)
    slides = len(Presentation(str(out)).slides)
    guide = (ROOT / "docs" / "board-deck.md").read_text(encoding="utf-8")
    assert re.search(r"\| Northmoor sample \([^|]*\) \| (\d+) \|", guide).group(1) == str(slides)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"sample plan, {slides} slides" in readme


def _day(text: str) -> date:
    day, month, year = text.split()
    return date(int(year), MONTHS.index(month) + 1, int(day))


def test_the_sample_readme_states_the_plans_own_span_and_status_date(story):
    """sample_plans/README.md's opening gives the plan's start, end and status date and how many
    whole months the status date is after the start (it said "about 23 months into a
    three-year recovery programme": the plan runs 6 January 2025 to 29 September 2028)."""
    plan, _an = story
    s = plan.settings
    text = " ".join((ROOT / "sample_plans" / "README.md").read_text(encoding="utf-8").split())
    day = r"(\d{1,2} " + MONTH + r" \d{4})"
    found = re.search(r"(\d+) months into a recovery programme planned to run from " + day
                      + " to " + day + r" \(status date " + day + r"\)", text)
    assert found, "the README's opening sentence no longer states the plan's span"
    months, start, end, as_of = found.group(1), found.group(2), found.group(4), found.group(6)
    assert (_day(start), _day(end), _day(as_of)) == (s.start, s.end, s.as_of)
    whole = (s.as_of.year - s.start.year) * 12 + s.as_of.month - s.start.month \
        - (s.as_of.day < s.start.day)
    assert int(months) == whole
