"""Build the whole publication of a new warehouse, before the load swaps it in.

Every figure a page, the board pack or a download shows, in one place and one
pass: the served results and their monthly series and flows, protected
together (`indicators.disclosure.publication`), then everything judged or
worded from them (the summaries and sentences of every review period, the
landing page's tiles, the ward tables, funnels and profiles, the gap across
deprivation (SII) of every rate and proportion, the JSNA
comparisons, the quarantine counts readers see, the catalogue's findings and
SQL). Pages only read the tables
`tables.write_publication` makes of it; a load whose publication fails is
not swapped in.

>>> frames = build_publication_frames(build_file, strategy, config_path)  # doctest: +SKIP
>>> frames["tiles"].query("period == '2024 H2'")
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pandas as pd

from indicators.config.spec import Strategy
from indicators.disclosure import quality_counts
from indicators.disclosure.publication import build_served_publication
from indicators.periods import review_period_bounds
from indicators.present.views import half_years
from indicators.publish import catalogue, inequality, jsna, series, summaries, tiles, wards
from indicators.store import inventory
from indicators.ward_vintages import WARD_AREA_TYPES


def served_strategy(strategy: Strategy, left_out: dict[str, list[str]]) -> Strategy:
    """`strategy` without the definitions the publication left out."""
    kept = tuple(i for i in strategy.indicators if (i.id or "?") not in left_out)
    return replace(strategy, indicators=kept)


def review_periods(results: pd.DataFrame, data_end: dt.date) -> pd.DataFrame:
    """Every half-year review period, oldest first, and whether the data cover all of it."""
    periods = half_years(results)
    return pd.DataFrame(
        {"period": periods, "complete": [review_period_bounds(p)[1] <= data_end for p in periods]}
    )


def areas(results: pd.DataFrame) -> pd.DataFrame:
    """The areas a reader can choose: the city first, then every known ward of both sets
    (`area_type` says which) by name."""
    whole = results.loc[results["breakdown"] == "all", ["area_code", "area_name", "area_type"]]
    whole = whole.drop_duplicates("area_code")
    city = whole[whole["area_type"] == "la"]
    wards = whole[whole["area_type"].isin(WARD_AREA_TYPES) & (whole["area_code"] != "unknown")]
    return pd.concat([city, wards.sort_values("area_name")], ignore_index=True)


def build_publication_frames(
    warehouse: Path, strategy: Strategy, config_path: Path
) -> dict[str, pd.DataFrame]:
    """Every publication table's frame, by table name (without the `publication_` prefix).

    `warehouse` is the new file (closed for writing, read through the store);
    `config_path` is the file `strategy` was read from, for the catalogue's findings.
    """
    published = build_served_publication(warehouse, strategy)
    served = served_strategy(strategy, published.left_out)
    results = published.results
    summary = summaries.summaries(results, served)
    ward_tables = wards.ward_tables(summary, served)
    funnel_points, funnel_limits = wards.funnels(ward_tables, served)
    inequality_points, inequality_lines, inequality_gaps = inequality.inequality_tables(
        results, served
    )
    quality_log, quality_by_reason = quality_counts.for_readers(warehouse, strategy.min_count)
    return {
        "indicators": pd.DataFrame(
            {
                "indicator_id": [i.id for i in served.indicators],
                "position": range(len(served.indicators)),
            }
        ),
        "periods": review_periods(results, inventory.load_summary(warehouse).data_end),
        "areas": areas(results),
        "results": results,
        "left_out": series.left_out_rows(published.left_out),
        "monthly": series.spc_charts(published.monthly, served),
        "flows": series.flow_links(published.flows),
        "summary": summary,
        "tiles": tiles.tiles(
            results,
            summary,
            served,
            series.spc_states(published.monthly, served, half_years(results)),
        ),
        "wards": ward_tables,
        "funnel_points": funnel_points,
        "funnel_limits": funnel_limits,
        "ward_profiles": wards.ward_profiles(summary, ward_tables, served),
        "jsna_spine": jsna.jsna_spines(warehouse, served),
        "inequality_points": inequality_points,
        "inequality_lines": inequality_lines,
        "inequality_gaps": inequality_gaps,
        "quality_log": quality_log,
        "quality_by_reason": quality_by_reason,
        "check": catalogue.check_findings(config_path, warehouse),
        "sql": catalogue.indicator_sql(served),
    }
