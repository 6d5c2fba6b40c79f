"""The inequality view: deciles at their ranks, the phe_sii gap, its words and its chart.

The results are built here: ten deciles of a rate and of a proportion with
their Byar or Wilson intervals, in a period and its baseline, so the expected
SII is `methods.sii` on the same numbers with phe_sii's recommended transform.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from indicators import methods
from indicators.config import spec
from indicators.paths import CONFIG_PATH
from indicators.present import inequality_views as iv
from indicators.present.charts.inequality_charts import inequality_chart
from indicators.publish.inequality import inequality_view
from indicators.report.inequality_section import section_for

STRATEGY = spec.load_strategy(CONFIG_PATH)
RATE = STRATEGY.indicator("requests_per_10k")  # a rate per 10,000 with a decile breakdown
PROPORTION = STRATEGY.indicator("requests_decided_3_days")
POPULATIONS = np.array([9000, 8000, 7000, 6000, 5000, 4500, 4000, 3500, 3000, 2500.0])


def _rows(indicator, period: str, counts: np.ndarray, denominators: np.ndarray) -> pd.DataFrame:
    multiplier = indicator.measure.multiplier
    if indicator.measure.type == "rate":
        low, high = methods.poisson_limits(counts)
        low, high = low / denominators, high / denominators
    else:
        low, high = proportion_confint(counts, denominators, method="wilson")
    return pd.DataFrame(
        {
            "indicator_id": indicator.id,
            "period": period,
            "area_type": "la",
            "breakdown": "deprivation_decile",
            "category": [str(d) for d in range(1, 11)],
            "numerator": counts,
            "denominator": denominators,
            "value": counts / denominators * multiplier,
            "lower_ci": low * multiplier,
            "upper_ci": high * multiplier,
        }
    )


def _results(indicator, latest: np.ndarray, baseline: np.ndarray, denominators=POPULATIONS):
    return pd.concat(
        [
            _rows(indicator, "2024 H2", latest, denominators),
            _rows(indicator, "2019 H2", baseline, denominators),
        ],
        ignore_index=True,
    ).assign(period_type="half_year")


FALLING = np.array([630, 480, 380, 290, 220, 180, 150, 120, 95, 70.0])


def test_rate_gap_is_phe_sii_with_the_log_transform():
    results = _results(RATE, FALLING, FALLING * 0.8)
    view = inequality_view(results, STRATEGY, RATE.id, "2024 H2")
    rows = results[results["period"] == "2024 H2"]
    want = methods.sii(
        rows["value"], rows["denominator"], lowers=rows["lower_ci"], uppers=rows["upper_ci"],
        value_type="rate", transform=True, seed=0,
    )  # fmt: skip
    assert view.baseline_period == "2019 H2"
    assert view.latest["sii"] == pytest.approx(want["sii"])
    assert view.latest["sii_lower"] == pytest.approx(want["sii_lower"])
    assert view.latest["fit"] == "log"
    share = POPULATIONS / POPULATIONS.sum()
    assert view.points["rank"].tolist() == pytest.approx((np.cumsum(share) - share / 2).tolist())
    # The line runs from the fitted value at rank 0 to that at rank 1.
    assert view.line["fitted"].iloc[0] == pytest.approx(want["intercept"])
    assert view.line["fitted"].iloc[-1] == pytest.approx(want["intercept"] + want["sii"])


def test_words_give_the_gap_its_interval_and_a_significant_widening():
    results = _results(RATE, FALLING, np.full(10, 100.0) + FALLING * 0.1)
    view = inequality_view(results, STRATEGY, RATE.id, "2024 H2")
    words = iv.inequality_words(view, RATE)
    assert f"{abs(view.latest['sii']):,.1f} {RATE.unit} lower in the least deprived" in words
    assert "95% interval" in words and "relative index" in words
    assert "the gap widened" in words


def test_overlapping_intervals_are_no_significant_change():
    results = _results(RATE, FALLING, FALLING * 0.98)
    words = iv.inequality_words(inequality_view(results, STRATEGY, RATE.id, "2024 H2"), RATE)
    assert words.endswith("no significant change.")


def test_proportion_uses_the_logit_fit_in_percentage_points():
    denominators = np.full(10, 400.0)
    counts = np.array([220, 210, 200, 190, 180, 170, 160, 150, 140, 130.0])
    results = _results(PROPORTION, counts, counts, denominators)
    view = inequality_view(results, STRATEGY, PROPORTION.id, "2024 H2")
    assert view.latest["fit"] == "logit"
    rows = results[results["period"] == "2024 H2"]
    want = methods.sii(
        rows["value"] / 100, denominators, lowers=rows["lower_ci"] / 100,
        uppers=rows["upper_ci"] / 100, value_type="proportion", transform=True, multiplier=100,
    )  # fmt: skip
    assert view.latest["sii"] == pytest.approx(want["sii"])
    assert -25 < view.latest["sii"] < -20  # 55% down to 32.5%, in percentage points


def test_a_decile_without_events_falls_back_to_the_untransformed_fit():
    counts = FALLING.copy()
    counts[-1] = 0
    view = inequality_view(_results(RATE, counts, counts), STRATEGY, RATE.id, "2024 H2")
    assert view.latest["fit"] == "linear" and np.isfinite(view.latest["sii"])


def test_a_withheld_decile_leaves_the_gap_uncomputed_and_says_why():
    results = _results(RATE, FALLING, FALLING)
    hidden = (results["category"] == "9") & (results["period"] == "2024 H2")
    results.loc[hidden, ["numerator", "value", "lower_ci", "upper_ci"]] = np.nan
    view = inequality_view(results, STRATEGY, RATE.id, "2024 H2")
    assert np.isnan(view.latest["sii"]) and view.line.empty
    assert "withheld to protect small numbers" in iv.inequality_words(view, RATE)
    assert section_for(view, RATE, "2024 H2").image == b""


def test_which_indicators_show_inequality():
    assert iv.shows_inequality(RATE) and iv.shows_inequality(PROPORTION)
    without = dataclasses.replace(RATE, breakdowns=("ward",))
    assert not iv.shows_inequality(without)
    mean = next(i for i in STRATEGY.indicators if i.measure.type == "mean")
    assert not iv.shows_inequality(mean)


def test_slope_chart_and_pack_section():
    results = _results(RATE, FALLING, FALLING * 0.8)
    view = inequality_view(results, STRATEGY, RATE.id, "2024 H2")
    fig = inequality_chart(view.points, view.line, title="t", unit=RATE.unit, source="s")
    assert [t.name for t in fig.data] == [
        "Deprivation decile (1 = most deprived)",
        "Fitted line (slope index of inequality)",
    ]
    assert list(fig.data[0].text) == [str(d) for d in range(1, 11)]
    section = section_for(view, RATE, "2024 H2")
    assert section.words == iv.inequality_words(view, RATE)
    assert section.image.startswith(b"\x89PNG")
