"""What a report is asked for: a review period and a ward the publication actually holds.

A pack for a period with no results, or a ward report for a code that is no
ward of the area, would print empty pages that look like a finished report.
The pack and the ward report refuse both with `ReportRefused`, whose message
says what was asked and what could be asked instead; the CLI prints it as is.
"""

from __future__ import annotations

import re

import pandas as pd

from indicators.ward_vintages import WARD_AREA_TYPES

# A half-year review period label: `2024 H2` (October 2024 to March 2025).
REVIEW_PERIOD = re.compile(r"\d{4} H[12]")


class ReportRefused(Exception):
    """The report cannot be made as asked; the message says why and what to ask instead."""


def require_period(results: pd.DataFrame, period: str) -> None:
    """Refuse a label that is not a review period, or one the publication has no figures for.

    >>> require_period(pd.DataFrame({"period": ["2024 H2"]}), "2024 H2")
    """
    periods = sorted(p for p in results["period"].unique() if REVIEW_PERIOD.fullmatch(str(p)))
    offered = f"{periods[0]} to {periods[-1]}" if periods else "none yet"
    if not REVIEW_PERIOD.fullmatch(period):
        raise ReportRefused(
            f"{period!r} is not a review period: write the year and half, e.g. '2024 H2' "
            f"(October 2024 to March 2025); this load has {offered}"
        )
    if period not in periods:
        raise ReportRefused(f"no results for review period {period!r}: this load has {offered}")


def require_ward(results: pd.DataFrame, ward_code: str, area_name: str) -> None:
    """Refuse a code that is not one of the area's wards (of either set) in the publication."""
    is_ward = results["area_type"].isin(WARD_AREA_TYPES) & (results["area_code"] != "unknown")
    wards = results.loc[is_ward, ["area_code", "area_name"]]
    if ward_code in set(wards["area_code"]):
        return
    first = wards.drop_duplicates().sort_values("area_code").head(3)
    examples = ", ".join(f"{c} ({n})" for c, n in first.itertuples(index=False))
    raise ReportRefused(
        f"{ward_code!r} is not a ward of {area_name} in this load; ward codes look like {examples}"
    )
