"""The plan's records as plain dataclasses: challenges, people, actions, milestones, measures and more.

Every record carries a ``uid`` (a random hex string) that survives copying a plan file, so that a
change made in one copy can be recognised in another. Records a user refers to also carry a short,
user-visible ``id`` ("A12", "M3", "P4") that never changes once given. References between records
use those short ids (person ids for owners, action ids for dependencies), so the Excel workbook and
the command line can speak the user's language.
"""

from __future__ import annotations

import dataclasses
import os
import types
import typing
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

DEFAULT_STAGES = ["Not yet started", "Engagement", "Development", "Transformation"]
"""The product's own default progress scale (configurable per plan)."""

ROLES = ["staff", "peer worker", "service user", "carer", "partner organisation", "other"]


class ActionStatus(StrEnum):
    """Where an action stands. Members are strings, so plan files keep the same words."""

    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    DONE = "done"
    ON_HOLD = "on hold"
    CANCELLED = "cancelled"


class MilestoneStatus(StrEnum):
    """What the owner says of a milestone. Members are strings, so plan files keep the same words."""

    PLANNED = "planned"
    ACHIEVED = "achieved"
    MISSED = "missed"
    CANCELLED = "cancelled"


ACTION_STATUSES = [s.value for s in ActionStatus]
MILESTONE_STATUSES = [s.value for s in MilestoneStatus]
DEPENDENCY_TYPES = ["FS", "SS"]
MEASURE_KINDS = ["objective", "subjective"]
ACTION_TAGS = ["", "governance", "baseline-assessment", "hr-readiness", "peer-hire",
               "peer-tutor-training", "co-delivered-course", "staff-training", "form-change",
               "policy-change", "ips-fidelity-review", "employment-specialists"]
"""Optional tags saying what an action is in recovery practice (see planner/domain_checks.py)."""
MEASURE_TYPES = ["count", "rate", "score", "cumulative"]
"""What a measure's number is: a count in a period, a rate (over a stated denominator), a score
on a scale, or a running total (cumulative measures are shown on run charts, not XmR charts)."""
DIRECTIONS = ["higher", "lower"]
PURPOSES = ["Decision", "Assurance", "Discussion", "Information"]
ASSURANCE_LEVELS = ["Substantial", "Reasonable", "Limited", "No assurance"]


def new_uid() -> str:
    """A fresh stable identity for a record: a random (version 4) UUID as 32 hex digits.

    Built as ``uuid.uuid4().hex`` builds it, without importing ``uuid`` (and ``platform``) on
    every command-line run (issue 13).
    """
    b = bytearray(os.urandom(16))
    b[6] = (b[6] & 0x0F) | 0x40  # version 4
    b[8] = (b[8] & 0x3F) | 0x80  # RFC 4122 variant
    return b.hex()


@dataclass
class ChallengeInfo:
    """The product's own wording of one of the ten organisational challenges."""

    number: int
    title: str
    description: str


CHALLENGES: list[ChallengeInfo] = [
    ChallengeInfo(1, "Everyday encounters and experience of care",
                  "How staff and the people they support meet each day: hopeful language, shared "
                  "decisions, and referral, assessment and discharge routes reviewed with a "
                  "recovery lens."),
    ChallengeInfo(2, "Co-produced learning for all staff",
                  "Training about recovery designed and delivered with people who have lived "
                  "experience, reaching every profession and grade, backed by a pool of trained "
                  "lived-experience trainers."),
    ChallengeInfo(3, "Recovery College",
                  "A place of adult learning run on educational lines: a pilot first, then a full "
                  "college with courses planned and taught jointly by lived-experience and "
                  "professional tutors, open to self-referral."),
    ChallengeInfo(4, "Leadership commitment and culture",
                  "Recovery owned at the top: a board champion, a steering group, a written "
                  "strategy, and recovery values built into recruitment, appraisal, audit and "
                  "policy."),
    ChallengeInfo(5, "Personal choice and control",
                  "People hold more of the decisions about their care: self-management "
                  "information, joint crisis plans and advance statements, shared medication "
                  "choices, advocacy and personal budgets."),
    ChallengeInfo(6, "Safety planning and positive risk",
                  "Moving from risk prediction done to people towards safety plans written with "
                  "them and measured, shared decisions about positive risk, supported by policy "
                  "and training."),
    ChallengeInfo(7, "Partnership with people who use services",
                  "From consultation to genuine partnership: people with lived experience share "
                  "power in decisions at every level, from teams to the board."),
    ChallengeInfo(8, "Transforming the workforce",
                  "The whole workforce, not only new roles: a skill mix in which a large share of "
                  "care is given by people employed for their lived experience, HR and "
                  "occupational health ready for them, and peer roles grown in stages (prepare "
                  "the organisation, recruit, employ, develop and supervise)."),
    ChallengeInfo(9, "Staff wellbeing and their own recovery",
                  "Looking after the people who do the work, including staff with their own lived "
                  "experience: supervision, wellbeing support and an open culture."),
    ChallengeInfo(10, "Life beyond services",
                  "Work, housing, friendships and community: partnerships with employers and "
                  "housing providers, employment support that follows the evidence, and "
                  "challenging stigma."),
]


@dataclass
class Challenge:
    """One of the ten challenges as held in a plan, with the stage the plan aims for."""

    number: int
    title: str = ""
    description: str = ""
    target_stage: str = "Transformation"
    uid: str = field(default_factory=new_uid)


@dataclass
class Person:
    """Someone who owns actions or milestones: staff, peer worker, service user, carer, partner."""

    id: str
    name: str
    role: str = "staff"
    team: str = ""
    email: str = ""
    capacity: int = 3
    uid: str = field(default_factory=new_uid)


@dataclass
class Initiative:
    """A workstream that groups actions; ``rationale`` says why it comes in the order it does."""

    id: str
    title: str
    description: str = ""
    owner: str | None = None
    challenges: list[int] = field(default_factory=list)
    rationale: str = ""
    uid: str = field(default_factory=new_uid)


@dataclass
class Action:
    """A piece of change work with an owner, a duration in working days and the challenges it serves.

    ``tag`` optionally says what kind of step it is in recovery practice (one of
    :data:`ACTION_TAGS`, e.g. ``"peer-tutor-training"``); the domain checks use it, and fall back
    on the title's words when it is empty.
    """

    id: str
    title: str
    description: str = ""
    initiative: str | None = None
    owner: str | None = None
    challenges: list[int] = field(default_factory=list)
    duration: int = 5
    not_before: date | None = None
    deadline: date | None = None
    status: str = ActionStatus.NOT_STARTED.value
    percent: int = 0
    actual_start: date | None = None
    actual_finish: date | None = None
    coproduced: bool = False
    coproduced_with: str = ""
    check_control: int | None = None
    check_opportunity: int | None = None
    check_hope: int | None = None
    phase: int | None = None
    notes: str = ""
    tag: str = ""
    uid: str = field(default_factory=new_uid)


@dataclass(slots=True)
class Dependency:
    """``action`` needs ``needs``: finish-to-start (FS) or start-to-start (SS), with a lag in working days.

    Its fields are slots, held in the record itself: a plan has about three links an action,
    and every full schedule reads each one's ends, type and lag. Without slots each link's
    values lie in a block of their own beside the record, one more cache line read per link
    (issue 13: a 20,000-action plan takes about 2 MB less)."""

    action: str
    needs: str
    type: str = "FS"
    lag: int = 0
    uid: str = field(default_factory=new_uid)


@dataclass
class Milestone:
    """A dated point of progress, linked to an action or an initiative; governance dates are flagged."""

    id: str
    title: str
    owner: str | None = None
    action: str | None = None
    initiative: str | None = None
    baseline: date | None = None
    forecast: date | None = None
    actual: date | None = None
    status: str = MilestoneStatus.PLANNED.value
    governance: bool = False
    comment: str = ""
    uid: str = field(default_factory=new_uid)


@dataclass
class Measure:
    """An outcome measure: objective or subjective, with its direction of improvement and target.

    ``spc_fix_after`` fixes the SPC chart's mean and limits on the first N readings of each
    period; ``spc_rebase`` lists dates of known changes where a new period (and new limits) starts.
    ``measure_type`` is one of :data:`MEASURE_TYPES`; a rate names its ``denominator``
    ("per 1,000 occupied bed days", "of people on the caseload"). ``so_what``, ``next_action``
    and ``action_by`` are the commentary the board paper prints under the measure's chart.
    """

    id: str
    name: str
    kind: str = "objective"
    unit: str = ""
    direction: str = "higher"
    source: str = ""
    challenges: list[int] = field(default_factory=list)
    baseline: float | None = None
    baseline_date: date | None = None
    target: float | None = None
    target_date: date | None = None
    spc_fix_after: int | None = None
    spc_rebase: list[date] = field(default_factory=list)
    measure_type: str = "count"
    denominator: str = ""
    so_what: str = ""
    next_action: str = ""
    action_by: date | None = None
    uid: str = field(default_factory=new_uid)


@dataclass
class Reading:
    """One value of a measure on a date."""

    measure: str
    date: date
    value: float
    note: str = ""
    uid: str = field(default_factory=new_uid)


@dataclass
class Assessment:
    """A stage given to a challenge at a review date, with the evidence and who assessed it."""

    challenge: int
    date: date
    stage: str
    evidence: str = ""
    assessor: str = ""
    uid: str = field(default_factory=new_uid)


@dataclass
class Risk:
    """A risk to the programme, scored likelihood x impact on a 5 x 5 grid.

    ``target_likelihood`` and ``target_impact`` give the score the mitigation aims for;
    ``baf_ref`` links it to the Board Assurance Framework ("BAF 3").
    """

    id: str
    title: str
    likelihood: int = 3
    impact: int = 3
    owner: str | None = None
    mitigation: str = ""
    actions: list[str] = field(default_factory=list)
    challenges: list[int] = field(default_factory=list)
    target_likelihood: int | None = None
    target_impact: int | None = None
    baf_ref: str = ""
    uid: str = field(default_factory=new_uid)


@dataclass
class Phase:
    """A numbered phase of the programme; it may carry a start date."""

    number: int
    name: str = ""
    start: date | None = None
    uid: str = field(default_factory=new_uid)


@dataclass
class Settings:
    """Plan-wide facts: name, dates, working calendar, stage scale and the board report's cover."""

    plan_id: str = field(default_factory=new_uid)
    name: str = "New plan"
    organisation: str = ""
    start: date | None = None
    as_of: date | None = None
    end: date | None = None
    holidays: list[date] = field(default_factory=list)
    holiday_region: str = ""  # whose bank holidays ``holidays`` holds (planner/bank_holidays.py)
    date_order: str = "day first"
    stage_scale: list[str] = field(default_factory=lambda: list(DEFAULT_STAGES))
    board_meeting: str = ""
    board_date: date | None = None
    board_purpose: str = "Assurance"
    board_assurance: str = "Reasonable"
    board_recommendation: str = ""
    board_objectives: str = ""
    board_baf_risks: str = ""
    board_cqc_domains: str = ""
    board_exec_lead: str = ""
    board_author: str = ""
    board_previously: str = ""
    board_impact: str = ""
    board_lived_experience: str = ""
    board_you_said: str = ""
    summary_on_track: str = ""
    summary_changed: str = ""
    summary_next: str = ""
    summary_decisions: str = ""


@dataclass(frozen=True)
class Kind:
    """How one kind of record is named, keyed and stored."""

    name: str
    cls: type
    table: str
    key: str
    label: str
    prefix: str = ""


KINDS: dict[str, Kind] = {
    k.name: k
    for k in [
        Kind("challenge", Challenge, "challenges", "number", "challenge"),
        Kind("person", Person, "people", "id", "person", "P"),
        Kind("initiative", Initiative, "initiatives", "id", "initiative", "I"),
        Kind("action", Action, "actions", "id", "action", "A"),
        Kind("dependency", Dependency, "dependencies", "uid", "dependency"),
        Kind("milestone", Milestone, "milestones", "id", "milestone", "M"),
        Kind("measure", Measure, "measures", "id", "measure", "OM"),
        Kind("reading", Reading, "readings", "uid", "reading"),
        Kind("assessment", Assessment, "assessments", "uid", "assessment"),
        Kind("risk", Risk, "risks", "id", "risk", "R"),
        Kind("phase", Phase, "phases", "number", "phase"),
    ]
}


def field_types(cls: type) -> dict[str, typing.Any]:
    """The declared type of every field of a record class (cached): what
    ``typing.get_type_hints`` gives for each field, in the fields' order."""
    cached = _FIELD_TYPES.get(cls)
    if cached is None:
        cached = _FIELD_TYPES[cls] = _declared_types(cls)
    return cached


_FIELD_TYPES: dict[type, dict[str, typing.Any]] = {}


def _declared_types(cls: type) -> dict[str, typing.Any]:
    """``field_types`` worked out: each field's annotation (text, as this module's
    ``from __future__ import annotations`` leaves it) evaluated as ``typing.get_type_hints``
    evaluates it, in the module's names with the class's own first, but each distinct text
    compiled once for all classes, where get_type_hints compiles every field's again (about
    8 M instructions of each command that reads a plan; issue 13). A class whose annotations
    are not all plain text of this kind, or whose bases have annotations, is left to
    get_type_hints."""
    names = [f.name for f in dataclasses.fields(cls)]
    own = cls.__dict__.get("__annotations__", {})

    def as_typing_says() -> dict[str, typing.Any]:
        hints = typing.get_type_hints(cls)
        return {n: hints[n] for n in names}

    if (any("__annotations__" in base.__dict__ for base in cls.__mro__[1:])
            or not all(type(own.get(n)) is str for n in names)):
        return as_typing_says()
    module = vars(__import__(cls.__module__, fromlist=["_"]))
    inside = dict(vars(cls))
    out: dict[str, typing.Any] = {}
    for n in names:
        text = own[n]
        code = _ANNOTATION_CODE.get(text)
        if code is None:
            code = _ANNOTATION_CODE[text] = compile(text, "<string>", "eval")
        value = eval(code, module, inside)  # noqa: S307 - the model's own annotations
        if not isinstance(value, (type, types.GenericAlias, types.UnionType)) or any(
                isinstance(a, (str, typing.ForwardRef)) for a in typing.get_args(value)):
            return as_typing_says()  # anything else: as typing resolves it
        out[n] = value
    return out


_ANNOTATION_CODE: dict[str, typing.Any] = {}


@dataclass
class Plan:
    """The whole plan held in memory; every collection is a dict keyed by the kind's key field."""

    settings: Settings = field(default_factory=Settings)
    challenges: dict[int, Challenge] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    initiatives: dict[str, Initiative] = field(default_factory=dict)
    actions: dict[str, Action] = field(default_factory=dict)
    dependencies: dict[str, Dependency] = field(default_factory=dict)
    milestones: dict[str, Milestone] = field(default_factory=dict)
    measures: dict[str, Measure] = field(default_factory=dict)
    readings: dict[str, Reading] = field(default_factory=dict)
    assessments: dict[str, Assessment] = field(default_factory=dict)
    risks: dict[str, Risk] = field(default_factory=dict)
    phases: dict[int, Phase] = field(default_factory=dict)

    def collection(self, kind: str) -> dict:
        """The dict holding records of ``kind`` (e.g. ``"action"``)."""
        return getattr(self, KINDS[kind].table)

    @property
    def stages(self) -> list[str]:
        """The plan's stage scale, lowest first."""
        return self.settings.stage_scale

    def stage_index(self, stage: str | None) -> int | None:
        """Position of ``stage`` on the plan's scale (0 = lowest), or None if unknown."""
        try:
            return self.stages.index(stage) if stage is not None else None
        except ValueError:
            return None

    def readings_of(self, measure_id: str) -> list[Reading]:
        """A measure's readings in date order."""
        return sorted((r for r in self.readings.values() if r.measure == measure_id),
                      key=lambda r: r.date)

    def assessments_of(self, number: int) -> list[Assessment]:
        """A challenge's assessments, oldest first."""
        return sorted((a for a in self.assessments.values() if a.challenge == number),
                      key=lambda a: a.date)

    def current_stage(self, number: int) -> str | None:
        """The stage given at the latest assessment of a challenge, if any."""
        history = self.assessments_of(number)
        return history[-1].stage if history else None

    def actions_of_challenge(self, number: int) -> list[Action]:
        """Actions that address a challenge."""
        return [a for a in self.actions.values() if number in a.challenges]

    def predecessors(self, action_id: str) -> list[Dependency]:
        """Dependencies in which ``action_id`` waits on another action."""
        return [d for d in self.dependencies.values() if d.action == action_id]

    def successors(self, action_id: str) -> list[Dependency]:
        """Dependencies in which another action waits on ``action_id``."""
        return [d for d in self.dependencies.values() if d.needs == action_id]

    def next_id(self, kind: str) -> str:
        """The next free user-visible id for a kind, e.g. ``A13`` after ``A12``."""
        k = KINDS[kind]
        keys = self.collection(kind)
        highest = None
        if len(keys) > 64:
            kept = self.__dict__.setdefault("_highest_kept", {})
            highest = _highest_since(kept, kind, keys, k.prefix)
            if highest is None:
                highest = _highest_number(keys, k.prefix)
                kept.pop(kind, None)
                if highest is not None and type(keys) is dict:
                    kept[kind] = (set(keys), highest)
        if highest is None:
            highest = 0
            for key in keys:
                number = _number(key, k.prefix)
                if number is not None:
                    highest = max(highest, number)
        return f"{k.prefix}{highest + 1}"


def _number(key, prefix: str) -> int | None:
    """N of a key that is ``prefix`` + N (digits ``str.isdigit`` accepts), else None."""
    tail = str(key)[len(prefix):]
    if str(key).startswith(prefix) and tail.isdigit():
        return int(tail)
    return None


def _highest_since(kept: dict, kind: str, keys, prefix: str) -> int | None:
    """The highest N of the keys that are ``prefix`` + N, from what ``next_id`` found last time
    (``kept[kind]``: the keys then, and their highest N) and the keys removed and added since;
    None where that cannot be sure (nothing kept, the highest removed, a key that is not text).

    Adding an action on 20,000 read every key (joined, then a pattern over the text: about 12
    ms, issue 13). Here the keys removed are the ones kept that the dict no longer holds (a
    look-up of each with its stored hash, in C, that reads no key); how many were added follows
    from the counts, and a dict lists keys added after the others, so they are found by reading
    from its end until that many are met.
    """
    got = kept.get(kind)
    if got is None or type(keys) is not dict:
        return None
    seen, highest = got
    gone = seen.difference(keys)
    if any(_number(key, prefix) == highest for key in gone):
        return None  # the highest went: another may now be the highest
    missing = len(keys) - (len(seen) - len(gone))  # keys not in ``seen``
    added = []
    if missing:
        for key in reversed(keys):
            if key not in seen:
                if type(key) is not str:
                    return None
                added.append(key)
                if len(added) == missing:
                    break
    for key in added:
        number = _number(key, prefix)
        if number is not None and number > highest:
            highest = number
    seen.difference_update(gone)
    seen.update(added)
    kept[kind] = (seen, highest)
    return highest


def _highest_number(keys, prefix: str) -> int | None:
    """The highest N of the keys that are ``prefix`` + N, found in C over the keys joined into
    one text (adding an action on 20,000 looked at each key in Python: about 25 ms, issue 13);
    None where that cannot be sure (a key that is not text, or holds the separator, or digits
    that are not plain 0-9): the caller then looks at each key."""
    import re

    if not all(type(key) is str for key in keys):
        return None
    text = "\n".join(keys)
    if text.count("\n") != len(keys) - 1 or not text.isascii():
        return None
    found = re.findall(rf"^{re.escape(prefix)}([0-9]+)$", text, re.MULTILINE)
    return max(map(int, found), default=0)


def ten_challenges(target_stage: str = DEFAULT_STAGES[-1]) -> dict[int, Challenge]:
    """The ten challenges in the product's own words, each aiming for ``target_stage``."""
    return {c.number: Challenge(c.number, c.title, c.description, target_stage) for c in CHALLENGES}


def id_order(record_id: object) -> tuple[str, int, str]:
    """A sort key putting user IDs in the order people expect: A2 before A10."""
    text = str(record_id)
    head = text.rstrip("0123456789")
    tail = text[len(head):]
    return (head, int(tail) if tail else -1, text)
