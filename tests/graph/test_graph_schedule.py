"""Hand-worked schedules: weekends, holidays, lags, start-to-start, not-before, actuals, float."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import graph
from planner.workdays import WorkCalendar
from planner.errors import LoopError
from planner.model import (Action, Dependency, Initiative, Milestone, Phase, Plan, Settings,
                           ten_challenges)

MON = date(2027, 1, 4)  # Monday 4 January 2027


def mk(actions, links=(), *, start=MON, as_of=None, holidays=(), phases=None, milestones=()):
    """A plan from compact specs: actions as (id, duration) or dicts; links as (succ, pred[, type, lag])."""
    plan = Plan(settings=Settings(name="Test plan", start=start, as_of=as_of,
                                  holidays=list(holidays)))
    plan.challenges = ten_challenges()
    for spec in actions:
        if isinstance(spec, tuple):
            spec = {"id": spec[0], "duration": spec[1]}
        spec = dict(spec)
        spec.setdefault("title", f"Action {spec['id']}")
        plan.actions[spec["id"]] = Action(**spec)
    for link in links:
        succ, pred = link[0], link[1]
        kind = link[2] if len(link) > 2 else "FS"
        lag = link[3] if len(link) > 3 else 0
        d = Dependency(action=succ, needs=pred, type=kind, lag=lag)
        plan.dependencies[d.uid] = d
    for n, start_date in (phases or {}).items():
        plan.phases[n] = Phase(n, f"Phase {n}", start_date)
    for m in milestones:
        plan.milestones[m.id] = m
    return plan


def dates(an, aid):
    r = an.rows[aid]
    return r.start, r.finish


# ---------------------------------------------------------------- calendar

def test_calendar_skips_weekends_and_holidays():
    cal = WorkCalendar([date(2027, 1, 6)])  # a Wednesday holiday
    assert cal.date(cal.index(MON) + 2) == date(2027, 1, 7)  # Mon, Tue, (Wed off), Thu
    assert cal.next_working(date(2027, 1, 9)) == date(2027, 1, 11)  # Saturday -> Monday
    assert cal.next_working(date(2027, 1, 6)) == date(2027, 1, 7)  # holiday -> next day
    assert cal.index_on_or_before(date(2027, 1, 10)) == cal.index(date(2027, 1, 8))  # Sun -> Fri
    assert cal.between(MON, date(2027, 1, 11)) == 4  # one holiday in the week


@settings(deadline=None, max_examples=200, derandomize=True)
@given(st.lists(st.integers(-400, 400), max_size=40), st.lists(st.integers(-300, 300), min_size=1,
                                                             max_size=30))
def test_calendar_dates_worked_out_a_block_at_a_time_are_the_formula_s(holiday_days, numbers):
    """WorkCalendar.date steps through a block of working days on a miss (issue 13): every date
    it gives, in any order of asking, is the one the formula gives, a working day, and numbered i."""
    holidays = [MON + timedelta(days=k) for k in holiday_days]
    cal, plain = WorkCalendar(holidays), WorkCalendar(holidays)
    base = plain.index(MON)
    for k in numbers:
        i = base + k
        d = cal.date(i)
        assert d == plain._date_of(i)
        assert cal.is_working(d) and cal.index(d) == i
    # The blocks also filled the numbers of their days: every one is the day count's.
    numbers = counted(holidays)
    for k in range(-500, 500):
        d = MON + timedelta(days=k)
        assert cal.index(d) == numbers[d]


def counted(holidays: list[date]) -> dict[date, int]:
    """Each day's working-day number from 1,000 days before MON to 1,000 after, counted out
    day by day with no calendar (a day off takes the next working day's number): what every
    calendar of these holidays must give. The holidays lie within 1,000 days of MON."""
    off = set(holidays)
    first = MON - timedelta(days=1001)  # a Monday, 143 weeks before
    assert all(abs((h - MON).days) < 1000 for h in holidays)
    n = WorkCalendar().index(first)  # no holiday before it
    out = {}
    days = [first + timedelta(days=k) for k in range(2003)]
    for x in days:  # working days before x, counted from first's number
        out[x] = n
        n += x.weekday() < 5 and x not in off
    return out


@settings(deadline=None, max_examples=60, derandomize=True)
@given(st.lists(st.lists(st.integers(-60, 60), max_size=8), min_size=1, max_size=6),
       st.lists(st.tuples(st.integers(0, 5), st.integers(-80, 80)), min_size=1, max_size=40))
def test_calendars_of_several_holiday_sets_asked_in_turn_each_count_their_own(sets, asks):
    """Calendars keep what they worked out for later calendars of the same holidays (issue 13);
    calendars of other holidays, asked in any order, each still count their own."""
    sets = [[MON + timedelta(days=k) for k in ks] for ks in sets]
    numbers = [counted(holidays) for holidays in sets]
    for which, k in asks:
        holidays = sets[which % len(sets)]
        cal = WorkCalendar(holidays)
        d = MON + timedelta(days=k)
        i = cal.index(d)
        assert i == numbers[which % len(sets)][d]
        got = cal.date(i)
        assert got >= d and cal.is_working(got) and numbers[which % len(sets)][got] == i


def test_a_new_calendar_of_the_same_holidays_knows_the_dates_already_worked_out():
    """A schedule makes its own calendar; the dates an earlier one of the same holidays worked
    out are not worked out again (issue 13), and a calendar of other holidays does not see them."""
    holidays = [date(2031, 5, 5), date(2031, 12, 25)]
    first = WorkCalendar(holidays)
    i = first.index(date(2031, 6, 2))
    assert first.date(i) == date(2031, 6, 2)
    again = WorkCalendar(list(holidays))
    assert again is not first
    assert again.known_date(i) == date(2031, 6, 2)
    other = WorkCalendar([date(2031, 5, 6)])
    assert other.known_date(i) is None or other.known_date(i) == other._date_of(i)


def test_calendar_dates_at_the_ends_of_python_s_dates():
    cal = WorkCalendar()
    last, first = cal.index(date(9999, 12, 31)), cal.index(date(1, 1, 1))
    assert cal.date(last) == date(9999, 12, 31)
    assert cal.date(first) == date(1, 1, 1)
    with pytest.raises(OverflowError):
        cal.date(last + 1)


# ---------------------------------------------------------------- durations and links

def test_five_day_action_runs_monday_to_friday():
    an = graph.analyse(mk([("A1", 5)]))
    assert dates(an, "A1") == (MON, date(2027, 1, 8))
    assert an.plan_finish == date(2027, 1, 8)


def test_successor_starts_after_the_weekend():
    an = graph.analyse(mk([("A1", 5), ("A2", 3)], [("A2", "A1")]))
    assert dates(an, "A2") == (date(2027, 1, 11), date(2027, 1, 13))


def test_holiday_stretches_an_action():
    an = graph.analyse(mk([("A1", 5)], holidays=[date(2027, 1, 6)]))
    assert dates(an, "A1") == (MON, date(2027, 1, 11))


def test_plan_start_on_a_saturday_moves_to_monday():
    an = graph.analyse(mk([("A1", 1)], start=date(2027, 1, 2)))
    assert dates(an, "A1") == (MON, MON)
    assert an.plan_start == MON


def test_finish_to_start_lag_counts_working_days():
    # A1 finishes Fri 8 Jan; lag 2 -> the third working day after: Wed 13 Jan.
    an = graph.analyse(mk([("A1", 5), ("A2", 1)], [("A2", "A1", "FS", 2)]))
    assert dates(an, "A2") == (date(2027, 1, 13), date(2027, 1, 13))


def test_lag_skips_a_holiday():
    an = graph.analyse(mk([("A1", 5), ("A2", 1)], [("A2", "A1", "FS", 2)],
                          holidays=[date(2027, 1, 12)]))
    assert dates(an, "A2") == (date(2027, 1, 14), date(2027, 1, 14))


def test_start_to_start_with_and_without_lag():
    an = graph.analyse(mk([("A1", 10), ("A2", 2), ("A3", 2)],
                          [("A2", "A1", "SS", 0), ("A3", "A1", "SS", 3)]))
    assert dates(an, "A2") == (MON, date(2027, 1, 5))
    assert dates(an, "A3") == (date(2027, 1, 7), date(2027, 1, 8))


def test_start_to_start_lag_over_a_weekend():
    an = graph.analyse(mk([("A1", 10), ("A2", 1)], [("A2", "A1", "SS", 5)]))
    assert an.rows["A2"].start == date(2027, 1, 11)


def test_zero_duration_is_a_point_in_time():
    an = graph.analyse(mk([("A1", 0), ("A2", 2)], [("A2", "A1")]))
    assert dates(an, "A1") == (MON, MON)
    assert dates(an, "A2") == (date(2027, 1, 5), date(2027, 1, 6))


def test_not_before_on_a_saturday_moves_to_monday():
    an = graph.analyse(mk([{"id": "A1", "duration": 2, "not_before": date(2027, 1, 16)}]))
    assert dates(an, "A1") == (date(2027, 1, 18), date(2027, 1, 19))
    assert "not-before" in an.rows["A1"].driver


def test_not_before_earlier_than_a_prerequisite_has_no_effect():
    an = graph.analyse(mk([("A1", 5), {"id": "A2", "duration": 1, "not_before": date(2027, 1, 5)}],
                          [("A2", "A1")]))
    assert an.rows["A2"].start == date(2027, 1, 11)


def test_phase_start_holds_an_action_back():
    plan = mk([{"id": "A1", "duration": 1, "phase": 2}], phases={2: date(2027, 2, 6)})
    an = graph.analyse(plan)
    assert an.rows["A1"].start == date(2027, 2, 8)  # Saturday 6 Feb -> Monday 8 Feb
    assert "phase 2" in an.rows["A1"].driver


# ---------------------------------------------------------------- progress

def test_done_action_keeps_its_actual_dates_and_drives_successors():
    plan = mk([{"id": "A1", "duration": 5, "status": "done", "percent": 100,
                "actual_start": date(2026, 12, 1), "actual_finish": date(2026, 12, 10)},
               ("A2", 2)],
              [("A2", "A1", "FS", 3)], start=date(2026, 11, 30), as_of=date(2026, 12, 14))
    an = graph.analyse(plan)
    assert dates(an, "A1") == (date(2026, 12, 1), date(2026, 12, 10))
    assert an.rows["A1"].fixed == "done" and not an.rows["A1"].critical
    # Thu 10 Dec + lag 3 -> the fourth working day after: Wed 16 Dec (after the as-of Mon 14).
    assert dates(an, "A2") == (date(2026, 12, 16), date(2026, 12, 17))


def test_in_progress_action_finishes_after_its_remaining_work():
    # 10 days, 35% done -> 6.5 left, rounded up to 7, counted from Mon 14 Dec -> Tue 22 Dec.
    plan = mk([{"id": "A1", "duration": 10, "status": "in progress", "percent": 35,
                "actual_start": date(2026, 12, 1)}, ("A2", 1)],
              [("A2", "A1")], start=date(2026, 11, 30), as_of=date(2026, 12, 14))
    an = graph.analyse(plan)
    assert dates(an, "A1") == (date(2026, 12, 1), date(2026, 12, 22))
    assert an.rows["A1"].fixed == "in progress"
    assert an.rows["A2"].start == date(2026, 12, 23)


def test_not_started_action_cannot_start_before_the_status_date():
    plan = mk([("A1", 3)], start=date(2026, 11, 30), as_of=date(2026, 12, 12))
    an = graph.analyse(plan)
    assert an.rows["A1"].start == date(2026, 12, 14)  # as-of Saturday -> Monday
    assert "status date" in an.rows["A1"].driver


def test_cancelled_action_is_left_out_and_its_links_ignored():
    plan = mk([("A1", 5), {"id": "A2", "duration": 3, "status": "cancelled"}, ("A3", 1)],
              [("A2", "A1"), ("A3", "A2")])
    an = graph.analyse(plan)
    assert "A2" not in an.rows
    assert an.rows["A3"].start == MON
    assert any("cancelled" in w.message for w in an.warnings)


# ---------------------------------------------------------------- float and critical path

def diamond():
    return mk([("A1", 5), ("A2", 2), ("A3", 2), ("A4", 1)],
              [("A3", "A1"), ("A3", "A2"), ("A4", "A3")])


def test_late_dates_float_and_critical_path():
    an = graph.analyse(diamond())
    a2 = an.rows["A2"]
    assert (a2.early_start, a2.early_finish) == (MON, date(2027, 1, 5))
    assert (a2.late_start, a2.late_finish) == (date(2027, 1, 7), date(2027, 1, 8))
    assert a2.float_days == 3 and not a2.critical
    assert an.critical_path == ["A1", "A3", "A4"]
    assert all(an.rows[a].float_days == 0 for a in an.critical_path)
    assert an.plan_finish == date(2027, 1, 13)


def test_two_equal_chains_are_both_critical():
    an = graph.analyse(mk([("A1", 3), ("A2", 3), ("A3", 1), ("A4", 1)],
                          [("A3", "A1"), ("A4", "A2")]))
    assert sorted(map(tuple, an.critical_paths)) == [("A1", "A3"), ("A2", "A4")]


def test_deadline_that_cannot_be_met_makes_the_action_critical():
    plan = mk([("A1", 10), {"id": "A2", "duration": 2, "deadline": date(2027, 1, 8)},
               ("A3", 30)], [("A2", "A1")])
    an = graph.analyse(plan)
    r = an.rows["A2"]
    assert r.critical and r.float_days == 0
    assert an.rows["A1"].critical  # it feeds the deadline
    assert not an.rows["A3"].critical or an.rows["A3"].float_days == 0
    msgs = [w.message for w in an.warnings if w.kind == "deadline"]
    assert msgs and "A2" in msgs[0] and "after its deadline" in msgs[0]


def test_deadline_with_room_leaves_float_up_to_the_deadline():
    plan = mk([("A1", 20), {"id": "A2", "duration": 2, "deadline": date(2027, 1, 13)}])
    an = graph.analyse(plan)
    assert an.rows["A2"].float_days == 6  # finishes Tue 5 Jan, deadline Wed 13 Jan


def test_waves_and_ready_now():
    plan = mk([{"id": "A1", "duration": 2, "status": "done", "actual_start": MON,
                "actual_finish": date(2027, 1, 5)}, ("A2", 2), ("A3", 2), ("A4", 1)],
              [("A2", "A1"), ("A3", "A2"), ("A4", "A1")], as_of=date(2027, 1, 6))
    an = graph.analyse(plan)
    assert an.waves[0] == ["A1"]
    assert an.rows["A2"].wave == 1 and an.rows["A3"].wave == 2 and an.rows["A4"].wave == 1
    assert an.ready_now == ["A2", "A4"]


# ---------------------------------------------------------------- milestones

def test_milestone_forecasts_from_action_and_initiative():
    plan = mk([{"id": "A1", "duration": 5, "initiative": "I1"},
               {"id": "A2", "duration": 8, "initiative": "I1"}],
              milestones=[Milestone("M1", "Policy signed", action="A1", baseline=date(2027, 1, 6)),
                          Milestone("M2", "Workstream done", initiative="I1",
                                    baseline=date(2027, 1, 14))])
    plan.initiatives["I1"] = Initiative("I1", "Workstream")
    an = graph.analyse(plan)
    m1, m2 = an.milestones["M1"], an.milestones["M2"]
    assert m1.forecast == date(2027, 1, 8) and m1.slip_days == 2
    assert m2.forecast == date(2027, 1, 13) and m2.slip_days == -1
    assert an.to_json()["milestones"]["M1"] == {"baseline": "2027-01-06",
                                                "forecast": "2027-01-08", "slip_days": 2,
                                                "state": "late"}


def test_owner_forecast_wins_and_is_flagged_when_schedule_differs():
    plan = mk([("A1", 5)], milestones=[Milestone("M1", "Launch", action="A1",
                                                 baseline=date(2027, 1, 8),
                                                 forecast=date(2027, 1, 6))])
    an = graph.analyse(plan)
    m = an.milestones["M1"]
    assert m.forecast == date(2027, 1, 6) and m.scheduled == date(2027, 1, 8)
    assert m.disagrees and m.slip_days == -2
    assert any(w.kind == "forecast" and "2 working days later" in w.message for w in an.warnings)


# ---------------------------------------------------------------- loops

def test_loop_is_refused_and_named_by_titles():
    plan = mk([{"id": "A1", "duration": 1, "title": "Open the college"},
               {"id": "A2", "duration": 1, "title": "Run first courses"},
               {"id": "A3", "duration": 1, "title": "Recruit peer trainers"}],
              [("A2", "A1"), ("A3", "A2"), ("A1", "A3")])
    with pytest.raises(LoopError) as err:
        graph.analyse(plan)
    msg = str(err.value)
    for t in ("Open the college", "Run first courses", "Recruit peer trainers"):
        assert t in msg
    assert " → " in msg
    assert set(err.value.loop) == {"A1", "A2", "A3"}
    assert graph.find_loop(plan) is not None


# ---------------------------------------------------------------- incremental refresh

def test_refresh_after_an_edit_matches_a_full_schedule():
    plan = diamond()
    s = graph.Scheduler(plan)
    s.analyse()
    plan.actions["A2"].duration = 9
    fresh = s.refresh(actions=["A2"])
    full = graph.analyse(plan)
    assert fresh.to_json() == full.to_json()
    assert fresh.critical_path == ["A2", "A3", "A4"]


def test_refresh_after_adding_a_link():
    plan = diamond()
    s = graph.Scheduler(plan)
    before = s.analyse()
    d = Dependency(action="A2", needs="A1")
    plan.dependencies[d.uid] = d
    after = s.refresh(links_changed=True)
    assert before.rows["A2"].start == MON  # the old result is not changed by the refresh
    assert after.rows["A2"].start == date(2027, 1, 11)


def test_typed_graph_has_every_kind_of_edge():
    plan = mk([{"id": "A1", "duration": 1, "challenges": [3], "owner": "P1"}, ("A2", 1)],
              [("A2", "A1")], milestones=[Milestone("M1", "m", action="A1")])
    from planner.model import Measure, Person
    plan.people["P1"] = Person("P1", "Sam")
    plan.actions["A1"].owner = "P1"
    plan.measures["OM1"] = Measure("OM1", "Enrolments", challenges=[3])
    g = graph.build_graph(plan)
    kinds = {data["kind"] for _u, _v, data in g.edges(data=True)}
    assert {"needs", "addresses", "marks", "measured_by", "owns"} <= kinds
    assert g.has_edge(("action", "A2"), ("action", "A1"))


def test_start_to_start_link_carries_the_critical_path_backwards():
    # A1 (2 days) must start 3 working days before A2 (10 days) can: A1's late start is bound
    # by A2's start, not by the plan finish.
    an = graph.analyse(mk([("A1", 2), ("A2", 10)], [("A2", "A1", "SS", 3)]))
    assert dates(an, "A2") == (date(2027, 1, 7), date(2027, 1, 20))
    a1 = an.rows["A1"]
    assert (a1.late_start, a1.late_finish, a1.float_days) == (MON, date(2027, 1, 5), 0)
    assert an.critical_path == ["A1", "A2"]


def test_start_to_start_after_an_in_progress_action_uses_its_actual_start():
    plan = mk([{"id": "A1", "duration": 20, "status": "in progress", "percent": 50,
                "actual_start": date(2027, 1, 4)}, ("A2", 2)],
              [("A2", "A1", "SS", 2)], as_of=date(2027, 1, 11))
    an = graph.analyse(plan)
    # A2 could have started on Wed 6 Jan, but not-started work waits for the status date.
    assert an.rows["A2"].start == date(2027, 1, 11)
    assert an.rows["A1"].finish == date(2027, 1, 22)  # 10 days left from Mon 11 Jan


def test_action_waiting_on_itself_is_named():
    plan = mk([{"id": "A1", "duration": 1, "title": "Open the college"}], [("A1", "A1")])
    with pytest.raises(LoopError, match="'Open the college' \\(A1\\) waits on itself"):
        graph.analyse(plan)


def test_refresh_notices_changed_holidays_and_phase_dates_even_without_a_flag():
    plan = mk([{"id": "A1", "duration": 5, "phase": 1}], phases={1: MON})
    s = graph.Scheduler(plan)
    s.analyse()
    plan.settings.holidays.append(date(2027, 1, 6))
    assert s.refresh().rows["A1"].finish == date(2027, 1, 11)
    plan.phases[1].start = date(2027, 1, 11)
    assert s.refresh(actions=["A1"]).rows["A1"].start == date(2027, 1, 11)


def test_refresh_for_a_document_change():
    from planner.changes import Change, FieldChange
    plan = diamond()
    s = graph.Scheduler(plan)
    s.analyse()
    plan.actions["A2"].duration = 9
    an = s.refresh_for(Change("Edit", [FieldChange("action", "A2", "u", "duration", 2, 9)]))
    assert an.critical_path == ["A2", "A3", "A4"]
    d = Dependency(action="A1", needs="A2")
    plan.dependencies[d.uid] = d
    an = s.refresh_for(Change("Link", [FieldChange("dependency", d.uid, d.uid, "*", None, {})]))
    assert an.rows["A1"].start == date(2027, 1, 15)  # after A2 (9 days from Mon 4 Jan)
