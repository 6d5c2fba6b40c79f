"""Period keys: the SQL macros stored in the warehouse agree with the Python rules."""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd
import pytest

from indicators.periods import (
    PERIOD_LABEL,
    PERIOD_MACROS_SQL,
    baseline_for,
    financial_year,
    halves_of,
    is_half_year,
    is_month,
    period_midpoint,
    review_period,
    review_period_bounds,
    working_days,
    year_of_half,
)


@pytest.mark.parametrize(
    ("day", "year", "period"),
    [
        (dt.date(2020, 3, 31), "2019/20", "2019 H2"),
        (dt.date(2020, 4, 1), "2020/21", "2020 H1"),
        (dt.date(2020, 9, 30), "2020/21", "2020 H1"),
        (dt.date(2020, 10, 1), "2020/21", "2020 H2"),
        (dt.date(2021, 1, 1), "2020/21", "2020 H2"),
        (dt.date(2099, 12, 31), "2099/00", "2099 H2"),
    ],
)
def test_financial_year_and_review_period(day: dt.date, year: str, period: str) -> None:
    assert financial_year(day) == year
    assert review_period(day) == period


def test_sql_macros_match_python_for_every_day_of_the_strategy() -> None:
    con = duckdb.connect()
    con.execute(PERIOD_MACROS_SQL)
    rows = con.execute(
        "SELECT d::DATE, financial_year(d), review_period(d) "
        "FROM range(DATE '2019-01-01', DATE '2026-01-01', INTERVAL 1 DAY) t(d)"
    ).fetchall()
    assert len(rows) == 2557
    assert all(financial_year(d) == fy and review_period(d) == rp for d, fy, rp in rows)


def test_working_days_macro_matches_python() -> None:
    con = duckdb.connect()
    con.execute(PERIOD_MACROS_SQL)
    rows = con.execute(
        "SELECT a::DATE, b::DATE, working_days(a::DATE, b::DATE) "
        "FROM range(DATE '2020-12-21', DATE '2021-01-11', INTERVAL 1 DAY) s(a), "
        "range(DATE '2020-12-21', DATE '2021-01-25', INTERVAL 1 DAY) t(b)"
    ).fetchall()
    assert all(working_days(a, b) == n for a, b, n in rows)
    # Friday 8 January 2021 to Monday 11 January: one working day.
    assert working_days(dt.date(2021, 1, 8), dt.date(2021, 1, 11)) == 1
    assert working_days(dt.date(2021, 1, 8), dt.date(2021, 1, 8)) == 0


def test_review_period_bounds() -> None:
    assert review_period_bounds("2021 H1") == (dt.date(2021, 4, 1), dt.date(2021, 9, 30))
    assert review_period_bounds("2024 H2") == (dt.date(2024, 10, 1), dt.date(2025, 3, 31))
    with pytest.raises(ValueError, match="not a review period"):
        review_period_bounds("2024 Q3")


def test_compiled_period_expressions_match_python_for_every_day() -> None:
    from indicators.engine.compile import period_expressions

    con = duckdb.connect()
    sql = period_expressions("d")
    rows = con.execute(
        f"SELECT d, {sql['__financial_year']}, {sql['__half_year']} FROM "  # noqa: S608 (the test's own fixed table names)
        "(SELECT d::DATE AS d FROM range(DATE '2019-01-01', DATE '2026-01-01', INTERVAL 1 DAY) "
        "t(d))"
    ).fetchall()
    assert all(financial_year(d) == fy and review_period(d) == rp for d, fy, rp in rows)


@pytest.mark.parametrize(
    ("period", "expected"),
    [("2024 H2", "2019 H2"), ("2021 H1", "2019 H1"), ("2023/24", "2019/20")],
)
def test_baseline_is_like_for_like(period: str, expected: str) -> None:
    assert baseline_for(period, "2019/20") == expected


def test_period_midpoints() -> None:
    got = period_midpoint(pd.Series(["2019/20", "2024 H1", "2024 H2"]))
    np.testing.assert_allclose(got, [2019.75, 2024.5, 2025.0])


def test_labels_say_what_they_are() -> None:
    assert is_half_year("2024 H2") and not is_half_year("2024/25")
    assert is_month("2021-04") and not is_month("2021 H1")
    assert halves_of("2019/20") == ("2019 H1", "2019 H2")
    assert year_of_half("2021 H2") == "2021/22"
    assert PERIOD_LABEL.fullmatch("2019/20") and not PERIOD_LABEL.fullmatch("2019-20")
