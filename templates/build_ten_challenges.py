"""Build the ``ten-challenges`` starter template (templates/ten-challenges.xlsx) from the data below.

The starter follows how recovery programmes usually run: governance first (a board champion, a
steering group with a lived-experience co-chair, a strategy), then a baseline self-assessment of
all ten challenges, then two to four typical initiatives per challenge, sequenced the way the
work tends to depend on itself:

* peer roles: HR and occupational health get ready first, then recruit, employ, develop; every
  peer hire (college peer tutors included) waits for that preparation;
* a recovery college pilot before the full college, run jointly by a peer educator and a
  clinician; its courses wait for its own peer tutors to be recruited and trained (not for the
  staff trainer pool), and it seeks accreditation from a local education provider;
* new safety-plan forms replace the old risk forms only once training has reached most clinical
  staff;
* employment support starts with a fidelity self-assessment, then employment specialists are
  placed in teams, and only then comes the independent fidelity review;
* after the baseline, the work starts in waves (first priorities at once, the rest 4 and 8 weeks
  later) so no owner carries more than their capacity on day one.

Each initiative carries a short rationale (why it comes in this order), shown in the window and
on the workbook's Initiatives sheet. Actions carry tags (planner/domain_checks.py) so the practice
checks recognise them.

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
    ("college", "Recovery college co-managers (peer educator and clinician)", "peer worker",
     "Recovery college"),
    ("peer", "Peer workforce lead", "peer worker", "Workforce"),
    ("safety", "Patient safety lead", "staff", "Quality and safety"),
    ("clinical", "Clinical lead, community services", "staff", "Community services"),
    ("work", "Employment and housing lead", "staff", "Community services"),
    ("wellbeing", "Staff wellbeing lead", "staff", "Workforce"),
    ("hr", "HR business partner", "staff", "Workforce"),
    ("ohs", "Occupational health lead", "staff", "Workforce"),
    ("carers", "Carers lead", "carer", "Community services"),
    ("comms", "Communications lead", "staff", "Communications"),
    ("forensic", "Clinical lead, secure services", "staff", "Secure services"),
    ("quality", "Head of quality and audit", "staff", "Quality and safety"),
]

PHASES = [(1, "Governance and baseline"), (2, "Foundations"), (3, "Building"),
          (4, "Embedding and review")]

# Initiatives: key, title, owner key, challenges, description, rationale (why this order).
INITIATIVES = [
    ("gov", "Governance and strategy", "champion", [4, 7],
     "Set up the structures that will own the programme and agree where it is heading.",
     "First: without a champion and a steering group nobody owns the changes that follow, and "
     "the strategy needs the baseline to say where to start."),
    ("base", "Baseline self-assessment", "lead", [4, 1, 2, 3, 5, 6, 7, 8, 9, 10],
     "Rate where the organisation stands on each challenge before choosing priorities, then "
     "re-rate once a year.",
     "Right after the steering group forms: priorities chosen without a baseline rest on "
     "guesses, and the yearly re-rating shows the board what moved."),
    ("lang", "Hopeful language, in care and in public", "clinical", [1],
     "Make everyday conversations, supervision and what the trust says in public "
     "recovery-focused.",
     "Early and cheap: a shared language guide is the ground every later document, course and "
     "public statement is written on."),
    ("sdm", "Shared decisions and choice", "clinical", [1, 5],
     "Decisions about care and treatment made with people, including a choice of clinician "
     "and of treatment.",
     "Piloted in two teams before rolling out, and the roll-out waits for recovery training so "
     "staff have the skills it asks for."),
    ("path", "Pathway review", "clinical", [1],
     "Look again at referral, assessment and discharge through a recovery lens.",
     "In the second wave: the review needs the language guide to rewrite letters and forms."),
    ("trainers", "Lived-experience trainer pool", "training", [2],
     "A pool of people with lived experience, trained and paid to design and deliver staff "
     "training.",
     "A first priority: every co-produced staff course, crisis-planning and safety-planning "
     "training waits for trained trainers."),
    ("staffed", "Recovery training for every staff group", "training", [2],
     "Co-produced recovery training reaching every profession and grade, with staff recovery "
     "knowledge measured before and after.",
     "Piloted, revised, then rolled out once trainers are trained; practice changes (safety "
     "plans, shared decisions) follow once most staff are reached."),
    ("pilot", "Recovery college pilot", "college", [3],
     "A pilot college for about a year, run jointly by a peer educator and a clinician, with "
     "courses co-designed and co-delivered by its own peer tutors.",
     "The college model comes first; its peer tutors are recruited once HR is ready for peer "
     "roles and trained before the first course runs."),
    ("fullcol", "Full recovery college", "college", [3],
     "The college established, open to self-referral, with individual learning plans and "
     "courses accredited through a local education provider.",
     "Only after the pilot is evaluated and the board decides; accreditation is sought once "
     "courses have run long enough to be assessed."),
    ("prosp", "Growing the prospectus", "college", [3, 10],
     "More courses, more partners, more places to learn; training for peer professionals "
     "through the college.",
     "Last: partners join a college that already works, and the college trains the peer "
     "workforce once its own tutors are established."),
    ("values", "Recovery values in HR, audit and policy", "quality", [4],
     "Recovery values written into how people are recruited, appraised and audited, with audit "
     "and survey results fed back to the people they concern.",
     "After the strategy is approved (it says what the values are); feedback starts once the "
     "first audit has something to report."),
    ("commission", "Outcomes agreed with commissioners", "lead", [4, 10],
     "Outcome measures and improvement targets agreed with commissioners and reported against.",
     "Once the baseline gives real starting figures: targets set before it are guesses."),
    ("crisis", "Joint crisis plans and advance statements", "clinical", [5],
     "People write their own crisis plans and advance statements with their team.",
     "The template is co-produced first; training waits for the trainer pool, and the offer "
     "across teams waits for training."),
    ("selfman", "Self-management information", "partner", [5],
     "Information that helps people manage their own wellbeing, written with them.",
     "Second wave: written with people once the language guide exists."),
    ("budgets", "Personal budgets and advocacy", "lead", [5],
     "More control over money and more access to independent advocacy.",
     "Needs the approved strategy to negotiate with commissioners."),
    ("carers", "Carers and families as partners", "carers", [5, 7],
     "Carers and families involved in care and in the programme, with their own support.",
     "Second wave, alongside crisis planning, which carers often help write."),
    ("policy", "Safety planning policy", "safety", [6],
     "Move the risk policy from prediction towards safety plans written with people.",
     "A first priority: training and new forms both rest on the revised policy."),
    ("safetytrain", "Safety planning training", "safety", [6, 2],
     "Staff learn to write safety plans together with the person and to take positive risks.",
     "Waits for the trainer pool and the policy draft."),
    ("safetyprac", "Safety plans in practice", "safety", [6],
     "Co-produced safety plans become the norm, checked by audit.",
     "Forms change only once training has reached most clinical staff, then audit follows."),
    ("forensic", "Recovery in secure and high-risk settings", "forensic", [6, 1],
     "Recovery practice adapted for forensic and other high-risk settings: safety plans, leave, "
     "college access and restrictive practice.",
     "After the revised policy, so secure wards adapt the trust-wide approach rather than "
     "write their own."),
    ("partnership", "Partnership structures", "partner", [7],
     "People with lived experience share power in decisions, from teams to the executive team.",
     "Starts with the steering group: the payment policy must exist before partners are asked "
     "to give their time."),
    ("coprod", "Co-production in everyday decisions", "partner", [7],
     "People with lived experience help decide on staff, services and changes, not only comment.",
     "Follows the partnership framework, which sets how partners are paid and supported."),
    ("workforce", "Workforce skill mix and lived experience in care", "peer", [8],
     "The whole workforce reshaped: skill mix reviewed team by team, a growing share of care "
     "given by people employed for their lived experience, HR and occupational health ready.",
     "Straight after the strategy: skill mix, HR and occupational health readiness come before "
     "any peer hire."),
    ("peeremploy", "Peer roles: recruit and employ", "peer", [8],
     "The first peer workers recruited, inducted and working in teams.",
     "Only once HR, occupational health and supervision are ready for peer roles."),
    ("peerdev", "Peer roles: develop and grow", "peer", [8, 9],
     "Peer supervision, training, progression and more peer roles.",
     "Once the first peer workers are in teams; accredited training comes through the college."),
    ("wellbeing", "Staff wellbeing offer", "wellbeing", [9],
     "Support for the people who do the work.",
     "Second wave: map what exists before designing anything new."),
    ("lived", "Staff with lived experience", "wellbeing", [9],
     "An open culture where staff can bring their own experience safely.",
     "Third wave, with occupational health, so disclosure is met with real adjustments."),
    ("ips", "Employment support (IPS)", "work", [10],
     "Employment support that follows the evidence, checked against the fidelity scale.",
     "Self-assessment first, then specialists placed in teams, then an independent review of a "
     "service that is actually running."),
    ("housing", "Housing partnership", "work", [10],
     "Settled housing treated as part of recovery, with local providers.",
     "Second wave, once the employment work has started under the same lead."),
    ("stigma", "Challenging stigma, outside and within services", "partner", [10, 2],
     "Work with employers and communities to challenge stigma, and face the stigma inside the "
     "trust's own services.",
     "After the language guide and once the employment work has begun, so campaigns have "
     "something to point to."),
]

# Actions: key, initiative key, title, working days, challenges, owner key, phase,
#          co-produced, needs [(key, type, lag)], (control, opportunity, hope) check or None.
# After the baseline (B4) the work starts in three waves: first priorities at once, the second
# wave 20 working days later, the third 40 days later, so owners are not all loaded on one day.
BASELINE_CHALLENGES = [4, 1, 2, 3, 5, 6, 7, 8, 9, 10]  # filed under 4 (governance), serving all
W2 = ("B4", "FS", 20)
W3 = ("B4", "FS", 40)
ACTIONS = [
    ("G1", "gov", "Appoint a board-level recovery champion", 10, [4], "champion", 1, False, [], None),
    ("G2", "gov", "Set up the recovery steering group with a lived-experience co-chair", 20,
     [4], "lead", 1, True, [("G1", "FS", 0)], (1, 0, 1)),
    ("G3", "gov", "Agree the steering group's terms of reference and board reporting", 10, [4],
     "champion", 1, True, [("G2", "FS", 0)], None),
    ("G4", "gov", "Write the recovery strategy with people who use services", 60, [4, 7], "lead",
     1, True, [("G2", "FS", 0), ("B3", "SS", 0)], (1, 1, 1)),
    ("G5", "gov", "Board approves the recovery strategy", 5, [4], "champion", 1, False,
     [("G4", "FS", 0), ("B4", "FS", 0)], None),
    ("B1", "base", "Agree the self-assessment approach and rating panel", 10, [4, 7], "lead", 1,
     True, [("G2", "FS", 0)], None),
    ("B2", "base", "Gather evidence for each of the ten challenges", 30, BASELINE_CHALLENGES,
     "quality", 1, False, [("B1", "FS", 0)], None),
    ("B3", "base", "Hold the baseline rating workshop", 5, BASELINE_CHALLENGES, "partner", 1,
     True, [("B2", "FS", 0)], None),
    ("B4", "base", "Choose the first priorities and report the baseline to the board", 10, [4],
     "lead", 1, True, [("B3", "FS", 0)], None),
    ("B5", "base", "Re-rate every challenge a year on and report it to the board", 10, [4],
     "lead", 4, True,
     [("B3", "FS", 240)], None),
    ("C1", "lang", "Co-produce a short guide to hopeful, recovery-focused language", 30, [1],
     "partner", 2, True, [("B4", "FS", 0)], (0, 0, 1)),
    ("C2", "lang", "Build recovery conversations into clinical supervision", 40, [1, 9],
     "clinical", 3, False, [("C1", "FS", 0)], (0, 0, 1)),
    ("C7", "lang", "Review the trust's public statements, website and leaflets for hopeful, "
     "non-stigmatising language", 30, [1, 10], "comms", 2, True, [("C1", "FS", 0)], (0, 0, 1)),
    ("C3", "sdm", "Pilot a shared decision-making tool in two community teams", 60, [1, 5],
     "clinical", 2, True, [W3], (1, 0, 0)),
    ("C4", "sdm", "Roll out shared decision making across community teams", 120, [1, 5],
     "clinical", 3, False, [("C3", "FS", 0), ("T4", "FS", 0)], (1, 0, 0)),
    ("C8", "sdm", "Offer a choice of clinician and of treatment, and record the choice", 40,
     [5, 1], "clinical", 3, True, [("C3", "FS", 0)], (1, 1, 0)),
    ("C5", "path", "Review referral, assessment and discharge with a recovery lens", 60, [1],
     "clinical", 2, True, [W2], None),
    ("C6", "path", "Rewrite pathway documents and letters in plain, hopeful language", 40, [1],
     "comms", 3, True, [("C5", "FS", 0), ("C1", "FS", 0)], (0, 0, 1)),
    ("T1", "trainers", "Recruit lived-experience trainers", 40, [2], "training", 2, True,
     [("B4", "FS", 0)], (0, 1, 0)),
    ("T2", "trainers", "Train the trainers in co-design and co-delivery", 20, [2], "training", 2,
     True, [("T1", "FS", 0)], (0, 1, 1)),
    ("T3", "staffed", "Co-design the core recovery training module", 40, [2], "training", 2,
     True, [("T1", "SS", 10)], None),
    ("T4", "staffed", "Pilot the training with two teams and revise it", 30, [2], "training", 2,
     True, [("T3", "FS", 0), ("T2", "FS", 0)], None),
    ("T5", "staffed", "Roll out recovery training to every profession and grade", 180, [2],
     "training", 3, True, [("T4", "FS", 0)], None),
    ("T6", "staffed", "Add recovery training to staff induction", 20, [2, 4], "training", 3,
     False, [("T4", "FS", 0)], None),
    ("T7", "staffed", "Measure staff recovery knowledge before and after training", 20, [2],
     "training", 3, True, [("T4", "SS", 0)], None),
    ("R1", "pilot", "Agree the college model, funding, venue and joint peer-clinician "
     "management", 40, [3], "college", 2, True, [("B4", "FS", 0)], None),
    ("R2", "pilot", "Recruit the college's first peer tutors", 40, [3, 8], "college", 2, True,
     [("R1", "FS", 0), ("W1", "FS", 0)], (0, 1, 0)),
    ("R11", "pilot", "Train the college's peer tutors in co-design and adult teaching", 20, [3],
     "college", 2, True, [("R2", "FS", 0)], (0, 1, 1)),
    ("R3", "pilot", "Co-design the first prospectus", 30, [3], "college", 2, True,
     [("R2", "SS", 10)], (1, 1, 1)),
    ("R4", "pilot", "Run the pilot year of co-delivered courses", 220, [3], "college", 3, True,
     [("R3", "FS", 0), ("R11", "FS", 0)], (1, 1, 1)),
    ("R5", "pilot", "Evaluate the pilot, including a fidelity self-check", 30, [3], "college", 3,
     True, [("R4", "FS", 0)], None),
    ("R6", "fullcol", "Board decision on a full recovery college", 5, [3], "champion", 3,
     False, [("R5", "FS", 0)], None),
    ("R7", "fullcol", "Open the full college with self-referral", 40, [3], "college", 4, True,
     [("R6", "FS", 0)], (1, 1, 1)),
    ("R8", "fullcol", "Introduce individual learning plans for students", 30, [3, 5], "college",
     4, True, [("R7", "SS", 20)], (1, 0, 1)),
    ("R12", "fullcol", "Seek accreditation of college courses with a local education provider",
     60, [3], "college", 4, True, [("R5", "FS", 0)], (0, 1, 1)),
    ("R9", "prosp", "Add courses co-designed with housing, employment and health partners", 60,
     [3, 10], "college", 4, True, [("R7", "FS", 0)], (0, 1, 0)),
    ("R10", "prosp", "Open community venues for the college", 60, [3, 10], "college", 4, False,
     [("R9", "SS", 20)], (0, 1, 0)),
    ("L1", "values", "Put recovery values into recruitment and appraisal", 60, [4], "hr", 2,
     True, [("G5", "FS", 0)], None),
    ("L2", "values", "Audit trust policies against recovery principles", 60, [4], "quality", 2,
     True, [("G5", "FS", 0)], None),
    ("L3", "values", "Add a recovery check to clinical audit", 40, [4, 1], "quality", 3, False,
     [("L2", "FS", 0)], None),
    ("L4", "values", "Feed audit and survey results back to teams, people who use services and "
     "the board every quarter", 20, [4, 7], "quality", 3, True, [("L3", "FS", 0)], (1, 0, 1)),
    ("O1", "commission", "Agree outcome measures and improvement targets with commissioners",
     40, [4, 10], "lead", 2, True, [("G5", "FS", 0)], None),
    ("S1", "crisis", "Co-produce a joint crisis plan and advance statement template", 40, [5],
     "partner", 2, True, [W2], (1, 0, 1)),
    ("S2", "crisis", "Train care coordinators in joint crisis planning", 60, [5, 2], "training",
     3, True, [("S1", "FS", 0), ("T2", "FS", 0)], (1, 0, 0)),
    ("S3", "crisis", "Offer joint crisis plans across community teams", 120, [5], "clinical", 3,
     False, [("S2", "FS", 0)], (1, 0, 1)),
    ("S4", "selfman", "Publish self-management information written with people who use services",
     40, [5], "partner", 2, True, [("C1", "FS", 0)], (1, 0, 1)),
    ("S6", "budgets", "Agree a personal health budget pilot with commissioners", 60, [5],
     "lead", 3, False, [("G5", "FS", 0)], (1, 1, 0)),
    ("S7", "budgets", "Make independent advocacy easier to reach", 30, [5, 7], "carers", 2,
     True, [W3], (1, 0, 0)),
    ("F1", "carers", "Agree a carers' offer: information, support and a voice in care plans",
     40, [5, 7], "carers", 2, True, [W2], (1, 1, 1)),
    ("F2", "carers", "Open college courses and training sessions to carers and families", 30,
     [5, 3], "carers", 3, True, [("F1", "FS", 0), ("R4", "SS", 20)], (0, 1, 1)),
    ("K1", "policy", "Review the risk policy with people who use services", 60, [6], "safety", 2,
     True, [("B4", "FS", 0)], (1, 0, 0)),
    ("K2", "policy", "Board approves the revised risk and safety planning policy", 5, [6],
     "champion", 2, False, [("K1", "FS", 0)], None),
    ("K3", "safetytrain", "Co-design safety planning and positive risk training", 30, [6, 2],
     "safety", 2, True, [("K1", "SS", 20)], None),
    ("K4", "safetytrain", "Train clinical staff to write safety plans with people", 120, [6, 2],
     "safety", 3, True, [("K3", "FS", 0), ("T2", "FS", 0)], (1, 0, 1)),
    ("K5", "safetyprac", "Replace risk-prediction forms with co-produced safety plans in the record",
     40, [6], "safety", 3, False, [("K2", "FS", 0), ("K4", "SS", 100)], (1, 0, 1)),
    ("K6", "safetyprac", "Audit safety plans and positive risk decisions", 20, [6], "quality", 4,
     True, [("K5", "FS", 60)], None),
    ("X1", "forensic", "Adapt safety planning, leave and restrictive practice for secure wards",
     60, [6, 1], "forensic", 3, True, [("K2", "FS", 0)], (1, 1, 1)),
    ("X2", "forensic", "Offer recovery college courses on secure wards", 40, [6, 3], "forensic",
     3, True, [("X1", "SS", 20), ("R4", "SS", 40)], (0, 1, 1)),
    ("E1", "partnership", "Agree a partnership framework and a payment policy for partners", 40,
     [7], "partner", 1, True, [("G2", "FS", 0)], (1, 1, 0)),
    ("E2", "partnership", "Bring lived-experience partners onto every programme board", 40, [7],
     "partner", 2, True, [("E1", "FS", 0)], (1, 1, 1)),
    ("E3", "partnership", "Train partners and staff together in co-production", 30, [7, 2],
     "partner", 2, True, [("E2", "FS", 0)], None),
    ("E4", "partnership", "Review what partnership changed in decisions this year", 20, [7],
     "partner", 4, True, [("E3", "FS", 120)], None),
    ("E7", "partnership", "Create a lived-experience director role in the executive team", 60,
     [7, 4], "champion", 3, True, [("E2", "FS", 0)], (1, 1, 1)),
    ("E5", "coprod", "Put lived-experience members on interview panels for clinical posts", 30,
     [7, 4], "hr", 2, True, [("E1", "FS", 0)], (1, 1, 0)),
    ("E6", "coprod", "Publish a co-production toolkit for service changes", 40, [7], "partner", 3,
     True, [("E3", "FS", 0)], None),
    ("W8", "workforce", "Review every team's skill mix and set the share of care to be given by "
     "people employed for their lived experience", 40, [8], "peer", 2, True, [("G5", "FS", 0)],
     (0, 1, 1)),
    ("W1", "workforce", "Prepare teams, job descriptions and HR policies for peer roles", 60, [8],
     "hr", 2, True, [("W8", "SS", 10)], None),
    ("W9", "workforce", "Occupational health ready to support staff employed for their lived "
     "experience (adjustments, return to work)", 40, [8, 9], "ohs", 2, True, [("W1", "SS", 10)],
     (1, 1, 0)),
    ("W2", "workforce", "Agree peer supervision and a career structure", 30, [8, 9], "peer", 2,
     True, [("W1", "SS", 20)], None),
    ("W3", "peeremploy", "Recruit the first peer workers", 60, [8], "hr", 3, True,
     [("W1", "FS", 0), ("W9", "FS", 0)], (0, 1, 1)),
    ("W4", "peeremploy", "Induct peer workers and start them in teams", 40, [8], "peer", 3, True,
     [("W3", "FS", 0)], (0, 1, 1)),
    ("W5", "peerdev", "Start peer supervision and development", 20, [8, 9], "peer", 3, True,
     [("W4", "FS", 0), ("W2", "FS", 0)], None),
    ("W6", "peerdev", "Train peer professionals through the college's accredited courses", 60,
     [8, 3], "peer", 4, True, [("W5", "FS", 0), ("R7", "FS", 0)], (0, 1, 1)),
    ("W7", "peerdev", "Extend peer roles to more teams", 120, [8], "peer", 4, False,
     [("W6", "SS", 20)], (0, 1, 1)),
    ("H1", "wellbeing", "Map staff wellbeing support and where it falls short", 30, [9],
     "wellbeing", 2, False, [W2], None),
    ("H2", "wellbeing", "Co-design a wellness and recovery plan for staff", 30, [9],
     "wellbeing", 2, True, [("H1", "FS", 0)], (1, 0, 1)),
    ("H3", "wellbeing", "Launch reflective practice and supervision standards", 40, [9, 1],
     "wellbeing", 3, False, [("H2", "FS", 0)], None),
    ("H4", "lived", "Set up a network for staff with lived experience", 30, [9, 8], "wellbeing",
     2, True, [W3], (1, 0, 1)),
    ("H5", "lived", "Revise reasonable adjustments and disclosure guidance", 40, [9], "ohs", 3,
     True, [("H4", "FS", 0), ("W9", "FS", 0)], (1, 1, 0)),
    ("J1", "ips", "Self-assess the employment service against the IPS fidelity scale", 20, [10],
     "work", 2, True, [("B4", "FS", 0)], None),
    ("J2", "ips", "Close the gaps found by the fidelity self-assessment", 60, [10], "work", 2,
     False, [("J1", "FS", 0)], (0, 1, 0)),
    ("J4", "ips", "Place employment specialists in every community team", 120, [10], "work", 3,
     False, [("J2", "FS", 0)], (0, 1, 1)),
    ("J3", "ips", "Independent IPS fidelity review", 10, [10], "work", 3, False,
     [("J4", "FS", 0)], None),
    ("J5", "housing", "Agree a housing partnership with local providers", 60, [10], "work", 2,
     True, [("J1", "FS", 0)], (0, 1, 0)),
    ("J6", "housing", "Make housing part of every care plan review", 40, [10, 5], "work", 3,
     False, [("J5", "FS", 0)], (1, 1, 0)),
    ("J7", "stigma", "Run an anti-stigma campaign with local employers", 60, [10, 7], "comms",
     3, True, [("J2", "SS", 0), ("C7", "FS", 0)], (0, 1, 1)),
    ("J8", "stigma", "Face stigma within services: a staff attitudes survey and sessions "
     "co-delivered by people with lived experience", 40, [10, 2], "partner", 3, True,
     [("T2", "FS", 0), ("C1", "FS", 0)], (1, 0, 1)),
]

# What kind of step each action is, so the practice checks (planner/domain_checks.py) know it.
TAGS = {
    "G1": "governance", "G2": "governance", "G3": "governance", "G5": "governance",
    "B1": "baseline-assessment", "B2": "baseline-assessment", "B3": "baseline-assessment",
    "B4": "baseline-assessment", "B5": "baseline-assessment",
    "W1": "hr-readiness", "W9": "hr-readiness", "R2": "peer-hire", "W3": "peer-hire",
    "R11": "peer-tutor-training", "R4": "co-delivered-course", "T5": "staff-training",
    "K4": "staff-training", "K5": "form-change", "K1": "policy-change", "K2": "policy-change",
    "J3": "ips-fidelity-review", "J4": "employment-specialists",
}

# Milestones: title, action key, owner key, governance?
MILESTONES = [
    ("Steering group meets for the first time", "G2", "lead", True),
    ("Baseline self-assessment reported to the board", "B4", "lead", True),
    ("Board approves the recovery strategy", "G5", "champion", True),
    ("Trainer pool ready to co-deliver", "T2", "training", False),
    ("College peer tutors trained; pilot ready to open", "R11", "college", False),
    ("Board decision on the full college", "R6", "champion", True),
    ("Revised risk and safety planning policy approved", "K2", "champion", True),
    ("First peer workers in post", "W4", "peer", False),
    ("Independent IPS fidelity review reported", "J3", "work", True),
    ("Annual re-assessment reported to the board", "B5", "lead", True),
]

# Measures: name, kind, unit, direction, source, challenges, type, denominator
# (planner/catalogue.py has these and more; a cumulative measure is shown on a run chart).
MEASURES = [
    ("Average QPR score (personal recovery)", "subjective", "score 0-60", "higher",
     "Questionnaire about the Process of Recovery, offered at care reviews", [1, 5], "score", ""),
    ("INSPIRE brief score", "subjective", "score 0-100", "higher",
     "INSPIRE brief (5 items), offered at care reviews", [1], "score", ""),
    ("Staff who completed co-produced recovery training (so far)", "objective", "%", "higher",
     "Training records", [2], "cumulative", "of all clinical staff in post"),
    ("Staff recovery knowledge (RKI score)", "subjective", "score", "higher",
     "Recovery Knowledge Inventory, before and after training", [2], "score", ""),
    ("Recovery college enrolments", "objective", "students per month", "higher",
     "College registrations", [3], "count", ""),
    ("Policies reviewed against recovery principles (so far)", "objective", "%", "higher",
     "Policy audit", [4], "cumulative", "of trust clinical policies"),
    ("People with a joint crisis plan", "objective", "%", "higher", "Clinical record audit", [5],
     "rate", "of people on community caseloads"),
    ("People with a co-produced safety plan", "objective", "%", "higher",
     "Clinical record audit", [6], "rate", "of people with an open risk assessment"),
    ("Restrictive interventions per 1,000 occupied bed days", "objective", "per 1,000 OBD",
     "lower", "Incident reporting and bed-management data", [6], "rate",
     "per 1,000 occupied bed days"),
    ("Programme board seats held by lived-experience partners", "objective", "%", "higher",
     "Programme office", [7], "rate", "of programme board seats"),
    ("Peer workers", "objective", "WTE", "higher", "HR establishment", [8], "count", ""),
    ("Care contacts given by people employed for their lived experience", "objective", "%",
     "higher", "Activity data by staff group", [8], "rate", "of all clinical contacts"),
    ("Staff wellbeing score", "subjective", "score 0-10", "higher", "Quarterly pulse survey", [9],
     "score", ""),
    ("People in paid employment", "objective", "%", "higher", "Mental health services data",
     [10], "rate", "of adults on the care programme approach"),
    ("People in settled accommodation", "objective", "%", "higher",
     "Mental health services data", [10], "rate", "of adults on the care programme approach"),
    ("IPS employment support fidelity score", "objective", "score 25-125", "higher",
     "IPS fidelity review", [10], "score", ""),
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
    for i, (key, title, owner, challenges, description, why) in enumerate(INITIATIVES, start=1):
        iid[key] = f"I{i}"
        plan.initiatives[f"I{i}"] = Initiative(f"I{i}", title, description, pid[owner],
                                               list(challenges), rationale=why)
    aid = {row[0]: f"A{i}" for i, row in enumerate(ACTIONS, start=1)}
    for key, init, title, days, challenges, owner, phase, cop, needs, check in ACTIONS:
        a = Action(aid[key], title, initiative=iid[init], owner=pid[owner],
                   challenges=list(challenges), duration=days, phase=phase, coproduced=cop,
                   tag=TAGS.get(key, ""))
        if check:
            a.check_control, a.check_opportunity, a.check_hope = check
        plan.actions[a.id] = a
        for other, kind, lag in needs:
            d = Dependency(a.id, aid[other], kind, lag)
            plan.dependencies[d.uid] = d
    for i, (title, action, owner, gov) in enumerate(MILESTONES, start=1):
        plan.milestones[f"M{i}"] = Milestone(f"M{i}", title, pid[owner], aid[action],
                                             governance=gov)
    for i, (mname, kind, unit, direction, source, challenges, mtype, per) in enumerate(
            MEASURES, start=1):
        plan.measures[f"OM{i}"] = Measure(f"OM{i}", mname, kind, unit, direction, source,
                                          list(challenges), measure_type=mtype, denominator=per)
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
