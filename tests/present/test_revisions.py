"""Revisions since a signed-off review: both values, and whether the move is beyond the
interval reported; changed states and new special-cause signals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.present import revisions


def row(indicator_id: str, value: float, lower: float = np.nan, upper: float = np.nan, **more):
    base = {
        "indicator_id": indicator_id, "area_code": "E06", "title": f"Title {indicator_id}",
        "unit": "%", "value": value, "lower_ci": lower, "upper_ci": upper,
        "progress": "on_track", "trend": "getting_better", "variation": "", "assurance": "",
    }  # fmt: skip
    return {**base, **more}


def frames(reported: list[dict], current: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.DataFrame(reported), pd.DataFrame(current)


def test_an_unchanged_figure_is_no_revision_even_with_rounding_noise() -> None:
    reported, current = frames([row("a", 84.0, 80, 88)], [row("a", 84.0 + 1e-12, 80, 88)])
    assert revisions.revisions(reported, current).empty


def test_the_march_question_84_now_81_within_and_outside_the_interval() -> None:
    reported, current = frames(
        [row("a", 84.0, 80.5, 87.5), row("b", 84.0, 82.0, 86.0)],
        [row("a", 81.0, 77, 85), row("b", 81.0, 79, 83)],
    )
    found = revisions.revisions(reported, current).set_index("indicator_id")
    assert found.loc["a", ["reported_value", "current_value"]].tolist() == [84.0, 81.0]
    assert not found.loc["a", "outside_reported_interval"]
    assert found.loc["b", "outside_reported_interval"]
    assert found.loc["a", "words"] == "Reported as 84.0%, now 81.0%: within the interval reported"
    assert found.loc["b", "words"].endswith("outside the interval reported, so more than chance")


def test_a_value_on_the_reported_limit_is_within_it() -> None:
    reported, current = frames([row("a", 84.0, 80.0, 88.0)], [row("a", 88.0)])
    assert not revisions.revisions(reported, current)["outside_reported_interval"].item()


def test_suppression_changes_are_revisions_and_say_so() -> None:
    reported, current = frames(
        [row("then_withheld", np.nan), row("now_withheld", 50.0, 40, 60)],
        [row("then_withheld", 12.5, 10, 15), row("now_withheld", np.nan)],
    )
    found = revisions.revisions(reported, current).set_index("indicator_id")
    assert found.loc["then_withheld", "words"] == "Withheld when reported; now 12.5%"
    assert found.loc["now_withheld", "words"].startswith("Reported as 50.0%; now withheld")
    assert not found["outside_reported_interval"].any()
    both_withheld = frames([row("x", np.nan)], [row("x", np.nan)])
    assert revisions.revisions(*both_withheld).empty


def test_no_interval_reported_is_said_and_a_missing_side_is_not_compared() -> None:
    reported, current = frames(
        [row("median", 15.0), row("gone", 10.0)], [row("median", 14.0), row("new", 3.0)]
    )
    found = revisions.revisions(reported, current)
    assert found["indicator_id"].tolist() == ["median"]
    assert found["words"].item().endswith("no interval was reported")


def test_changed_progress_and_new_special_cause_signals() -> None:
    reported, current = frames(
        [
            row("a", 1, progress="on_track"),
            row("b", 1, variation="common_cause"),
            row("c", 1, variation="special_cause_concern"),
        ],
        [
            row("a", 1, progress="moving_away"),
            row("b", 1, variation="special_cause_improvement"),
            row("c", 1, variation="special_cause_concern"),
        ],
    )
    found = revisions.changed_state(reported, current)
    assert found[["indicator_id", "change"]].values.tolist() == [
        ["a", "progress"],
        ["b", "new signal"],
    ]
    assert found["words"].tolist() == ["On track → Moving away", "New special cause: improving"]
