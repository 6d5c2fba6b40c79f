"""What the serving warehouse holds: tables, row counts, the load log, quarantine.

The frames the warehouse page shows, built here so the page stays free of SQL.
Each call borrows a cursor of the process's one sandboxed reader (`store`)
and gives it back, so concurrent sessions never collide and a page never
keeps an old warehouse alive after a load has swapped in a new one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from indicators.load.contract import TABLES
from indicators.publish.tables import PREFIX
from indicators.store import publication
from indicators.store.readers import connect
from indicators.store.sql import quote, scalar

TABLE_PURPOSE = {
    **{t.name: "early help extract (pseudonymised)" for t in TABLES},
    "wards": "reference: wards (2011-2023 and May 2023)",
    "ward_boundaries": "reference: ward boundaries (December 2013)",
    "lsoa_ward": "reference: LSOA to ward (ONS best fit)",
    "deprivation": "reference: IMD 2019 ranks and deciles",
    "population": "reference: ONS population estimates",
    "comparators": "reference: the area, England, its region and statistical neighbours",
    "jsna": "public JSNA indicators (long format)",
    "fingertips": "public Fingertips exports, as downloaded",
    "quarantine": "rows that broke the data contract",
    "load_log": "one row per file per load",
    "load_info": "the load now serving",
}

ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0. "
    "Contains OS data © Crown copyright and database right. Ward boundaries: "
    "martinjc/UK-GeoJSON (CC-BY 4.0)."
)


def ward_vintage_note(area_name: str) -> str:
    """Which wards the warehouse holds and how rows are placed in them, naming the area."""
    return (
        f"{area_name} moved from 37 wards (2011-2023) to 34 new wards in May 2023. Every ward "
        "figure is computed for both sets: rows are placed through their LSOA by the ONS "
        "best-fit lookups (lsoa_ward.ward_code and ward_2023_code; ward_2023_note says why an "
        "LSOA has no May 2023 ward), and a row with no LSOA goes to the May 2023 ward that "
        "wholly contains its 2011-2023 ward where one does (wards.within_ward_2023). "
        "Boundaries: December 2013 for the 2011-2023 wards; approximate outlines from LSOA "
        "boundaries for the May 2023 wards."
    )


@dataclass(frozen=True)
class LoadSummary:
    load_id: str
    finished: pd.Timestamp
    is_demo: bool
    extract_dir: str
    data_end: dt.date
    published: bool  # holds a publication in the shapes this code reads


def load_summary(path: Path) -> LoadSummary:
    """The serving load; `data_end` is the last day requests were received."""
    with connect(path) as con:
        load_id, finished, is_demo, extract_dir, data_end = con.execute(
            "SELECT load_id, finished, is_demo, extract_dir, "
            "(SELECT max(received_date) FROM requests) FROM load_info"
        ).fetchall()[0]
    return LoadSummary(
        load_id,
        pd.Timestamp(finished),
        bool(is_demo),
        extract_dir,
        data_end or dt.date.today(),
        publication.is_current(path),
    )


def table_counts(path: Path) -> pd.DataFrame:
    """Every table with its row count and what it is for."""
    with connect(path) as con:
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
                "AND table_catalog = current_database() ORDER BY table_name"
            ).fetchall()
        ]
        counts = [con.execute(f"SELECT count(*) FROM {quote(n)}").fetchall()[0][0] for n in names]  # noqa: S608 (identifiers quoted, taken from the warehouse catalogue and the contract)
    frame = pd.DataFrame({"table": names, "rows": counts})
    frame["holds"] = frame["table"].map(TABLE_PURPOSE)
    figures = frame["table"].str.startswith(PREFIX)
    frame.loc[figures, "holds"] = "the publication: figures as computed and protected at load"
    frame["holds"] = frame["holds"].fillna("public DfE file, as downloaded")
    return frame


def load_log(path: Path) -> pd.DataFrame:
    with connect(path) as con:
        return con.execute(
            "SELECT file, kind, table_name, rows_read, rows_kept, rows_quarantined, "
            "left(checksum, 12) AS checksum, started, finished FROM load_log "
            "ORDER BY kind = 'reference', kind = 'public', started"
        ).df()


def quarantine_by_reason(path: Path) -> pd.DataFrame:
    with connect(path) as con:
        return con.execute(
            'SELECT file, "column", reason, count(*) AS rows FROM quarantine '
            "GROUP BY ALL ORDER BY file, rows DESC"
        ).df()


def quarantine_rows(path: Path, search: str = "", limit: int = 500) -> pd.DataFrame:
    """Quarantined rows whose file, column, reason or detail contains `search`."""
    pattern = f"%{search.lower()}%"
    with connect(path) as con:
        return con.execute(
            'SELECT file, line, "column", reason, detail FROM quarantine '
            "WHERE lower(file || ' ' || coalesce(\"column\", '') || ' ' || reason || ' ' || "
            "detail) LIKE ? ORDER BY file, line LIMIT ?",
            [pattern, limit],
        ).df()


def freshness(path: Path) -> pd.DataFrame:
    """Each extract's latest dated row and when it was loaded."""
    with connect(path) as con:
        loaded = dict(
            con.execute(
                "SELECT table_name, finished FROM load_log WHERE kind = 'extract'"
            ).fetchall()
        )
        rows = []
        for table in TABLES:
            latest = scalar(
                con,
                f"SELECT max({quote(table.period_date)}) FROM {quote(table.name)}",  # noqa: S608 (identifiers quoted, taken from the warehouse catalogue and the contract)
            )
            rows.append((table.name, table.period_date, latest, loaded.get(table.name)))
    return pd.DataFrame(rows, columns=["extract", "dated_by", "latest_row", "loaded"])


def quarantined_by_table(path: Path) -> dict[str, int]:
    with connect(path) as con:
        return dict(
            con.execute("SELECT table_name, count(*) FROM quarantine GROUP BY ALL").fetchall()
        )


def ward_boundaries(path: Path, vintage: str) -> pd.DataFrame:
    """Outlines of the wards of one `wards.vintage` (`ward_vintages`); empty when none."""
    with connect(path) as con:
        return con.execute(
            "SELECT b.ward_code, b.geojson FROM ward_boundaries b "
            "JOIN wards w USING (ward_code) WHERE w.vintage = ? ORDER BY b.ward_code",
            [vintage],
        ).df()


def jsna_rows(path: Path, area_codes: list[str]) -> pd.DataFrame:
    """Public JSNA rows for the given areas (persons, whole population), newest last."""
    with connect(path) as con:
        return con.execute(
            "SELECT * FROM jsna WHERE area_code IN (SELECT unnest(?)) "
            "AND coalesce(sex, 'Persons') = 'Persons' "
            # A full order: the comparators' averages are sums, whose last bit follows it.
            "ORDER BY indicator_id, time_period_sort, area_code",
            [area_codes],
        ).df()


def jsna_all_las(path: Path) -> pd.DataFrame:
    """Every local authority's latest value per JSNA indicator (for the spine's range)."""
    with connect(path) as con:
        return con.execute(
            "SELECT indicator_id, area_code, value FROM jsna "
            "WHERE area_type = 'la' AND coalesce(sex, 'Persons') = 'Persons' "
            "QUALIFY time_period_sort = max(time_period_sort) OVER (PARTITION BY indicator_id) "
            "ORDER BY indicator_id, area_code"
        ).df()


def comparator_areas(path: Path) -> pd.DataFrame:
    with connect(path) as con:
        return con.execute("SELECT * FROM comparators ORDER BY role, sn_rank").df()
