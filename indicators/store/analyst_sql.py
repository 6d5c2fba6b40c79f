"""What an analyst's SQL may be: one expression, over the tables analysts may read, on any engine.

Analysts are trusted to define measures, not to read files, the quarantine or
the load log (architecture.md, "Trust boundaries"). A definition's `source`
must be one of `ANALYST_TABLES`; each `where` and `value` fragment must be a
single SQL expression: no `;`, no comment that could swallow the compiler's
closing bracket, brackets that close only what they open, and any subquery
reading only `ANALYST_TABLES` (no table functions, no other schema or
catalog). DuckDB's own tokenizer and parser decide this, since DuckDB runs it.

The same fragment transpiled for Spark or PostgreSQL is read again with
SQLGlot for what those engines could do beyond DuckDB: Spark's file sources
(`csv.`/path``) and Java reflection, PostgreSQL's server-file functions.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from indicators.load.contract import TABLES
from indicators.load.reference import REFERENCE_TABLES

ANALYST_TABLES: tuple[str, ...] = (*(t.name for t in TABLES), *REFERENCE_TABLES)

# Where a subquery's rows may come from: tables (checked by name), joins, subqueries, VALUES.
_FROM_KINDS = {"BASE_TABLE", "JOIN", "SUBQUERY", "EXPRESSION_LIST", "EMPTY"}
# Clauses a bare expression (`SELECT (<fragment>)`) leaves empty.
_CLAUSES = ("where_clause", "having", "qualify", "sample")

# Functions that reach outside the query: files, the JVM, other servers.
ENGINE_FORBIDDEN_FUNCTIONS: dict[str, frozenset[str]] = {
    "spark": frozenset(
        {
            "reflect",
            "try_reflect",
            "java_method",
            "read_files",
            "input_file_name",
            "input_file_block_start",
            "input_file_block_length",
            "from_avro",
            "from_protobuf",
            "to_protobuf",
        }
    ),
    "postgres": frozenset(
        {
            "pg_read_file",
            "pg_read_binary_file",
            "pg_stat_file",
            "pg_ls_dir",
            "pg_ls_logdir",
            "pg_ls_waldir",
            "pg_ls_tmpdir",
            "pg_ls_archive_statusdir",
            "lo_import",
            "lo_export",
            "lo_get",
            "dblink",
            "dblink_exec",
            "dblink_connect",
            "pg_file_write",
            "pg_execute_server_program",
            "current_setting",
            "set_config",
            "query_to_xml",
            "query_to_xml_and_xmlschema",
            "cursor_to_xml",
            "table_to_xml",
        }
    ),
}


def source_problem(source: str) -> str | None:
    """Why `source` may not be a definition's table, or None when it may."""
    if source in ANALYST_TABLES:
        return None
    return f"{source!r} is not a table analysts may read; use one of: {', '.join(ANALYST_TABLES)}"


def _token_texts(fragment: str) -> Iterator[tuple[str, str]]:
    """(token kind, token text without surrounding spaces) as DuckDB's tokenizer splits it."""
    tokens = duckdb.tokenize(fragment)
    ends = [start for start, _ in tokens[1:]] + ([len(fragment)] if tokens else [])
    for (start, kind), end in zip(tokens, ends, strict=True):
        yield kind.name, fragment[start:end].strip()


def _shape_problem(fragment: str) -> str | None:
    """A `;`, a comment or an unmatched bracket: anything that could leave the expression."""
    depth = 0
    for kind, token in _token_texts(fragment):
        if kind == "comment":
            return "comments are not allowed in a fragment (one could hide the rest of the query)"
        if kind != "operator":
            continue
        if ";" in token:
            return "';' would end the statement: a fragment is one SQL expression"
        for char in token:
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth < 0:
                return "a ')' closes a bracket the fragment did not open"
    return "a '(' is never closed" if depth else None


def _from_items(tree: Any) -> Iterator[dict]:
    """Every table reference in a parsed statement: FROM items and the two sides of a join."""
    if isinstance(tree, list):
        for value in tree:
            yield from _from_items(value)
    elif isinstance(tree, dict):
        if isinstance(tree.get("from_table"), dict):
            yield tree["from_table"]
        if tree.get("type") == "JOIN":
            yield from (
                tree[side] for side in ("left", "right") if isinstance(tree.get(side), dict)
            )
        for value in tree.values():
            yield from _from_items(value)


def _table_problem(node: dict) -> str | None:
    kind = node.get("type")
    if kind == "TABLE_FUNCTION":
        name = node.get("function", {}).get("function_name", "?")
        return f"table function {name}() is not allowed in a fragment"
    if kind not in _FROM_KINDS:
        return f"a {kind} is not allowed in a fragment"
    if kind == "BASE_TABLE":
        name = node.get("table_name", "")
        if node.get("schema_name") not in ("", "main") or node.get("catalog_name") not in (
            "",
            "warehouse",
        ):
            return f"{name!r}: only the warehouse's own tables may be read"
        return source_problem(name)
    return None


def fragment_problems(fragment: str, con: duckdb.DuckDBPyConnection | None = None) -> list[str]:
    """Why `fragment` is not one expression over `ANALYST_TABLES` (empty when it is).

    Parses only (on `con`, else a private in-memory DuckDB); nothing is bound
    or run. Example: `fragment_problems("1=1; CREATE TABLE x AS SELECT 1")` →
    `["';' would end the statement: a fragment is one SQL expression"]`.
    """
    try:
        shape = _shape_problem(fragment)
    except RuntimeError as err:  # DuckDB's tokenizer on text it cannot split
        return [f"cannot be read as SQL: {err}"]
    if shape:
        return [shape]
    query = f"SELECT ({fragment})"
    parser = con if con is not None else duckdb.connect()
    try:
        parsed = json.loads(parser.execute("SELECT json_serialize_sql(?)", [query]).fetchone()[0])
    finally:
        if con is None:
            parser.close()
    if parsed.get("error"):
        return [f"cannot be read as SQL: {parsed.get('error_message', '')}"]
    statements = parsed["statements"]
    node = statements[0]["node"] if len(statements) == 1 else {}
    if (
        node.get("type") != "SELECT_NODE"
        or len(node.get("select_list", [])) != 1
        or node.get("from_table", {}).get("type") != "EMPTY"
        or any(node.get(clause) for clause in _CLAUSES)
        or node.get("group_expressions")
        or node.get("modifiers")
        or node.get("cte_map", {}).get("map")
    ):
        return ["a fragment must be one SQL expression"]
    problems = []
    for item in _from_items(node["select_list"]):
        problem = _table_problem(item)
        if problem and problem not in problems:
            problems.append(problem)
    return problems


def engine_problems(fragment: str, engine: str) -> list[str]:
    """What `fragment`, transpiled for `engine`, would reach beyond the tables analysts may read.

    Example: `engine_problems("reflect('java.lang.System', 'getenv') IS NULL", "spark")`
    names `reflect`.
    """
    forbidden = ENGINE_FORBIDDEN_FUNCTIONS.get(engine, frozenset())
    try:
        written = sqlglot.transpile(f"SELECT ({fragment})", read="duckdb", write=engine)[0]
        tree = sqlglot.parse_one(written, read=engine)
    except SqlglotError:
        return []  # `portable_sql` reports what the engine cannot parse
    problems = []
    for function in tree.find_all(exp.Func):
        name = (
            function.name if isinstance(function, exp.Anonymous) else function.sql_name()
        ).lower()
        if name in forbidden:
            problems.append(
                f"{name}() reaches files, the server or the JVM on {engine}: not allowed"
            )
    for table in tree.find_all(exp.Table):
        if not isinstance(table.this, exp.Identifier):
            function = table.this.sql(engine)
            problems.append(f"{function} is a table function on {engine}: not allowed")
        elif table.db or table.catalog:
            problems.append(
                f"{table.sql(engine)} names a file source or another schema on {engine}: "
                "not allowed"
            )
        elif table.name not in ANALYST_TABLES:
            problems.append(f"{table.name!r} is not a table analysts may read on {engine}")
    return sorted(set(problems))
