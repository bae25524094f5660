"""Worked examples of the observed-vs-required growth method (warehouse.progress).

Notation: CAGR_o = (x_t / x_0)^(1/(t - t0)) - 1, CAGR_r = (x_T / x_0)^(1/(T - t0)) - 1,
R = d * CAGR_o / |CAGR_r| with d = +1 (higher is better) or -1 (lower is better).
Thresholds: R >= 0.95 on track, >= 0.60 moderate, >= 0 insufficient, < 0 moving away.
"""

import pytest

from warehouse.progress import (
    METHOD_LABELS,
    STATUS_LABELS,
    ZERO_SUBSTITUTE,
    Assessment,
    assess_progress,
    next_milestone,
)
from warehouse.targets import assess_target, series_start

# Shared higher-is-better case: baseline 100 in 2020, target 207.36 in 2024.
# CAGR_r = (207.36 / 100)^(1/4) - 1 = 1.2 - 1 = 0.20 (since 1.2^4 = 2.0736).
# An observation in 2022 gives CAGR_o = (x / 100)^(1/2) - 1.
BASELINE = (2020, 100.0)
TARGET = (2024, 207.36)


def assess_2022(value: float) -> Assessment:
    """Assess the shared case with a single observation in 2022."""
    return assess_progress([(2022, value)], baseline=BASELINE, target=TARGET,
                           higher_is_better=True)


def test_on_track_and_year_reached_exactly_on_the_target_year() -> None:
    # x = 144: CAGR_o = sqrt(1.44) - 1 = 0.20; R = 0.20 / 0.20 = 1.0 >= 0.95 -> on track.
    # Year reached: 144 * 1.2^n = 207.36 -> 1.2^n = 1.44 -> n = 2 -> 2022 + 2 = 2024.
    result = assess_2022(144.0)
    assert result.status == "on_track"
    assert result.ratio == pytest.approx(1.0)
    assert result.method == "cagr"
    assert result.year_reached == 2024
    assert (result.target_year, result.target_value) == TARGET


def test_moderate_and_year_reached_later_than_the_target_year() -> None:
    # x = 134.56: CAGR_o = sqrt(1.3456) - 1 = 1.16 - 1 = 0.16; R = 0.16 / 0.20 = 0.80
    # -> 0.60 <= R < 0.95 -> moderate.
    # Year reached: 134.56 * 1.16^n >= 207.36; n = ln(207.36/134.56) / ln(1.16) = 2.914
    # -> 3 whole years (1.16^2 -> 181.06 short, 1.16^3 -> 210.03 past) -> 2025.
    result = assess_2022(134.56)
    assert result.status == "moderate"
    assert result.ratio == pytest.approx(0.8)
    assert result.year_reached == 2025


def test_insufficient() -> None:
    # x = 121: CAGR_o = sqrt(1.21) - 1 = 0.10; R = 0.10 / 0.20 = 0.50 -> 0 <= R < 0.60.
    # Year reached: ln(207.36/121) / ln(1.1) = 5.65 -> 6 years (121 * 1.1^5 = 194.87,
    # 121 * 1.1^6 = 214.36) -> 2028.
    result = assess_2022(121.0)
    assert result.status == "insufficient"
    assert result.ratio == pytest.approx(0.5)
    assert result.year_reached == 2028


def test_moving_away_is_not_reached_at_this_pace() -> None:
    # x = 81: CAGR_o = sqrt(0.81) - 1 = -0.10; R = -0.10 / 0.20 = -0.50 < 0 -> moving away.
    # The value shrinks while the target lies above it: not reached at this pace.
    result = assess_2022(81.0)
    assert result.status == "moving_away"
    assert result.ratio == pytest.approx(-0.5)
    assert result.year_reached is None


def test_zero_pace_is_not_reached_at_this_pace() -> None:
    # x = 100: CAGR_o = 1^(1/2) - 1 = 0; R = 0 / 0.20 = 0 -> insufficient (0 <= R < 0.60).
    # A pace of zero never reaches the target.
    result = assess_2022(100.0)
    assert result.status == "insufficient"
    assert result.ratio == pytest.approx(0.0)
    assert result.year_reached is None


def test_target_met_higher_is_better_uses_the_latest_point_of_unsorted_points() -> None:
    # Latest point after the baseline is (2023, 210); the 2020 point is the baseline year.
    # 210 >= 207.36 -> target met (overrides R). R is still reported:
    # CAGR_o = (210/100)^(1/3) - 1 = 0.280579; R = 0.280579 / 0.20 = 1.402896.
    points = [(2023, 210.0), (2020, 100.0), (2021, 130.0)]
    result = assess_progress(points, baseline=BASELINE, target=TARGET, higher_is_better=True)
    assert result.status == "target_met"
    assert result.ratio == pytest.approx(1.402896, rel=1e-6)
    assert result.year_reached == 2023


def test_target_met_lower_is_better() -> None:
    # Baseline 12 in 2016, target 2 in 2020, lower is better; observed 1.5 in 2019 <= 2 -> met.
    # CAGR_o = (1.5/12)^(1/3) - 1 = 0.125^(1/3) - 1 = 0.5 - 1 = -0.5
    # CAGR_r = (2/12)^(1/4) - 1 = 0.638943 - 1 = -0.361057
    # R = d * CAGR_o / |CAGR_r| = -1 * -0.5 / 0.361057 = 1.384823
    result = assess_progress([(2019, 1.5)], baseline=(2016, 12.0), target=(2020, 2.0),
                             higher_is_better=False)
    assert result.status == "target_met"
    assert result.ratio == pytest.approx(1.384823, rel=1e-6)
    assert result.year_reached == 2019


def test_lower_is_better_with_target_zero_substitutes_0_001() -> None:
    # Baseline 10 in 2020, target 0 in 2030 (lower is better); observed 5 in 2024.
    # The target 0 is replaced by 0.001 in the growth formula:
    # CAGR_r = (0.001/10)^(1/10) - 1 = 10^(-0.4) - 1 = 0.398107 - 1 = -0.601893
    # CAGR_o = (5/10)^(1/4) - 1 = 0.840896 - 1 = -0.159104
    # R = -1 * -0.159104 / 0.601893 = 0.264339 -> insufficient (0 <= R < 0.60).
    # Year reached (down to 0.001): ln(0.001/5) / ln(0.840896) = 49.15 -> 50 -> 2074.
    result = assess_progress([(2024, 5.0)], baseline=(2020, 10.0), target=(2030, 0.0),
                             higher_is_better=False)
    assert ZERO_SUBSTITUTE == 0.001
    assert result.status == "insufficient"
    assert result.ratio == pytest.approx(0.264339, rel=1e-5)
    assert result.method == "cagr_zero_adjusted"
    assert result.target_value == 0.0  # the declared target is reported, not 0.001
    assert result.year_reached == 2074


def test_lower_is_better_target_zero_reached() -> None:
    # Observed 0 in 2024 <= 0 -> target met. CAGR_o = (0/10)^(1/4) - 1 = -1;
    # R = -1 * -1 / 0.601893 = 1.661425.
    result = assess_progress([(2024, 0.0)], baseline=(2020, 10.0), target=(2030, 0.0),
                             higher_is_better=False)
    assert result.status == "target_met"
    assert result.ratio == pytest.approx(1.661425, rel=1e-6)
    assert result.method == "cagr_zero_adjusted"
    assert result.year_reached == 2024


def test_baseline_zero_substitutes_0_001() -> None:
    # Baseline 0 in 2020 is replaced by 0.001; target 50 in 2030; observed 10 in 2024.
    # CAGR_o = (10/0.001)^(1/4) - 1 = 10000^(1/4) - 1 = 10 - 1 = 9
    # CAGR_r = (50/0.001)^(1/10) - 1 = 50000^(0.1) - 1 = 2.950509 - 1 = 1.950509
    # R = 9 / 1.950509 = 4.614179 -> on track.
    # Year reached: 10 * 10^n = 50 -> n = log10(5) = 0.699 -> 1 year -> 2025.
    result = assess_progress([(2024, 10.0)], baseline=(2020, 0.0), target=(2030, 50.0),
                             higher_is_better=True)
    assert result.status == "on_track"
    assert result.ratio == pytest.approx(4.614179, rel=1e-6)
    assert result.method == "cagr_zero_adjusted"
    assert result.year_reached == 2025


def test_fewer_than_two_points_is_insufficient_data() -> None:
    # Only the baseline itself, no points at all, or only points after current_year:
    # no observation after the baseline year -> insufficient data.
    cases = [
        assess_progress([(2020, 100.0)], baseline=BASELINE, target=TARGET, higher_is_better=True),
        assess_progress([], baseline=BASELINE, target=TARGET, higher_is_better=True),
        assess_progress([(2019, 90.0), (2022, 144.0)], baseline=BASELINE, target=TARGET,
                        higher_is_better=True, current_year=2021),
    ]
    for result in cases:
        assert result.status == "insufficient_data"
        assert result.ratio is None
        assert result.year_reached is None
        assert result.method == "too_few_points"


def test_current_year_judges_as_of_that_year() -> None:
    # Points 2021: 110 and 2022: 144; as of 2021 only 110 counts:
    # CAGR_o = 110/100 - 1 = 0.10; R = 0.10 / 0.20 = 0.5 -> insufficient.
    result = assess_progress([(2021, 110.0), (2022, 144.0)], baseline=BASELINE, target=TARGET,
                             higher_is_better=True, current_year=2021)
    assert result.status == "insufficient"
    assert result.ratio == pytest.approx(0.5)


def test_baseline_already_past_target_moving_further_away() -> None:
    # Higher is better, baseline 100 in 2020 already above the target 90 in 2030; observed 81
    # in 2022 (below the target, so not met). CAGR_o = sqrt(0.81) - 1 = -0.10 and
    # CAGR_r = 0.9^(1/10) - 1 = -0.010481. Plain CAGR_o / CAGR_r would be +9.54 ("on track");
    # the method's R = +1 * -0.10 / |-0.010481| = -9.541309 -> moving away.
    result = assess_progress([(2022, 81.0)], baseline=(2020, 100.0), target=(2030, 90.0),
                             higher_is_better=True)
    assert result.status == "moving_away"
    assert result.ratio == pytest.approx(-9.541309, rel=1e-6)
    assert result.year_reached is None


def test_target_equal_to_baseline_not_met_is_moving_away() -> None:
    # Target 80 = baseline 80: CAGR_r = 0, so R is undefined; 70 < 80 means it moved away.
    result = assess_progress([(2022, 70.0)], baseline=(2020, 80.0), target=(2030, 80.0),
                             higher_is_better=True)
    assert result.status == "moving_away"
    assert result.ratio is None


def test_mixed_signs_cannot_be_assessed() -> None:
    # Baseline 10, latest -2: the exponential model needs one sign throughout.
    result = assess_progress([(2022, -2.0)], baseline=(2020, 10.0), target=(2030, 20.0),
                             higher_is_better=True)
    assert result.status == "insufficient_data"
    assert result.method == "mixed_signs"
    assert result.ratio is None


def test_invalid_input_raises() -> None:
    with pytest.raises(ValueError):
        assess_progress([(2022, 1.0)], baseline=(2020, 1.0), target=(2020, 2.0),
                        higher_is_better=True)
    with pytest.raises(ValueError):
        assess_progress([(2022, 1.0), (2022, 2.0)], baseline=(2020, 1.0), target=(2030, 2.0),
                        higher_is_better=True)


def test_next_milestone() -> None:
    milestones = [(2020, 2.0), (2018, 7.0)]  # unsorted on purpose
    assert next_milestone(milestones, 2017) == (2018, 7.0)
    assert next_milestone(milestones, 2018) == (2020, 2.0)  # strictly after the latest year
    assert next_milestone(milestones, 2019) == (2020, 2.0)
    assert next_milestone(milestones, 2023) == (2020, 2.0)  # past all: the final target
    with pytest.raises(ValueError):
        next_milestone([], 2020)


def test_labels_cover_every_status_and_method() -> None:
    statuses = {"target_met", "on_track", "moderate", "insufficient", "moving_away",
                "insufficient_data"}
    assert set(STATUS_LABELS) == statuses
    assert STATUS_LABELS["on_track"] == {"nl": "Op koers", "en": "On track"}
    assert set(METHOD_LABELS) == {"cagr", "cagr_zero_adjusted", "too_few_points", "mixed_signs",
                                  "series_break"}
    for labels in [*STATUS_LABELS.values(), *METHOD_LABELS.values()]:
        assert set(labels) == {"nl", "en"} and all(labels.values())


# Next milestone and final target, and series breaks (warehouse.targets.assess_target).
# Shared lower-is-better case: baseline 12 in 2016, milestones 7 in 2018 and 2 in 2020.
HOURS = {"baseline": (2016, 12.0), "milestones": [(2018, 7.0), (2020, 2.0)],
         "higher_is_better": False}
SERIES = [(2017, 10.5), (2018, 9.0), (2019, 6.0), (2020, 4.0)]


def test_next_milestone_and_final_target_are_both_judged() -> None:
    # Observed 10.5 in 2017. CAGR_o = 10.5/12 - 1 = -0.125.
    # Next milestone 7 in 2018: CAGR_r = (7/12)^(1/2) - 1 = -0.236237; R = 0.125 / 0.236237
    # = 0.529129 -> insufficient; reached: ln(7/10.5) / ln(0.875) = 3.04 -> 4 years -> 2021.
    # Final target 2 in 2020: CAGR_r = (2/12)^(1/4) - 1 = -0.361057; R = 0.125 / 0.361057
    # = 0.346206 -> insufficient; reached: ln(2/10.5) / ln(0.875) = 12.42 -> 13 -> 2030.
    result = assess_target([(2017, 10.5)], **HOURS)
    assert (result.next.status, result.next.target_year, result.next.year_reached) == (
        "insufficient", 2018, 2021)
    assert result.next.ratio == pytest.approx(0.529129, rel=1e-5)
    assert (result.final.status, result.final.target_year, result.final.year_reached) == (
        "insufficient", 2020, 2030)
    assert result.final.ratio == pytest.approx(0.346206, rel=1e-5)
    assert (result.baseline, result.series_break) == ((2016, 12.0), None)


def test_without_a_break_the_trend_runs_from_the_declared_baseline() -> None:
    # 12 in 2016 -> 4 in 2020: CAGR_o = (4/12)^(1/4) - 1 = -0.240263; R = 0.240263 / 0.361057
    # = 0.665170 -> moderate; reached: ln(2/4) / ln(0.759737) = 2.52 -> 3 years -> 2023.
    result = assess_target(SERIES, **HOURS)
    assert (result.next.status, result.next.year_reached) == ("moderate", 2023)
    assert result.next.ratio == pytest.approx(0.665170, rel=1e-5)


def test_a_series_break_rebases_on_the_first_value_of_the_new_series() -> None:
    # Measured differently from 2019: 2017 and 2018 are another series. Baseline becomes
    # (2019, 6); the target stays 2 in 2020. CAGR_o = 4/6 - 1 = -1/3; CAGR_r = 2/6 - 1 = -2/3;
    # R = (1/3) / (2/3) = 0.5 -> insufficient (not moderate, as across the break).
    # Reached: 4 * (2/3)^n = 2 -> n = ln(0.5) / ln(2/3) = 1.71 -> 2 years -> 2022.
    result = assess_target(SERIES, **HOURS, breaks=[2019])
    assert (result.baseline, result.series_break) == ((2019, 6.0), 2019)
    assert (result.next.status, result.next.method, result.next.year_reached) == (
        "insufficient", "cagr", 2022)
    assert result.next.ratio == pytest.approx(0.5)


def test_too_few_values_since_the_break_cannot_be_assessed() -> None:
    # Only the break year itself is observed: nothing to compare it with.
    only_break = assess_target([(2017, 10.5), (2019, 6.0)], **HOURS, breaks=[2019])
    # A new series starting in the final target year leaves no time to judge a pace.
    at_target = assess_target([(2017, 10.5), (2020, 3.0)], **HOURS, breaks=[2020])
    for result in (only_break, at_target):
        assert (result.next.status, result.next.method) == ("insufficient_data", "series_break")
        assert (result.final.status, result.final.ratio) == ("insufficient_data", None)
    assert at_target.baseline == (2020, 3.0)


def test_breaks_without_effect() -> None:
    # A break at or before the baseline year, or one not yet observed, changes nothing.
    plain = assess_target(SERIES, **HOURS)
    for breaks in ([2016], [2015], [2021]):
        assert assess_target(SERIES, **HOURS, breaks=breaks) == plain
    assert series_start(SERIES, 2016, [2018, 2019, 2022]) == 2019
