"""Rules that need the warehouse: tables and columns exist, and analysts' SQL prepares.

The SQL is prepared on a read-only connection with file access switched off
(`check.sandboxed`), so a fragment can neither write, attach nor read files.
"""

from __future__ import annotations

from collections.abc import Iterator

import duckdb

from indicators.check_model import Context, Issue, issue
from indicators.compile import compile_indicator
from indicators.engines import portability_problems
from indicators.spec import DERIVED_BREAKDOWNS, Indicator, LineDict


def _columns(ind: Indicator) -> Iterator[tuple[str, str, LineDict | None, str]]:
    """(field, column, mapping, key) for every column name a definition uses."""
    measure = ind.raw.get("measure") if isinstance(ind.raw.get("measure"), dict) else None
    if ind.date:
        yield "date", ind.date, None, "date"
    for part, tally in (
        ("numerator", ind.measure.numerator),
        ("denominator", ind.measure.denominator),
    ):
        if tally and tally.kind in ("count_distinct", "sum"):
            yield f"measure.{part}", tally.column, measure, part
    if ind.measure.category:
        yield "measure.category", ind.measure.category, measure, "category"
    for breakdown in ind.breakdowns:
        yield "breakdowns", DERIVED_BREAKDOWNS.get(breakdown, breakdown), None, "breakdowns"


def tables_and_columns(ctx: Context) -> Iterator[Issue]:
    if ctx.schema is None:
        return
    for ind in ctx.strategy.indicators:
        if not ind.source:
            continue
        columns = ctx.schema.get(ind.source)
        if columns is None:
            yield issue(
                "unknown_source", ind, "source", f"table {ind.source!r} is not in the warehouse"
            )
            continue
        for field, column, mapping, key in _columns(ind):
            if column not in columns:
                yield issue(
                    "unknown_column",
                    ind,
                    field,
                    f"column {column!r} is not in table {ind.source!r}",
                    mapping,
                    key,
                )
            elif field == "date" and columns[column] != "DATE":
                yield issue(
                    "not_a_date_column",
                    ind,
                    "date",
                    f"column {column!r} is {columns[column]}, not a DATE",
                )


def _fragments(ind: Indicator) -> Iterator[tuple[str, str, str, LineDict | None, str]]:
    """(field, kind, sql, mapping, key) for every SQL fragment an analyst wrote."""
    measure = ind.raw.get("measure") if isinstance(ind.raw.get("measure"), dict) else None
    if ind.where:
        yield "where", "filter", ind.where, None, "where"
    for part, tally in (
        ("numerator", ind.measure.numerator),
        ("denominator", ind.measure.denominator),
    ):
        if tally and tally.where:
            yield f"measure.{part}.where", "filter", tally.where, measure, part
    if ind.measure.value:
        yield "measure.value", "value", ind.measure.value, measure, "value"


def sql_fragments(ctx: Context) -> Iterator[Issue]:
    """Every `where` and `value` must prepare against its table, read-only and without files."""
    if ctx.con is None or ctx.schema is None:
        return
    for ind in ctx.strategy.indicators:
        if ind.source not in ctx.schema:
            continue
        for field, kind, fragment, mapping, key in _fragments(ind):
            query = (
                f"SELECT count(*) FROM {ind.source} WHERE ({fragment})"
                if kind == "filter"
                else f"SELECT ({fragment}) FROM {ind.source}"
            )
            try:
                ctx.con.execute(f"PREPARE __fragment AS {query}")
                ctx.con.execute("DEALLOCATE __fragment")
            except duckdb.PermissionException as err:
                yield issue(
                    "forbidden_sql",
                    ind,
                    field,
                    f"the SQL tries to read, write or attach files: {_first_line(err)}",
                    mapping,
                    key,
                )
            except duckdb.Error as err:
                yield issue(
                    "invalid_sql",
                    ind,
                    field,
                    f"DuckDB cannot prepare {fragment!r}: {_first_line(err)}",
                    mapping,
                    key,
                )


def _first_line(err: Exception) -> str:
    return str(err).splitlines()[0]


def portable_sql(ctx: Context) -> Iterator[Issue]:
    """Every definition must compile for every supported engine (`indicators.engines`)."""
    for ind in ctx.strategy.indicators:
        try:
            sql = compile_indicator(ind)
        except (KeyError, TypeError, ValueError):
            continue  # a malformed definition: the other rules say what is wrong
        for engine, problem in portability_problems(sql).items():
            yield issue(
                "not_portable",
                ind,
                "sql",
                f"{engine} cannot run this definition: {problem}",
                key="where",
            )
