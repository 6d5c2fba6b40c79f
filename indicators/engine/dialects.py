"""One compiled query, several engines: DuckDB (the default), PostgreSQL and Spark SQL.

The compiler writes DuckDB SQL kept to constructs other engines share (no
warehouse macros, no `* REPLACE`, no `GROUP BY ALL`); SQLGlot transpiles it.
`portability_problems` names what one engine cannot express: a function
SQLGlot does not know for that dialect (a DuckDB macro or extension function
in an analyst's fragment), or a construct its generator refuses.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, SqlglotError

ENGINES = ("duckdb", "postgres", "spark")
OTHER_ENGINES = ENGINES[1:]


def transpile(sql: str, engine: str) -> str:
    """`sql` (DuckDB dialect) for `engine`; raises on anything it cannot express."""
    if engine == "duckdb":
        return sql
    return sqlglot.transpile(
        sql, read="duckdb", write=engine, pretty=True, unsupported_level=ErrorLevel.RAISE
    )[0]


def portability_problems(sql: str) -> dict[str, str]:
    """Engine → why this DuckDB SQL cannot run there (empty when it runs everywhere)."""
    problems: dict[str, str] = {}
    try:
        tree = sqlglot.parse_one(sql, read="duckdb")
    except SqlglotError as err:
        return dict.fromkeys(OTHER_ENGINES, f"cannot be parsed: {str(err).splitlines()[0]}")
    unknown = sorted({f.name.lower() for f in tree.find_all(exp.Anonymous)})
    for engine in OTHER_ENGINES:
        if unknown:
            problems[engine] = f"function(s) {', '.join(unknown)} not known to {engine}"
            continue
        try:
            transpile(sql, engine)
        except SqlglotError as err:
            problems[engine] = str(err).splitlines()[0]
    return problems
