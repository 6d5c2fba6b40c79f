"""Rules about analysts' SQL: the source table, each fragment's shape, and that it binds.

`source` and every `where`/`value` fragment are judged by `analyst_sql`
(one expression, tables analysts may read, nothing an engine could use to
reach files). With a warehouse, tables and columns must exist and each
fragment must bind against its table: `DESCRIBE` binds without running, on a
cursor of the process's sandboxed reader (`store`), within the query time
limit. Nothing a fragment says is ever executed by `check`.
"""

from __future__ import annotations

from collections.abc import Iterator

import duckdb

from indicators.config.issue import Context, Issue, issue
from indicators.config.spec import DERIVED_BREAKDOWNS, Indicator, LineDict
from indicators.engine.compile import compile_indicator
from indicators.engine.dialects import OTHER_ENGINES, portability_problems
from indicators.store.analyst_sql import engine_problems, fragment_problems, source_problem
from indicators.store.limits import QueryStopped, bounded
from indicators.store.sql import quote


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


def analyst_source(ctx: Context) -> Iterator[Issue]:
    """`source` must be an extract or reference table, never the quarantine or the load log."""
    for ind in ctx.strategy.indicators:
        problem = source_problem(ind.source) if ind.source else None
        if problem is None:
            continue
        known = ctx.schema is not None and ind.source in ctx.schema
        kind = "forbidden_source" if known else "unknown_source"
        yield issue(kind, ind, "source", f"table {problem}")


def tables_and_columns(ctx: Context) -> Iterator[Issue]:
    if ctx.schema is None:
        return
    for ind in ctx.strategy.indicators:
        if not ind.source or source_problem(ind.source):
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
    """Every `where` and `value` is one expression over analysts' tables, and binds to its table."""
    for ind in ctx.strategy.indicators:
        for field, kind, fragment, mapping, key in _fragments(ind):
            if not isinstance(fragment, str):
                continue  # `field_types` names it
            problems = fragment_problems(fragment, ctx.con)
            for problem in problems:
                yield issue("forbidden_sql", ind, field, problem, mapping, key)
            if problems or ctx.con is None or ctx.schema is None or ind.source not in ctx.schema:
                continue
            if source_problem(ind.source):
                continue
            found = _binding_problem(ctx.con, ind, kind, fragment)
            if found:
                yield issue(found[0], ind, field, found[1], mapping, key)


def _binding_problem(
    con: duckdb.DuckDBPyConnection, ind: Indicator, kind: str, fragment: str
) -> tuple[str, str] | None:
    """(kind, message) when the fragment does not bind against its table; binds, never runs."""
    source = quote(ind.source)
    # The fragment is one expression over analysts' tables (`fragment_problems` ran first),
    # and DESCRIBE binds it without running it.
    query = (
        f"DESCRIBE SELECT count(*) FROM {source} WHERE ({fragment})"  # noqa: S608 (fragment parsed as one expression over analyst tables first; DESCRIBE binds, never runs)
        if kind == "filter"
        else f"DESCRIBE SELECT ({fragment}) FROM {source}"  # noqa: S608 (fragment parsed as one expression over analyst tables first; DESCRIBE binds, never runs)
    )
    try:
        if len(con.extract_statements(query)) != 1:
            return "forbidden_sql", "a fragment must be one SQL expression"
        bounded(con, f"indicator {ind.id}", lambda c: c.execute(query).fetchall())
    except duckdb.PermissionException as err:
        return "forbidden_sql", f"the SQL tries to read, write or attach files: {_first_line(err)}"
    except QueryStopped as err:
        return "query_stopped", str(err)
    except duckdb.Error as err:
        return "invalid_sql", f"DuckDB cannot prepare {fragment!r}: {_first_line(err)}"
    return None


def _first_line(err: Exception) -> str:
    return str(err).splitlines()[0]


def portable_sql(ctx: Context) -> Iterator[Issue]:
    """Every definition must compile for every supported engine (`indicators.engine.dialects`)."""
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


def engine_sandbox(ctx: Context) -> Iterator[Issue]:
    """No fragment may use what Spark or PostgreSQL offer to reach files, the server or the JVM."""
    for ind in ctx.strategy.indicators:
        for field, _kind, fragment, mapping, key in _fragments(ind):
            if not isinstance(fragment, str):
                continue
            for engine in OTHER_ENGINES:
                for problem in engine_problems(fragment, engine):
                    yield issue("unsafe_for_engine", ind, field, problem, mapping, key)
