"""Build the ``ten-challenges`` starter template (templates/ten-challenges.xlsx) from the data below.

The starter follows how recovery programmes usually run: governance first (a board champion, a
steering group with a lived-experience co-chair, a strategy), then a baseline self-assessment of
all ten challenges, then two to four typical initiatives per challenge, sequenced the way the
work tends to depend on itself (peer roles: prepare, recruit, employ, develop; a recovery college
pilot before the full college; co-delivered courses and safety-planning training both wait for
trained lived-experience trainers; employment support starts with a fidelity self-assessment).

The template has no dates: a plan made from it is scheduled from the start date the lead picks.
Owners are placeholder roles ("Recovery lead"), to be renamed as real people. Run:

    .venv/bin/python templates/build_ten_challenges.py
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.model import (Action, Dependency, Initiative, Measure, Milestone, Person, Phase,
                           Plan, Settings, ten_challenges)

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "ten-challenges.xlsx"

# Placeholder owners: key, name (a role, to be replaced by a real person), role, team.
PEOPLE = [
    ("lead", "Recovery lead", "staff", "Recovery programme"),
    ("champion", "Board recovery champion", "staff", "Board"),
    ("partner", "Lived-experience partnership lead", "peer worker", "Recovery programme"),
    ("training", "Training lead", "staff", "Learning and development"),
    ("college", "Recovery college manager", "staff", "Recovery college"),
    ("peer", "Peer workforce lead", "peer worker", "Workforce"),
    ("safety", "Patient safety lead", "staff", "Quality and safety"),
    ("clinical", "Clinical lead, community services", "staff", "Community services"),
    ("work", "Employment and housing lead", "staff", "Community services"),
    ("wellbeing", "Staff wellbeing lead", "staff", "Workforce"),
    ("hr", "HR business partner", "staff", "Workforce"),
]

PHASES = [(1, "Governance and baseline"), (2, "Foundations"), (3, "Building"),
          (4, "Embedding and review")]

# Initiatives: key, title, owner key, challenges, description.
INITIATIVES = [
    ("gov", "Governance and strategy", "champion", [4, 7],
     "Set up the structures that will own the programme and agree where it is heading."),
    ("base", "Baseline self-assessment", "lead", list(range(1, 11)),
     "Rate where the organisation stands on each challenge before choosing priorities, then "
     "re-rate once a year."),
    ("lang", "Hopeful language and supervision", "clinical", [1],
     "Make everyday conversations and supervision recovery-focused."),
    ("sdm", "Shared decision making", "clinical", [1, 5],
     "Decisions about care and treatment made with people, not for them."),
    ("path", "Pathway review", "clinical", [1],
     "Look again at referral, assessment and discharge through a recovery lens."),
    ("trainers", "Lived-experience trainer pool", "training", [2, 8],
     "A pool of people with lived experience, trained and paid to design and deliver training."),
    ("staffed", "Recovery training for every staff group", "training", [2],
     "Co-produced recovery training reaching every profession and grade."),
    ("pilot", "Recovery college pilot", "college", [3],
     "A pilot college for about a year, with courses co-designed and co-delivered."),
    ("fullcol", "Full recovery college", "college", [3],
     "The college established, open to self-referral, with individual learning plans."),
    ("prosp", "Growing the prospectus", "college", [3, 10],
     "More courses, more partners, more places to learn."),
    ("values", "Recovery values in HR, audit and policy", "hr", [4],
     "Recovery values written into how people are recruited, appraised and audited."),
    ("crisis", "Joint crisis plans and advance statements", "clinical", [5],
     "People write their own crisis plans and advance statements with their team."),
    ("selfman", "Self-management information", "partner", [5],
     "Information that helps people manage their own wellbeing, written with them."),
    ("budgets", "Personal budgets and advocacy", "lead", [5],
     "More control over money and more access to independent advocacy."),
    ("policy", "Safety planning policy", "safety", [6],
     "Move the risk policy from prediction towards safety plans written with people."),
    ("safetytrain", "Safety planning training", "safety", [6, 2],
     "Staff learn to write safety plans together with the person and to take positive risks."),
    ("safetyprac", "Safety plans in practice", "safety", [6],
     "Co-produced safety plans become the norm, checked by audit."),
    ("partnership", "Partnership structures", "partner", [7],
     "People with lived experience share power in decisions, from teams to the board."),
    ("coprod", "Co-production in everyday decisions", "partner", [7],
     "People with lived experience help decide on staff, services and changes, not only comment."),
    ("peerprep", "Peer workforce: prepare the organisation", "peer", [8],
     "Teams, job descriptions, HR policies and supervision ready before anyone is recruited."),
    ("peeremploy", "Peer workforce: recruit and employ", "peer", [8],
     "The first peer workers recruited, inducted and working in teams."),
    ("peerdev", "Peer workforce: develop and grow", "peer", [8, 9],
     "Peer supervision, training, progression and more peer roles."),
    ("wellbeing", "Staff wellbeing offer", "wellbeing", [9],
     "Support for the people who do the work."),
    ("lived", "Staff with lived experience", "wellbeing", [9],
     "An open culture where staff can bring their own experience safely."),
    ("ips", "Employment support (IPS)", "work", [10],
     "Employment support that follows the evidence, checked against the fidelity scale."),
    ("housing", "Housing partnership", "work", [10],
     "Settled housing treated as part of recovery, with local providers."),
    ("stigma", "Challenging stigma", "partner", [10, 7],
     "Work with employers and communities to challenge stigma."),
]

# Actions: key, initiative key, title, working days, challenges, owner key, phase,
#          co-produced, needs [(key, type, lag)], (control, opportunity, hope) check or None.
ACTIONS = [
    ("G1", "gov", "Appoint a board-level recovery champion", 10, [4], "champion", 1, False, [], None),
    ("G2", "gov", "Set up the recovery steering group with a lived-experience co-chair", 20,
     [4, 7], "lead", 1, True, [("G1", "FS", 0)], (1, 0, 1)),
    ("G3", "gov", "Agree the steering group's terms of reference and board reporting", 10, [4],
     "lead", 1, False, [("G2", "FS", 0)], None),
    ("G4", "gov", "Write the recovery strategy with people who use services", 60, [4, 7], "lead",
     1, True, [("G2", "FS", 0), ("B3", "SS", 0)], (1, 1, 1)),
    ("G5", "gov", "Board approves the recovery strategy", 5, [4], "champion", 1, False,
     [("G4", "FS", 0), ("B4", "FS", 0)], None),
    ("B1", "base", "Agree the self-assessment approach and rating panel", 10, [4, 7], "lead", 1,
     True, [("G2", "FS", 0)], None),
    ("B2", "base", "Gather evidence for each of the ten challenges", 30, list(range(1, 11)),
     "lead", 1, False, [("B1", "FS", 0)], None),
    ("B3", "base", "Hold the baseline rating workshop", 5, list(range(1, 11)), "partner", 1,
     True, [("B2", "FS", 0)], None),
    ("B4", "base", "Choose the first priorities and report the baseline to the board", 10, [4],
     "lead", 1, False, [("B3", "FS", 0)], None),
    ("B5", "base", "Re-rate every challenge a year on", 10, list(range(1, 11)), "lead", 4, True,
     [("B3", "FS", 240)], None),
    ("C1", "lang", "Co-produce a short guide to hopeful, recovery-focused language", 30, [1],
     "partner", 2, True, [("B4", "FS", 0)], (0, 0, 1)),
    ("C2", "lang", "Build recovery conversations into clinical supervision", 40, [1, 9],
     "clinical", 3, False, [("C1", "FS", 0)], (0, 0, 1)),
    ("C3", "sdm", "Pilot a shared decision-making tool in two community teams", 60, [1, 5],
     "clinical", 2, True, [("B4", "FS", 0)], (1, 0, 0)),
    ("C4", "sdm", "Roll out shared decision making across community teams", 120, [1, 5],
     "clinical", 3, False, [("C3", "FS", 0), ("T4", "FS", 0)], (1, 0, 0)),
    ("C5", "path", "Review referral, assessment and discharge with a recovery lens", 60, [1],
     "clinical", 2, True, [("B4", "FS", 0)], None),
    ("C6", "path", "Rewrite pathway documents and letters in plain, hopeful language", 40, [1],
     "clinical", 3, True, [("C5", "FS", 0), ("C1", "FS", 0)], (0, 0, 1)),
    ("T1", "trainers", "Recruit lived-experience trainers", 40, [2, 8], "training", 2, False,
     [("B4", "FS", 0)], (0, 1, 0)),
    ("T2", "trainers", "Train the trainers in co-design and co-delivery", 20, [2], "training", 2,
     True, [("T1", "FS", 0)], (0, 1, 1)),
    ("T3", "staffed", "Co-design the core recovery training module", 40, [2], "training", 2,
     True, [("T1", "SS", 10)], None),
    ("T4", "staffed", "Pilot the training with two teams and revise it", 30, [2], "training", 2,
     True, [("T3", "FS", 0), ("T2", "FS", 0)], None),
    ("T5", "staffed", "Roll out recovery training to every profession and grade", 180, [2, 1],
     "training", 3, True, [("T4", "FS", 0)], None),
    ("T6", "staffed", "Add recovery training to staff induction", 20, [2, 4], "training", 3,
     False, [("T4", "FS", 0)], None),
    ("R1", "pilot", "Agree the college model, funding and venue", 40, [3], "college", 2, False,
     [("B4", "FS", 0)], None),
    ("R2", "pilot", "Recruit the college manager and the first peer tutors", 40, [3, 8],
     "college", 2, False, [("R1", "FS", 0)], (0, 1, 0)),
    ("R3", "pilot", "Co-design the first prospectus", 30, [3], "college", 2, True,
     [("R2", "SS", 10)], (1, 1, 1)),
    ("R4", "pilot", "Run the pilot year of co-delivered courses", 220, [3], "college", 3, True,
     [("R3", "FS", 0), ("T2", "FS", 0)], (1, 1, 1)),
    ("R5", "pilot", "Evaluate the pilot, including a fidelity self-check", 30, [3], "college", 3,
     True, [("R4", "FS", 0)], None),
    ("R6", "fullcol", "Board decision on a full recovery college", 5, [3, 4], "champion", 3,
     False, [("R5", "FS", 0)], None),
    ("R7", "fullcol", "Open the full college with self-referral", 40, [3], "college", 4, True,
     [("R6", "FS", 0)], (1, 1, 1)),
    ("R8", "fullcol", "Introduce individual learning plans for students", 30, [3, 5], "college",
     4, True, [("R7", "SS", 20)], (1, 0, 1)),
    ("R9", "prosp", "Add courses co-designed with housing, employment and health partners", 60,
     [3, 10], "college", 4, True, [("R7", "FS", 0)], (0, 1, 0)),
    ("R10", "prosp", "Open community venues for the college", 60, [3, 10], "college", 4, False,
     [("R9", "SS", 20)], (0, 1, 0)),
    ("L1", "values", "Put recovery values into recruitment and appraisal", 60, [4], "hr", 2,
     True, [("G5", "FS", 0)], None),
    ("L2", "values", "Audit trust policies against recovery principles", 60, [4], "lead", 2,
     True, [("G5", "FS", 0)], None),
    ("L3", "values", "Add a recovery check to clinical audit", 40, [4, 1], "clinical", 3, False,
     [("L2", "FS", 0)], None),
    ("S1", "crisis", "Co-produce a joint crisis plan and advance statement template", 40, [5],
     "partner", 2, True, [("B4", "FS", 0)], (1, 0, 1)),
    ("S2", "crisis", "Train care coordinators in joint crisis planning", 60, [5, 2], "clinical",
     3, True, [("S1", "FS", 0), ("T2", "FS", 0)], (1, 0, 0)),
    ("S3", "crisis", "Offer joint crisis plans across community teams", 120, [5], "clinical", 3,
     False, [("S2", "FS", 0)], (1, 0, 1)),
    ("S4", "selfman", "Publish self-management information written with people who use services",
     40, [5], "partner", 2, True, [("B4", "FS", 0)], (1, 0, 1)),
    ("S5", "selfman", "Offer shared decisions about medication", 60, [5, 1], "clinical", 3,
     False, [("C3", "FS", 0)], (1, 0, 0)),
    ("S6", "budgets", "Agree a personal health budget pilot with commissioners", 60, [5],
     "lead", 3, False, [("G5", "FS", 0)], (1, 1, 0)),
    ("S7", "budgets", "Make independent advocacy easier to reach", 30, [5, 7], "partner", 2,
     True, [("B4", "FS", 0)], (1, 0, 0)),
    ("K1", "policy", "Review the risk policy with people who use services", 60, [6], "safety", 2,
     True, [("B4", "FS", 0)], (1, 0, 0)),
    ("K2", "policy", "Board approves the revised risk and safety planning policy", 5, [6, 4],
     "champion", 2, False, [("K1", "FS", 0)], None),
    ("K3", "safetytrain", "Co-design safety planning and positive risk training", 30, [6, 2],
     "safety", 2, True, [("K1", "SS", 20)], None),
    ("K4", "safetytrain", "Train clinical staff to write safety plans with people", 120, [6, 2],
     "safety", 3, True, [("K3", "FS", 0), ("T2", "FS", 0)], (1, 0, 1)),
    ("K5", "safetyprac", "Replace risk-prediction forms with co-produced safety plans in the record",
     40, [6], "safety", 3, False, [("K2", "FS", 0), ("K4", "SS", 20)], (1, 0, 1)),
    ("K6", "safetyprac", "Audit safety plans and positive risk decisions", 20, [6], "safety", 4,
     True, [("K5", "FS", 60)], None),
    ("E1", "partnership", "Agree a partnership framework and a payment policy for partners", 40,
     [7], "partner", 1, True, [("G2", "FS", 0)], (1, 1, 0)),
    ("E2", "partnership", "Bring lived-experience partners onto every programme board", 40, [7, 4],
     "partner", 2, True, [("E1", "FS", 0)], (1, 1, 1)),
    ("E3", "partnership", "Train partners and staff together in co-production", 30, [7, 2],
     "partner", 2, True, [("E2", "FS", 0)], None),
    ("E4", "partnership", "Review what partnership changed in decisions this year", 20, [7],
     "partner", 4, True, [("E3", "FS", 120)], None),
    ("E5", "coprod", "Put lived-experience members on interview panels for clinical posts", 30,
     [7, 4], "partner", 2, True, [("E1", "FS", 0)], (1, 1, 0)),
    ("E6", "coprod", "Publish a co-production toolkit for service changes", 40, [7], "partner", 3,
     True, [("E3", "FS", 0)], None),
    ("W1", "peerprep", "Prepare teams, job descriptions and HR policies for peer roles", 60, [8],
     "peer", 2, True, [("G5", "FS", 0)], None),
    ("W2", "peerprep", "Agree peer supervision and a career structure", 30, [8, 9], "peer", 2,
     True, [("W1", "SS", 20)], None),
    ("W3", "peeremploy", "Recruit the first peer workers", 60, [8], "hr", 3, True,
     [("W1", "FS", 0)], (0, 1, 1)),
    ("W4", "peeremploy", "Induct peer workers and start them in teams", 40, [8], "peer", 3, True,
     [("W3", "FS", 0)], (0, 1, 1)),
    ("W5", "peerdev", "Start peer supervision and development", 20, [8, 9], "peer", 3, True,
     [("W4", "FS", 0), ("W2", "FS", 0)], None),
    ("W6", "peerdev", "Set up accredited peer training and progression routes", 60, [8, 2],
     "peer", 4, True, [("W5", "FS", 0)], (0, 1, 1)),
    ("W7", "peerdev", "Extend peer roles to more teams", 120, [8], "peer", 4, False,
     [("W6", "SS", 20)], (0, 1, 1)),
    ("H1", "wellbeing", "Map staff wellbeing support and where it falls short", 30, [9],
     "wellbeing", 2, False, [("B4", "FS", 0)], None),
    ("H2", "wellbeing", "Co-design a wellness and recovery plan for staff", 30, [9],
     "wellbeing", 2, True, [("H1", "FS", 0)], (1, 0, 1)),
    ("H3", "wellbeing", "Launch reflective practice and supervision standards", 40, [9, 1],
     "wellbeing", 3, False, [("H2", "FS", 0)], None),
    ("H4", "lived", "Set up a network for staff with lived experience", 30, [9, 8], "wellbeing",
     2, True, [("B4", "FS", 0)], (1, 0, 1)),
    ("H5", "lived", "Revise reasonable adjustments and disclosure guidance", 40, [9], "hr", 3,
     True, [("H4", "FS", 0)], (1, 1, 0)),
    ("J1", "ips", "Self-assess the employment service against the IPS fidelity scale", 20, [10],
     "work", 2, False, [("B4", "FS", 0)], None),
    ("J2", "ips", "Close the gaps found by the fidelity self-assessment", 60, [10], "work", 2,
     False, [("J1", "FS", 0)], (0, 1, 0)),
    ("J3", "ips", "Independent IPS fidelity review", 10, [10], "work", 3, False,
     [("J2", "FS", 0)], None),
    ("J4", "ips", "Place employment specialists in every community team", 120, [10], "work", 3,
     False, [("J3", "FS", 0)], (0, 1, 1)),
    ("J5", "housing", "Agree a housing partnership with local providers", 60, [10], "work", 2,
     False, [("B4", "FS", 0)], (0, 1, 0)),
    ("J6", "housing", "Make housing part of every care plan review", 40, [10, 5], "work", 3,
     False, [("J5", "FS", 0)], (1, 1, 0)),
    ("J7", "stigma", "Run an anti-stigma campaign with local employers", 60, [10, 7], "partner",
     3, True, [("J1", "SS", 0)], (0, 1, 1)),
]

# Milestones: title, action key, owner key, governance?
MILESTONES = [
    ("Steering group meets for the first time", "G2", "lead", True),
    ("Baseline self-assessment reported to the board", "B4", "lead", True),
    ("Board approves the recovery strategy", "G5", "champion", True),
    ("Trainer pool ready to co-deliver", "T2", "training", False),
    ("Recovery college pilot opens", "R3", "college", False),
    ("Board decision on the full college", "R6", "champion", True),
    ("Revised risk and safety planning policy approved", "K2", "champion", True),
    ("First peer workers in post", "W4", "peer", False),
    ("Independent IPS fidelity review reported", "J3", "work", True),
    ("Annual re-assessment reported to the board", "B5", "lead", True),
]

# Measures: name, kind, unit, direction, source, challenges.
MEASURES = [
    ("Average QPR score (personal recovery)", "subjective", "score 0-60", "higher",
     "Questionnaire about the Process of Recovery, offered at care reviews", [1, 5]),
    ("INSPIRE brief score", "subjective", "score 0-100", "higher",
     "INSPIRE brief (5 items), offered at care reviews", [1]),
    ("Staff who completed co-produced recovery training", "objective", "%", "higher",
     "Training records", [2]),
    ("Recovery college enrolments", "objective", "students per month", "higher",
     "College registrations", [3]),
    ("Policies reviewed against recovery principles", "objective", "%", "higher",
     "Policy audit", [4]),
    ("People with a joint crisis plan", "objective", "%", "higher", "Clinical record audit", [5]),
    ("People with a co-produced safety plan", "objective", "%", "higher",
     "Clinical record audit", [6]),
    ("Restraint", "objective", "hours per month", "lower", "Incident reporting system", [6]),
    ("Programme board seats held by lived-experience partners", "objective", "%", "higher",
     "Programme office", [7]),
    ("Peer workers", "objective", "WTE", "higher", "HR establishment", [8]),
    ("Staff wellbeing score", "subjective", "score 0-10", "higher", "Quarterly pulse survey", [9]),
    ("People in paid employment", "objective", "%", "higher", "Mental health services data", [10]),
    ("People in settled accommodation", "objective", "%", "higher",
     "Mental health services data", [10]),
]


def build_plan(name: str = "Recovery implementation plan (ten challenges)") -> Plan:
    """The starter plan as an in-memory Plan (ids: people P1.., initiatives I1.., actions A1..)."""
    plan = Plan(settings=Settings(name=name))
    plan.challenges = ten_challenges()
    pid = {}
    for i, (key, pname, role, team) in enumerate(PEOPLE, start=1):
        pid[key] = f"P{i}"
        plan.people[f"P{i}"] = Person(f"P{i}", pname, role, team)
    for number, pname in PHASES:
        plan.phases[number] = Phase(number, pname)
    iid = {}
    for i, (key, title, owner, challenges, description) in enumerate(INITIATIVES, start=1):
        iid[key] = f"I{i}"
        plan.initiatives[f"I{i}"] = Initiative(f"I{i}", title, description, pid[owner],
                                               list(challenges))
    aid = {row[0]: f"A{i}" for i, row in enumerate(ACTIONS, start=1)}
    for key, init, title, days, challenges, owner, phase, cop, needs, check in ACTIONS:
        a = Action(aid[key], title, initiative=iid[init], owner=pid[owner],
                   challenges=list(challenges), duration=days, phase=phase, coproduced=cop)
        if check:
            a.check_control, a.check_opportunity, a.check_hope = check
        plan.actions[a.id] = a
        for other, kind, lag in needs:
            d = Dependency(a.id, aid[other], kind, lag)
            plan.dependencies[d.uid] = d
    for i, (title, action, owner, gov) in enumerate(MILESTONES, start=1):
        plan.milestones[f"M{i}"] = Milestone(f"M{i}", title, pid[owner], aid[action],
                                             governance=gov)
    for i, (mname, kind, unit, direction, source, challenges) in enumerate(MEASURES, start=1):
        plan.measures[f"OM{i}"] = Measure(f"OM{i}", mname, kind, unit, direction, source,
                                          list(challenges))
    return plan


def action_keys() -> dict[str, str]:
    """The template's short action keys ("G1", "R4", ...) mapped to plan action ids."""
    return {row[0]: f"A{i}" for i, row in enumerate(ACTIONS, start=1)}


def main() -> None:
    """Write templates/ten-challenges.xlsx."""
    from planner.xlsx import write_workbook

    plan = build_plan()
    # The record identities written here are replaced by fresh ones each time a plan is made
    # from the template (planner.templates.load_template), so two plans never share them.
    write_workbook(plan, OUTPUT)
    print(f"wrote {OUTPUT} ({len(plan.actions)} actions, {len(plan.dependencies)} links, "
          f"{len(plan.milestones)} milestones, {len(plan.measures)} measures)")


if __name__ == "__main__":
    main()
