"""Bank holidays by UK region, from the ``holidays`` package (issue 10, item 8).

A plan's non-working days are ``settings.holidays`` (the list the scheduler skips, which a lead may
edit: add a trust-wide closure day, take one out). ``settings.holiday_region`` names the region
whose bank holidays that list holds: England and Wales (the default for new plans), Scotland or
Northern Ireland; empty means the plan keeps only days of its own. Choosing a region (the operation
``set_bank_holidays``) takes the old region's bank holidays out of the list and puts the new
region's in, over the plan's years and a few after, keeping every day the lead added.
"""

from __future__ import annotations

from datetime import date

from planner.errors import PlanError
from planner.model import Settings

REGIONS: dict[str, str] = {
    "England and Wales": "ENG",  # the same bank holidays in both
    "Scotland": "SCT",
    "Northern Ireland": "NIR",
}
"""The regions a plan can follow, and their subdivision code in the ``holidays`` package."""
DEFAULT_REGION = "England and Wales"
YEARS_AFTER = 4
"""Bank holidays are listed this many years past the plan's end (or start), so a plan that slips
still skips them."""


def years_of(settings: Settings, today: date | None = None) -> range:
    """The years a plan's bank holidays are listed for: from its start (else its status date,
    else today) to YEARS_AFTER years after its end."""
    first = settings.start or settings.as_of or today or date.today()
    last = settings.end or first
    return range(min(first.year, last.year), max(first.year, last.year) + YEARS_AFTER + 1)


def bank_holidays(region: str, years: range) -> list[date]:
    """The weekday bank holidays of ``region`` in ``years`` (a substitute day when one falls at a
    weekend), oldest first; empty for no region."""
    if not region:
        return []
    if region not in REGIONS:
        raise PlanError(f"'{region}' is not a region the planner knows bank holidays for; "
                        f"choose {', '.join(REGIONS)}.")
    import holidays

    days = holidays.country_holidays("GB", subdiv=REGIONS[region], years=list(years))
    return sorted(d for d in days if d.weekday() < 5)


def holidays_for_region(settings: Settings, region: str) -> list[date]:
    """``settings.holidays`` with its region's bank holidays swapped for ``region``'s; the days
    the lead added stay. A plan that names no region yet (made before regions, its bank holidays
    typed in) has every UK bank holiday in its list taken as a bank holiday, not its own day."""
    years = years_of(settings)
    if settings.holiday_region in REGIONS:
        old = set(bank_holidays(settings.holiday_region, years))
    elif region:
        old = {d for r in REGIONS for d in bank_holidays(r, years)}
    else:
        old = set()
    own = [d for d in settings.holidays if d not in old]
    return sorted(set(own) | set(bank_holidays(region, years)))
