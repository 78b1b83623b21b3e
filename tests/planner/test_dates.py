"""Dates as people type them (issue 10): every accepted form means the day typed, and impossible
dates are refused with a message instead of being moved to a nearby day."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.dates import (accepted_forms, add_working_days, format_date, is_day_first,
                           parse_date)
from planner.errors import DateError, PlanError

MARCH_15 = date(2027, 3, 15)
TODAY = date(2026, 11, 13)  # a Friday


@pytest.mark.parametrize("text", [
    "15/03/2027", "15/3/27", "15/3/2027", "15 Mar 2027", "15-03-2027", "2027-03-15",
    "15032027", "15Mar2027", "15 March 2027", "15-Mar-27", "15.03.2027", "Mar 15 2027",
    "March 15, 2027", "15th March 2027", "Mon 15 Mar 2027", " 15/03/2027 ", "150327",
    "20270315", "2027-03-15 00:00:00", "15 mar 2027", "15 MAR 2027",
])
def test_every_uk_form_means_the_day_typed(text):
    assert parse_date(text) == MARCH_15


@pytest.mark.parametrize("text", ["03/15/2027", "3/15/27", "03152027", "15 Mar 2027",
                                  "2027-03-15"])
def test_month_first_plans_read_numbers_month_first(text):
    assert parse_date(text, day_first=False) == MARCH_15


def test_day_first_is_the_default_and_the_setting_switches_it():
    assert parse_date("04/05/2027") == date(2027, 5, 4)
    assert is_day_first(None) and is_day_first("day first")
    assert not is_day_first("month first")
    assert parse_date("04/05/2027", day_first=is_day_first("month first")) == date(2027, 4, 5)


@pytest.mark.parametrize("text, why", [
    ("31/02/2027", "February 2027 has 28 days"),
    ("29/02/2027", "February 2027 has 28 days"),
    ("31022027", "February 2027 has 28 days"),
    ("31 Feb 2027", "February 2027 has 28 days"),
    ("31/04/2027", "April 2027 has 30 days"),
    ("15/13/2027", "no month 13"),
    ("00/03/2027", "has 31 days"),
    ("2027-02-30", "February 2027 has 28 days"),
    ("15/03/0000", "no year 0"),
])
def test_impossible_dates_are_refused_never_moved(text, why):
    with pytest.raises(DateError) as info:
        parse_date(text)
    assert why in str(info.value)
    assert "dd/mm/yyyy" in str(info.value)  # it says what is expected
    assert isinstance(info.value, PlanError)


@pytest.mark.parametrize("text", ["", "soon", "15/03", "1503", "15//2027", "Marchy 15 2027",
                                  "15 Mar", "15/03/202"])
def test_text_that_is_not_a_date_lists_the_accepted_forms(text):
    with pytest.raises(DateError) as info:
        parse_date(text)
    for form in ("dd/mm/yyyy", "15 Mar 2027", "2027-03-15", "today", "+N working days"):
        assert form in str(info.value)


def test_words_and_working_days():
    assert parse_date("today", today=TODAY) == TODAY
    assert parse_date("Tomorrow", today=TODAY) == date(2026, 11, 14)
    assert parse_date("yesterday", today=TODAY) == date(2026, 11, 12)
    # Friday +1 working day is Monday; a holiday on that Monday moves it to Tuesday
    assert parse_date("+1", today=TODAY) == date(2026, 11, 16)
    assert parse_date("+1", today=TODAY, holidays=[date(2026, 11, 16)]) == date(2026, 11, 17)
    assert parse_date("+5 working days", today=TODAY) == date(2026, 11, 20)
    assert parse_date("-1", today=TODAY) == date(2026, 11, 12)
    assert add_working_days(TODAY, 0) == TODAY


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)), st.booleans())
def test_what_an_editor_shows_reads_back_as_the_same_day(d, day_first):
    assert parse_date(format_date(d, day_first), day_first=day_first) == d


def test_accepted_forms_follow_the_order():
    assert accepted_forms(False).startswith("mm/dd/yyyy")


@pytest.mark.parametrize("typed", ["30/11/2026", "30 Nov 2026", "2026-11-30", "30112026"])
def test_the_command_line_reads_dates_as_the_window_does(typed):
    from main import command_parser

    args = command_parser().parse_args(["export", "p.rcplan", "--pptx", "x.pptx", "--as-of", typed])
    assert args.as_of == date(2026, 11, 30)


def test_the_command_line_refuses_an_impossible_date(capsys):
    from main import command_parser

    with pytest.raises(SystemExit) as info:
        command_parser().parse_args(["export", "p.rcplan", "--pptx", "x.pptx",
                                     "--as-of", "31/02/2027"])
    assert info.value.code == 2
    assert "February 2027 has 28 days" in capsys.readouterr().err


def test_month_and_day_words_are_those_calendar_gives_in_the_c_locale():
    """The words read in dates are written out (importing ``calendar`` only for them cost every
    ``validate`` its import, issue 13): the same words ``calendar`` gives for English, the "C"
    locale Python starts in, and every one of them read in a date."""
    import calendar
    import locale

    from planner import dates

    saved = locale.setlocale(locale.LC_TIME)
    locale.setlocale(locale.LC_TIME, "C")
    try:
        months = {n.lower(): i for i, n in enumerate(calendar.month_abbr) if n}
        months.update({n.lower(): i for i, n in enumerate(calendar.month_name) if n})
        days = {d.lower() for d in list(calendar.day_abbr) + list(calendar.day_name)}
    finally:
        locale.setlocale(locale.LC_TIME, saved)
    assert dates._MONTHS == {**months, "sept": 9}
    assert dates._WEEKDAYS == days
    for word, month in dates._MONTHS.items():
        assert parse_date(f"Fri 1 {word.title()} 2027") == date(2027, month, 1)


@pytest.mark.parametrize("start, finish, said", [
    (date(2027, 11, 25), date(2027, 12, 3), "25 Nov–3 Dec 2027"),
    (date(2026, 11, 25), date(2027, 2, 3), "25 Nov 2026–3 Feb 2027"),
    (date(2027, 3, 4), date(2027, 3, 4), "4 Mar 2027"),
])
def test_a_span_reads_as_its_days_do(start, finish, said):
    from planner.dates import short_range

    assert short_range(start, finish) == said


@given(st.dates(), st.dates())
def test_a_span_names_both_days_as_short_date_does(a, b):
    """Each end reads as ``short_date`` writes it, the year left off the first only when both
    share it (so no day is ever read in the wrong year)."""
    from planner.dates import short_date, short_range

    text = short_range(a, b)
    if a == b:
        assert text == short_date(a)
        return
    first, last = text.split("–")
    assert last == short_date(b)
    assert first == (short_date(a).rsplit(" ", 1)[0] if a.year == b.year else short_date(a))


# ----- dates people read are English whatever the machine's locale -----------------------------

_IN_ANOTHER_LOCALE = """
import locale, sys
sys.path.insert(0, {root!r})
locale.setlocale(locale.LC_ALL, "")  # as Qt does when the window starts
from datetime import date, datetime
from pathlib import Path
from planner.backups import BackupInfo
from planner.dates import month_year
from planner.lock import LockInfo
print(f"{{date(2026, 3, 3):%b}}")
print(BackupInfo(Path("x"), datetime(2026, 3, 2, 14, 5), "save", 1).when_text)
print(LockInfo("Asha", "LAPTOP-12", 1, datetime(2026, 3, 3, 14, 5).astimezone().isoformat()).describe())
print(month_year(date(2026, 3, 1)))
"""


@pytest.fixture(scope="module")
def german_locale(tmp_path_factory):
    """A German locale built for this test (``localedef``): the machine may have none."""
    import os
    import shutil
    import subprocess
    import sys

    where = tmp_path_factory.mktemp("locales")
    if shutil.which("localedef") is None:
        pytest.skip("no localedef on this machine")
    made = subprocess.run(["localedef", "-i", "de_DE", "-f", "UTF-8", str(where / "de_DE.UTF-8")],
                          capture_output=True)
    # localedef leaves an empty folder where it finds no locale sources (a machine without
    # Debian's `locales`; scripts/setup.sh --tests installs it): what counts is whether the
    # locale can be set
    works = subprocess.run([sys.executable, "-c", "import locale; "
                            "locale.setlocale(locale.LC_ALL, 'de_DE.UTF-8')"],
                           capture_output=True, env={**os.environ, "LOCPATH": str(where)})
    if works.returncode != 0:
        pytest.skip(f"no German locale could be built: {made.stderr[-200:]!r}")
    return where


def test_times_people_read_name_the_month_in_english_whatever_the_locale(german_locale):
    """Qt sets the machine's locale when the window starts: the backups list, the note of who
    holds a plan and the Outcomes view's "limits of the period since" named the month through
    ``strftime("%b")``, "Mär" on a German machine, where every other date reads "Mar"."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parent.parent.parent)
    env = {**os.environ, "LOCPATH": str(german_locale), "LC_ALL": "de_DE.UTF-8"}
    r = subprocess.run([sys.executable, "-c", _IN_ANOTHER_LOCALE.format(root=root)],
                       capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    strftime_month, backup, lock, month = r.stdout.splitlines()
    assert strftime_month == "Mär"  # the locale took: strftime follows it
    assert backup == "2 Mar 2026 14:05"
    assert lock == "Asha on LAPTOP-12 since 14:05 on 3 Mar 2026"
    assert month == "Mar 2026"
