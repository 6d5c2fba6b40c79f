"""Which published figures are the same count, and which counts add up: the publication as cells.

A *cell* is one count of one kind of record in one period, cut by some
dimensions: ``(count, period, dims)``. ``count`` says what is counted
(table, dating column, rows or a sum of a column), ``dims`` are the cuts,
each ``(name, value)``: the ward, a breakdown's category, and every condition
of a definition's ``where``. Two figures with the same cell are the same
number, whichever indicator, series or flow publishes them, so a reader who
sees one sees the other.

Conditions become dimensions so that definitions written differently still
meet: ``decision = 'advice_signposting'`` is the cut ``(decision,
advice_signposting)``, the same cell as the front door's link to that
decision; ``thrive_level IS NOT NULL`` is implied by a cut on a THRIVE level,
so the THRIVE mix's categories are the same cells as the THRIVE breakdown of
requests. Other conditions (``working_days_to_decision <= 3``) are kept as
opaque cuts, named by their normalised SQL.

Relations that hold by definition (:meth:`Cells.relations`):

* a cell = the sum of its cells split by one grouping dimension (wards, a
  breakdown's categories, a share's categories, a flow step's links), for
  counts that add up (rows, sums; not distinct counts of a non-key column);
* a condition ``col IN (a, b)`` = the cuts ``col = a`` plus ``col = b``;
* a financial year = its two halves; a half-year = its six months.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import sqlglot
from sqlglot import exp

from indicators.config.spec import DERIVED_BREAKDOWNS, Indicator, Tally
from indicators.disclosure.suppression import LinearPublication
from indicators.load.contract import TABLES_BY_NAME
from indicators.periods import is_half_year, is_month, review_period, year_of_half
from indicators.ward_vintages import BY_AREA_TYPE

Dim = tuple[str, str]
Count = tuple[str, str, str]  # (table, dating column, what is tallied)
UNKNOWN = "unknown"
_NOT_NULL = "not null: "
_ONE_OF = "one of: "


@dataclass(frozen=True)
class CellKey:
    count: Count
    period: str
    dims: frozenset[Dim]


def additive(count: Count) -> bool:
    """Rows and sums add up across cuts; a distinct count of a non-key column does not."""
    return not count[2].startswith("distinct ")


def tally_count(source: str, date: str, tally: Tally | None) -> Count:
    """What a numerator or denominator counts; a distinct count of the key counts rows."""
    if tally is None or tally.kind == "count":
        return (source, date, "rows")
    table = TABLES_BY_NAME.get(source)
    if tally.kind == "count_distinct":
        if table is not None and table.key == (tally.column,):
            return (source, date, "rows")
        return (source, date, f"distinct {tally.column}")
    return (source, date, f"{tally.kind} {tally.column}")


@lru_cache(maxsize=512)
def condition_dims(sql: str | None) -> tuple[Dim, ...]:
    """A ``where`` as cuts: ``col = 'v'`` → (col, v); the rest by their normalised SQL."""
    if not sql:
        return ()
    try:
        tree = sqlglot.parse_one(sql, read="duckdb")
    except sqlglot.errors.ParseError:
        return ((sql, "true"),)
    parts = tree.flatten() if isinstance(tree, exp.And) else [tree]
    return tuple(sorted(_condition_dim(part.unnest()) for part in parts))


def _condition_dim(part: exp.Expression) -> Dim:
    if isinstance(part, exp.EQ) and isinstance(part.this, exp.Column):
        value = part.expression
        if isinstance(value, exp.Literal) and value.is_string:
            return (part.this.name, value.name)
    if isinstance(part, exp.Not) and isinstance(part.this, exp.Is):
        column = part.this.this
        if isinstance(column, exp.Column) and isinstance(part.this.expression, exp.Null):
            return (_NOT_NULL + column.name, "true")
    if isinstance(part, exp.In) and isinstance(part.this, exp.Column):
        values = [v.name for v in part.expressions if isinstance(v, exp.Literal)]
        if len(values) == len(part.expressions):
            return (_ONE_OF + part.this.name, "|".join(sorted(values)))
    return (part.sql("duckdb", normalize=True), "true")


def normalise(dims: Iterable[Dim]) -> frozenset[Dim]:
    """Drop ``col IS NOT NULL`` where a cut names a known value of ``col``."""
    dims = frozenset(dims)
    valued = {name for name, value in dims if value != UNKNOWN}
    return frozenset(
        d for d in dims if not (d[0].startswith(_NOT_NULL) and d[0][len(_NOT_NULL) :] in valued)
    )


def value_dims(indicator: Indicator) -> tuple[Dim, ...]:
    """A mean or median counts the rows whose value is not missing."""
    value = sqlglot.parse_one(indicator.measure.value or "NULL", read="duckdb")
    return (((value.sql("duckdb", normalize=True) + " IS NOT NULL"), "true"),)


@dataclass
class Cells:
    """Variables (one per distinct cell) with their values, and published rows over them."""

    index: dict[CellKey, int] = field(default_factory=dict)
    values: list[float] = field(default_factory=list)
    min_counts: list[int] = field(default_factory=list)
    groupings: dict[tuple[CellKey, str], set[int]] = field(default_factory=dict)
    conflicts: list[CellKey] = field(default_factory=list)
    table: LinearPublication = field(default_factory=lambda: LinearPublication(0))

    def variable(self, key: CellKey, value: float = np.nan, min_count: int = 0) -> int:
        """The variable of a cell, made on first sight; the same value must come every time."""
        found = self.index.get(key)
        if found is None:
            found = self.index[key] = len(self.values)
            self.values.append(value)
            self.min_counts.append(min_count)
        elif not np.isnan(value):
            known = self.values[found]
            if np.isnan(known):
                self.values[found] = value
            elif abs(known - value) > 1e-9:
                self.conflicts.append(key)
        self.min_counts[found] = max(self.min_counts[found], min_count)
        return found

    def split(self, whole: CellKey, by: str, part: int) -> None:
        """Record that cell ``part`` is one of ``whole`` split by dimension ``by``."""
        if additive(whole.count):
            self.groupings.setdefault((whole, by), set()).add(part)

    def cell(
        self, count: Count, period: str, grouping: dict[str, str], conditions: Iterable[Dim],
        value: float = np.nan, min_count: int = 0,
    ) -> int:  # fmt: skip
        """The variable of a cut count, registering it as a split of each coarser cell."""
        conditions = tuple(conditions)
        dims = normalise([*grouping.items(), *conditions])
        variable = self.variable(CellKey(count, period, dims), value, min_count)
        for by in grouping:
            coarser = {k: v for k, v in grouping.items() if k != by}
            whole = CellKey(count, period, normalise([*coarser.items(), *conditions]))
            self.split(whole, by, variable)
        return variable

    def finish(self) -> LinearPublication:
        """All relations, and every small count (and latent total) as protected."""
        table = self.table
        for (whole, _), parts in list(self.groupings.items()):
            total = self.variable(whole)
            table.add_relation([total, *sorted(parts)], [1.0] + [-1.0] * len(parts))
        self._one_of_relations()
        self._period_relations()
        self._latent_values()
        table.n_variables = len(self.values)
        values = np.nan_to_num(np.array(self.values, dtype=float))
        table.values = values
        limits = np.array(self.min_counts)
        for variable in np.flatnonzero((values > 0) & (values < limits)):
            table.protect_quantity([int(variable)], [1.0])
        return table

    def _one_of_relations(self) -> None:
        for key, variable in list(self.index.items()):
            for name, value in key.dims:
                if not name.startswith(_ONE_OF):
                    continue
                column, rest = name[len(_ONE_OF) :], key.dims - {(name, value)}
                parts = [
                    self.index.get(CellKey(key.count, key.period, normalise(rest | {(column, v)})))
                    for v in value.split("|")
                ]
                if all(p is not None for p in parts) and additive(key.count):
                    self.table.add_relation([variable, *parts], [1.0] + [-1.0] * len(parts))

    def _period_relations(self) -> None:
        halves: dict[CellKey, list[int]] = {}
        months: dict[CellKey, list[int]] = {}
        for key, variable in self.index.items():
            if not additive(key.count):
                continue
            if is_month(key.period):
                half = review_period(dt.date.fromisoformat(key.period + "-01"))
                months.setdefault(CellKey(key.count, half, key.dims), []).append(variable)
            elif is_half_year(key.period):
                year = year_of_half(key.period)
                halves.setdefault(CellKey(key.count, year, key.dims), []).append(variable)
        for grouped in (halves, months):
            for whole, parts in grouped.items():
                if whole in self.index:
                    self.table.add_relation(
                        [self.index[whole], *parts], [1.0] + [-1.0] * len(parts)
                    )

    def _latent_values(self) -> None:
        """A total nobody publishes is the sum of its parts (for the protected check)."""
        for (whole, _), parts in self.groupings.items():
            variable = self.index[whole]
            if np.isnan(self.values[variable]):
                total = float(np.nansum([self.values[p] for p in parts]))
                self.values[variable] = total
                self.min_counts[variable] = max((self.min_counts[p] for p in parts), default=0)


def breakdown_dims(area_type: str, area_code: str, breakdown: str, category: str) -> dict[str, str]:
    """The grouping cuts of one tidy row: its ward (cut by its vintage's column) and its
    breakdown's category."""
    dims: dict[str, str] = {}
    if area_type in BY_AREA_TYPE:
        dims[BY_AREA_TYPE[area_type].column] = area_code
    if breakdown != "all":
        dims[DERIVED_BREAKDOWNS.get(breakdown, breakdown)] = category
    return dims
