"""Tests for planner.spc against small series worked by hand."""

from datetime import date

import pytest
from hypothesis import given, strategies as st

from planner import spc


def test_limits_hand_worked():
    # values 10, 12, 11, 13: mean 11.5; moving ranges 2, 1, 2 -> mean 5/3
    mean, lower, upper = spc.limits([10, 12, 11, 13])
    assert mean == pytest.approx(11.5)
    assert upper == pytest.approx(11.5 + 2.66 * 5 / 3)
    assert lower == pytest.approx(11.5 - 2.66 * 5 / 3)


def test_too_few_points_has_no_limits():
    r = spc.xmr([5])
    assert r.latest.mean is None and r.variation == "common" and r.assurance is None
    assert spc.xmr([]).latest is None


def test_point_outside_upper_limit_is_improvement_when_higher_is_better():
    # 10, 11 alternating for 11 points then 30: sum 145, mean 12.083;
    # moving ranges: ten of 1 and one of 20 -> mean 30/11; upper = 12.083 + 2.66 * 2.727 = 19.338
    values = [10, 11] * 5 + [10, 30]
    r = spc.xmr(values, direction="higher")
    assert r.mean == pytest.approx(145 / 12)
    assert r.upper == pytest.approx(145 / 12 + 2.66 * 30 / 11)
    assert r.upper == pytest.approx(19.338, abs=1e-3)
    assert "outside" in r.points[-1].rules
    assert r.points[-1].special == "improvement"
    # the outlier pulls the mean up to 12.08, so the eleven points before it all sit below the
    # mean: a shift, which for a higher-is-better measure is a concern
    assert all(p.rules == {"shift"} and p.special == "concern" for p in r.points[:-1])
    assert r.variation == "improvement"
    # the same series where lower is better: a concern
    assert spc.xmr(values, direction="lower").variation == "concern"
    # no direction: special cause with no meaning
    assert spc.xmr(values).variation == "neither"


def test_point_below_lower_limit():
    values = [20, 21] * 5 + [20, 0]
    r = spc.xmr(values, direction="higher")
    assert spc.outside_limits(values, [r.lower] * 12, [r.upper] * 12)[-1] == -1
    assert r.points[-1].special == "concern"


def test_shift_seven_on_one_side():
    # mean of this series is 5; the last seven are all above it, the first seven below.
    values = [4, 3, 4, 3, 4, 3, 4, 6, 7, 6, 7, 6, 7, 5.5]
    flags = spc.shift(values, [5] * len(values))
    assert flags == [-1] * 7 + [1] * 7
    # six on one side is not a shift
    assert spc.shift([6, 6, 6, 6, 6, 6, 4], [5] * 7) == [0] * 7
    # a point exactly on the mean breaks the run
    assert spc.shift([6, 6, 6, 5, 6, 6, 6, 6], [5] * 8) == [0] * 8


def test_shift_in_xmr_labels_by_direction():
    values = [5, 4, 5, 4, 5, 4, 5, 8, 9, 8, 9, 8, 9, 8]
    r = spc.xmr(values, direction="lower")
    tail = r.points[7:]
    assert all("shift" in p.rules for p in tail)
    assert all(p.special == "concern" for p in tail)
    head = r.points[:7]
    assert all("shift" in p.rules and p.special == "improvement" for p in head)


def test_trend_seven_rising():
    values = [5, 1, 2, 3, 4, 5, 6, 7, 3]
    assert spc.trend(values) == [0, 1, 1, 1, 1, 1, 1, 1, 0]
    # six rising points are not a trend
    assert spc.trend([1, 2, 3, 4, 5, 6, 2]) == [0] * 7
    # a repeated value breaks a trend
    assert spc.trend([1, 2, 3, 3, 4, 5, 6, 7]) == [0] * 8


def test_trend_seven_falling_is_improvement_when_lower_is_better():
    values = [20, 19, 21, 20, 19, 18, 17, 16, 15, 14, 19, 20]
    flags = spc.trend(values)
    # 21 down to 14 is eight falling points (indexes 2..9)
    assert flags[2:10] == [-1] * 8 and flags[:2] == [0, 0] and flags[10:] == [0, 0]
    r = spc.xmr(values, direction="lower")
    # trend-only points carry the trend's meaning
    trend_only = [p for p in r.points if p.rules == {"trend"}]
    assert trend_only and all(p.special == "improvement" for p in trend_only)


def test_two_of_three_near_the_limit():
    # mean 0, limits -3..3: two-thirds of the way is 2.
    mean, low, up = [0] * 6, [-3] * 6, [3] * 6
    assert spc.two_of_three([0.5, 2.5, 1, 2.1, 0.5, 0.5], mean, low, up) == [0, 1, 0, 1, 0, 0]
    # on opposite sides they do not count
    assert spc.two_of_three([0, 2.5, -2.5, 0, 0, 0], mean, low, up) == [0] * 6
    # the point between must be on the same side of the mean too (NHSRplotthedots' rule)
    assert spc.two_of_three([0, 2.5, -0.5, 2.5, 0, 0], mean, low, up) == [0] * 6
    assert spc.two_of_three([1, 2.5, 0.5, 2.5, 1, 1], mean, low, up) == [0, 1, 0, 1, 0, 0]
    # 2 out of 3 with the gap wider than 3 points is not a signal
    assert spc.two_of_three([2.5, 0, 0, 2.5, 0, 0], mean, low, up) == [0] * 6
    # exactly two-thirds is not beyond
    assert spc.two_of_three([2, 2, 1], [0] * 3, [-3] * 3, [3] * 3) == [0, 0, 0]
    # below
    assert spc.two_of_three([-2.2, -2.4, -0.1], [0] * 3, [-3] * 3, [3] * 3) == [-1, -1, 0]


def test_two_of_three_in_xmr():
    # a steady series with two high points close together, not beyond the limit
    # sum 185 over 17 points: mean 10.882; moving ranges total 23 over 16: 1.4375;
    # upper = 10.882 + 2.66 * 1.4375 = 14.706; two-thirds of the way = 13.432.
    values = [10, 11] * 6 + [13.5, 11, 13.5, 10, 11]
    r = spc.xmr(values, direction="higher")
    assert r.mean == pytest.approx(185 / 17)
    assert r.upper == pytest.approx(185 / 17 + 2.66 * 23 / 16)
    two_thirds_up = r.mean + (r.upper - r.mean) * 2 / 3
    assert two_thirds_up == pytest.approx(13.4315, abs=1e-3)
    assert r.points[12].rules == {"two_of_three"}
    assert r.points[14].rules == {"two_of_three"}
    assert r.points[13].special is None
    assert r.points[12].special == "improvement"


def test_assurance():
    assert spc.assurance(5, 10, 20, "higher") == "pass"
    assert spc.assurance(25, 10, 20, "higher") == "fail"
    assert spc.assurance(15, 10, 20, "higher") == "hit and miss"
    assert spc.assurance(25, 10, 20, "lower") == "pass"
    assert spc.assurance(5, 10, 20, "lower") == "fail"
    assert spc.assurance(None, 10, 20, "lower") is None
    assert spc.assurance(5, 10, 20, None) is None


def test_assurance_on_a_chart():
    values = [50, 52, 51, 53, 50, 52, 51, 53, 50, 52, 51, 53]
    assert spc.xmr(values, direction="higher", target=40).assurance == "pass"
    assert spc.xmr(values, direction="higher", target=60).assurance == "fail"
    assert spc.xmr(values, direction="higher", target=52).assurance == "hit and miss"


def test_baseline_fixed_after_n_points():
    values = [10, 12] * 6 + [30, 32, 30, 32]
    r = spc.xmr(values, fix_after=12, direction="higher")
    # mean of the first twelve = 11; mean moving range of the first twelve = 2
    assert r.mean == pytest.approx(11)
    assert r.upper == pytest.approx(11 + 2.66 * 2)
    assert all(p.mean == pytest.approx(11) for p in r.points)
    assert all(p.special == "improvement" for p in r.points[12:])
    # unfixed, the limits take in the later points
    assert spc.xmr(values).mean == pytest.approx(sum(values) / len(values))
    # the reference refuses to fix limits on fewer than 12 points
    with pytest.raises(ValueError, match="12"):
        spc.xmr(values, fix_after=11)
    with pytest.raises(ValueError):
        spc.xmr(values, fix_after=1)


def test_rebase_at_a_change_date():
    days = [date(2025, m, 1) for m in range(1, 13)]
    values = [10, 12, 10, 12, 10, 12, 30, 32, 30, 32, 30, 32]
    r = spc.xmr(values, days, rebase=[date(2025, 7, 1)], direction="higher")
    assert [p.period for p in r.points] == [0] * 6 + [1] * 6
    assert r.points[0].mean == pytest.approx(11)
    assert r.points[-1].mean == pytest.approx(31)
    assert r.upper == pytest.approx(31 + 2.66 * 2)
    # the first point of the new period has no moving range
    assert r.points[6].moving_range is None
    # within each period the process is stable
    assert all(p.special is None for p in r.points)
    # rebase by index gives the same
    r2 = spc.xmr(values, rebase=[6])
    assert [p.mean for p in r2.points] == [p.mean for p in r.points]
    # a rebase date between readings starts at the next reading
    r3 = spc.xmr(values, days, rebase=[date(2025, 6, 15)])
    assert r3.points[6].period == 1 and r3.points[5].period == 0
    r4 = spc.xmr(values, days, rebase=[date(2025, 5, 15)])
    assert r4.points[5].period == 1 and r4.points[4].period == 0


def test_conflicting_signals_trend_decides_over_shift():
    # above-the-mean shift with the last points falling: as in NHSRplotthedots the falling trend
    # decides the label, so for a higher-is-better measure those points are a concern even
    # though they sit above the mean.
    values = [1, 1, 1, 1, 1, 1, 1, 20, 19, 18, 17, 16, 15, 14]
    r = spc.xmr(values, direction="higher")
    last = r.points[-1]
    assert "trend" in last.rules and "shift" in last.rules
    assert last.special == "concern"
    assert r.variation == "concern"


def test_enough_points_flag_and_warning():
    # limits settle with 20 points; fewer gives a warning in words, not an error
    assert not spc.xmr(list(range(19))).enough_points
    assert "only 19 points" in spc.xmr(list(range(19))).warning
    assert spc.xmr([1, 2] * 10).enough_points and spc.xmr([1, 2] * 10).warning is None


def test_cumulative_measure_gets_a_run_chart():
    from tests.plan_factory import small_plan
    from planner.model import Measure, Reading

    plan = small_plan()
    plan.measures["OM9"] = Measure("OM9", "Staff trained so far", unit="%",
                                   measure_type="cumulative")
    for i, v in enumerate([5, 9, 14, 20, 26, 31, 37, 44, 50, 55]):
        r = Reading("OM9", date(2025, 1 + i, 1), v)
        plan.readings[r.uid] = r
    r = spc.measure_xmr(plan, plan.measures["OM9"])
    # a running total always rises: on an XmR chart it would be a trend and a shift every time
    xmr = spc.xmr([p.value for p in r.points], direction="higher")
    assert xmr.variation == "improvement"
    assert r.kind == "run" and r.variation == "run" and r.upper is None and r.lower is None
    assert all(not p.signals for p in r.points)
    assert r.mean == pytest.approx((26 + 31) / 2)  # the run chart's centre line is the median


# --- The reference's own worked cases (NHSRplotthedots' test suite, transcribed by hand) ----

# The first twenty draws of R's rnorm() after set.seed(123), the series the reference's
# standard-calculation tests use.
RNORM_123 = [-0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499,
             0.46091621, -1.26506123, -0.68685285, -0.44566197, 1.22408180, 0.35981383,
             0.40077145, 0.11068272, -0.55584113, 1.78691314, 0.49785048, -1.96661716,
             0.70135590, -0.47279060]


def test_reference_standard_limits():
    # reference: mean 0.1416238, lower -3.01138, upper 3.294627; all twenty points common cause
    r = spc.xmr(RNORM_123, direction="higher")
    assert r.mean == pytest.approx(0.1416238, abs=1e-6)
    assert r.lower == pytest.approx(-3.01138, abs=1e-5)
    assert r.upper == pytest.approx(3.294627, abs=1e-6)
    assert all(p.special is None for p in r.points)


def test_reference_outlier_screening():
    # reference: the 15th point set to 10; with moving-range screening the limits are
    # -2.383666 .. 3.722497 around 0.6694159, without it -4.596625 .. 5.935457
    series = list(RNORM_123)
    series[14] = 10
    screened = spc.xmr(series, screen_outliers=True)
    assert screened.mean == pytest.approx(0.6694159, abs=1e-6)
    assert screened.lower == pytest.approx(-2.383666, abs=1e-6)
    assert screened.upper == pytest.approx(3.722497, abs=1e-6)
    plain = spc.xmr(series)
    assert plain.lower == pytest.approx(-4.596625, abs=1e-6)
    assert plain.upper == pytest.approx(5.935457, abs=1e-6)


def test_reference_two_close_points_on_opposite_sides_are_common_cause():
    # reference: sixteen points alternating 1, -1 with the last two set to 5.5 and -5.5
    series = [1, -1] * 8
    series[14], series[15] = 5.5, -5.5
    r = spc.xmr(series, direction="higher")
    assert [p.special for p in r.points[-2:]] == [None, None]


def test_reference_seven_on_one_side():
    # the reference's cases for "7 points on one side of the mean", as signs of x - mean;
    # its helper flags the 7th point onwards, and every point of such a run is part of it
    assert spc.runs_flag([1] * 6, 7) == [0] * 6
    assert spc.runs_flag([1] * 6 + [-1], 7) == [0] * 7
    assert spc.runs_flag([1] * 8 + [-1], 7) == [1] * 8 + [0]
    assert spc.runs_flag([-1] * 8 + [1], 7) == [-1] * 8 + [0]


def test_reference_seven_point_trend():
    # the reference's trend cases: 1..6 is too short, a repeated value breaks the run,
    # 1..7 and 7..1 are trends, and a point either side that turns back is not part of it
    assert spc.trend(list(range(1, 7))) == [0] * 6
    assert spc.trend([1, 2, 3, 3, 4, 5, 6]) == [0] * 7
    assert spc.trend(list(range(1, 8))) == [1] * 7
    assert spc.trend([2, 1, 2, 3, 4, 5, 6, 7, 3]) == [0] + [1] * 7 + [0]
    assert spc.trend(list(range(7, 0, -1))) == [-1] * 7
    assert spc.trend([2, 7, 6, 5, 4, 3, 2, 1, 3]) == [0] + [-1] * 7 + [0]


def test_reference_two_in_three():
    # the reference's two-in-three cases (close flags and sides of the mean given directly)
    same = [1] * 7
    assert spc.two_in_three_flags([1, 0, 1], [1, 1, 1]) == [1, 0, 1]
    assert spc.two_in_three_flags([0, 1, 1], [1, 1, 1]) == [0, 1, 1]
    assert spc.two_in_three_flags([1, 1, 0], [1, 1, 1]) == [1, 1, 0]
    assert spc.two_in_three_flags([0, 0, 1, 0, 1, 0, 0], same) == [0, 0, 1, 0, 1, 0, 0]
    assert spc.two_in_three_flags([0, 0, 1, 1, 0, 0, 0], same) == [0, 0, 1, 1, 0, 0, 0]
    assert spc.two_in_three_flags([1, 0, 0, 1], [1] * 4) == [0, 0, 0, 0]
    assert spc.two_in_three_flags([1, 0, 0, 1, 1], [1] * 5) == [0, 0, 0, 1, 1]
    # on opposite sides of the mean nothing counts
    assert spc.two_in_three_flags([1, 0, 1], [1, -1, 1]) == [0, 0, 0]
    assert spc.two_in_three_flags([0, 1, 1], [1, -1, 1]) == [0, 0, 0]
    assert spc.two_in_three_flags([1, 1, 0], [1, -1, 1]) == [0, 0, 0]
    assert spc.two_in_three_flags([0, 0, 1, 0, 1, 0, 0], [1, -1] * 3 + [1]) == [0] * 7
    assert spc.two_in_three_flags([0, 0, 1, 1, 0, 0, 0], [-1, 1] * 3 + [-1]) == [0] * 7


def test_a_point_beyond_the_limit_is_not_close_to_it():
    # mean 0, limits -3..3: 2.5 is close, 3.5 is beyond. One beyond plus one close is not
    # "two of three close to a limit" (the reference excludes points beyond the limit).
    mean, low, up = [0] * 3, [-3] * 3, [3] * 3
    assert spc.close_to_limits([2.5, 3.5, 1], mean, low, up) == [1, 0, 0]
    assert spc.two_of_three([2.5, 3.5, 1], mean, low, up) == [0, 0, 0]
    assert spc.two_of_three([2.5, 2.8, 1], mean, low, up) == [1, 1, 0]


def test_reference_label_order():
    # the reference's order when rules disagree: beyond a limit, then a trend, then two of three
    # close to a limit, then a shift. Rising for seven points while below the mean, ending
    # beyond nothing: the rising trend decides (improvement when higher is better).
    values = [10] * 9 + [0, 1, 2, 3, 4, 5, 6]
    r = spc.xmr(values, direction="higher")
    rising = r.points[9:]
    assert all("trend" in p.rules for p in rising)
    assert all(p.special == "improvement" for p in rising if "outside" not in p.rules)
    assert spc.RULES == ("outside", "trend", "two_of_three", "shift")


@given(st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=2, max_size=40))
def test_limits_bracket_the_mean(values):
    r = spc.xmr(values, direction="higher")
    assert r.lower <= r.mean + 1e-6 and r.mean <= r.upper + 1e-6
    for p in r.points:
        for s in p.signals:
            assert s.meaning in ("improvement", "concern")


@given(st.lists(st.integers(min_value=0, max_value=5), min_size=0, max_size=30))
def test_runs_flag_only_flags_long_runs(signs):
    signs = [s - 2 if s else 0 for s in signs]
    signs = [max(-1, min(1, s)) for s in signs]
    flags = spc.runs_flag(signs, 7)
    for i, f in enumerate(flags):
        if f:
            assert signs[i] == f


def _on_its_way(title: str, baseline: float, target: float, target_year: int):
    """A plan with one measure from ``baseline`` (January 2025) to ``target`` (January of
    ``target_year``) and a flat year of monthly readings at the baseline: still on its way."""
    from datetime import date as _date

    from planner.model import Measure, Plan, Reading

    plan = Plan()
    m = Measure("OM1", title, target=target, baseline=baseline, baseline_date=_date(2025, 1, 1),
                target_date=_date(target_year, 1, 1))
    plan.measures["OM1"] = m
    for i in range(12):
        r = Reading("OM1", _date(2025, 1 + i, 1), baseline + (i % 2))
        plan.readings[r.uid] = r
    return plan, m


def test_assurance_words_name_the_trajectory_and_never_say_no_target_beside_a_target():
    """The window and the deck say the same: a measure still on its way to a later target is
    judged against its trajectory, and a run chart makes no claim (it does have a target)."""
    plan, m = _on_its_way("Training", 10.0, 90.0, 2028)
    res = spc.measure_xmr(plan, m)
    words = spc.assurance_words(m, res)
    assert words.startswith("Consistently misses its trajectory (") and "by now" in words
    m.measure_type = "cumulative"
    words = spc.assurance_words(m, spc.measure_xmr(plan, m))
    assert "no assurance" in words and "no target" not in words.lower()
    m.target = None
    assert spc.assurance_words(m, spc.measure_xmr(plan, m)) is None


def test_a_trajectory_in_the_thousands_reads_as_the_window_writes_numbers():
    """A measure counted in thousands (e.g. contacts a quarter) is judged against "1,234.5 by
    now", not "1.23e+03 by now": the same figure the chart's labels give."""
    plan, m = _on_its_way("Peer contacts", 1000.0, 4000.0, 2029)
    res = spc.measure_xmr(plan, m)
    words = spc.assurance_words(m, res)
    assert f"trajectory ({spc.format_number(res.target)} by now)" in words
    assert "e+" not in words and "," in words
