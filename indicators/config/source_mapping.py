"""Read `config/sources/<name>.yaml`: how one system's export becomes the contract's tables.

A council's case-management system exports its own column names, codes and
date format, often as one workbook with a sheet per table. A source mapping
says, per contract table, which file (and sheet) holds it, which export
column is which contract column, how each enumeration's codes translate
(anything not listed is quarantined), how dates are written, and which
columns identify a person and are dropped on sight. Analysts write it; no
Python changes.

Like `spec`, this module only parses (leniently, remembering lines);
`indicators.config.source_rules` judges, and `indicators.load.mapped` applies.
Example file: `config/sources/other-system.yaml`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indicators.config.keys import yaml_key
from indicators.config.spec import LineDict, read_yaml
from indicators.paths import PROJECT_ROOT

SOURCES_DIR = PROJECT_ROOT / "config" / "sources"
# The only rule for a code a value map does not list: the row goes to quarantine.
OTHERWISE = ("quarantine",)
# What an unlisted code becomes before the contract checks it: never a contract value,
# so the row is quarantined (`not_in_enumeration`, `not_a_boolean`) with the code shown.
UNMAPPED_PREFIX = "unmapped:"


@dataclass(frozen=True)
class ValueMap:
    """The export's codes for one contract column → the contract's values."""

    codes: dict[str, str] = field(metadata=yaml_key(required=True))
    otherwise: str = field(metadata=yaml_key(required=True))
    raw: LineDict = field(repr=False, compare=False, default_factory=LineDict)


@dataclass(frozen=True)
class TableMapping:
    """Where one contract table is in the export and how its columns translate.

    `columns`: export header → contract column. `values`: contract column →
    its `ValueMap`. `drop`: export headers never read (they identify a person).
    `date_format` overrides the mapping's (strptime codes, e.g. `%d/%m/%Y`).
    """

    table: str
    file: str = field(metadata=yaml_key(required=True))
    sheet: str | None = field(metadata=yaml_key())
    columns: dict[str, str] = field(metadata=yaml_key(required=True))
    values: dict[str, ValueMap] = field(metadata=yaml_key())
    drop: tuple[str, ...] = field(metadata=yaml_key())
    date_format: str | None = field(metadata=yaml_key())
    raw: LineDict = field(repr=False, compare=False, default_factory=LineDict)

    def source_of(self, contract_column: str) -> str | None:
        """The export header that feeds `contract_column`, if any."""
        return next((s for s, c in self.columns.items() if c == contract_column), None)


@dataclass(frozen=True)
class SourceMapping:
    """A whole mapping file; `tables` is keyed by contract table name."""

    path: Path
    description: str = field(metadata=yaml_key(required=True))
    date_format: str | None = field(metadata=yaml_key())
    tables: dict[str, TableMapping] = field(metadata=yaml_key(required=True))
    document: LineDict = field(repr=False, compare=False, default_factory=LineDict)

    @property
    def name(self) -> str:
        return self.path.stem

    def date_format_for(self, table: str) -> str | None:
        mapped = self.tables.get(table)
        return (mapped.date_format if mapped else None) or self.date_format


def mapping_path(name: str) -> Path:
    """`other-system` → `config/sources/other-system.yaml`; a path to a .yaml file is kept."""
    if name.endswith((".yaml", ".yml")) or "/" in name:
        return Path(name)
    return SOURCES_DIR / f"{name}.yaml"


def is_source_mapping(document: Any) -> bool:
    """A parsed YAML document is a source mapping (not the strategy file) by its keys."""
    return isinstance(document, dict) and "tables" in document and "indicators" not in document


def _texts(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        return {}
    return {str(k): str(v) for k, v in raw.items() if v is not None}


def _value_map(raw: Any) -> ValueMap:
    raw = raw if isinstance(raw, dict) else LineDict()
    return ValueMap(_texts(raw.get("codes")), str(raw.get("otherwise", "")), raw)


def _table(name: str, raw: Any) -> TableMapping:
    raw = raw if isinstance(raw, dict) else LineDict()
    values = raw.get("values") if isinstance(raw.get("values"), dict) else {}
    drop = raw.get("drop") if isinstance(raw.get("drop"), list) else []
    sheet, date_format = raw.get("sheet"), raw.get("date_format")
    return TableMapping(
        table=name,
        file=str(raw.get("file", "")),
        sheet=str(sheet) if sheet is not None else None,
        columns=_texts(raw.get("columns")),
        values={str(k): _value_map(v) for k, v in values.items()},
        drop=tuple(str(d) for d in drop),
        date_format=str(date_format) if date_format else None,
        raw=raw,
    )


def load_mapping(path: Path) -> SourceMapping:
    """Parse a mapping file. Raises `SpecError` only when it is not YAML at all."""
    document = read_yaml(path)
    tables = document.get("tables") if isinstance(document.get("tables"), dict) else {}
    date_format = document.get("date_format")
    return SourceMapping(
        path=path,
        description=str(document.get("description", "")),
        date_format=str(date_format) if date_format else None,
        tables={str(k): _table(str(k), v) for k, v in tables.items()},
        document=document,
    )
