"""Finding a person by what a lead types (name or ID) and the work they own."""

from __future__ import annotations

from planner.errors import PlanError
from planner.model import Action, Milestone, Person, Plan, id_order


def find_person(plan: Plan, text: str) -> Person:
    """The person named ``text`` (ID, or name ignoring case and extra spaces); PlanError if none."""
    wanted = " ".join(text.split()).casefold()
    if text in plan.people:
        return plan.people[text]
    matches = [p for p in plan.people.values()
               if " ".join(p.name.split()).casefold() == wanted or p.id.casefold() == wanted]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise PlanError(f"More than one person is called '{text}'; use their ID ("
                        + ", ".join(p.id for p in matches) + ").")
    names = ", ".join(sorted(p.name for p in plan.people.values())) or "nobody yet"
    raise PlanError(f"There is nobody called '{text}' in this plan (people: {names}).")


def owned_work(plan: Plan, person_id: str) -> tuple[list[Action], list[Milestone]]:
    """The actions and milestones a person owns, in ID order."""
    actions = sorted((a for a in plan.actions.values() if a.owner == person_id),
                     key=lambda a: id_order(a.id))
    milestones = sorted((m for m in plan.milestones.values() if m.owner == person_id),
                        key=lambda m: id_order(m.id))
    return actions, milestones
