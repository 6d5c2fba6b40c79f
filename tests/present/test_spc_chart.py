"""The SPC chart draws the near-limit lines, marks trial limits and neutral special causes."""

from __future__ import annotations

import pandas as pd

from indicators import methods
from indicators.present.charts.aim_charts import spc_chart


def _frame(values: list[float], **options) -> pd.DataFrame:
    chart = methods.spc(values, **options)
    chart.insert(0, "period", [f"2021-{m:02d}" for m in range(1, len(values) + 1)])
    return chart


def _names(fig) -> list[str]:
    return [t.name for t in fig.data if t.showlegend is not False]


def test_near_limit_lines_and_trial_limits_are_named_in_the_legend() -> None:
    values = [10.0, 12.0] * 8 + [11.0, 13.0] * 2  # 16 points, then 4 after a rebase
    fig = spc_chart(_frame(values, rebase_at=16), title="t", unit="u", source="s")
    names = _names(fig)
    assert "Two-thirds (near limit) lines" in names
    assert "Process limits" in names
    assert "Trial limits (under 12 points)" in names
    trial = next(t for t in fig.data if t.name == "Trial limits (under 12 points)")
    assert pd.isna(list(trial.y)[:16]).all() and not pd.isna(list(trial.y)[16:]).any()


def test_neutral_special_cause_is_marked_high_or_low() -> None:
    values = [10.0, 12.0] * 6 + [40.0]
    fig = spc_chart(_frame(values), title="t", unit="u", source="s")
    assert "Special cause: high (no direction judged)" in _names(fig)
    marker = next(t for t in fig.data if t.name.startswith("Special cause: high"))
    assert marker.marker.symbol == "triangle-up"
