"""Status codes have their words in one module, and charts read codes, never words."""

from __future__ import annotations

import pandas as pd
import pytest

from indicators import methods, statuses
from indicators.present import status_words
from indicators.present.charts import context_charts


@pytest.mark.parametrize(
    ("codes", "words"),
    [
        (statuses.Comparison, status_words.COMPARISON_WORDS),
        (statuses.TrendAssessment, status_words.TREND_WORDS),
        (statuses.Progress, status_words.PROGRESS_WORDS),
        (statuses.Assurance, status_words.ASSURANCE_WORDS),
        (statuses.FunnelPosition, status_words.FUNNEL_WORDS),
        (statuses.Variation, status_words.VARIATION_WORDS),
    ],
)
def test_every_code_has_words(codes, words) -> None:
    assert set(codes) <= set(words)


def test_the_methods_return_the_codes_of_the_enums() -> None:
    assert set(methods.BENCHMARK_LABELS) == set(statuses.Comparison)
    assert set(methods.FUNNEL_LABELS) == set(statuses.FunnelPosition)
    assert set(methods.PROGRESS_LABELS) == set(statuses.Progress)
    assert set(methods.ASSURANCE_LABELS) == set(statuses.Assurance)
    assert set(methods.POLARITIES) == set(statuses.Polarity)
    trend = methods.recent_trend([1.0] * 5, [0.5] * 5, [1.5] * 5, polarity="high_is_good")
    assert trend["marker"] in set(statuses.TrendMarker)
    assert trend["assessment"] in set(statuses.TrendAssessment)


@pytest.mark.parametrize(
    ("code", "polarity", "side"),
    [
        ("better", "high_is_good", 1),
        ("better", "low_is_good", -1),
        ("much_worse", "high_is_good", -1),
        ("worse", "low_is_good", 1),
        ("higher", "no_judgement", 1),
        ("much_lower", "no_judgement", -1),
        ("similar", "high_is_good", 0),
        ("not_compared", "low_is_good", 0),
    ],
)
def test_a_comparison_knows_its_side(code: str, polarity: str, side: int) -> None:
    assert statuses.Comparison(code).side(polarity) == side


def _spine() -> list[list[str]]:
    latest = pd.DataFrame(
        {
            "indicator": ["A", "B", "C"],
            "period": ["2025"] * 3,
            "la_count": [150] * 3,
            "worst": [0.0] * 3,
            "la_p25": [3.0] * 3,
            "la_p75": [7.0] * 3,
            "best": [10.0] * 3,
            "value": [8.0, 2.0, 5.0],
            "england": [5.0] * 3,
            "region": [5.0] * 3,
            "polarity": ["high_is_good", "high_is_good", "no_judgement"],
        }
    )
    codes = pd.Series(["better", "worse", "similar"])
    figure = context_charts.spine_chart(
        latest,
        codes,
        "England",
        area_name="The city",
        markers={"england": "England", "region": "The region"},
        title="t",
        source="s",
    )
    city = figure.data[-1]
    return [list(city.marker.symbol), list(city.text)]


def test_spine_markers_follow_codes_not_words(monkeypatch: pytest.MonkeyPatch) -> None:
    symbols, text = _spine()
    # Better with high good lies above England; worse below: the markers say so.
    assert symbols == ["triangle-up", "triangle-down", "circle"]
    assert text[0] == "Better than England"
    reworded = {k: f"Reworded {k}" for k in status_words.COMPARISON_WORDS}
    monkeypatch.setattr(status_words, "COMPARISON_WORDS", reworded)
    monkeypatch.setattr(context_charts, "COMPARISON_WORDS", reworded)
    assert _spine()[0] == symbols
