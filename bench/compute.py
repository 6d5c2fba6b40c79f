"""The indicator engine against a naive pandas version of the same indicators, same run.

The naive version is what a first pandas draft looks like: the warehouse
tables are read into memory (not timed), then for each indicator, period and
area it filters rows and counts, in Python loops. The engine compiles each
indicator to one GROUPING SETS query and does the statistics on whole
columns. Both produce numerators and denominators for every indicator,
period (half-year and financial year), the city, every ward, every
deprivation decile and every breakdown; the benchmark checks the city
numerators agree before it reports a ratio.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from indicators.config import spec
from indicators.engine.compute import compute_all
from indicators.paths import CONFIG_PATH

Tally = Callable[[pd.DataFrame], float]


def _distinct(column: str, mask: Callable[[pd.DataFrame], pd.Series] | None = None) -> Tally:
    def tally(rows: pd.DataFrame) -> float:
        chosen = rows if mask is None else rows[mask(rows).fillna(False).astype(bool)]
        return chosen[column].nunique()

    return tally


def _rows(mask: Callable[[pd.DataFrame], pd.Series] | None = None) -> Tally:
    def tally(rows: pd.DataFrame) -> float:
        return len(rows) if mask is None else int(mask(rows).fillna(False).astype(bool).sum())

    return tally


@dataclass(frozen=True)
class NaiveIndicator:
    """A hand-written pandas twin of one YAML definition (numerator, denominator)."""

    numerator: Tally
    denominator: Tally | None = None
    keep: Callable[[pd.DataFrame], pd.Series] | None = None


NAIVE: dict[str, NaiveIndicator] = {
    "requests_per_10k": NaiveIndicator(_distinct("request_id")),
    "requests_decided_3_days": NaiveIndicator(
        _distinct("request_id", lambda r: r["working_days_to_decision"] <= 3),
        _distinct("request_id", lambda r: r["decision_date"].notna()),
    ),
    "requests_from_families_or_community": NaiveIndicator(
        _distinct(
            "request_id",
            lambda r: r["source"].isin(["self_or_family", "voluntary_community_faith"]),
        ),
        _distinct("request_id"),
    ),
    "hub_contacts_per_1k": NaiveIndicator(lambda r: r["children"].sum()),
    "median_days_request_to_support": NaiveIndicator(lambda r: r["days_request_to_start"].median()),
    "episodes_started_per_10k": NaiveIndicator(_distinct("episode_id")),
    "episodes_led_by_partners": NaiveIndicator(
        _distinct(
            "episode_id",
            lambda r: r["lead_agency"].isin(
                ["school", "health", "police", "voluntary_community_faith"]
            ),
        ),
        _distinct("episode_id"),
    ),
    "thrive_mix_of_requests": NaiveIndicator(
        lambda r: r["thrive_level"].value_counts().sum(), keep=lambda r: r["thrive_level"].notna()
    ),
    "requests_given_advice": NaiveIndicator(
        _distinct("request_id", lambda r: r["decision"] == "advice_signposting"),
        _distinct("request_id", lambda r: r["decision"].notna()),
    ),
    "assessments_within_45_days": NaiveIndicator(
        _distinct(
            "assessment_id", lambda r: (r["completed_date"] - r["started_date"]).dt.days <= 45
        ),
        _distinct("assessment_id", lambda r: r["completed_date"].notna()),
    ),
    "child_voice_recorded": NaiveIndicator(
        _distinct("assessment_id", lambda r: r["child_voice_recorded"]),
        _distinct("assessment_id", lambda r: r["completed_date"].notna()),
    ),
    "re_referrals_12_months": NaiveIndicator(
        _distinct("request_id", lambda r: r["re_referral_12_months"]), _distinct("request_id")
    ),
    "closures_stepped_up": NaiveIndicator(
        _distinct("episode_id", lambda r: r["closure_reason"] == "stepped_up_to_social_care"),
        _distinct("episode_id"),
    ),
    "step_downs_from_social_care": NaiveIndicator(
        _distinct("episode_id", lambda r: r["stepped_down_from_social_care"])
    ),
    "outcome_domains_improved": NaiveIndicator(
        _rows(lambda r: r["score_end"] > r["score_start"]), _rows(lambda r: r["score_end"].notna())
    ),
    "mean_outcome_change": NaiveIndicator(
        lambda r: (r["score_end"] - r["score_start"]).mean(), keep=lambda r: r["score_end"].notna()
    ),
    "episodes_led_by_vcf": NaiveIndicator(
        _distinct("episode_id", lambda r: r["lead_agency"] == "voluntary_community_faith"),
        _distinct("episode_id"),
    ),
    "closed_disengaged": NaiveIndicator(
        _distinct("episode_id", lambda r: r["closure_reason"] == "disengaged"),
        _distinct("episode_id"),
    ),
    "families_satisfied": NaiveIndicator(
        _distinct("episode_id", lambda r: r["satisfaction"] >= 4), _distinct("episode_id")
    ),
    "families_would_recommend": NaiveIndicator(
        _distinct("episode_id", lambda r: r["would_recommend"]),
        _distinct("episode_id", lambda r: r["would_recommend"].notna()),
    ),
    "places_on_evidence_rated_programmes": NaiveIndicator(
        _distinct("enrolment_id", lambda r: r["evidence_level"].isin(["3", "4"])),
        _distinct("enrolment_id"),
    ),
    "programme_completion": NaiveIndicator(
        _distinct("enrolment_id", lambda r: r["completed"]),
        _distinct("enrolment_id", lambda r: r["completed"].notna()),
    ),
    "places_reaching_most_deprived": NaiveIndicator(
        _distinct("enrolment_id", lambda r: r["imd_decile"] <= 2),
        _distinct("enrolment_id", lambda r: r["imd_decile"].notna()),
    ),
}


def _areas(rows: pd.DataFrame, indicator: spec.Indicator) -> list[tuple[str, str, pd.Series]]:
    """(breakdown, category, mask) for the city, each ward, decile and breakdown value."""
    areas = [("all", "all", pd.Series(True, index=rows.index))]
    for breakdown in indicator.breakdowns:
        column = spec.DERIVED_BREAKDOWNS.get(breakdown, breakdown)
        values = rows[column].astype("string").fillna("unknown")
        for value in values.unique():
            areas.append((breakdown, value, values == value))
    return areas


def naive_compute(tables: dict[str, pd.DataFrame], strategy: spec.Strategy) -> pd.DataFrame:
    """Loops over indicator × period × area, filtering and counting each time."""
    out = []
    for indicator in strategy.indicators:
        twin = NAIVE[indicator.id]
        table = tables[indicator.source]
        dated = table[table[indicator.date].notna()]
        if twin.keep is not None:
            dated = dated[twin.keep(dated)]
        for period_column in ("review_period_of_date", "financial_year_of_date"):
            periods = dated[indicator.date].map(_period_labels[period_column])
            for period in periods.unique():
                in_period = dated[periods == period]
                for breakdown, category, mask in _areas(in_period, indicator):
                    rows = in_period[mask]
                    denominator = twin.denominator(rows) if twin.denominator else np.nan
                    out.append(
                        (
                            indicator.id,
                            period,
                            breakdown,
                            category,
                            twin.numerator(rows),
                            denominator,
                        )
                    )
    return pd.DataFrame(
        out, columns=["indicator_id", "period", "breakdown", "category", "numerator", "denominator"]
    )


def _financial_year(day: pd.Timestamp) -> str:
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def _review_period(day: pd.Timestamp) -> str:
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start} {'H1' if 4 <= day.month <= 9 else 'H2'}"


_period_labels = {
    "review_period_of_date": _review_period,
    "financial_year_of_date": _financial_year,
}


def read_tables(warehouse: Path, strategy: spec.Strategy) -> dict[str, pd.DataFrame]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = {}
        for name in {i.source for i in strategy.indicators}:
            frame = con.execute(f"SELECT * FROM {name}").df()  # noqa: S608 (the benchmark's own table names)
            for column in frame.columns:
                if column.endswith("_date") or column.endswith("date_"):
                    frame[column] = pd.to_datetime(frame[column])
            tables[name] = frame
        return tables
    finally:
        con.close()


@dataclass(frozen=True)
class ComputeResult:
    scale: int
    engine_seconds: float
    naive_seconds: float
    rows: int

    @property
    def ratio(self) -> float:
        return self.naive_seconds / self.engine_seconds


def run_compute(scale: int, warehouse: Path) -> ComputeResult:
    """Time the engine (best of 3) and the naive version (once) on the same warehouse."""
    strategy = spec.load_strategy(CONFIG_PATH)
    compute_all(warehouse, strategy)  # warm caches and imports once
    engine_times = []
    for _ in range(3):
        start = time.perf_counter()
        frame = compute_all(warehouse, strategy)
        engine_times.append(time.perf_counter() - start)
    tables = read_tables(warehouse, strategy)
    start = time.perf_counter()
    naive = naive_compute(tables, strategy)
    naive_seconds = time.perf_counter() - start
    _check_city_numerators(frame, naive, strategy)
    return ComputeResult(scale, min(engine_times), naive_seconds, len(frame))


def _check_city_numerators(
    engine: pd.DataFrame, naive: pd.DataFrame, strategy: spec.Strategy
) -> None:
    """The two versions must count the same before their speeds are compared."""
    counted = [
        i.id for i in strategy.indicators if i.measure.type in ("proportion", "rate", "count")
    ]
    city = engine[
        (engine["area_type"] == "la")
        & (engine["breakdown"] == "all")
        & engine["indicator_id"].isin(counted)
        & ~engine["suppressed"]
    ]
    merged = city.merge(
        naive[naive["breakdown"] == "all"], on=["indicator_id", "period"], suffixes=("", "_naive")
    )
    if len(merged) != len(city) or not np.allclose(merged["numerator"], merged["numerator_naive"]):
        raise AssertionError("the naive version does not count what the engine counts")


def report(results: list[ComputeResult]) -> str:
    lines = [
        "| scale | result rows | engine, all indicators (s) | naive pandas (s) | engine speed-up |",
        "|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.scale} | {r.rows:,} | {r.engine_seconds:.2f} | "
            f"{r.naive_seconds:.2f} | {r.ratio:.1f}× |"
        )
    return "\n".join(lines)
