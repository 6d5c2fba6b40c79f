"""The frames and words the JSNA context page shows: the area against its comparators.

Comparators are keyed by their role in the strategy (england, region,
statistical_neighbours), never by a name a reader sees. The spine follows the
Fingertips convention: England at the centre line, the bar from the worst to
the best English authority, the 25th to 75th percentiles shaded, polarity
deciding which end is worst (for an indicator with no judgement, the lowest is
drawn where the worst would be). The figures and comparisons are worked out
at load (`indicators.publish.jsna`); here they are placed and worded.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.config.spec import Strategy
from indicators.present.status_words import COMPARISON_WORDS


def comparator_groups(areas: pd.DataFrame, strategy: Strategy) -> dict[str, list[str]]:
    """Each of the strategy's comparators (by role) → the area codes it averages over.

    `areas` is the warehouse's `comparators` table: a single-area comparator is
    its own code, a grouping is every statistical neighbour row.
    """
    groups = {}
    for comparator in strategy.comparators:
        if comparator.code:
            groups[comparator.role] = [comparator.code]
        else:
            neighbours = areas["role"] == "statistical_neighbour"
            groups[comparator.role] = areas.loc[neighbours, "area_code"].tolist()
    return groups


def spine_positions(latest: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Where each of `columns` sits on the spine: 0 = worst end, 0.5 = England, 1 = best end.

    As Fingertips draws it: England is the centre line and the side of the
    bar that reaches furthest from England fills its half, so both halves
    share one scale and distances from England compare across the line.
    A row without an England value or any spread is left blank (NaN).
    """
    england = latest["england"].astype(float)
    reach = np.maximum((latest["worst"] - england).abs(), (latest["best"] - england).abs())
    reach = reach.replace(0, np.nan)
    direction = np.where(latest["best"] >= latest["worst"], 1.0, -1.0)
    return pd.DataFrame(
        {c: 0.5 + 0.5 * direction * (latest[c] - england) / reach for c in columns},
        index=latest.index,
    )


# The JSNA page's sections, by the `theme:` of each source (config.context.JSNA_THEMES).
THEME_TITLES = {
    "children_in_need": "Children in need and child protection",
    "safeguarding_factors": "Factors identified at the end of assessment",
    "children_in_care": "Children in care and care leavers",
    "education": "Education of children in need and looked after",
    "workforce": "Children's social work workforce",
    "health": "Health",
}


# What the period axis of a series counts, by its period type (config.context.PERIOD_TYPES).
PERIOD_TYPE_WORDS = {
    "academic_year": "Academic year (September to August)",
    "financial_year": "Year to 31 March (financial year)",
    "calendar_year": "Calendar year",
    "september_year": "Year to 30 September (workforce census)",
}


def period_words(time_period: str, period_type: str | None) -> str:
    """A publisher's period label with what it counts, as a reader needs it.

    DfE labels a reporting year by the year it ends in ("2025"): the year to
    31 March 2025. Two-part labels name their own span ("2024/25").

    >>> period_words("2025", "financial_year")
    'year to 31 March 2025'
    >>> period_words("2024/25", "academic_year")
    '2024/25 academic year'
    """
    single = len(str(time_period)) == 4
    if period_type == "financial_year":
        return f"year to 31 March {time_period}" if single else f"{time_period} financial year"
    if period_type == "september_year":
        return f"year to 30 September {time_period}"
    if period_type == "academic_year":
        return f"{time_period} academic year"
    if period_type == "calendar_year":
        return f"{time_period} calendar year"
    return str(time_period)


def spine_table(spine: pd.DataFrame, names: dict[str, str], comparator: str) -> pd.DataFrame:
    """The spine as a table a screen reader or a spreadsheet takes: every value it draws.

    `names` maps comparator roles to the names a reader sees; the comparison
    is in words (`status_words.COMPARISON_WORDS`).
    """
    roles = [role for role in names if role in spine.columns]
    table = pd.DataFrame(
        {
            "Indicator": spine["indicator"],
            "Period": spine["period_label"],
            "Unit": spine["unit"],
            "Value": spine["value"].round(1),
            **{names[role]: spine[role].round(1) for role in roles},
            "Worst (or lowest)": spine["worst"].round(1),
            "25th percentile": spine["la_p25"].round(1),
            "75th percentile": spine["la_p75"].round(1),
            "Best (or highest)": spine["best"].round(1),
            "Authorities": spine["la_count"],
            f"Compared with {names.get(comparator, comparator)}": spine["comparison"].map(
                COMPARISON_WORDS
            ),
            "indicator_id": spine["indicator_id"],
        }
    )
    return table
