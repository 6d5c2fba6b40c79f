"""The demo's story in another system's shape: one workbook, its own names, codes and dates.

Councils' case-management systems do not export the data contract: they
name columns their way ("Date Received"), use their own codes ("EH-TAF"),
write dates as 31/03/2024 and put every table on a sheet of one workbook.
This layout writes exactly the contract demo's rows (broken ones included)
that way, by running the shipped mapping `config/sources/other-system.yaml`
backwards, so loading it through that mapping must give the contract demo's
warehouse table by table. Codes no mapping lists (the planted
`not_in_enumeration` rows) and dates that are no date stay as written, so
they are quarantined for the same reasons on the same lines. It also adds
what real exports carry: a key worker's name (dropped on sight by the
mapping) and a column the contract does not use (reported as unmapped).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from indicators.config.source_mapping import SOURCES_DIR, TableMapping, load_mapping
from indicators.demo.generate import MANIFEST, DemoSummary, generate_demo
from indicators.load.contract import TABLES_BY_NAME

LAYOUT = "other-system"
MAPPING_PATH = SOURCES_DIR / f"{LAYOUT}.yaml"
# Columns a real export carries beyond the contract: (sheet's table, header, value).
EXTRA_COLUMNS = (
    ("episodes", "Key Worker Name", "Worker {n}"),  # identifies a person: the mapping drops it
    ("requests", "Team", "Locality team {n}"),  # not in the contract: unmapped, ignored
)
# The most rows a worksheet holds (Excel's limit, the header included).
MAX_SHEET_ROWS = 1_048_576


def generate_other_system(out_dir: Path, *, seed: int = 2020, scale: int = 1) -> DemoSummary:
    """Write the demo as `early_help_export.xlsx` (a sheet per table) and its manifest.

    The manifest lists the same broken rows as the contract demo's, under the
    names the load gives the sheets (`early_help_export.xlsx (sheet Requests)`).
    """
    mapping = load_mapping(MAPPING_PATH)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="demo-contract-") as tmp:
        contract = generate_demo(Path(tmp), seed=seed, scale=scale)
        if max(contract.files.values()) >= MAX_SHEET_ROWS:
            raise ValueError(f"scale {scale} is too large for one workbook (a sheet per table)")
        workbook = Workbook(write_only=True)
        names: dict[str, str] = {}
        for table, mapped in mapping.tables.items():
            frame = pd.read_csv(
                Path(tmp) / f"{table}.csv", dtype=str, keep_default_na=False, na_filter=False
            )
            sheet = workbook.create_sheet(mapped.sheet)
            exported = as_exported(frame, mapped, mapping.date_format_for(table))
            sheet.append(list(exported.columns))
            for row in exported.itertuples(index=False):
                sheet.append([value or None for value in row])
            names[f"{table}.csv"] = f"{mapped.file} (sheet {mapped.sheet})"
        files = {mapped.file for mapped in mapping.tables.values()}
        workbook.save(out_dir / files.pop())
        manifest = json.loads((Path(tmp) / MANIFEST).read_text(encoding="utf-8"))
    manifest["layout"] = LAYOUT
    manifest["files"] = {names[k]: v for k, v in manifest["files"].items()}
    for entry in manifest["broken_rows"]:
        entry["file"] = names[entry["file"]]
    (out_dir / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return DemoSummary(out_dir, manifest["files"], contract.broken_rows)


def as_exported(frame: pd.DataFrame, mapped: TableMapping, date_format: str | None) -> pd.DataFrame:
    """A contract-shaped table of text as the other system exports it (the mapping backwards)."""
    out = pd.DataFrame(index=frame.index)
    table = TABLES_BY_NAME[mapped.table]
    for header, column_name in mapped.columns.items():
        column = table.column(column_name)
        values = frame[column_name]
        value_map = mapped.values.get(column_name)
        if value_map is not None:
            back = {target: code for code, target in reversed(value_map.codes.items())}
            if column.kind == "enum_list":
                values = values.map(lambda v, b=back: ";".join(b.get(x, x) for x in v.split(";")))
            else:
                values = values.map(lambda v, b=back: b.get(v, v))
        elif column.kind == "date" and date_format:
            dates = pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")
            valid = dates.notna() & values.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
            values = values.where(~valid, dates.dt.strftime(date_format))
        out[header] = values
    for table_name, header, pattern in EXTRA_COLUMNS:
        if table_name == mapped.table:
            out[header] = [pattern.format(n=1 + i % 40) for i in range(len(out))]
    return out
