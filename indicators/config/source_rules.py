"""`check` for a source mapping: every mistake in `config/sources/<name>.yaml`, with its line.

One small rule per concern, each yielding `Issue`s like the definition rules,
so a mapping is reported by `check` like any definition: the file's keys,
the tables (every contract table, no other), the file and sheet, column
renames (an unknown target, a required column left unmapped, two headers on
one column), value maps (a target value the contract does not allow, a
contract value no code maps to, the explicit `otherwise: quarantine`), the
identifying columns to drop, and the date format. Errors stop a load through
the mapping; warnings are reported and stop nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from indicators.config.issue import WARNING, Issue, key_issues
from indicators.config.source_mapping import (
    OTHERWISE,
    SourceMapping,
    TableMapping,
    ValueMap,
    load_mapping,
)
from indicators.config.spec import SpecError, line_of
from indicators.load.contract import TABLES, TABLES_BY_NAME, Column
from indicators.load.identifying import identifying_header
from indicators.load.staging import FORMATS

MappingRule = Callable[[SourceMapping], Iterator[Issue]]
MAPPED_KINDS = ("enum", "enum_list", "boolean")  # the columns a value map may translate
BOOLEAN_VALUES = ("true", "false")


def _where(table: TableMapping) -> str:
    return f"tables.{table.table}"


def file_keys(mapping: SourceMapping) -> Iterator[Issue]:
    yield from key_issues(mapping.document, SourceMapping, "-")


def tables(mapping: SourceMapping) -> Iterator[Issue]:
    """Every contract table mapped, and no table the contract does not have."""
    raw = mapping.document.get("tables")
    where = raw if isinstance(raw, dict) else mapping.document
    for name in mapping.tables:
        if name not in TABLES_BY_NAME:
            known = ", ".join(t.name for t in TABLES)
            message = f"{name!r} is not a contract table (known: {known})"
            yield Issue("unknown_table", "tables", name, line_of(where, name), message)
    for table in TABLES:
        if table.name not in mapping.tables:
            message = f"contract table {table.name!r} is not mapped; a load needs every table"
            yield Issue(
                "unmapped_table", "tables", table.name, line_of(mapping.document, "tables"), message
            )


def _known_tables(mapping: SourceMapping) -> Iterator[TableMapping]:
    return (t for t in mapping.tables.values() if t.table in TABLES_BY_NAME)


def table_keys(mapping: SourceMapping) -> Iterator[Issue]:
    for table in _known_tables(mapping):
        yield from key_issues(table.raw, TableMapping, _where(table))
        for column, values in table.values.items():
            yield from key_issues(values.raw, ValueMap, _where(table), f"values.{column}.")


def file_and_sheet(mapping: SourceMapping) -> Iterator[Issue]:
    """A plain file name inside the extract folder, of a format the loader reads."""
    for table in _known_tables(mapping):
        if not table.file:
            continue
        line = line_of(table.raw, "file")
        suffix = Path(table.file).suffix.lower()
        if Path(table.file).name != table.file or table.file.startswith("."):
            message = f"{table.file!r} must be a file name in the extract folder, not a path"
            yield Issue("bad_file", _where(table), "file", line, message)
        elif suffix not in FORMATS:
            message = f"{table.file!r}: the loader reads {', '.join(FORMATS)} files"
            yield Issue("bad_file", _where(table), "file", line, message)
        elif table.sheet is not None and suffix != ".xlsx":
            message = "a sheet is only read from an .xlsx workbook"
            yield Issue("bad_sheet", _where(table), "sheet", line_of(table.raw, "sheet"), message)


def columns(mapping: SourceMapping) -> Iterator[Issue]:
    """Each rename targets a contract column of its table, once; required columns are fed."""
    for table in _known_tables(mapping):
        contract = TABLES_BY_NAME[table.table]
        raw = table.raw.get("columns")
        where = raw if isinstance(raw, dict) else table.raw
        for source, target in table.columns.items():
            if target not in contract.column_names:
                message = (
                    f"{source!r} is mapped to {target!r}, which is not a column of "
                    f"{table.table} (columns: {', '.join(contract.column_names)})"
                )
                yield Issue(
                    "unknown_target",
                    _where(table),
                    f"columns.{source}",
                    line_of(where, source),
                    message,
                )
        for target, count in Counter(table.columns.values()).items():
            if count > 1:
                sources = [s for s, t in table.columns.items() if t == target]
                message = f"{' and '.join(map(repr, sources))} are all mapped to {target!r}"
                line = line_of(where, sources[-1])
                yield Issue(
                    "repeated_target", _where(table), f"columns.{sources[-1]}", line, message
                )
        for column in contract.columns:
            if column.required and column.name not in table.columns.values():
                message = f"required contract column {column.name!r} has no export column"
                yield Issue(
                    "unmapped_column",
                    _where(table),
                    "columns",
                    line_of(table.raw, "columns"),
                    message,
                )


def _allowed(column: Column) -> tuple[str, ...]:
    return BOOLEAN_VALUES if column.kind == "boolean" else column.values


def value_maps(mapping: SourceMapping) -> Iterator[Issue]:
    """Value maps translate enumerations into the contract's values, and say what else happens."""
    for table in _known_tables(mapping):
        contract = TABLES_BY_NAME[table.table]
        item = _where(table)
        raw = table.raw.get("values")
        where = raw if isinstance(raw, dict) else table.raw
        for name, value_map in table.values.items():
            line = line_of(where, name)
            if name not in contract.column_names:
                message = f"{name!r} is not a column of {table.table}"
                yield Issue("unknown_target", item, f"values.{name}", line, message)
                continue
            column = contract.column(name)
            if column.kind not in MAPPED_KINDS:
                message = (
                    f"{name!r} is a {column.kind} column; only enumerations and flags map codes"
                )
                yield Issue("bad_value_map", item, f"values.{name}", line, message)
                continue
            yield from _codes(item, name, value_map, _allowed(column))
        for column in contract.columns:
            if column.kind == "enum" and column.name not in table.values:
                message = (
                    f"enumeration {column.name!r} has no value map: the export's codes are read "
                    "as the contract's own values"
                )
                yield Issue(
                    "no_value_map",
                    item,
                    f"values.{column.name}",
                    line_of(table.raw, "values"),
                    message,
                    WARNING,
                )


def _codes(item: str, name: str, value_map: ValueMap, allowed: tuple[str, ...]) -> Iterator[Issue]:
    codes = value_map.raw.get("codes")
    where = codes if isinstance(codes, dict) else value_map.raw
    for code, target in value_map.codes.items():
        if target not in allowed:
            message = (
                f"code {code!r} is mapped to {target!r}, which {name} does not allow "
                f"(allowed: {', '.join(allowed)})"
            )
            yield Issue(
                "unknown_value", item, f"values.{name}.codes.{code}", line_of(where, code), message
            )
    for value in allowed:
        if value not in value_map.codes.values():
            message = (
                f"no code maps to {name} value {value!r}: rows the export means by it would be "
                "quarantined"
            )
            line = line_of(value_map.raw, "codes")
            yield Issue("value_not_mapped", item, f"values.{name}.codes", line, message, WARNING)
    if value_map.otherwise and value_map.otherwise not in OTHERWISE:
        message = f"otherwise must be {' or '.join(OTHERWISE)}: a code not listed is quarantined"
        line = line_of(value_map.raw, "otherwise")
        yield Issue("bad_otherwise", item, f"values.{name}.otherwise", line, message)


def dropped(mapping: SourceMapping) -> Iterator[Issue]:
    """A dropped column is never also mapped; a mapped header must not identify a person."""
    for table in _known_tables(mapping):
        item = _where(table)
        for header in table.drop:
            if header in table.columns:
                message = f"{header!r} is both dropped and mapped to {table.columns[header]!r}"
                yield Issue("dropped_and_mapped", item, "drop", line_of(table.raw, "drop"), message)
        raw = table.raw.get("columns")
        where = raw if isinstance(raw, dict) else table.raw
        for source in table.columns:
            kind = identifying_header(source)
            if kind and source not in table.drop:
                message = f"{source!r} would identify a person ({kind}); list it under drop"
                yield Issue(
                    "identifying_column", item, f"columns.{source}", line_of(where, source), message
                )


def date_formats(mapping: SourceMapping) -> Iterator[Issue]:
    """A date format names day, month and year and reads back what it writes."""
    places = [(mapping.document, "-", mapping.date_format)]
    places += [(t.raw, _where(t), t.date_format) for t in _known_tables(mapping)]
    sample = dt.date(2024, 3, 31)
    for raw, item, date_format in places:
        if date_format is None:
            continue
        try:
            ok = dt.datetime.strptime(sample.strftime(date_format), date_format).date() == sample
        except ValueError:
            ok = False
        if not ok:
            message = (
                f"{date_format!r} is not a date format with day, month and year (e.g. %d/%m/%Y)"
            )
            yield Issue(
                "bad_date_format", item, "date_format", line_of(raw, "date_format"), message
            )


MAPPING_RULES: tuple[MappingRule, ...] = (
    file_keys,
    tables,
    table_keys,
    file_and_sheet,
    columns,
    value_maps,
    dropped,
    date_formats,
)


def check_mapping(mapping: SourceMapping) -> list[Issue]:
    """Every issue in a parsed mapping, sorted by line."""
    found = [i for rule in MAPPING_RULES for i in rule(mapping)]
    return sorted(found, key=lambda i: (i.line, i.indicator_id, i.field))


def check_mapping_file(path: Path) -> list[Issue]:
    """Every issue in the mapping file at `path`; a YAML syntax error is one issue."""
    try:
        return check_mapping(load_mapping(path))
    except SpecError as err:
        return [Issue("yaml_syntax", "-", "-", err.line, err.message)]
