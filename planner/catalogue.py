"""A catalogue of outcome measures a mental-health trust would use to follow a recovery programme.

Each entry says what kind of evidence it is (objective routine data or subjective report), the
unit, which way is better, where the figures usually come from, and what kind of number it is:

* ``count``: how many in a period (peer workers in post, courses run);
* ``rate``: a count over a stated denominator (restrictive interventions per 1,000 occupied bed
  days, the percentage of people with a co-produced crisis plan); a rate always names its
  denominator, or two teams' figures cannot be compared;
* ``score``: a total or average on a rating scale (QPR, INSPIRE, RKI, IPS fidelity);
* ``cumulative``: a running total (percent of staff trained so far); it only ever rises, so it is
  shown on a run chart, never an XmR chart.

The wording is the product's own. Picking an entry fills a new measure (``new_measure``); the user
then adds the baseline, target and readings.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import PlanError
from .model import Measure, Plan


@dataclass(frozen=True)
class CatalogueEntry:
    """One measure a trust might adopt, with everything but its figures."""

    key: str
    name: str
    kind: str  # objective / subjective
    unit: str
    direction: str  # higher / lower is better
    source: str
    measure_type: str  # count / rate / score / cumulative
    challenges: tuple[int, ...]
    denominator: str = ""
    note: str = ""

    @property
    def label(self) -> str:
        """How the entry is listed in a picker."""
        return f"{self.name} ({self.measure_type}, {self.kind})"


CATALOGUE: tuple[CatalogueEntry, ...] = (
    # -- subjective: what people who use services, and staff, report --------------------------
    CatalogueEntry("qpr", "Average QPR personal recovery score", "subjective", "score (0-60)",
                   "higher", "QPR questionnaire, people on community caseloads", "score", (1, 5),
                   note="15 items rated 0-4 about the last seven days."),
    CatalogueEntry("inspire", "INSPIRE support-for-recovery score", "subjective", "score (0-100)",
                   "higher", "INSPIRE questionnaire (brief version in routine use)", "score",
                   (1,), note="How far a person's worker supports their recovery."),
    CatalogueEntry("experience", "People who felt involved in decisions about their care",
                   "subjective", "%", "higher", "Community mental health survey item", "rate",
                   (1, 5), denominator="of people answering the survey item"),
    CatalogueEntry("rsa", "Recovery orientation of services (RSA) score", "subjective",
                   "score (1-5)", "higher", "RSA questionnaire: people using services, staff, "
                   "family members and leaders", "score", (4, 7)),
    CatalogueEntry("rki", "Staff recovery knowledge (RKI) score", "subjective", "score",
                   "higher", "Recovery Knowledge Inventory, staff before and after training",
                   "score", (2, 9), note="20 items about what staff know of and believe about "
                   "recovery."),
    CatalogueEntry("star", "Recovery Star progress (average change per person)", "subjective",
                   "points", "higher", "Recovery Star reviews, completed with the person",
                   "score", (5, 10)),
    CatalogueEntry("staff_survey", "Staff who would recommend the trust for care",
                   "subjective", "%", "higher", "NHS Staff Survey", "rate", (4, 9),
                   denominator="of staff responding"),
    CatalogueEntry("college_outcome", "Recovery college students reporting progress towards "
                   "their goals", "subjective", "%", "higher", "Recovery college end-of-course "
                   "feedback", "rate", (3,), denominator="of students completing a course"),
    # -- objective: routine data ---------------------------------------------------------------
    CatalogueEntry("trained_cum", "Staff who have completed co-produced recovery training "
                   "(so far)", "objective", "%", "higher", "Training records", "cumulative",
                   (2,), denominator="of all clinical staff in post",
                   note="A running total: shown on a run chart."),
    CatalogueEntry("trained_month", "Staff completing co-produced recovery training this month",
                   "objective", "people", "higher", "Training records", "count", (2,)),
    CatalogueEntry("enrolments", "Recovery college enrolments", "objective", "enrolments",
                   "higher", "College registration records", "count", (3,)),
    CatalogueEntry("completions", "Recovery college course completion", "objective", "%",
                   "higher", "College registration records", "rate", (3,),
                   denominator="of enrolments on courses that ended in the month"),
    CatalogueEntry("college_peer_share", "Courses co-delivered by a peer tutor", "objective",
                   "%", "higher", "College timetable", "rate", (3, 7),
                   denominator="of courses run in the term"),
    CatalogueEntry("crisis_plans", "People with a co-produced crisis plan", "objective", "%",
                   "higher", "Care-record audit", "rate", (5,),
                   denominator="of people on the community caseload"),
    CatalogueEntry("personal_budgets", "People with a personal health budget", "objective",
                   "people", "higher", "Finance and care-record data", "count", (5,)),
    CatalogueEntry("safety_plans", "People with a safety plan written with them", "objective",
                   "%", "higher", "Care-record audit", "rate", (6,),
                   denominator="of people with an open risk assessment"),
    CatalogueEntry("restrictive", "Restrictive interventions per 1,000 occupied bed days",
                   "objective", "per 1,000 OBD", "lower",
                   "Incident reporting and bed-management data", "rate", (6,),
                   denominator="per 1,000 occupied bed days",
                   note="Restraint, seclusion and rapid tranquillisation together; a rate so "
                        "wards of different sizes and occupancy can be compared."),
    CatalogueEntry("seclusion_hours", "Seclusion hours per 1,000 occupied bed days",
                   "objective", "hours per 1,000 OBD", "lower", "Seclusion records", "rate",
                   (6,), denominator="per 1,000 occupied bed days"),
    CatalogueEntry("coproduced_decisions", "Programme decisions co-produced with people with "
                   "lived experience", "objective", "%", "higher", "Steering group minutes",
                   "rate", (7,), denominator="of decisions recorded in the period"),
    CatalogueEntry("lived_exp_paid", "Paid hours of lived-experience involvement",
                   "objective", "hours", "higher", "Involvement payments", "count", (7,)),
    CatalogueEntry("peer_wte", "Peer support workers in post", "objective", "WTE", "higher",
                   "Electronic staff record", "count", (8,)),
    CatalogueEntry("peer_share", "Care contacts delivered by people employed for their lived "
                   "experience", "objective", "%", "higher", "Activity data by staff group",
                   "rate", (8,), denominator="of all clinical contacts"),
    CatalogueEntry("peer_retention", "Peer workers still in post after 12 months", "objective",
                   "%", "higher", "Electronic staff record", "rate", (8, 9),
                   denominator="of peer workers who started 12 months earlier"),
    CatalogueEntry("sickness", "Staff sickness absence", "objective", "%", "lower",
                   "Electronic staff record", "rate", (9,),
                   denominator="of contracted hours lost"),
    CatalogueEntry("employment", "People in paid employment", "objective", "%", "higher",
                   "Mental Health Services Data Set", "rate", (10,),
                   denominator="of adults on care programme approach"),
    CatalogueEntry("accommodation", "People in settled accommodation", "objective", "%",
                   "higher", "Mental Health Services Data Set", "rate", (10,),
                   denominator="of adults on care programme approach"),
    CatalogueEntry("ips_fidelity", "IPS employment support fidelity score", "objective",
                   "score (25-125)", "higher", "IPS fidelity review (self-assessment, then "
                   "independent)", "score", (10,),
                   note="25 items scored 1-5; 100 or more is good fidelity."),
    CatalogueEntry("ips_jobs", "People supported by IPS who started a paid job", "objective",
                   "people", "higher", "IPS service records", "count", (10,)),
    CatalogueEntry("policies_cum", "Policies reviewed for recovery values (so far)",
                   "objective", "policies", "higher", "Policy register", "cumulative", (4,),
                   note="A running total: shown on a run chart."),
)
"""Every catalogue entry, grouped roughly by who reports it and by challenge."""

BY_KEY: dict[str, CatalogueEntry] = {e.key: e for e in CATALOGUE}


class UnknownCatalogueEntry(PlanError):
    """A catalogue key that is not in the catalogue."""


def entry(key: str) -> CatalogueEntry:
    """The catalogue entry with this key; a PlanError naming the choices otherwise."""
    try:
        return BY_KEY[key]
    except KeyError:
        raise UnknownCatalogueEntry(
            f"'{key}' is not in the measure catalogue. The catalogue has: "
            + ", ".join(sorted(BY_KEY)) + ".") from None


def new_measure(plan: Plan, key: str) -> Measure:
    """A new measure (with the plan's next free ID) filled from a catalogue entry."""
    e = entry(key)
    return Measure(id=plan.next_id("measure"), name=e.name, kind=e.kind, unit=e.unit,
                   direction=e.direction, source=e.source,
                   challenges=[n for n in e.challenges if n in plan.challenges] or list(
                       e.challenges),
                   measure_type=e.measure_type, denominator=e.denominator)
