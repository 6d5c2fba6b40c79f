"""`python -m indicators check`: every mistake in the definitions, all at once.

Each rule is a small function that yields `Issue`s for one concern (the dbt
semantic-interfaces pattern): adding a check is adding a rule to `RULES`.
The whole file is covered: `strategy_rules` (the `strategy:` settings and
`aims:`), `jsna_rules` (`jsna:`), `definition_rules` (`indicators:`) and
`sql_rules` (what needs the warehouse); all speak `issue`. Every issue has its
line and a severity: errors make `check` exit 1 and refuse the definition they
name; warnings are reported and refuse nothing.
Rules that need the warehouse (tables, columns, SQL that must bind) get its
schema and a cursor of the process's sandboxed reader (`store`): read-only,
no file access, bounded in time and memory. `check` binds fragments, never
runs them.

`compute`, the dashboard and the board pack run the same rules first and
refuse every definition that fails them (`refusals`, `DefinitionsRefused`).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from indicators.config import spec
from indicators.config.definition_rules import (
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
    spc_options,
    top_level_keys,
)
from indicators.config.issue import ERROR, Context, Issue, Rule
from indicators.config.jsna_rules import JSNA_RULES
from indicators.config.source_mapping import is_source_mapping
from indicators.config.source_rules import check_mapping_file
from indicators.config.spec import Strategy
from indicators.config.sql_rules import (
    analyst_source,
    engine_sandbox,
    portable_sql,
    sql_fragments,
    tables_and_columns,
)
from indicators.config.strategy_rules import (
    aims,
    comparators,
    front_door_aim,
    strategy_keys,
    strategy_values,
    thrive_indicator,
)
from indicators.store import readers

__all__ = [
    "RULES",
    "DefinitionsRefused",
    "Issue",
    "check_file",
    "check_strategy",
    "refusals",
    "warehouse_schema",
]


RULES: tuple[Rule, ...] = (
    top_level_keys,
    strategy_keys,
    strategy_values,
    comparators,
    thrive_indicator,
    front_door_aim,
    aims,
    *JSNA_RULES,
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
    spc_options,
    analyst_source,
    tables_and_columns,
    sql_fragments,
    engine_sandbox,
    portable_sql,
    aims_covered,
)


def warehouse_schema(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'main' AND table_catalog = current_database()"
    ).fetchall()
    schema: dict[str, dict[str, str]] = {}
    for table, column, data_type in rows:
        schema.setdefault(table, {})[column] = data_type
    return schema


def check_strategy(strategy: Strategy, warehouse: Path | None) -> list[Issue]:
    """All issues in parsed definitions, sorted by line; the warehouse's rules when it exists."""
    if warehouse is None or not Path(warehouse).exists():
        return _sorted([i for rule in RULES for i in rule(Context(strategy, None, None))])
    with readers.connect(Path(warehouse)) as cur:
        ctx = Context(strategy, warehouse_schema(cur), cur)
        return _sorted([i for rule in RULES for i in rule(ctx)])


def _sorted(issues: list[Issue]) -> list[Issue]:
    return sorted(issues, key=lambda i: (i.line, i.indicator_id, i.field))


def check_file(path: Path, warehouse: Path | None) -> list[Issue]:
    """All issues in `path`, sorted by line; a YAML syntax error is one issue.

    A source mapping (`config/sources/<name>.yaml`, told apart by its `tables:`
    key) gets the mapping rules (`indicators.config.source_rules`) instead.
    """
    try:
        if is_source_mapping(spec.read_yaml(path)):
            return check_mapping_file(path)
        strategy = spec.load_strategy(path)
    except spec.SpecError as err:
        return [Issue("yaml_syntax", "-", "-", err.line, err.message)]
    return check_strategy(strategy, warehouse)


def refusals(strategy: Strategy, warehouse: Path | None) -> dict[str, list[Issue]]:
    """Indicator id → the issues that stop it being computed (only indicators with issues).

    Issues about the file as a whole (an unknown top-level key, an aim with no
    indicator) and warnings refuse no definition.
    """
    ids = {ind.id or "?" for ind in strategy.indicators}
    refused: dict[str, list[Issue]] = {}
    for found in check_strategy(strategy, warehouse):
        if found.indicator_id in ids and found.severity == ERROR:
            refused.setdefault(found.indicator_id, []).append(found)
    return refused


class DefinitionsRefused(Exception):
    """Definitions that fail `check` were not computed; the message names each and why."""

    def __init__(self, refused: dict[str, list[str]]) -> None:
        self.refused = refused
        lines = [
            f"indicator {indicator_id} fails check and was not computed: " + "; ".join(problems)
            for indicator_id, problems in refused.items()
        ]
        super().__init__("\n".join(lines))


def problems_by_indicator(refused: dict[str, list[Issue]]) -> dict[str, list[str]]:
    """The refusals as words: indicator id → `field: message` for each of its issues."""
    return {
        indicator_id: [f"{i.field}: {i.message} [{i.kind}]" for i in issues]
        for indicator_id, issues in refused.items()
    }
