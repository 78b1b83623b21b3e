"""Build the Northmoor sample plan: ``sample_plans/northmoor.xlsx`` and ``sample_plans/northmoor.rcplan``.

Northmoor Health and Care NHS Foundation Trust is fictional. Its plan starts from the
``ten-challenges`` starter (templates/build_ten_challenges.py), adds the trust's own actions,
people, risks and board cover, and then plays the programme forward from January 2025 to the
status date (20 November 2026) with a seeded random generator: actions start a little after
their prerequisites finish and take a little more or less time than planned, so some are done,
some in progress and some not started; milestones are achieved, slipped or still to come; and
monthly readings of the outcome measures respond to the actions (restraint falls after the
safety-planning changes, training coverage climbs as the roll-out runs, peer worker WTE steps
up as each cohort starts). The same seed always gives the same plan (record ids included).

Run (rebuilds both files; the .rcplan is imported from the workbook, as a lead would do it):

    .venv/bin/python sample_plans/build_sample.py
"""

from __future__ import annotations

import importlib.util
import random
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(ROOT))

from planner.dates import short_date
from planner.model import (Action, Assessment, Dependency, Initiative, Milestone, Person, Plan,
                           Reading, Risk)

HERE = Path(__file__).resolve().parent
WORKBOOK = HERE / "northmoor.xlsx"
PLAN_FILE = HERE / "northmoor.rcplan"
SEED = 20261120
START = date(2025, 1, 6)
AS_OF = date(2026, 11, 20)
PREVIOUS_REPORT = date(2026, 9, 17)

# England and Wales bank holidays, 2024 to 2028.
HOLIDAYS = [date(*d) for d in [
    (2024, 1, 1), (2024, 3, 29), (2024, 4, 1), (2024, 5, 6), (2024, 5, 27), (2024, 8, 26),
    (2024, 12, 25), (2024, 12, 26),
    (2025, 1, 1), (2025, 4, 18), (2025, 4, 21), (2025, 5, 5), (2025, 5, 26), (2025, 8, 25),
    (2025, 12, 25), (2025, 12, 26),
    (2026, 1, 1), (2026, 4, 3), (2026, 4, 6), (2026, 5, 4), (2026, 5, 25), (2026, 8, 31),
    (2026, 12, 25), (2026, 12, 28),
    (2027, 1, 1), (2027, 3, 26), (2027, 3, 29), (2027, 5, 3), (2027, 5, 31), (2027, 8, 30),
    (2027, 12, 27), (2027, 12, 28),
    (2028, 1, 3), (2028, 4, 14), (2028, 4, 17), (2028, 5, 1), (2028, 5, 29), (2028, 8, 28),
    (2028, 12, 25), (2028, 12, 26),
]]
_HOLIDAY_SET = set(HOLIDAYS)


def _template_module():
    spec = importlib.util.spec_from_file_location("build_ten_challenges",
                                                  ROOT / "templates" / "build_ten_challenges.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------------------------
# Working days
# --------------------------------------------------------------------------------------------


def is_working(d: date) -> bool:
    """Monday to Friday and not a bank holiday."""
    return d.weekday() < 5 and d not in _HOLIDAY_SET


def next_working(d: date) -> date:
    """``d`` itself if a working day, else the next one."""
    while not is_working(d):
        d += timedelta(days=1)
    return d


def add_working(d: date, n: int) -> date:
    """The working day ``n`` working days after working day ``d`` (n may be 0)."""
    d = next_working(d)
    while n > 0:
        d += timedelta(days=1)
        if is_working(d):
            n -= 1
    return d


def working_between(a: date, b: date) -> int:
    """Working days from ``a`` up to and including ``b`` (0 if b < a)."""
    count, d = 0, a
    while d <= b:
        count += is_working(d)
        d += timedelta(days=1)
    return count


# --------------------------------------------------------------------------------------------
# Northmoor's people and its own actions
# --------------------------------------------------------------------------------------------

# Template placeholder owner -> Northmoor person: name, role, team, email user.
NAMED = {
    "Recovery lead": ("Helen Okoro", "staff", "Recovery programme office"),
    "Board recovery champion": ("Margaret Lowe", "staff", "Board (non-executive director)"),
    "Lived-experience partnership lead": ("Dee Harper", "peer worker", "Recovery programme office"),
    "Training lead": ("Anil Rao", "staff", "Learning and development"),
    "Recovery college co-managers (peer educator and clinician)": (
        "Jo Whitfield", "peer worker", "Northmoor Recovery College"),
    "Peer workforce lead": ("Marcus Bell", "peer worker", "Workforce"),
    "Patient safety lead": ("Claire Dunmore", "staff", "Quality and patient safety"),
    "Clinical lead, community services": ("Dr Sunita Varma", "staff", "Community care group"),
    "Employment and housing lead": ("Gareth Pryce", "staff", "IPS employment service"),
    "Staff wellbeing lead": ("Nia Roberts", "staff", "Staff health and wellbeing"),
    "HR business partner": ("Paul Kerr", "staff", "Workforce"),
    "Occupational health lead": ("Dr Aisha Bello", "staff", "Occupational health"),
    "Carers lead": ("Janet Moss", "carer", "Carers support service"),
    "Communications lead": ("Owen Price", "staff", "Communications"),
    "Clinical lead, secure services": ("Dr Femi Oduya", "staff", "Secure services (Hawthorn unit)"),
    "Head of quality and audit": ("Sarah Quinn", "staff", "Quality and audit"),
}
EXTRA_PEOPLE = [
    ("Tom Ashworth", "service user", "Lived-experience partners (steering group co-chair)"),
    ("Beverley Sutton", "carer", "Northmoor Carers Centre"),
    ("Yusuf Malik", "partner organisation", "Northmoor Housing Association"),
    ("Rachel Greene", "partner organisation", "Northmoor College (further education)"),
    ("Kemi Adeyemi", "peer worker", "Northmoor Recovery College"),
    ("Liam Forster", "staff", "Inpatient care group (Larch ward)"),
    ("Sophie Lang", "staff", "Performance and information"),
]

# New initiatives: key, title, owner name, challenges, description.
EXTRA_INITIATIVES = [
    ("measure", "Measuring what matters", "Sophie Lang", [1, 4],
     "Outcome measures people care about, collected routinely and reported to the board."),
    ("restrict", "Reducing restrictive practice", "Liam Forster", [6],
     "Less restraint and seclusion on inpatient wards, through safety planning with people."),
]

# Northmoor's own actions: key, initiative key, title, days, challenges, owner name,
#   phase, co-produced, needs [(key, type, lag)].
EXTRA_ACTIONS = [
    ("N1", "lang", "Recovery-focused ward rounds on Fenwick and Larch wards", 60, [1],
     "Liam Forster", 3, True, [("C1", "FS", 0)]),
    ("N2", "measure", "Offer the INSPIRE brief at every care review", 40, [1], "Sophie Lang", 2,
     False, [("B4", "FS", 0)]),
    ("N3", "path", "Patient experience panel reviews complaints with a recovery lens", 30, [1, 7],
     "Tom Ashworth", 3, True, [("C5", "FS", 0)]),
    ("N4", "staffed", "Recovery training for bank and agency staff", 60, [2], "Anil Rao", 3, True,
     [("T5", "SS", 40)]),
    ("N5", "staffed", "Recovery training for medical staff with consultant co-trainers", 40, [2],
     "Dr Sunita Varma", 3, True, [("T4", "FS", 0)]),
    ("N6", "staffed", "Survey staff recovery knowledge and attitudes before and after training", 20,
     [2], "Sophie Lang", 3, False, [("T5", "SS", 60)]),
    ("N7", "pilot", "Agree a learning partnership with Northmoor College", 40, [3],
     "Rachel Greene", 2, False, [("R1", "FS", 0)]),
    ("N8", "pilot", "Peer tutors gain a teaching qualification with Northmoor College", 40, [3],
     "Kemi Adeyemi", 3, True, [("R11", "FS", 0), ("N7", "FS", 0)]),
    ("N9", "fullcol", "Recovery college fidelity self-check (red, amber, green)", 10, [3],
     "Jo Whitfield", 4, True, [("R7", "SS", 20)]),
    ("N10", "prosp", "Online courses for people who cannot travel", 60, [3], "Kemi Adeyemi", 4,
     True, [("R5", "FS", 0)]),
    ("N11", "values", "Recovery goals in every care group's business plan", 40, [4],
     "Helen Okoro", 2, False, [("G5", "FS", 0)]),
    ("N12", "values", "Recovery leadership programme for team managers", 60, [4, 1], "Anil Rao",
     3, True, [("T4", "FS", 0)]),
    ("N13", "crisis", "Pilot advance statements on two acute wards", 60, [5], "Liam Forster", 3,
     True, [("S1", "FS", 0)]),
    ("N14", "selfman", "Medication choice clinics in early intervention", 40, [5],
     "Dr Sunita Varma", 3, False, [("C8", "FS", 0)]),
    ("N15", "selfman", "Publish a rights and choices leaflet with Healthwatch Northmoor", 20, [5, 7],
     "Dee Harper", 2, True, [("S4", "FS", 0)]),
    ("N16", "restrict", "Restrictive practice reduction programme on inpatient wards", 120, [6],
     "Liam Forster", 3, True, [("K2", "FS", 0)]),
    ("N17", "restrict", "Hold post-incident debriefs with the person", 40, [6], "Claire Dunmore", 3,
     True, [("K4", "SS", 20)]),
    ("N18", "safetyprac", "Positive risk-taking panel for complex decisions", 30, [6, 5],
     "Claire Dunmore", 3, True, [("K2", "FS", 0)]),
    ("N19", "partnership", "Lived-experience co-chairs for every care group quality meeting", 40,
     [7, 4], "Tom Ashworth", 3, True, [("E2", "FS", 0)]),
    ("N20", "partnership", "Young people's advisory group for the move to adult services", 40, [7],
     "Dee Harper", 3, True, [("E1", "FS", 0)]),
    ("N21", "partnership", "Carers' partnership forum with Northmoor Carers Centre", 30, [7, 5],
     "Beverley Sutton", 2, True, [("E1", "FS", 0)]),
    ("N22", "peerdev", "Peer support apprenticeship with Northmoor College", 60, [8, 2],
     "Rachel Greene", 4, True, [("W5", "FS", 0)]),
    ("N23", "peerdev", "Create senior peer worker and peer supervisor posts", 40, [8], "Paul Kerr",
     4, True, [("W6", "FS", 0)]),
    ("N24", "peeremploy", "Peer workers in the crisis team and on acute wards", 60, [8, 6],
     "Marcus Bell", 3, True, [("W4", "FS", 0)]),
    ("N25", "wellbeing", "Wellbeing hubs at Northmoor House and the Riverside unit", 40, [9],
     "Nia Roberts", 3, False, [("H2", "FS", 0)]),
    ("N26", "lived", "Train managers to support staff with their own mental health", 30, [9],
     "Nia Roberts", 3, True, [("H5", "FS", 0)]),
    ("N27", "wellbeing", "Psychological support for staff after serious incidents", 30, [9, 6],
     "Nia Roberts", 3, False, [("H3", "FS", 0)]),
    ("N28", "ips", "Employment specialists in the early intervention team", 40, [10],
     "Gareth Pryce", 3, False, [("J3", "FS", 0)]),
    ("N29", "housing", "Housing link workers with Northmoor Housing Association", 60, [10],
     "Yusuf Malik", 3, False, [("J5", "FS", 0)]),
    ("N30", "stigma", "Anti-stigma champions in GP practices", 40, [10], "Tom Ashworth", 4, True,
     [("J7", "FS", 0)]),
    ("N31", "ips", "Volunteering and education routes with Northmoor Volunteer Centre", 40, [10, 3],
     "Gareth Pryce", 4, False, [("J4", "SS", 20)]),
    ("N32", "ips", "Second independent IPS fidelity review", 10, [10], "Gareth Pryce", 4, False,
     [("J4", "FS", 60)]),
    ("N33", "measure", "Recovery outcomes in the trust's integrated performance report", 20, [4],
     "Sophie Lang", 2, False, [("B4", "FS", 0), ("N2", "SS", 10)]),
    ("N34", "path", "Discharge letters written to the person and copied to the GP", 40, [1, 5],
     "Dr Sunita Varma", 3, True, [("C6", "FS", 0)]),
    ("N35", "budgets", "Personal health budget pilot for 25 people", 120, [5], "Helen Okoro", 4,
     False, [("S6", "FS", 0)]),
]

# Extra milestones: title, action key (or None), owner name, governance?, initiative key.
EXTRA_MILESTONES = [
    ("INSPIRE brief collected at care reviews", "N2", "Sophie Lang", False, None),
    ("Half of all staff trained", "T5", "Anil Rao", False, None),
    ("Learning partnership signed with Northmoor College", "N7", "Rachel Greene", False, None),
    ("Peer tutors qualified", "N8", "Kemi Adeyemi", False, None),
    ("Safety plans live in the electronic record", "K5", "Claire Dunmore", False, None),
    ("Restrictive practice programme reports to the Quality Committee", "N16", "Liam Forster",
     True, None),
    ("Joint crisis plans offered in every community team", "S3", "Dr Sunita Varma", False, None),
    ("Partnership framework and payment policy agreed", "E1", "Dee Harper", True, None),
    ("Lived-experience partners on every programme board", "E2", "Tom Ashworth", False, None),
    ("Employment specialists in every community team", "J4", "Gareth Pryce", False, None),
    ("Housing partnership agreement signed", "J5", "Yusuf Malik", True, None),
    ("Staff wellness and recovery plan launched", "H2", "Nia Roberts", False, None),
    ("Recovery values in appraisal from April", "L1", "Paul Kerr", False, None),
    ("Full recovery college opens", "R7", "Jo Whitfield", False, None),
    ("Personal health budget pilot agreed with commissioners", "S6", "Helen Okoro", True, None),
    ("Second IPS fidelity review", "N32", "Gareth Pryce", True, None),
]

# Quarterly governance dates with no action of their own.
BOARD_DATES = [date(2025, 3, 27), date(2025, 6, 26), date(2025, 9, 25), date(2025, 12, 4),
               date(2026, 3, 26), date(2026, 6, 25), date(2026, 9, 17), date(2026, 12, 3),
               date(2027, 3, 25), date(2027, 6, 24), date(2027, 9, 23), date(2027, 12, 2)]

# Reasons given when a milestone slips, matched to what the milestone is about (first match).
SLIP_REASONS = [
    (r"learning partnership|agreement", "The partner's governing body took two extra months "
                                        "to approve the terms."),
    (r"partner|lived|co-produc|panel", "Partners asked for more time to co-design it properly."),
    (r"peer|recruit|tutor|in post", "Recruitment took longer than planned; two posts went out to "
                                    "advert twice."),
    (r"record|safety plans live|forms", "The electronic record change needed a second round of "
                                        "testing."),
    (r"college|course|prospectus|pilot", "The college venue needed building work, and the "
                                         "first courses moved with it."),
    (r"train|staff", "Winter pressures: wards could not release staff, so sessions moved."),
    (r"policy|board|approv|decision|strategy", "Waited for the Quality Committee to review it "
                                               "first; its next meeting was six weeks later."),
    (r"budget|commission|fund", "Funding confirmed later than expected in the commissioning "
                                "round."),
    (r"employment|ips|housing", "The employment service waited for two specialist posts to be "
                                "filled."),
]
DEFAULT_SLIP_REASON = "Teams asked for the start to be moved to fit their caseload reviews."


def slip_reason(title: str) -> str:
    """A reason that fits the milestone (by what its title is about)."""
    import re

    for pattern, reason in SLIP_REASONS:
        if re.search(pattern, title, re.I):
            return reason
    return DEFAULT_SLIP_REASON

RISKS = [
    ("Peer worker recruitment is slower than planned", 4, 4, "Marcus Bell",
     "Rolling adverts, lived-experience recruiters on every panel, apprenticeship route.",
     ["W3", "N22"], [8], (2, 3), "BAF 2"),
    ("Recovery college funding ends after the pilot", 3, 4, "Jo Whitfield",
     "Business case to the board; learning partnership with Northmoor College.", ["R6", "N7"],
     [3], (1, 4), "BAF 5"),
    ("Winter pressures stop staff being released for training", 4, 3, "Anil Rao",
     "Shorter sessions on wards, bank staff backfill, online module.", ["T5", "N4"], [2],
     (2, 3), "BAF 2"),
    ("Electronic record change for safety plans is delayed", 2, 4, "Claire Dunmore",
     "Interim paper template agreed; digital team has a named lead.", ["K5"], [6], (1, 4), ""),
    ("Lived-experience partners burn out from too many requests", 3, 3, "Dee Harper",
     "Paid roles, a request process through the partnership team, peer support for partners.",
     ["E1", "E3"], [7, 9], (2, 2), ""),
]

RISKS_RESCORED = date(2026, 10, 15)
"""The risk review after the September board: scores before it are in :data:`RISKS_BEFORE`."""
RISKS_BEFORE = {
    # the first cohort's start slipped into the new year: likelihood raised from 3 to 4
    "Peer worker recruitment is slower than planned": (3, 4),
    # the board agreed to consider recurrent funding: likelihood lowered from 4 to 3
    "Recovery college funding ends after the pilot": (4, 4),
}


# --------------------------------------------------------------------------------------------
# Building the plan
# --------------------------------------------------------------------------------------------


def build_plan(seed: int = SEED) -> Plan:
    """The Northmoor plan in memory (deterministic for a given seed, record uids included)."""
    plan = _build(random.Random(seed))
    _stable_identities(plan, random.Random(seed + 1))
    return plan


def _stable_identities(plan: Plan, rng: random.Random) -> None:
    """Replace random uids with seeded ones, so rebuilding gives the same identities."""
    from planner.model import KINDS

    plan.settings.plan_id = "%032x" % rng.getrandbits(128)
    for kind in KINDS.values():
        collection = plan.collection(kind.name)
        rebuilt = {}
        for key, record in collection.items():
            record.uid = "%032x" % rng.getrandbits(128)
            rebuilt[record.uid if kind.key == "uid" else key] = record
        setattr(plan, kind.table, rebuilt)


def _build(rng: random.Random) -> Plan:
    tmpl = _template_module()
    plan = tmpl.build_plan("Northmoor recovery implementation plan 2025-2028")
    keys = tmpl.action_keys()  # template key -> action id
    s = plan.settings
    s.organisation = "Northmoor Health and Care NHS Foundation Trust"
    s.start, s.as_of, s.end = START, AS_OF, date(2028, 9, 29)
    s.holidays = [d for d in HOLIDAYS if d >= date(2025, 1, 1)]
    s.board_meeting = "Trust Board (meeting in public)"
    s.board_date = date(2026, 12, 3)
    s.board_purpose = "Assurance"
    s.board_assurance = "Limited"
    s.board_recommendation = ""  # written from the plan's state in _board_summary
    s.board_objectives = "SO1 Outstanding care; SO2 Great place to work; SO4 Partnerships"
    s.board_baf_risks = "BAF 2 Workforce supply (16); BAF 5 Quality of community care (12)"
    s.board_cqc_domains = "Caring; Responsive; Well-led"

    # People: rename placeholders, add Northmoor's partners.
    for p in plan.people.values():
        name, role, team = NAMED[p.name]
        p.name, p.role, p.team = name, role, team
        p.email = name.lower().replace("dr ", "").replace(" ", ".") + "@northmoor.nhs.example"
        p.capacity = 4
    for name, role, team in EXTRA_PEOPLE:
        pid = plan.next_id("person")
        email = "" if role in ("service user", "carer") else (
            name.lower().replace(" ", ".") + ("@northmoor.nhs.example" if role == "staff"
                                              or role == "peer worker" else "@partner.example"))
        plan.people[pid] = Person(pid, name, role, team, email, 2)
    person = {p.name: p.id for p in plan.people.values()}

    init_key = {row[0]: f"I{i}" for i, row in enumerate(tmpl.INITIATIVES, start=1)}
    for key, title, owner, challenges, description in EXTRA_INITIATIVES:
        iid = plan.next_id("initiative")
        init_key[key] = iid
        plan.initiatives[iid] = Initiative(iid, title, description, person[owner], challenges)

    for key, init, title, days, challenges, owner, phase, cop, needs in EXTRA_ACTIONS:
        aid = plan.next_id("action")
        keys[key] = aid
        plan.actions[aid] = Action(aid, title, initiative=init_key[init], owner=person[owner],
                                   challenges=challenges, duration=days, phase=phase,
                                   coproduced=cop)
        for other, kind, lag in needs:
            d = Dependency(aid, keys[other], kind, lag)
            plan.dependencies[d.uid] = d

    # A little realism: durations differ from the template's round numbers, a few actions
    # name who they are co-produced with, and the later phases are booked into the second and
    # third years (the programme cannot start everything at once).
    for a in plan.actions.values():
        jitter = rng.choice([-5, 0, 0, 0, 5, 10])
        if " year " not in f" {a.title.lower()} ":  # a pilot year stays a year long
            a.duration = max(5, round(a.duration * 1.4) + jitter)
        if a.coproduced and rng.random() < 0.4:
            a.coproduced_with = rng.choice(["Lived-experience partners", "Northmoor Carers Centre",
                                            "Recovery college students", "Peer trainers",
                                            "Healthwatch Northmoor"])
        if a.phase == 3 and rng.random() < 0.6:
            a.not_before = date(2025, 10, 6) + timedelta(days=7 * rng.randint(0, 56))
        elif a.phase == 4 and not a.title.startswith("Re-rate every"):
            a.not_before = date(2026, 9, 7) + timedelta(days=7 * rng.randint(0, 40))
    # Lags of start-to-start links stretch with the durations they sit inside, and new forms
    # wait until safety-planning training has reached most staff (as the practice check asks).
    for d in plan.dependencies.values():
        if d.type == "SS" and d.lag:
            d.lag = round(d.lag * 1.4)
        if d.action == keys["K5"] and d.needs == keys["K4"]:
            d.lag = -(-85 * plan.actions[keys["K4"]].duration // 100)
    for number, start in zip(sorted(plan.phases), [START, date(2025, 6, 2), date(2025, 11, 3),
                                                   date(2026, 9, 1)]):
        plan.phases[number].start = start

    baseline, actual = _play_forward(plan, rng)
    _set_milestones(plan, keys, person, init_key, baseline, actual, rng)
    _forecast_from_schedule(plan)
    _reasons_from_causes(plan)
    _add_measures(plan, keys, actual, rng)
    _add_assessments(plan, keys, actual, rng)
    for title, likelihood, impact, owner, mitigation, acts, challenges, goal, baf in RISKS:
        rid = plan.next_id("risk")
        if AS_OF < RISKS_RESCORED and title in RISKS_BEFORE:
            likelihood, impact = RISKS_BEFORE[title]
        plan.risks[rid] = Risk(rid, title, likelihood, impact, person[owner], mitigation,
                               [keys[k] for k in acts], challenges, goal[0], goal[1], baf)
    _board_summary(plan, keys)  # after the risks: the RAG rule weighs them
    return plan


def _order(plan: Plan) -> list[str]:
    """Action ids with every action after the actions it needs."""
    needs: dict[str, list] = {a: [] for a in plan.actions}
    for d in plan.dependencies.values():
        needs[d.action].append(d)
    done: list[str] = []
    placed: set[str] = set()
    while len(done) < len(needs):
        for a in plan.actions:
            if a not in placed and all(d.needs in placed for d in needs[a]):
                done.append(a)
                placed.add(a)
    return done


def _schedule(plan: Plan, durations: dict[str, int], delays: dict[str, int]
              ) -> dict[str, tuple[date, date]]:
    """Start and finish of every action when each waits ``delays`` extra working days."""
    out: dict[str, tuple[date, date]] = {}
    by_action: dict[str, list[Dependency]] = {}
    for d in plan.dependencies.values():
        by_action.setdefault(d.action, []).append(d)
    for aid in _order(plan):
        a = plan.actions[aid]
        start = next_working(max(START, a.not_before or START))
        for d in by_action.get(aid, []):
            p_start, p_finish = out[d.needs]
            if d.type == "FS":
                start = max(start, add_working(p_finish, 1 + d.lag))
            else:
                start = max(start, add_working(p_start, d.lag))
        start = add_working(start, delays.get(aid, 0))
        finish = add_working(start, max(durations[aid], 1) - 1)
        out[aid] = (start, finish)
    return out


def _play_forward(plan: Plan, rng: random.Random):
    """Set status, percent and actual dates as of AS_OF; returns (baseline, actual) schedules."""
    planned = {a.id: a.duration for a in plan.actions.values()}
    baseline = _schedule(plan, planned, {})
    delays: dict[str, int] = {}
    real: dict[str, int] = {}
    for aid in _order(plan):
        roll = rng.random()
        delays[aid] = 0 if roll < 0.5 else rng.randint(1, 6) if roll < 0.9 else rng.randint(10, 25)
        real[aid] = max(3, round(planned[aid] * rng.uniform(0.9, 1.3)))
    actual = _schedule(plan, real, delays)
    # The annual re-rating is booked a year to the week after the baseline workshop.
    rerate = next(a.id for a in plan.actions.values() if a.title.startswith("Re-rate every"))
    workshop = next(a.id for a in plan.actions.values()
                    if a.title.startswith("Hold the baseline rating"))
    finish = next_working(actual[workshop][1] + timedelta(days=364))
    start = finish
    while working_between(start, finish) < real[rerate]:
        start -= timedelta(days=1)
    actual[rerate] = (next_working(start), finish)
    for aid, (start, finish) in actual.items():
        a = plan.actions[aid]
        if finish <= AS_OF:
            a.status, a.percent = "done", 100
            a.actual_start, a.actual_finish = start, finish
        elif start <= AS_OF:
            a.status = "in progress"
            a.actual_start = start
            done_days = working_between(start, AS_OF)
            a.percent = min(95, max(5, 5 * round(20 * done_days / real[aid])))
        else:
            a.status, a.percent = "not started", 0
    # One action paused, with a reason a board would recognise.
    paused = next(a for a in plan.actions.values()
                  if a.title.startswith("Personal health budget pilot"))
    if paused.status == "not started":
        paused.status = "on hold"
        paused.notes = "Paused until commissioners confirm funding for 2027/28."
    return baseline, actual


def _set_milestones(plan, keys, person, init_key, baseline, actual, rng) -> None:
    rows = [(t, keys[a], plan.people[plan.actions[keys[a]].owner].name, g, None)
            for t, a, _o, g in _template_milestones()] + EXTRA_MILESTONES
    plan.milestones.clear()
    for title, action, owner, gov, init in rows:
        aid = keys.get(action, action) if action else None
        mid = plan.next_id("milestone")
        b = baseline[aid][1]
        f = actual[aid][1]
        m = Milestone(mid, title, person[owner], aid, None, b, f, None, "planned", gov)
        a = plan.actions[aid]
        if a.status == "done":
            m.actual, m.status = f, "achieved"
        slip = working_between(b, f) - 1 if f > b else 0
        if slip > 10:
            m.comment = slip_reason(title)
        if title.startswith("Personal health budget pilot agreed") and a.status != "done":
            # promised for the September 2026 board; the commissioners have not yet decided
            m.baseline, m.status = date(2026, 9, 17), "missed"
            m.comment = "Commissioners deferred the decision to the 2027/28 round."
        plan.milestones[mid] = m
    for when in BOARD_DATES:
        mid = plan.next_id("milestone")
        m = Milestone(mid, f"Recovery programme report to the Trust Board, {when:%B %Y}",
                      person["Helen Okoro"], None, None, when, when, None, "planned", True)
        if when <= AS_OF:
            m.actual, m.status = when, "achieved"
        plan.milestones[mid] = m
    # One board report slipped a meeting because the Quality Committee needed to see it first.
    late = next(m for m in plan.milestones.values() if m.title.endswith("June 2025"))
    late.forecast = late.actual = date(2025, 7, 31)
    late.comment = "Moved to July so the Quality Committee could review it first."


def _forecast_from_schedule(plan: Plan) -> None:
    """Forecasts of milestones still to come follow the planner's own schedule from the status
    date, so the sample opens without owner-versus-schedule disagreements (bar the one below)."""
    try:
        import graph
    except ImportError:  # the graph engine is optional for building the data
        return
    analysis = graph.analyse(plan)
    for m in plan.milestones.values():
        row = analysis.rows.get(m.action) if m.action else None
        if m.status in ("planned", "missed") and row is not None:
            m.forecast = row.finish


def _reasons_from_causes(plan: Plan) -> None:
    """A slipped milestone's reason is the reason its cause slipped: the engine's cause of the
    slip (``graph.why``'s ``slip_cause``, what ``python main.py why`` and the deck name), not a
    guess from the milestone's own title and not a chain walked here. A knock-on from another
    action says which."""
    try:
        import graph
    except ImportError:
        return
    analysis = graph.analyse(plan)
    for m in plan.milestones.values():
        if not m.comment or m.comment not in {r for _p, r in SLIP_REASONS} | {DEFAULT_SLIP_REASON}:
            continue  # no slip, or a reason written by hand
        cause = graph.why(plan, m.id, analysis=analysis).slip_cause
        if cause is None:
            continue
        reason = slip_reason(cause.title)
        if cause.action_id != m.action:
            reason = f"Knock-on from {cause.action_id}: {reason[0].lower()}{reason[1:]}"
        m.comment = reason


def _board_summary(plan: Plan, keys: dict[str, str]) -> None:
    """The executive summary on the board cover, written from where the plan really stands: the
    challenges called late are the ones the RAG rule rates amber or red (so the summary and the
    challenges slide agree)."""
    from planner import rules

    s = plan.settings
    a = lambda key: plan.actions[keys[key]]  # noqa: E731
    by_name = {m.name: m for m in plan.measures.values()}
    trained = plan.readings_of(by_name["Staff who completed co-produced recovery training "
                                       "(so far)"].id)
    restraint = plan.readings_of(by_name["Restrictive interventions per 1,000 occupied bed "
                                         "days"].id)
    safety_live = a("K5").actual_finish
    before = [r.value for r in restraint if r.date < safety_live] if safety_live else []
    after = [r.value for r in restraint if safety_live and r.date >= safety_live]
    done = sum(x.status == "done" for x in plan.actions.values())
    try:
        import graph
        an = graph.analyse(plan)
        ratings = {n: rules.challenge_rag(plan, n, an.slips, an.finishes)
                   for n in sorted(plan.challenges)}
    except ImportError:
        ratings = {}
    flagged = {n: r for n, r in ratings.items() if r.colour in (rules.Rag.AMBER, rules.Rag.RED)}
    late = [n for n, r in flagged.items() if r.milestone or r.action]
    behind = [n for n, r in flagged.items() if n not in late and r.measure]
    risky = [n for n, r in flagged.items() if n not in late and n not in behind]

    def listed(numbers: list[int]) -> str:
        names = [rules.challenge_title(plan, n).lower() for n in numbers]
        nums = [str(n) for n in numbers]
        if len(names) == 1:
            return f"{names[0]} (challenge {nums[0]})"
        return (", ".join(names[:-1]) + f" and {names[-1]} (challenges " + ", ".join(nums[:-1])
                + f" and {nums[-1]})")

    parts = []
    if late:
        parts.append(f"milestones are behind their baseline on {listed(late)}")
    if behind:
        parts.append(f"the work on {listed(behind)} is on time but "
                     f"{'its' if len(behind) == 1 else 'their'} outcome measures are behind "
                     "the trajectory to their targets")
    if risky:
        parts.append(f"an extreme risk on {listed(risky)} is above its target score")
    where = "; ".join(parts) if parts else "every challenge is on track"
    from planner import spc
    judged = [spc.measure_xmr(plan, m) for m in plan.measures.values()]
    judged = [r for r in judged if r.assurance is not None]
    failing = sum(r.assurance == "fail" for r in judged)
    words = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    s.board_recommendation = (
        f"The Board is asked to take limited assurance: {failing} of the {len(judged)} outcome "
        f"measures judged against a trajectory consistently miss it, and {words[len(late)]} "
        f"challenge{'s have' if len(late) != 1 else ' has'} milestones behind their baseline. "
        "Note the recovery dates of the slipped milestones and support the second-year "
        "priorities for the recovery college and peer roles.")
    s.summary_on_track = (f"Partly. {done} of {len(plan.actions)} actions are done; {where}."
                          if parts else f"Yes. {done} of {len(plan.actions)} actions are done; "
                          f"{where}.")
    changed = []
    if safety_live and before and after:
        changed.append(f"co-produced safety plans went live in the record in "
                       f"{safety_live:%B %Y}, and restrictive interventions have averaged "
                       f"{sum(after) / len(after):.1f} per 1,000 occupied bed days since, "
                       f"against {sum(before) / len(before):.1f} before")
    since = PREVIOUS_AS_OF if AS_OF > PREVIOUS_AS_OF else START
    # the deck's own rules (reports.facts), so the summary counts what the milestones slide lists
    from reports import facts as deck_facts
    got = sorted(deck_facts.milestones_achieved(plan, since, AS_OF), key=lambda m: (m.actual, m.id))
    forecasts = {mid: f.forecast for mid, f in an.milestones.items()} if ratings else {}

    def named(m) -> str:
        title = m.title.replace("; ", ", ")
        when = m.actual or forecasts.get(m.id) or m.forecast
        return f"{title[0].lower()}{title[1:]} ({short_date(when)})"

    if got:
        items = [named(m) for m in got]
        listed_ms = ", ".join(items[:-1]) + (" and " if len(items) > 1 else "") + items[-1]
        count = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                 "ten"][len(got)] if len(got) <= 10 else str(len(got))
        changed.append(f"{count} milestone{'s' if len(got) != 1 else ''} achieved since the "
                       f"last report: {listed_ms}")
    pilot = a("R4")
    if pilot.actual_start and since < pilot.actual_start <= AS_OF:
        changed.append(f"the recovery college pilot opened on {short_date(pilot.actual_start)}")
    # the latest reading as the measures slide and the Outcomes view give it ("45.7%", not "46%")
    changed.append(f"{spc.format_number(trained[-1].value)}% of staff have completed the "
                   "co-produced recovery training")
    if a("W3").status == "done":
        changed.append("the first peer workers are recruited and start in teams next period")
    elif a("W3").status == "in progress":
        changed.append("recruitment of the first peer workers is under way")
    s.summary_changed = " ".join(t[0].upper() + t[1:] + "." for t in changed)
    nxt = sorted((m for m in plan.milestones.values()
                  if deck_facts.due_in_period(m, forecasts.get(m.id) or m.forecast, AS_OF,
                                              NEXT_BOARD)),
                 key=lambda m: (forecasts.get(m.id) or m.forecast, m.id))
    s.summary_next = ((f"Due by the {NEXT_BOARD:%B} board: " + "; ".join(
        named(m) for m in nxt) + ". "
        if nxt else "") + "Re-rate all ten challenges next July; the college pilot is evaluated "
        "when its year ends.")
    s.summary_decisions = ("Agree recurrent funding for the recovery college from April 2027 so "
                           "the pilot can continue while it is evaluated.")
    s.board_exec_lead = "Chief Nurse and Director of Quality"
    s.board_author = "Helen Okoro, Head of Recovery and Co-production"
    # earlier meetings are dates of the report, written as every date is (only the meeting the
    # deck is for is written in full, on its cover)
    s.board_previously = (f"Quality Committee, {short_date(date(2026, 11, 19))}; "
                          f"Recovery Steering Group, {short_date(date(2026, 11, 12))}")
    s.board_impact = ("Equality: college places to be offered online and in community venues; "
                      "quality: safety planning reduces restrictive practice; legal: no new "
                      "duties.")
    s.board_lived_experience = ("Drafted with the steering group's lived-experience co-chair; "
                                "the 'you said, we did' slide comes from the partnership forum.")
    facts = _story_facts(plan, keys)
    s.board_you_said = "\n".join(t.format(**facts) for t in YOU_SAID)


def _template_milestones():
    return _template_module().MILESTONES


def _months(first: date, count: int) -> list[date]:
    out, y, m = [], first.year, first.month
    for _ in range(count):
        out.append(date(y, m, 1) + timedelta(days=27))  # readings taken near month end
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out


def _add_measures(plan: Plan, keys, actual, rng: random.Random) -> None:
    """Monthly readings with signals tied to when the actions really happened."""
    def when(key: str, end: bool = True) -> date:
        return actual[keys[key]][1 if end else 0]

    def ramp(d: date, start: date, finish: date) -> float:
        if d <= start:
            return 0.0
        if d >= finish:
            return 1.0
        return (d - start).days / max(1, (finish - start).days)

    def step(d: date, at: date) -> float:
        return 1.0 if d >= at else 0.0

    last = date(2026, 10, 1)

    def months_from(first: date) -> list[date]:
        n = (last.year - first.year) * 12 + last.month - first.month + 1
        return _months(first, n)

    # name (as in the template) -> (first month, model(d) -> value, decimals, target, target date)
    series = {
        "Average QPR score (personal recovery)": (
            date(2024, 12, 1), lambda d: 30.5 + 4.0 * ramp(d, when("C3"), when("C4")) +
            rng.gauss(0, 1.1), 1, 36.0, date(2027, 3, 31)),
        "INSPIRE brief score": (
            date(2025, 5, 1), lambda d: 61 + 7 * step(d, when("T4")) + rng.gauss(0, 2.2), 0, 75.0,
            date(2027, 3, 31)),
        "Staff who completed co-produced recovery training (so far)": (
            date(2024, 12, 1), lambda d: max(0.0, 3 + 62 * ramp(d, when("T5", False), when("T5"))
                                             + rng.gauss(0, 0.8)), 1, 85.0, date(2027, 3, 31)),
        "Staff recovery knowledge (RKI score)": (
            date(2025, 3, 1), lambda d: 57 + 12 * ramp(d, when("T5", False), when("T5")) +
            rng.gauss(0, 1.4), 1, 75.0, date(2027, 3, 31)),
        "Recovery college enrolments": (
            # nobody enrols before the prospectus is out (the noise is drawn either way)
            date(2025, 3, 1), lambda d: step(d, when("R3")) * max(0, 38 + 0.9 * (d - when("R3")).days
                                                                 / 30 + (14 if d.month in
                                                                        (1, 4, 9) else 0)
                                                                 + rng.gauss(0, 5)),
            0, 80.0, date(2027, 9, 30)),
        "Policies reviewed against recovery principles (so far)": (
            date(2025, 3, 1), lambda d: 100 * ramp(d, when("L2", False), when("L2")) * 0.6 +
            40 * step(d, when("L3")), 0, 100.0, date(2027, 3, 31)),
        "People with a joint crisis plan": (
            date(2024, 12, 1), lambda d: 11 + 24 * ramp(d, when("S2", False), when("S3")) +
            rng.gauss(0, 1.5), 1, 50.0, date(2027, 6, 30)),
        "People with a co-produced safety plan": (
            date(2024, 12, 1), lambda d: 18 + 9 * step(d, when("K4", False)) +
            22 * ramp(d, when("K5", False), when("K5")) + rng.gauss(0, 2.0), 1, 70.0,
            date(2027, 3, 31)),
        "Restrictive interventions per 1,000 occupied bed days": (
            date(2024, 12, 1), lambda d: max(0.0, 14.2 - 3.3 * step(d, when("K5")) -
                                             1.8 * step(d, when("N16", False)) +
                                             rng.gauss(0, 0.9)), 1, 7.5, date(2027, 3, 31)),
        "Programme board seats held by lived-experience partners": (
            date(2025, 4, 1), lambda d: 8 + 17 * step(d, when("E1")) + 15 * step(d, when("E2")),
            0, 40.0, date(2026, 12, 31)),
        "Peer workers": (
            date(2024, 12, 1), lambda d: 4.0 + 6.0 * step(d, when("W4", False)) +
            4.5 * step(d, when("N24", False)) + (0.0 if d.month % 5 else -0.6), 1, 30.0,
            date(2027, 12, 31)),
        "Care contacts given by people employed for their lived experience": (
            date(2025, 3, 1), lambda d: 1.2 + 2.4 * step(d, when("W4", False)) +
            rng.gauss(0, 0.25), 1, 10.0, date(2028, 3, 31)),
        "Staff wellbeing score": (
            date(2025, 3, 1), lambda d: 6.1 + rng.gauss(0, 0.18) + 0.2 * ramp(d, when("H2"),
                                                                               when("H3")), 1,
            7.0, date(2027, 3, 31)),
        "People in paid employment": (
            date(2024, 12, 1), lambda d: 8.9 + 3.0 * ramp(d, when("J2", False), when("J4")) +
            rng.gauss(0, 0.35), 1, 13.0, date(2027, 12, 31)),
        "People in settled accommodation": (
            date(2024, 12, 1), lambda d: 64.5 + rng.gauss(0, 1.3) + 1.5 * step(d, when("J5")), 1,
            70.0, date(2027, 12, 31)),
        "IPS employment support fidelity score": (
            date(2025, 3, 1), lambda d: 66 + 16 * step(d, when("J2")) + 14 * step(d, when("J3"))
            + rng.choice([-1, 0, 0, 1]), 0, 100.0, date(2027, 9, 30)),
    }
    notes = {
        "Restrictive interventions per 1,000 occupied bed days": (
            "Ward programme began", when("N16", False)),
        "Peer workers": ("First peer cohort started", when("W4", False)),
        "Staff who completed co-produced recovery training (so far)": (
            "Roll-out began", when("T5", False)),
        "Recovery college enrolments": ("Pilot prospectus launched", when("R3")),
        "People with a co-produced safety plan": ("New safety plan form", when("K5", False)),
    }
    # deliberate changes to the system behind a measure: its SPC chart starts new limits there
    known_changes = {
        "Restrictive interventions per 1,000 occupied bed days": [when("N16", False)],
        "Peer workers": [when("W4", False)],
        "Recovery college enrolments": [when("R3")],
        "IPS employment support fidelity score": [when("J2")],
        "Care contacts given by people employed for their lived experience": [when("W4", False)],
    }
    for m in plan.measures.values():
        first, model, places, target, target_date = series[m.name]
        dates = months_from(first)
        if m.name in ("Recovery college enrolments",):
            dates = dates[-20:]
        # new limits only at changes the readings already cover (a change due after the last
        # reading is noted when it happens, not before)
        m.spc_rebase = sorted(d for d in known_changes.get(m.name, []) if d <= dates[-1])
        flagged = False
        for d in dates:
            value = round(float(model(d)), places)
            note = ""
            if m.name in notes and not flagged and d >= notes[m.name][1]:
                note, flagged = notes[m.name][0], True
            r = Reading(m.id, d, value, note)
            plan.readings[r.uid] = r
        readings = plan.readings_of(m.id)
        m.baseline, m.baseline_date = readings[0].value, readings[0].date
        m.target, m.target_date = target, target_date
    facts = _story_facts(plan, keys)
    from planner import spc
    for m in plan.measures.values():
        if m.name in COMMENTARY:
            so_what, next_action, m.action_by = COMMENTARY[m.name]
            judged = spc.measure_xmr(plan, m).assurance
            trajectory = f"{spc.ASSURANCE_SHORT[judged]} the trajectory" if judged else ""
            reached = next((r.date for r in plan.readings_of(m.id)
                            if m.target is not None and r.value >= m.target), None)
            latest = spc.format_number(plan.readings_of(m.id)[-1].value)
            try:
                m.so_what = so_what.format(trajectory=trajectory, reached=reached, latest=latest,
                                           **facts)
                m.next_action = next_action.format(**facts)
            except TypeError:  # it names something that has not happened by the status date
                m.so_what = m.next_action = ""  # (the September report, stored as a snapshot)
                m.action_by = None
    # One more measure with fewer, annual-ish readings is not needed: every measure has 18+.


def _story_facts(plan: Plan, keys) -> dict:
    """The dates and ids the plan's own text names (commentary, evidence, "you said, we did"),
    read from the plan as built: actual dates of work done or started, and the engine's dates
    of work and milestones to come (the forecasts ``_forecast_from_schedule`` set), so that no
    text states a date or an id the screens contradict."""
    import graph

    rows = graph.analyse(plan).rows
    act = lambda key: plan.actions[keys[key]]  # noqa: E731
    starts = lambda key: act(key).actual_start or rows[keys[key]].start  # noqa: E731
    ms = {m.title: m for m in plan.milestones.values()}
    return {
        "safety_live": act("K5").actual_finish,
        "prospectus": act("R3").actual_finish,
        "pilot_opened": short_date(act("R4").actual_start),
        "link_workers": act("N29").actual_start,
        "peers_in_post": ms["First peer workers in post"].forecast,
        "half_trained": ms["Half of all staff trained"].forecast,
        "second_review": ms["Second IPS fidelity review"].id,
        "crisis_plans": ms["Joint crisis plans offered in every community team"].id,
        "letters": starts("N34"),
        "online": starts("N10"),
        "venues": starts("R10"),
    }


# "So what / action / by when" kept with each measure for the board paper. The fields in braces
# are filled from the plan as built (_story_facts; trajectory: the SPC assurance in its own words).
COMMENTARY = {
    "Average QPR score (personal recovery)": (
        "Recovery scores are rising where shared decision making is in use.",
        "Extend the decision tool to the remaining community teams", date(2027, 3, 31)),
    "INSPIRE brief score": (
        "People feel better supported since the training pilot; {trajectory}.",
        "Add INSPIRE feedback to team supervision", date(2027, 1, 31)),
    "Staff who completed co-produced recovery training (so far)": (
        ("Rising steadily since the roll-out began; half of all staff is now forecast by "
         "{half_trained:%B}."),
        "Release ward staff through shorter sessions", date(2027, 2, 28)),
    "Staff recovery knowledge (RKI score)": (
        "Knowledge rises after training; the gain holds three months on.",
        "Repeat the survey after the next two cohorts", date(2027, 3, 31)),
    "Restrictive interventions per 1,000 occupied bed days": (
        "Lower since the ward programme began (new limits from then); safety plans went live "
        "in {safety_live:%B}.",
        "Spread post-incident debriefs to the two remaining wards", date(2027, 1, 31)),
    "Peer workers": (
        "Flat at about 4 WTE: the first cohort starts in {peers_in_post:%B}, late because "
        "recruitment took longer.",
        "Open the peer apprenticeship route with Northmoor College", date(2027, 4, 30)),
    "IPS employment support fidelity score": (
        "Fair fidelity ({latest} of 125) after the gaps were closed; good fidelity (100) is the "
        "target.",
        "Second independent review ({second_review})", date(2027, 1, 31)),
    "Recovery college enrolments": (
        "Enrolments opened with the prospectus in {prospectus:%B} (new limits from then); "
        "courses began on {pilot_opened}.",
        "Add evening courses to the spring prospectus", date(2027, 1, 15)),
    "Policies reviewed against recovery principles (so far)": (
        "Six in ten reviewed; the clinical policies are still to come.",
        "Review the remaining clinical policies with partners", date(2027, 6, 30)),
    "People with a joint crisis plan": (
        "Rising since care coordinators were trained, but {trajectory}.",
        "Offer joint crisis plans in every community team ({crisis_plans})", date(2027, 2, 28)),
    "People with a co-produced safety plan": (
        "Rising since the new form came in; the record change went live in {safety_live:%B}.",
        "Audit safety plans on every ward", date(2027, 2, 28)),
    "Programme board seats held by lived-experience partners": (
        "Target of 40% reached in {reached:%B %Y} and held since.",
        "Keep partners' roles paid and supported", date(2027, 3, 31)),
    "Care contacts given by people employed for their lived experience": (
        "Still low: few peer workers are in post yet.",
        "Count the first cohort's contacts from {peers_in_post:%B}", date(2027, 3, 31)),
    "Staff wellbeing score": (
        "No change yet from the wellness plan; {trajectory}.",
        "Ask staff networks what would help most", date(2027, 2, 28)),
    "People in settled accommodation": (
        "Steady; {trajectory}; housing link workers started in {link_workers:%B}.",
        "Report the link workers' first cases", date(2027, 3, 31)),
    "People in paid employment": (
        "Employment is rising as specialists join teams.",
        "Place specialists in the early intervention team", date(2027, 3, 31)),
}

# What people with lived experience told the programme, and what was done ("=>"); dates in
# braces are filled from the plan as built (_story_facts).
YOU_SAID = [
    "Care letters were full of jargon and talked about us, not to us => From {letters:%B %Y}, "
    "discharge letters will be written to the person and copied to the GP",
    "Carers were left out of crisis planning => Carers' forum set up with Northmoor Carers Centre; "
    "crisis plan template now asks who the person wants involved",
    "Partners were asked for too much unpaid time => Paid partner roles and a single request "
    "route through the partnership team",
    "Courses were only in the town centre => Online courses from {online:%B %Y} and community "
    "venues from {venues:%B %Y}",
]


STAGE_PATHS = {
    # challenge -> stages at the 2024 audit, the baseline workshop and the annual re-rating
    1: (0, 1, 1), 2: (0, 1, 2), 3: (0, 0, 2), 4: (1, 1, 2), 5: (0, 1, 1), 6: (0, 1, 2),
    7: (1, 1, 2), 8: (0, 0, 1), 9: (0, 1, 1), 10: (1, 1, 2),
}

# What each rating round found, by challenge: the audit before the programme, the baseline
# workshop and the annual re-rating. A round is a sentence, or parts joined with "; ", where a
# part (action key, done, under way, not started) says what the plan records of that action on
# the day of the round (so the evidence never claims work the schedule has not reached), and
# "{trained}" is the training coverage read that month.
EVIDENCE = {
    1: ["Recovery language rarely seen in care plans (audit of 40 records).",
        [("C1", "language guide in use", "language guide being co-produced",
          "a co-produced language guide planned"),
         ("N2", "INSPIRE brief collected at care reviews", "INSPIRE collection starting",
          "INSPIRE collection planned")],
        [("C1", "language guide in use", "language guide being co-produced",
          "a co-produced language guide planned"),
         ("C3", "shared decision tool piloted in two teams",
          "shared decision tool being piloted in two teams", "shared decision tool pilot planned")]],
    2: ["No recovery training beyond induction slides.",
        [("T1", "lived-experience trainers recruited", "lived-experience trainers being recruited",
          "trainer recruitment agreed"),
         ("T3", "module co-designed", "module being co-designed",
          "module to be co-designed with the trainers")],
        [("T5", "co-produced module delivered to every staff group", "co-produced module running",
          "co-produced module ready"), "{trained}% of staff trained so far"]],
    3: ["No recovery education offer.",
        [("R1", "college model agreed, venue found",
          "college model, funding and venue being agreed",
          "college model, funding and venue to be agreed")],
        [("R2", "peer tutors recruited", "peer tutors being recruited",
          "peer tutor recruitment planned"),
         ("R3", "first prospectus co-designed", "first prospectus being co-designed",
          "first prospectus planned"),
         ("R4", "pilot year complete", "pilot college running with peer tutors",
          "pilot opens when its tutors are trained")]],
    4: ["Recovery mentioned in the quality strategy only.",
        [("G1", "board champion appointed", "board champion being appointed",
          "board champion to be appointed"),
         ("G2", "steering group in place", "steering group being set up",
          "steering group planned"),
         ("G4", "strategy written", "strategy being written with people who use services",
          "strategy to be written")],
        [("G5", "strategy approved", "strategy going to the board", "strategy awaiting approval"),
         ("N11", "recovery goals in care group business plans",
          "recovery goals being added to care group business plans",
          "recovery goals for business plans planned")]],
    5: ["Crisis plans rarely written with the person.",
        [("S1", "joint crisis plan template co-produced",
          "joint crisis plan template being co-produced",
          "joint crisis plan template to be co-produced")],
        [("S2", "care coordinators trained", "care coordinators being trained",
          "care coordinator training planned"),
         ("S3", "joint crisis plans offered in every community team",
          "joint crisis plans being offered across community teams",
          "joint crisis plans to be offered across community teams")]],
    6: ["Risk forms focus on prediction; little involvement of the person.",
        [("K1", "risk policy reviewed with people who use services",
          "policy review with people who use services under way",
          "policy review with people who use services planned")],
        [("K2", "policy approved", "policy going to the board", "policy awaiting approval"),
         ("K4", "safety planning training has reached clinical staff",
          "safety planning training reaching clinical teams", "safety planning training planned")]],
    7: ["Consultation events only; partners unpaid.",
        [("G2", "lived-experience co-chair for the steering group",
          "steering group with a lived-experience co-chair being set up",
          "lived-experience co-chair planned"),
         ("E1", "partnership framework agreed", "partnership framework being agreed",
          "partnership framework planned")],
        [("E2", "paid partners on every programme board", "partners joining programme boards",
          "partners on programme boards planned"),
         ("E1", "partnership framework agreed", "partnership framework being agreed",
          "partnership framework planned")]],
    8: ["Two peer support posts, both fixed-term.",
        [("W1", "teams and job descriptions ready for peer roles",
          "teams and job descriptions being prepared for peer roles",
          "teams and job descriptions to be prepared for peer roles")],
        [("W2", "peer supervision and career structure agreed",
          "peer supervision and career structure being agreed",
          "peer supervision to be agreed"),
         ("W3", "first peer workers recruited", "first peer workers being recruited",
          "recruitment of the first peer workers planned")]],
    9: ["Wellbeing offer varies by site.",
        [("H1", "staff wellbeing support mapped", "mapping of support under way",
          "mapping of support planned")],
        [("H2", "staff wellness plan launched", "staff wellness plan being co-designed",
          "staff wellness plan planned"),
         ("H4", "lived-experience staff network meets monthly",
          "lived-experience staff network being set up", "lived-experience staff network planned")]],
    10: ["Employment service not following the evidence.",
         [("J1", "IPS fidelity self-assessment done", "IPS fidelity self-assessment under way",
           "IPS fidelity self-assessment planned")],
         [("J2", "fidelity gaps closed", "fidelity gaps being closed", "fidelity gaps to be closed"),
          ("J4", "employment specialists in every community team",
           "employment specialists joining community teams",
           "employment specialists to join community teams"),
          ("J3", "independent fidelity review reported", "independent fidelity review under way",
           "independent fidelity review to follow")]],
}


def _evidence(plan: Plan, keys, parts, on: date) -> str:
    """A round's evidence as the plan stood on ``on`` (see :data:`EVIDENCE`)."""
    if isinstance(parts, str):
        return parts
    trained = next(m for m in plan.measures.values() if m.name.startswith("Staff who completed"))
    coverage = [r.value for r in plan.readings_of(trained.id) if r.date <= on]
    said = []
    for part in parts:
        if isinstance(part, str):
            said.append(part.format(trained=f"{coverage[-1]:.0f}" if coverage else "0"))
            continue
        key, done, going, planned = part
        a = plan.actions[keys[key]]
        said.append(done if a.actual_finish and a.actual_finish <= on else
                    going if a.actual_start and a.actual_start <= on else planned)
    text = "; ".join(said)
    return text[0].upper() + text[1:] + "."


def _add_assessments(plan: Plan, keys, actual, rng) -> None:
    workshop = actual[keys["B3"]][1]
    rerate = actual[keys["B5"]][1]
    rounds = [(next_working(date(workshop.year - 1, workshop.month, min(workshop.day, 28))),
               "Trust recovery audit panel (before the programme)"),
              (workshop, "Baseline workshop: steering group with lived-experience partners"),
              (rerate, "Annual re-rating panel: steering group and partners")]
    for n in range(1, 11):
        for i, (d, who) in enumerate(rounds):
            a = Assessment(n, d, plan.stages[STAGE_PATHS[n][i]],
                           _evidence(plan, keys, EVIDENCE[n][i], d), who)
            plan.assessments[a.uid] = a


NEXT_BOARD = date(2027, 3, 25)
"""The board after this one: "what happens next" lists what is due before it."""

PREVIOUS_AS_OF = date(2026, 9, 4)
"""Status date of the report presented to the September 2026 board (stored as a snapshot)."""


def _store_previous_report(as_of: date) -> None:
    """Store the plan as it stood for the previous board report, the way presenting that deck
    would have (a snapshot labelled with its status date), so "since the last report" has
    content. The plan is rebuilt from the same seed with the earlier status date, and readings
    after that date are left out."""
    import json
    import sqlite3

    from planner import codec
    from reports.deck import snapshot_label

    global AS_OF
    saved = AS_OF
    AS_OF = as_of
    try:
        previous = build_plan()
    finally:
        AS_OF = saved
    previous.settings.as_of = as_of
    previous.settings.board_date = date(2026, 9, 17)
    previous.readings = {k: r for k, r in previous.readings.items() if r.date <= as_of}
    conn = sqlite3.connect(PLAN_FILE)
    with conn:
        conn.execute("INSERT INTO snapshots (uid, created, label, data) VALUES (?, ?, ?, ?)",
                     ("%032x" % random.Random(SEED + 2).getrandbits(128),
                      "2026-09-10T09:00:00", snapshot_label(as_of, "Trust Board (meeting in "
                                                                   "public)"),
                      json.dumps(codec.plan_to_json(previous))))
    conn.close()


def main() -> None:
    """Write the workbook, then import it as the plan file (replacing both)."""
    from planner.validate import validate_plan
    from planner.xlsx import import_workbook, write_workbook

    plan = build_plan()
    problems = validate_plan(plan)
    if problems:
        raise SystemExit("the sample plan is not valid:\n" + "\n".join(problems))
    write_workbook(plan, WORKBOOK)
    warnings = import_workbook(WORKBOOK, PLAN_FILE, force=True)
    _store_previous_report(PREVIOUS_AS_OF)
    print(f"wrote {WORKBOOK.name} and {PLAN_FILE.name}: {len(plan.actions)} actions, "
          f"{len(plan.dependencies)} links, {len(plan.milestones)} milestones, "
          f"{len(plan.measures)} measures, {len(plan.readings)} readings, "
          f"{len(plan.assessments)} assessments, {len(plan.people)} people")
    for w in warnings:
        print("warning:", w)


if __name__ == "__main__":
    main()
