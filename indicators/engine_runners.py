"""Run the compiled indicator queries where a council's data already lives.

The validated warehouse tables an indicator reads are written once as Parquet
(`export_tables`); a PostgreSQL server or a Spark session loads them and runs
the same compiled query, transpiled for it (`engines.transpile`). Counts come
back as the same frame `compute.counts` returns, so the statistics and
disclosure control stay in one place.
"""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import pandas as pd

from indicators.compile import compile_indicator
from indicators.contract import TABLES
from indicators.engines import transpile
from indicators.spec import Indicator

# What indicator SQL reads: the extracts (with derived keys) and the denominators.
SHARED_TABLES = (*(t.name for t in TABLES), "population_nearest")
PG_TYPES = {
    "VARCHAR": "text",
    "DATE": "date",
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "BOOLEAN": "boolean",
    "DOUBLE": "double precision",
    "HUGEINT": "numeric",
}


def export_tables(warehouse: Path, folder: Path) -> dict[str, Path]:
    """Write the shared tables as Parquet (lists, e.g. `needs`, as `;`-joined text)."""
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse), read_only=True)
    paths = {}
    try:
        for table in SHARED_TABLES:
            columns = con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = ? ORDER BY ordinal_position",
                [table],
            ).fetchall()
            select = ", ".join(
                f'array_to_string("{c}", \';\') AS "{c}"' if t.endswith("[]") else f'"{c}"'
                for c, t in columns
            )
            path = folder / f"{table}.parquet"
            con.execute(f"COPY (SELECT {select} FROM {table}) TO '{path}' (FORMAT parquet)")
            paths[table] = path
    finally:
        con.close()
    return paths


class PostgresRunner:
    """A PostgreSQL database holding the shared tables (loaded with COPY)."""

    engine = "postgres"

    def __init__(self, dsn: str) -> None:
        import psycopg

        self.connection = psycopg.connect(dsn, autocommit=True)

    def load(self, parquet: dict[str, Path]) -> None:
        con = duckdb.connect()
        for table, path in parquet.items():
            frame = con.execute(f"SELECT * FROM read_parquet('{path}')").df()
            kinds = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()
            columns = ", ".join(
                f'"{name}" {PG_TYPES.get(kind, "text")}' for name, kind, *_ in kinds
            )
            with self.connection.cursor() as cur:
                cur.execute(f'DROP TABLE IF EXISTS "{table}"')
                cur.execute(f'CREATE TABLE "{table}" ({columns})')
                buffer = io.StringIO()
                frame.to_csv(buffer, index=False, header=False, na_rep="\\N")
                buffer.seek(0)
                with cur.copy(f"COPY \"{table}\" FROM STDIN (FORMAT csv, NULL '\\N')") as copy:
                    copy.write(buffer.read())
        con.close()

    def counts(self, indicator: Indicator) -> pd.DataFrame:
        sql = transpile(compile_indicator(indicator), self.engine)
        with self.connection.cursor() as cur:
            cur.execute(sql)
            names = [d.name for d in cur.description]
            return pd.DataFrame(cur.fetchall(), columns=names)

    def close(self) -> None:
        self.connection.close()


class SparkRunner:
    """A Spark session (local mode by default) reading the shared tables from Parquet."""

    engine = "spark"

    def __init__(self, master: str = "local[2]") -> None:
        from pyspark.sql import SparkSession

        self.session = (
            SparkSession.builder.master(master)
            .appName("early-help-indicators")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate()
        )
        self.session.sparkContext.setLogLevel("ERROR")

    def load(self, parquet: dict[str, Path]) -> None:
        for table, path in parquet.items():
            self.session.read.parquet(str(path)).createOrReplaceTempView(table)

    def counts(self, indicator: Indicator) -> pd.DataFrame:
        sql = transpile(compile_indicator(indicator), self.engine)
        return self.session.sql(sql).toPandas()

    def close(self) -> None:
        self.session.stop()
