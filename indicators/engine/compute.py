"""Run every indicator: one query each, statistics over whole columns, one tidy frame.

`compute_all` returns the frame every page, export and test reads (the
columns of `TIDY_COLUMNS`, architecture.md), already through disclosure
control, so nothing downstream can show a small number.

Every definition is checked first (`check.refusals`): one that fails check
is never run. Analysts' SQL runs on a cursor of the process's one sandboxed
reader (`store`: read-only, no file access) and within the query limits
(`limits`): a runaway query stops with a message naming its indicator.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from indicators.config import check
from indicators.config.spec import Indicator, Strategy
from indicators.disclosure import small_numbers
from indicators.engine import intervals
from indicators.engine.compile import compile_indicator, compile_monthly, compile_ward_overlaps
from indicators.store import readers
from indicators.store.limits import QueryLimits, QueryStopped, bounded
from indicators.ward_vintages import WARD_AREA_TYPES

TIDY_COLUMNS = [
    "indicator_id",
    "measure",
    "period",
    "period_type",
    "area_code",
    "area_name",
    "area_type",
    "breakdown",
    "category",
    "numerator",
    "denominator",
    "value",
    "lower_ci",
    "upper_ci",
    "suppressed",
    "note",
]


def run_analyst_sql(
    con: duckdb.DuckDBPyConnection,
    indicator: Indicator,
    sql: str,
    limits: QueryLimits | None = None,
) -> pd.DataFrame:
    """One compiled query of `indicator`, as one statement, within the query limits
    (the process's, or `limits`: the workbench's shorter time)."""
    if len(con.extract_statements(sql)) != 1:
        raise QueryStopped(f"indicator {indicator.id}: its SQL is not one statement")
    return bounded(con, f"indicator {indicator.id}", lambda c: c.execute(sql).df(), limits)


def counts(con: duckdb.DuckDBPyConnection, indicator: Indicator) -> pd.DataFrame:
    """The compiled query's rows: counts per period, breakdown and category."""
    return run_analyst_sql(con, indicator, compile_indicator(indicator))


ROW_ORDER = ["period_type", "period", "area_type", "area_code", "breakdown", "category"]


def add_statistics(frame: pd.DataFrame, indicator: Indicator) -> pd.DataFrame:
    """value, lower_ci, upper_ci (95%) by the indicator's interval, vectorised over the frame."""
    out = frame.copy()
    if indicator.measure.kind.centre is None:
        ci = intervals.count_limits(indicator, out["numerator"], out["denominator"], 0.95)
    else:
        ci = intervals.mean_limits(
            indicator, out["statistic"], out["spread"], out["numerator"], 0.95
        )
    out["value"] = ci["value"].to_numpy()
    out["lower_ci"] = ci["lower"].to_numpy()
    out["upper_ci"] = ci["upper"].to_numpy()
    return out


def to_tidy(
    frame: pd.DataFrame, indicator: Indicator, city_code: str, area_names: dict[str, str]
) -> pd.DataFrame:
    """Shape counted rows into the tidy frame: wards become areas, the rest city breakdowns.

    A ward row's `area_type` is its vintage's (`ward_vintages`: `ward` for the
    2011–2023 wards, `ward_2023` for the May 2023 wards)."""
    out = frame.copy()
    is_ward = out["breakdown"].isin(WARD_AREA_TYPES)
    out["area_code"] = np.where(is_ward, out["category"], city_code)
    out["area_type"] = np.where(is_ward, out["breakdown"], "la")
    if indicator.measure.kind.by_category:
        out["breakdown"] = indicator.measure.category
        out["category"] = out["share_category"]
    else:
        out.loc[is_ward, "breakdown"] = "all"
        out.loc[is_ward, "category"] = "all"
    out["area_name"] = out["area_code"].map(area_names).fillna("Unknown ward")
    out["indicator_id"] = indicator.id
    out["measure"] = indicator.measure.type
    year = out["period"].str[:4].astype(int)
    stale = out["population_year"].notna() & (out["population_year"] != year)
    out["note"] = np.where(
        stale,
        "population: mid-"
        + out["population_year"].astype("Int64").astype(str)
        + " estimate (nearest available)",
        "",
    )
    out["suppressed"] = False
    # One fixed row order: a GROUPING SETS query returns its rows in any order, and
    # disclosure control breaks ties by position, so the same data must give the same rows.
    return out[TIDY_COLUMNS].sort_values(ROW_ORDER, kind="stable", ignore_index=True)


def area_names(con: duckdb.DuckDBPyConnection, strategy: Strategy) -> dict[str, str]:
    """Every ward and comparator's name by code; the strategy names its own area."""
    names = dict(con.execute("SELECT ward_code, ward_name FROM wards").fetchall())
    names.update(dict(con.execute("SELECT area_code, area_name FROM comparators").fetchall()))
    names.setdefault(strategy.area_code, strategy.area_name)
    return names


def compute_indicator(
    counted: pd.DataFrame,
    strategy: Strategy,
    indicator: Indicator,
    names: dict[str, str],
    *,
    protect: bool = True,
) -> pd.DataFrame:
    """One indicator's counts → every period, area and breakdown, after disclosure control
    within the indicator (or none, with ``protect=False``, for the whole-publication step)."""
    tidy = to_tidy(add_statistics(counted, indicator), indicator, strategy.area_code, names)
    if not protect:
        return tidy
    return small_numbers.apply_disclosure(tidy, min_count=strategy.min_count_for(indicator))


@dataclass
class Served:
    """What the dashboard serves: the results of the definitions it kept (`strategy`), and
    each definition left out with its reasons."""

    results: pd.DataFrame
    strategy: Strategy
    left_out: dict[str, list[str]] = field(default_factory=dict)


def _checked(warehouse: Path, strategy: Strategy) -> tuple[Strategy, dict[str, list[str]]]:
    """The strategy without the definitions that fail check, and those definitions' problems."""
    refused = check.problems_by_indicator(check.refusals(strategy, warehouse))
    kept = tuple(i for i in strategy.indicators if (i.id or "?") not in refused)
    return replace(strategy, indicators=kept), refused


def _compute(
    warehouse: Path, strategy: Strategy, runner, left_out: dict | None, protect: bool
) -> pd.DataFrame:
    """Every indicator of `strategy`; a stopped or failed query raises, or goes in `left_out`."""
    frames = []
    with readers.connect(warehouse) as con:
        names = area_names(con, strategy)
        for indicator in strategy.indicators:
            try:
                counted = runner.counts(indicator) if runner is not None else counts(con, indicator)
            except (QueryStopped, duckdb.Error) as err:
                if left_out is None:
                    raise
                left_out[indicator.id] = [str(err).splitlines()[0]]
                continue
            frames.append(compute_indicator(counted, strategy, indicator, names, protect=protect))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=TIDY_COLUMNS)


def compute_all(
    warehouse: Path, strategy: Strategy, runner=None, *, protect: bool = True
) -> pd.DataFrame:
    """Every indicator of the strategy, as one tidy frame.

    Raises `check.DefinitionsRefused` naming every definition that fails check
    (nothing is computed then), and `limits.QueryStopped` naming an indicator
    whose query runs past a limit. The counting runs on the warehouse (DuckDB)
    or, given a `runner` from `indicators.engine.runners`, on PostgreSQL or
    Spark; everything after the counts is the same Python either way.
    Disclosure control here is per indicator only; what is published goes
    through `indicators.disclosure.publication.build_publication`, which protects every
    figure together. ``protect=False`` returns the counts unprotected, for that step.
    """
    _, refused = _checked(warehouse, strategy)
    if refused:
        raise check.DefinitionsRefused(refused)
    return _compute(warehouse, strategy, runner, None, protect)


def compute_served(warehouse: Path, strategy: Strategy, *, protect: bool = True) -> Served:
    """What the dashboard shows: every indicator that passes check and runs within the limits.

    A definition that fails check, or whose query is stopped or fails on the
    data (a cast of a bad value), is left out and named in `left_out` with its
    problems, so one bad definition does not take every page down.
    """
    kept, left_out = _checked(warehouse, strategy)
    results = _compute(warehouse, kept, None, left_out, protect)
    kept = replace(kept, indicators=tuple(i for i in kept.indicators if i.id not in left_out))
    return Served(results, kept, left_out)


def monthly(warehouse: Path, indicator: Indicator) -> pd.DataFrame:
    """The city's monthly series for an SPC chart, unprotected.

    Months add up to the half-years published elsewhere, so they are
    protected together with everything else by
    `indicators.disclosure.publication.build_publication`, never shown from here.
    """
    with readers.connect(warehouse) as con:
        counted = run_analyst_sql(con, indicator, compile_monthly(indicator))
    frame = add_statistics(counted, indicator)
    frame["suppressed"] = False
    return frame[
        ["period", "numerator", "denominator", "value", "lower_ci", "upper_ci", "suppressed"]
    ].reset_index(drop=True)


OVERLAP_COLUMNS = ["indicator_id", "period_type", "period", *WARD_AREA_TYPES, "share_category",
                   "numerator", "denominator", "whole_ward"]  # fmt: skip


def ward_overlaps(warehouse: Path, strategy: Strategy) -> pd.DataFrame:
    """Counts of every ward-broken-down indicator per period and pair of wards of the two
    vintages (`compile_ward_overlaps`), unprotected and never published.

    Only disclosure control reads them (`indicators.disclosure.publication`): a
    2011 ward and a 2023 ward that share LSOAs differ by the count of the rest,
    which must not be small and worked out. `whole_ward` marks the overlap of a
    2011 ward lying wholly in one 2023 ward (`wards.within_ward_2023`): every
    record of that ward is in it, so the overlap is the 2011 ward's own count.
    """
    frames = []
    with readers.connect(warehouse) as con:
        within = con.execute(
            "SELECT ward_code, within_ward_2023 FROM wards WHERE within_ward_2023 IS NOT NULL"
        ).fetchall()
        for indicator in strategy.indicators:
            sql = compile_ward_overlaps(indicator)
            if sql is not None:
                frames.append(
                    run_analyst_sql(con, indicator, sql).assign(indicator_id=indicator.id)
                )
    if not frames:
        return pd.DataFrame(columns=OVERLAP_COLUMNS)
    found = pd.concat(frames, ignore_index=True)
    pairs = pd.MultiIndex.from_frame(found[list(WARD_AREA_TYPES)])
    found["whole_ward"] = pairs.isin(within)
    return found[OVERLAP_COLUMNS]
