"""Run the compiled indicator queries where a council's data already lives.

The validated warehouse tables an indicator reads are written once as Parquet
(`export_tables`); a PostgreSQL server or a Spark session loads them and runs
the same compiled query, transpiled for it (`engines.transpile`). Counts come
back as the same frame `compute.counts` returns, so the statistics and
disclosure control stay in one place.

Analysts' SQL is sandboxed on these engines too. On PostgreSQL it runs as a
login role with no file access (not a superuser, not in
pg_read_server_files, pg_write_server_files or pg_execute_server_program),
in a READ ONLY transaction with `statement_timeout`, one statement per call;
the runner refuses to run it as any other role. On Spark, `check` refuses
fragments that use file sources or reflection (`analyst_sql`), and a query
past the time limit is given up on and its jobs cancelled.
"""

from __future__ import annotations

import io
import uuid
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

import duckdb
import pandas as pd

from indicators.config.spec import Indicator
from indicators.engine.compile import compile_indicator
from indicators.engine.dialects import transpile
from indicators.load.contract import TABLES
from indicators.store.limits import (
    QueryLimits,
    QueryStopped,
    past_time_limit,
    query_limits,
)
from indicators.store.readers import connect
from indicators.store.sql import text

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
    paths = {}
    # Trusted code writing files: the one reader without the sandbox (no analyst SQL here).
    with connect(warehouse, sandboxed=False) as con:
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
            con.execute(
                f"COPY (SELECT {select} FROM {table}) TO {text(str(path))} (FORMAT parquet)"  # noqa: S608 (quoted identifiers and our own export paths; analyst SQL passed check)
            )
            paths[table] = path
    return paths


# The login role analysts' SQL runs as when the operator names none (`analyst_dsn`).
ANALYST_ROLE = "early_help_analyst"
FILE_ROLES = ("pg_read_server_files", "pg_write_server_files", "pg_execute_server_program")


class EngineRefused(Exception):
    """The engine cannot be made safe for analysts' SQL; the message says why and what to do."""


class PostgresRunner:
    """A PostgreSQL database holding the shared tables (loaded with COPY).

    `dsn` loads the tables; analysts' SQL runs through `analyst_dsn`, by
    default the same server as the login role `ANALYST_ROLE`, which the
    runner creates without file access and grants SELECT on the tables.
    """

    engine = "postgres"

    def __init__(
        self, dsn: str, analyst_dsn: str | None = None, limits: QueryLimits | None = None
    ) -> None:
        import psycopg

        self.dsn, self.analyst_dsn = dsn, analyst_dsn
        self.limits = limits or query_limits()
        self.connection = psycopg.connect(dsn, autocommit=True)
        self.analyst = None

    def load(self, parquet: dict[str, Path]) -> None:
        con = duckdb.connect()
        for table, path in parquet.items():
            frame = con.execute("SELECT * FROM read_parquet(?)", [str(path)]).df()
            kinds = con.execute(
                f"DESCRIBE SELECT * FROM read_parquet({text(str(path))})"  # noqa: S608 (quoted identifiers and our own export paths; analyst SQL passed check)
            ).fetchall()
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
        self.analyst = self._analyst_connection(list(parquet))

    def _analyst_connection(self, tables: list[str]):
        """A connection as a role with no file access, read-only; refused for any other role."""
        import psycopg
        from psycopg import sql
        from psycopg.conninfo import make_conninfo

        role = sql.Identifier(ANALYST_ROLE)
        with self.connection.cursor() as cur:
            if self.analyst_dsn is None:
                exists = cur.execute(
                    "SELECT 1 FROM pg_roles WHERE rolname = %s", [ANALYST_ROLE]
                ).fetchone()
                verb = sql.SQL("ALTER") if exists else sql.SQL("CREATE")
                cur.execute(
                    sql.SQL(
                        "{} ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION "
                        "NOBYPASSRLS"
                    ).format(verb, role)
                )
                for table in tables:
                    cur.execute(
                        sql.SQL("GRANT SELECT ON {} TO {}").format(sql.Identifier(table), role)
                    )
        dsn = self.analyst_dsn or make_conninfo(self.dsn, user=ANALYST_ROLE)
        analyst = psycopg.connect(dsn)
        analyst.read_only = True
        unsafe = analyst.execute(
            "SELECT session_user, r.rolsuper, "  # noqa: S608 (quoted identifiers and our own export paths; analyst SQL passed check)
            + ", ".join(f"pg_has_role(session_user, '{f}', 'MEMBER')" for f in FILE_ROLES)
            + " FROM pg_roles r WHERE r.rolname = session_user"
        ).fetchone()
        analyst.rollback()
        user, superuser, *file_roles = unsafe
        if superuser or any(file_roles):
            analyst.close()
            granted = ["superuser"] if superuser else []
            granted += [f for f, has in zip(FILE_ROLES, file_roles, strict=True) if has]
            raise EngineRefused(
                f"PostgreSQL: analysts' SQL would run as {user!r}, which can reach server files "
                f"({', '.join(granted)}); give a role without them (--analyst-dsn)"
            )
        return analyst

    def run_analyst_sql(self, query: str, what: str) -> pd.DataFrame:
        """One statement, read-only, as the analyst role, within the time limit.

        A statement the sandbox refuses or the timeout cancels raises
        `QueryStopped` naming `what` (e.g. `indicator requests_per_10k`).
        """
        import psycopg

        if self.analyst is None:
            raise EngineRefused("PostgreSQL: load the tables before running analysts' SQL")
        timeout_ms = int(self.limits.seconds * 1000)
        try:
            with self.analyst.transaction(), self.analyst.cursor() as cur:
                cur.execute(f"SET LOCAL statement_timeout = {timeout_ms}")
                # A prepared statement is one statement: the server refuses a `;` chain.
                cur.execute(query, prepare=True)
                names = [d.name for d in cur.description]
                return pd.DataFrame(cur.fetchall(), columns=names)
        except psycopg.errors.QueryCanceled:
            raise QueryStopped(past_time_limit(what, self.limits)) from None
        except psycopg.Error as err:
            first = str(err).splitlines()[0] if str(err) else type(err).__name__
            raise QueryStopped(f"{what}: PostgreSQL refused it: {first}") from None

    def counts(self, indicator: Indicator) -> pd.DataFrame:
        sql = transpile(compile_indicator(indicator), self.engine)
        return self.run_analyst_sql(sql, f"indicator {indicator.id}")

    def close(self) -> None:
        if self.analyst is not None:
            self.analyst.close()
        self.connection.close()


class SparkRunner:
    """A Spark session (local mode by default) reading the shared tables from Parquet."""

    engine = "spark"

    def __init__(self, master: str = "local[2]", limits: QueryLimits | None = None) -> None:
        from pyspark.sql import SparkSession

        self.limits = limits or query_limits()
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

    def run_analyst_sql(self, query: str, what: str) -> pd.DataFrame:
        """`query` (checked by `check` for this engine), given up on past the time limit.

        Spark cancels cooperatively: a CPU-bound task may run on after its job
        is cancelled, until the session stops (`close`, which the CLI calls at
        once on the `QueryStopped` this raises). The caller is never held
        longer than the limit.
        """
        context = self.session.sparkContext
        group = f"analyst-{uuid.uuid4().hex}"

        def collect() -> pd.DataFrame:
            context.setJobGroup(group, what, interruptOnCancel=True)
            return self.session.sql(query).toPandas()

        waiter = ThreadPoolExecutor(1)
        try:
            return waiter.submit(collect).result(timeout=self.limits.seconds)
        except FutureTimeout:
            context.cancelJobGroup(group)
            raise QueryStopped(past_time_limit(what, self.limits)) from None
        finally:
            waiter.shutdown(wait=False)

    def counts(self, indicator: Indicator) -> pd.DataFrame:
        sql = transpile(compile_indicator(indicator), self.engine)
        return self.run_analyst_sql(sql, f"indicator {indicator.id}")

    def close(self) -> None:
        self.session.stop()
