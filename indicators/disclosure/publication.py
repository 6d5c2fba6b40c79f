"""Everything the product publishes, computed together and protected together.

A page, a download or the board pack shows three kinds of figure: the tidy
results of every indicator (:mod:`indicators.engine.compute`), the monthly series of
the indicators charted as SPC, and the front-door flow of each review period
(:mod:`indicators.engine.flow`). A reader holds them all at once, so disclosure
control runs over all of them at once: first the per-indicator rules
(:func:`indicators.disclosure.small_numbers.apply_disclosure`, fast and local), then the
whole publication as one linear system (:mod:`indicators.disclosure.cells`,
:mod:`indicators.disclosure.suppression`), which catches what crosses indicators,
series and flows (a count shared by definition, a month against its
half-year, a flow's links against its step).

>>> publication = build_publication(warehouse, strategy)  # doctest: +SKIP
>>> publication.results, publication.monthly["requests_per_10k"], publication.flows["2024 H2"]
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from indicators.config.spec import Indicator, Strategy
from indicators.disclosure import small_numbers
from indicators.disclosure.cells import (
    CellKey,
    Cells,
    breakdown_dims,
    condition_dims,
    normalise,
    tally_count,
    value_dims,
)
from indicators.disclosure.suppression import protect
from indicators.engine import compute, flow
from indicators.measure_kinds import Denominator
from indicators.ward_vintages import VINTAGES, WARDS_2011, WARDS_2023

SERIES_COLUMNS = ["numerator", "denominator", "value", "lower_ci", "upper_ci"]


@dataclass(frozen=True)
class Publication:
    """The protected publication: tidy results, monthly series by indicator, flows by period."""

    results: pd.DataFrame
    monthly: dict[str, pd.DataFrame]
    flows: dict[str, pd.DataFrame]
    left_out: dict[str, list[str]] = field(default_factory=dict)  # indicator id → problems


def build_publication(warehouse: Path, strategy: Strategy, runner=None) -> Publication:
    """Compute every published figure, then suppress so nothing small can be worked out.

    Raises `check.DefinitionsRefused` when a definition fails check.
    """
    raw = compute.compute_all(warehouse, strategy, runner, protect=False)
    return _protect_with_series_and_flows(warehouse, raw, strategy)


def build_served_publication(warehouse: Path, strategy: Strategy) -> Publication:
    """What a load publishes (`indicators.publish.build`): a definition that fails check, or
    whose query is stopped or fails, is left out and named in `left_out`, so one bad
    definition cannot stop the council's data being refreshed or take every page down."""
    served = compute.compute_served(warehouse, strategy, protect=False)
    built = _protect_with_series_and_flows(warehouse, served.results, served.strategy)
    return replace(built, left_out=served.left_out)


def _protect_with_series_and_flows(
    warehouse: Path, raw: pd.DataFrame, strategy: Strategy
) -> Publication:
    monthly = {i.id: compute.monthly(warehouse, i) for i in strategy.indicators if i.monthly}
    periods = sorted(raw.loc[raw["period_type"] == "half_year", "period"].unique())
    flows = {p: flow.front_door_links(warehouse, p) for p in periods}
    overlaps = compute.ward_overlaps(warehouse, strategy)
    return protect_publication(raw, monthly, flows, strategy, overlaps)


def protect_publication(
    results: pd.DataFrame,
    monthly: dict[str, pd.DataFrame],
    flows: dict[str, pd.DataFrame],
    strategy: Strategy,
    overlaps: pd.DataFrame | None = None,
) -> Publication:
    """Disclosure control over unprotected figures (see the module docstring).

    `overlaps` (`compute.ward_overlaps`) are the counts shared by a ward of each
    vintage: never shown, but a small one is protected like any small count, so
    no difference of a 2011 ward and a 2023 ward reveals it.
    """
    by_id = {i.id: i for i in strategy.indicators}
    limits = {i.id: strategy.min_count_for(i) for i in strategy.indicators}
    first = small_numbers.apply_disclosure(
        results, min_count=strategy.min_count, min_count_by_indicator=limits
    )
    cells = Cells()
    rows = _Rows()
    rows.add("results", _tidy_rows(cells, results, by_id, limits))
    rows.initial("results", first["suppressed"].to_numpy())
    for indicator_id, series in monthly.items():
        indicator = by_id[indicator_id]
        found = _series_rows(cells, series, indicator, limits[indicator_id])
        rows.add(("monthly", indicator_id), found)
    for period, links in flows.items():
        found = flow.link_cells(cells, links, period, strategy.min_count)
        rows.add(("flow", period), found)
    if overlaps is not None:
        ward_overlap_cells(cells, overlaps, by_id, limits)
    table = cells.finish()
    for variables, cost in rows.entries:
        table.add_row(variables, cost)
    hidden = protect(table, rows.hidden_mask())
    return Publication(
        results=small_numbers.blank(results, rows.part(hidden, "results"), _sensitive(results)),
        monthly={
            i: _blank_series(s, rows.part(hidden, ("monthly", i))) for i, s in monthly.items()
        },
        flows={p: _blank_links(f, rows.part(hidden, ("flow", p))) for p, f in flows.items()},
    )


class _Rows:
    """Published rows of several frames, in one numbering, with their cost and first mask."""

    def __init__(self) -> None:
        self.entries: list[tuple[list[int], tuple]] = []
        self.spans: dict[object, tuple[int, int]] = {}
        self.first: dict[object, np.ndarray] = {}

    def add(self, name: object, found: list[tuple[list[int], tuple]]) -> None:
        start = len(self.entries)
        self.entries.extend(found)
        self.spans[name] = (start, len(self.entries))

    def initial(self, name: object, mask: np.ndarray) -> None:
        self.first[name] = mask

    def hidden_mask(self) -> np.ndarray:
        mask = np.zeros(len(self.entries), dtype=bool)
        for name, part in self.first.items():
            start, end = self.spans[name]
            mask[start:end] = part
        return mask

    def part(self, mask: np.ndarray, name: object) -> np.ndarray:
        start, end = self.spans[name]
        return mask[start:end]


def _counts_of(indicator: Indicator) -> tuple[tuple, tuple, tuple | None, tuple]:
    """(numerator count, its cuts, denominator count or None, its cuts) of a definition."""
    measure, source, date = indicator.measure, indicator.source, indicator.date
    where = condition_dims(indicator.where)
    if measure.kind.centre is not None:
        rows = tally_count(source, date, None)
        conditions = (*where, *value_dims(indicator))
        return rows, conditions, rows, conditions
    numerator = tally_count(source, date, measure.numerator)
    num_conditions = (
        *where,
        *condition_dims(measure.numerator.where if measure.numerator else None),
    )
    if measure.kind.by_category:
        return numerator, num_conditions, numerator, num_conditions
    if measure.kind.denominator is Denominator.TALLY and measure.denominator:
        den_conditions = (*where, *condition_dims(measure.denominator.where))
        return (
            numerator,
            num_conditions,
            tally_count(source, date, measure.denominator),
            den_conditions,
        )
    return numerator, num_conditions, None, ()


def _cost(tier: int, numerator: float, order: int) -> tuple:
    """Hide parts before city totals, half-years before years, non-zero before zero."""
    zero = not numerator > 0
    return (tier, zero, numerator if numerator == numerator else np.inf, order)


def _tidy_rows(
    cells: Cells, results: pd.DataFrame, by_id: dict[str, Indicator], limits: dict[str, int]
) -> list[tuple[list[int], tuple]]:
    found = []
    columns = ["indicator_id", "period", "period_type", "area_type", "area_code", "breakdown",
               "category", "numerator", "denominator"]  # fmt: skip
    counts = {i: _counts_of(indicator) for i, indicator in by_id.items()}
    for order, row in enumerate(results[columns].itertuples(index=False)):
        indicator = by_id[row.indicator_id]
        limit = limits[row.indicator_id]
        numerator, num_cuts, denominator, den_cuts = counts[row.indicator_id]
        grouping = breakdown_dims(row.area_type, row.area_code, row.breakdown, row.category)
        variables = [cells.cell(numerator, row.period, grouping, num_cuts, row.numerator, limit)]
        if denominator is not None:
            if indicator.measure.kind.by_category:
                grouping = {k: v for k, v in grouping.items() if k != indicator.measure.category}
            variables.append(
                cells.cell(denominator, row.period, grouping, den_cuts, row.denominator, limit)
            )
            if indicator.measure.kind.complement_counts:
                _protect_complement(cells, variables, row.denominator - row.numerator, limit)
        city_total = row.area_type == "la" and row.breakdown == "all"
        tier = (2 if row.period_type == "financial_year" else 1) if city_total else 0
        found.append((variables, _cost(tier, row.numerator, order)))
    return found


def ward_overlap_cells(
    cells: Cells,
    overlaps: pd.DataFrame,
    by_id: dict[str, Indicator],
    limits: dict[str, int],
    *,
    values: bool = True,
) -> None:
    """Each overlap of a 2011 ward and a 2023 ward as a cell cut by both wards, so it is a
    part of each ward's cell (`Cells.cell`); no published row shows it. With
    ``values=False`` only the structure is recorded (what a reader who knows the
    lookups knows), for the attack tests.

    An overlap marked `whole_ward` (the 2011 ward lies wholly in that 2023 ward)
    is the 2011 ward's own cell, a part of the 2023 ward: one variable, not two
    equal ones, which keeps the system small (most wards changed little)."""
    for row in overlaps.itertuples(index=False):
        indicator = by_id.get(row.indicator_id)
        if indicator is None:
            continue
        limit = limits[row.indicator_id]
        numerator, num_cuts, denominator, den_cuts = _counts_of(indicator)
        grouping = {v.column: getattr(row, v.area_type) for v in VINTAGES}
        if indicator.measure.kind.by_category:
            grouping[indicator.measure.category] = row.share_category
        den_grouping = {v.column: grouping[v.column] for v in VINTAGES}
        num_value = row.numerator if values else np.nan
        variables = [_overlap_cell(cells, numerator, row, grouping, num_cuts, num_value, limit)]
        if denominator is not None:
            den_value = row.denominator if values else np.nan
            variables.append(
                _overlap_cell(cells, denominator, row, den_grouping, den_cuts, den_value, limit)
            )
            if values and indicator.measure.kind.complement_counts:
                _protect_complement(cells, variables, row.denominator - row.numerator, limit)


def _overlap_cell(
    cells: Cells, count: tuple, row, grouping: dict[str, str], cuts: tuple, value: float,
    limit: int,
) -> int:  # fmt: skip
    """The variable of one overlap; a `whole_ward` overlap is its 2011 ward's cell, recorded
    as a part of the 2023 ward's."""
    if not row.whole_ward:
        return cells.cell(count, row.period, grouping, cuts, value, limit)
    new_ward = WARDS_2023.column
    variable = cells.cell(
        count, row.period, {k: v for k, v in grouping.items() if k != new_ward}, cuts, value, limit
    )
    rest = {k: v for k, v in grouping.items() if k != WARDS_2011.column}
    cells.split(CellKey(count, row.period, normalise([*rest.items(), *cuts])), WARDS_2011.column,
                variable)  # fmt: skip
    return variable


def _protect_complement(cells: Cells, variables: list[int], complement: float, limit: int) -> None:
    if 0 < complement < limit:
        cells.table.protect_quantity([variables[1], variables[0]], [1.0, -1.0])


def _series_rows(
    cells: Cells, series: pd.DataFrame, indicator: Indicator, limit: int
) -> list[tuple[list[int], tuple]]:
    numerator, num_cuts, denominator, den_cuts = _counts_of(indicator)
    found = []
    for order, row in enumerate(series[["period", "numerator", "denominator"]].itertuples()):
        variables = [cells.cell(numerator, row.period, {}, num_cuts, row.numerator, limit)]
        if denominator is not None:
            variables.append(
                cells.cell(denominator, row.period, {}, den_cuts, row.denominator, limit)
            )
            if indicator.measure.kind.complement_counts:
                _protect_complement(cells, variables, row.denominator - row.numerator, limit)
        found.append((variables, _cost(0, row.numerator, order)))
    return found


def _sensitive(results: pd.DataFrame) -> np.ndarray:
    return results["measure"].isin(list(small_numbers.COUNT_DENOMINATOR_MEASURES)).to_numpy()


def _blank_series(series: pd.DataFrame, hidden: np.ndarray) -> pd.DataFrame:
    out = series.copy()
    out["suppressed"] = hidden
    out[SERIES_COLUMNS] = out[SERIES_COLUMNS].astype(float)
    out.loc[hidden, SERIES_COLUMNS] = np.nan
    return out


def _blank_links(links: pd.DataFrame, hidden: np.ndarray) -> pd.DataFrame:
    out = links.copy()
    out["suppressed"] = hidden
    out["families"] = np.where(hidden, np.nan, out["families"].astype(float))
    return out.reset_index(drop=True)
