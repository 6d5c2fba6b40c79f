"""`python -m indicators check`: every mistake in the definitions, all at once.

Each rule is a small function that yields `Issue`s for one concern (the dbt
semantic-interfaces pattern): adding a check is adding a rule to `RULES`.
Rules about the definitions live in `check_rules`, rules that need the
warehouse in `check_sql`; both speak `check_model`.
Rules that need the warehouse (tables, columns, SQL that must prepare) get
its schema and a read-only connection with file access switched off, so an
analyst's SQL fragment can neither write, attach nor read files.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from indicators import spec
from indicators.check_model import Context, Issue, Rule
from indicators.check_rules import (
    aims_covered,
    allowed_values,
    ci_fits_measure,
    disclosure_threshold,
    duplicate_ids,
    field_types,
    id_format,
    indicator_keys,
    known_aim,
    measure_shape,
    periods_and_target,
    top_level_keys,
)
from indicators.check_sql import portable_sql, sql_fragments, tables_and_columns

__all__ = ["RULES", "Issue", "check_file", "sandboxed", "warehouse_schema"]


RULES: tuple[Rule, ...] = (
    top_level_keys,
    indicator_keys,
    field_types,
    id_format,
    duplicate_ids,
    known_aim,
    allowed_values,
    measure_shape,
    ci_fits_measure,
    periods_and_target,
    disclosure_threshold,
    tables_and_columns,
    sql_fragments,
    portable_sql,
    aims_covered,
)


def warehouse_schema(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'main'"
    ).fetchall()
    schema: dict[str, dict[str, str]] = {}
    for table, column, data_type in rows:
        schema.setdefault(table, {})[column] = data_type
    return schema


def sandboxed(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """No file access from analysts' SQL, and no way to switch it back on."""
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def check_file(path: Path, warehouse: Path | None) -> list[Issue]:
    """All issues in `path`, sorted by line; a YAML syntax error is one issue."""
    try:
        strategy = spec.load_strategy(path)
    except spec.SpecError as err:
        return [Issue("yaml_syntax", "-", "-", err.line, err.message)]
    con = None
    if warehouse is not None and Path(warehouse).exists():
        con = sandboxed(duckdb.connect(str(warehouse), read_only=True))
    try:
        ctx = Context(strategy, warehouse_schema(con) if con else None, con)
        issues = [issue for rule in RULES for issue in rule(ctx)]
    finally:
        if con is not None:
            con.close()
    return sorted(issues, key=lambda i: (i.line, i.indicator_id, i.field))
