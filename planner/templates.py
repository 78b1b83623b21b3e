"""Starter templates: ready-made plans a lead can begin from (``main.py new PLAN --template NAME``).

A template is a plan workbook in the repository's ``templates/`` folder, e.g.
``templates/ten-challenges.xlsx``; its name is the file name without ``.xlsx``. The exchange
workbook ``plan-workbook.xlsx`` (empty headers) is not a template.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from planner.errors import PlanError
from planner.model import Plan, new_uid

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
"""Where the template workbooks live."""

NOT_TEMPLATES = {"plan-workbook"}


def available_templates() -> list[str]:
    """Names of the templates that can be loaded, sorted."""
    if not TEMPLATE_DIR.is_dir():
        return []
    return sorted(p.stem for p in TEMPLATE_DIR.glob("*.xlsx")
                  if p.stem not in NOT_TEMPLATES and not p.name.startswith((".", "~$")))


def template_path(name: str) -> Path:
    """The workbook of template ``name``; PlanError naming the available ones if unknown."""
    names = available_templates()
    if name not in names:
        listed = ", ".join(names) if names else "none are installed"
        raise PlanError(f"There is no template called '{name}'. Available templates: {listed}")
    return TEMPLATE_DIR / f"{name}.xlsx"


def load_template(name: str, *, start: date | None = None) -> Plan:
    """A fresh in-memory Plan from template ``name``, with new identities for every record.

    ``start`` (optional) becomes the plan's start and status date. Raises PlanError for an
    unknown name, listing the available templates.
    """
    from planner.xlsx import read_workbook

    from planner.bank_holidays import DEFAULT_REGION, holidays_for_region

    plan, _warnings = read_workbook(template_path(name))
    refresh_identities(plan)
    if start is not None:
        plan.settings.start = start
        plan.settings.as_of = start
    # a template that names no region follows England and Wales's bank holidays (issue 10)
    region = plan.settings.holiday_region or DEFAULT_REGION
    plan.settings.holidays = holidays_for_region(plan.settings, region)
    plan.settings.holiday_region = region
    return plan


def refresh_identities(plan: Plan) -> None:
    """Give the plan and every record a new uid, so copies made from one template stay distinct."""
    plan.settings.plan_id = new_uid()
    for f in dataclasses.fields(plan):
        if f.name == "settings":
            continue
        collection = getattr(plan, f.name)
        by_uid = _keyed_by_uid(f.name)
        rebuilt = {}
        for key, record in collection.items():
            record.uid = new_uid()
            # collections keyed by uid (dependencies, readings, assessments) follow the new uid
            rebuilt[record.uid if by_uid else key] = record
        setattr(plan, f.name, rebuilt)


def _keyed_by_uid(table: str) -> bool:
    from planner.model import KINDS
    return any(k.table == table and k.key == "uid" for k in KINDS.values())


SAMPLE_PLAN = Path(__file__).resolve().parent.parent / "sample_plans" / "northmoor.rcplan"
"""The realistic sample plan the app opens on first run (rebuilt by sample_plans/build_sample.py)."""

