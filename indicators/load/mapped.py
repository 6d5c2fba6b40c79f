"""Read an extract through a source mapping: the export's shape becomes the contract's.

`find_sources` says which file (and sheet) holds each contract table: the
contract's own file names, or the ones a mapping (`config/sources/<name>.yaml`,
parsed by `indicators.config.source_mapping`) names. `stage_source` stages
the file with the mapping's identifying columns dropped on sight, then puts
a view in the contract's shape over it: export headers renamed, codes
translated by the value maps (a code not listed becomes `unmapped:<code>`,
which no contract value is, so the contract's checks quarantine the row as
`not_in_enumeration` or `not_a_boolean` and show the code), and dates in the
mapping's format rewritten as YYYY-MM-DD (a date that does not parse is kept
as written and quarantined as `not_a_date`). Everything after that, checks,
quarantine and accounting, is the contract-shaped load's, unchanged.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from indicators.config.issue import ERROR
from indicators.config.source_mapping import (
    UNMAPPED_PREFIX,
    SourceMapping,
    TableMapping,
    load_mapping,
    mapping_path,
)
from indicators.config.source_rules import check_mapping
from indicators.config.spec import SpecError
from indicators.load.contract import TABLES, Column, Table
from indicators.load.errors import LoadError
from indicators.load.file_checks import regular_file_in
from indicators.load.staging import FORMATS, StagedFile, drop_stage, stage
from indicators.store.sql import quote, text


@dataclass(frozen=True)
class ExtractSource:
    """Where one contract table is read from, and through which table mapping (if any)."""

    path: Path
    mapping: TableMapping | None = None
    date_format: str | None = None

    @property
    def name(self) -> str:
        """The file as the load log and quarantine name it (with the sheet, for a workbook)."""
        sheet = self.mapping.sheet if self.mapping else None
        return f"{self.path.name} (sheet {sheet})" if sheet else self.path.name


def find_sources(
    extract_dir: Path, mapping: SourceMapping | None = None
) -> dict[str, ExtractSource]:
    """The source of each contract table in `extract_dir`; every problem reported at once.

    Without a mapping the files carry the contract's names (`requests.csv`,
    `.xlsx` or `.parquet`); with one, the names the mapping gives, and a
    mapping that fails `check` stops here, each error with its line.
    """
    if not extract_dir.is_dir():
        raise LoadError(f"{extract_dir}: no such folder of extracts")
    if mapping is not None:
        refuse_broken(mapping)
    found: dict[str, ExtractSource] = {}
    problems = []
    for table in TABLES:
        if mapping is not None:
            mapped = mapping.tables[table.name]
            candidates = [extract_dir / mapped.file]
        else:
            candidates = [extract_dir / f"{table.name}{ext}" for ext in FORMATS]
        present = [p for p in candidates if os.path.lexists(p)]
        if not present:
            expected = (
                mapping.tables[table.name].file
                if mapping
                else f"{table.name}.csv, .xlsx or .parquet"
            )
            problems.append(
                f"{extract_dir}: extract {table.name!r} not found (expected {expected})"
            )
        elif len(present) > 1:
            problems.append(
                f"{extract_dir}: {' and '.join(p.name for p in present)} both claim to be "
                f"the {table.name} extract; keep one"
            )
        else:
            try:
                path = regular_file_in(present[0], extract_dir)
            except LoadError as err:
                problems.append(str(err))
                continue
            found[table.name] = ExtractSource(
                path,
                mapping.tables[table.name] if mapping else None,
                mapping.date_format_for(table.name) if mapping else None,
            )
    if problems:
        raise LoadError("\n".join(problems))
    return found


def read_mapping(name: str) -> SourceMapping:
    """The mapping `--mapping NAME` names (`config/sources/NAME.yaml`, or a .yaml path).

    A missing or unparseable file stops the load (`LoadError`, with the line).
    """
    path = mapping_path(name)
    try:
        return load_mapping(path)
    except OSError as err:
        raise LoadError(f"{path}: cannot read the source mapping: {err.strerror}") from None
    except SpecError as err:
        raise LoadError(f"{path}: cannot read the source mapping: {err}") from None


def refuse_broken(mapping: SourceMapping) -> None:
    """Stop (`LoadError`, each error with its file and line) when the mapping fails `check`."""
    errors = [i for i in check_mapping(mapping) if i.severity == ERROR]
    if errors:
        raise LoadError("\n".join(i.format(mapping.path) for i in errors))


def stage_source(
    con: duckdb.DuckDBPyConnection, table: Table, source: ExtractSource, stage_table: str
) -> StagedFile:
    """Stage `source` so `stage_table` has the contract's columns, whatever the export's shape.

    Without a mapping this is `staging.stage` as ever. With one, the export
    is staged as `<stage_table>_export` and `stage_table` is a view over it;
    `drop_stage` frees both.
    """
    mapped = source.mapping
    if mapped is None:
        required = table.column_names
        return stage(con, source.path, stage_table, required, known=required)
    required = tuple(
        s for s, c in mapped.columns.items() if c in table.column_names and table.column(c).required
    )
    export = f"{stage_table}_export"
    staged = stage(
        con,
        source.path,
        export,
        required,
        known=tuple(mapped.columns),
        sheet=mapped.sheet,
        drop=mapped.drop,
    )
    con.execute(
        f"CREATE TEMP VIEW {stage_table} AS {mapped_sql(table, mapped, source.date_format, export)}"
    )
    return MappedStage(
        staged.path,
        stage_table,
        staged.header,
        staged.checksum,
        staged.rows_read,
        staged.malformed,
        export,
    )


@dataclass
class MappedStage(StagedFile):
    """A staged export and the contract-shaped view over it."""

    export_stage: str = ""


def drop_source(con: duckdb.DuckDBPyConnection, staged: StagedFile) -> None:
    """Free what `stage_source` made."""
    drop_stage(con, staged)
    if isinstance(staged, MappedStage):
        drop_stage(con, StagedFile(staged.path, staged.export_stage, [], "", 0))


def mapped_sql(table: Table, mapped: TableMapping, date_format: str | None, export: str) -> str:
    """SELECT of the export's rows in the contract's shape (every column text, as staged)."""
    columns = ", ".join(
        f"{_column_sql(c, mapped, date_format)} AS {quote(c.name)}" for c in table.columns
    )
    return f"SELECT s.__row, s.__line, s.__sheet, {columns} FROM {export} s"  # noqa: S608 (identifiers come from the contract or sql.quote(); codes and formats go through sql.text())


def _column_sql(column: Column, mapped: TableMapping, date_format: str | None) -> str:
    source = mapped.source_of(column.name)
    if source is None:
        return "NULL::VARCHAR"
    raw = f"s.{quote(source)}"
    value_map = mapped.values.get(column.name)
    if value_map is not None:
        if column.kind == "enum_list":
            each = _translated("trim(x)", value_map.codes)
            return (
                f"array_to_string(list_transform(string_split({raw}, ';'), lambda x: {each}), ';')"
            )
        return _translated(raw, value_map.codes)
    if column.kind == "date" and date_format:
        reformatted = f"strftime(try_strptime(trim({raw}), {text(date_format)}), '%Y-%m-%d')"
        return f"coalesce({reformatted}, {raw})"
    return raw


def _translated(value: str, codes: dict[str, str]) -> str:
    """CASE turning a code into its contract value; an unlisted code is marked unmapped."""
    cases = " ".join(f"WHEN {text(code)} THEN {text(target)}" for code, target in codes.items())
    trimmed = f"trim({value})"
    if not codes:
        unmapped = f"{text(UNMAPPED_PREFIX)} || {trimmed}"
        return f"CASE WHEN nullif({trimmed}, '') IS NOT NULL THEN {unmapped} END"
    return (
        f"CASE WHEN nullif({trimmed}, '') IS NULL THEN NULL "
        f"ELSE CASE {trimmed} {cases} ELSE {text(UNMAPPED_PREFIX)} || {trimmed} END END"
    )
