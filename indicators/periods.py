"""Period keys: month, quarter, financial year and half-year review period.

The strategy is reviewed every six months on the council's financial year
(April–March): `2021 H1` is April–September 2021 and `2021 H2` is October 2021
to March 2022, both inside financial year `2021/22`. The same rules exist
twice on purpose: as DuckDB macros stored in the warehouse (so SQL can key any
date column) and as Python functions (so tests and pages can label periods
without a query). `tests/test_periods.py` checks the two agree.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

# A financial year (`2019/20`) or a half-year review period (`2021 H1`), as the YAML writes them.
PERIOD_LABEL = re.compile(r"(\d{4}/\d{2}|\d{4} H[12])")

# Stored in every warehouse, so indicator SQL can use them on any date column.
PERIOD_MACROS_SQL = """
CREATE OR REPLACE MACRO fy_start_year(d) AS
    CASE WHEN month(d) >= 4 THEN year(d) ELSE year(d) - 1 END;
CREATE OR REPLACE MACRO financial_year(d) AS
    fy_start_year(d)::VARCHAR || '/' || lpad(((fy_start_year(d) + 1) % 100)::VARCHAR, 2, '0');
CREATE OR REPLACE MACRO review_period(d) AS
    fy_start_year(d)::VARCHAR || CASE WHEN month(d) BETWEEN 4 AND 9 THEN ' H1' ELSE ' H2' END;
CREATE OR REPLACE MACRO weekdays_before(d) AS
    ((d - DATE '2000-01-03') // 7) * 5 + least((d - DATE '2000-01-03') % 7, 5);
CREATE OR REPLACE MACRO working_days(a, b) AS
    weekdays_before(b + 1) - weekdays_before(a + 1);
"""


def financial_year(day: dt.date) -> str:
    """`2020/21` for any date from 1 April 2020 to 31 March 2021."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def review_period(day: dt.date) -> str:
    """`2021 H1` for April–September 2021, `2021 H2` for October 2021–March 2022."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start} {'H1' if 4 <= day.month <= 9 else 'H2'}"


def working_days(start: dt.date, end: dt.date) -> int:
    """Weekdays after `start` up to and including `end` (Friday → Monday is 1).

    Bank holidays are not taken out: the extracts carry no calendar, and the
    same rule before and after the strategy keeps the trend fair.
    """
    if end < start:
        return -working_days(end, start)
    days = (start + dt.timedelta(days=i) for i in range(1, (end - start).days + 1))
    return sum(1 for d in days if d.weekday() < 5)


def review_period_bounds(label: str) -> tuple[dt.date, dt.date]:
    """First and last day of a review period label such as `2024 H2`."""
    year_text, half = label.split()
    year = int(year_text)
    if half == "H1":
        return dt.date(year, 4, 1), dt.date(year, 9, 30)
    if half == "H2":
        return dt.date(year, 10, 1), dt.date(year + 1, 3, 31)
    raise ValueError(f"not a review period label: {label!r} (expected e.g. '2024 H2')")


def is_half_year(label: str) -> bool:
    """`2024 H2` is a half-year review period; `2024/25` and `2024-10` are not."""
    return label.endswith((" H1", " H2"))


def is_month(label: str) -> bool:
    """`2021-04` is a calendar month (the monthly series of an SPC chart)."""
    return len(label) == 7 and label[4] == "-"


def halves_of(year_label: str) -> tuple[str, str]:
    """The two review periods of a financial year: `2019/20` → (`2019 H1`, `2019 H2`)."""
    return f"{year_label[:4]} H1", f"{year_label[:4]} H2"


def year_of_half(label: str) -> str:
    """The financial year a review period lies in: `2021 H2` → `2021/22`."""
    return financial_year(review_period_bounds(label)[0])


def baseline_for(period: str, baseline_year: str) -> str:
    """The baseline a period is judged against: like for like.

    A financial year is compared with the baseline year (`2019/20`); a
    half-year with the same half of the baseline year (`2024 H2` with
    `2019 H2`), so that counts and rates cover equal lengths of time and
    the same season.
    """
    if is_half_year(period):
        return f"{baseline_year[:4]} {period[-2:]}"
    return baseline_year


def period_midpoint(period: pd.Series) -> np.ndarray:
    """A review period or financial year as a decimal year at its middle.

    `2019/20` (April 2019–March 2020) → 2019.75; `2024 H1` → 2024.5;
    `2024 H2` → 2025.0. Used as the time axis of progress to target.
    """
    start = period.str[:4].astype(float)
    return np.select(
        [period.str.endswith(" H1"), period.str.endswith(" H2")],
        [start + 0.5, start + 1.0],
        default=start + 0.75,
    )
