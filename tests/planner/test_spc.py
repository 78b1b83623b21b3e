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
    values = [10, 12, 10, 12, 10, 12, 30, 32, 30, 32]
    r = spc.xmr(values, fix_after=6, direction="higher")
    # mean of the first six = 11; mean moving range of the first six = 2
    assert r.mean == pytest.approx(11)
    assert r.upper == pytest.approx(11 + 2.66 * 2)
    assert all(p.mean == pytest.approx(11) for p in r.points)
    assert all(p.special == "improvement" for p in r.points[6:])
    # unfixed, the limits take in the later points
    assert spc.xmr(values).mean == pytest.approx(19)
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


def test_conflicting_signals_position_beats_run():
    # above-the-mean shift with the last points falling: the falling trend is below nothing;
    # position (shift, above) wins over trend (falling) for the label.
    values = [1, 1, 1, 1, 1, 1, 1, 20, 19, 18, 17, 16, 15, 14]
    r = spc.xmr(values, direction="higher")
    last = r.points[-1]
    assert "trend" in last.rules and "shift" in last.rules
    assert last.special == "improvement"


def test_enough_points_flag():
    assert not spc.xmr(list(range(11))).enough_points
    assert spc.xmr(list(range(12))).enough_points


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
