"""What the warehouse adds to every extract row, written once per table at the end of a load.

Period keys (month, quarter, financial year, half-year review period) on the
row's period date; the ward (2011–2023 wards) and IMD/IDACI deciles through
the row's LSOA, or its episode's; and facts that need two tables, worked
out here so each indicator stays a one-table query:

* requests: `working_days_to_decision` (weekdays, `periods.working_days`) and
  `re_referral_12_months` (the family had an episode that closed in the 12
  months before this request);
* episodes: `request_received_date` and `days_request_to_start`.

`analysis_ward_code` is the 2011–2023 ward every indicator is cut by: the
ward of the row's LSOA (or its episode's), else the extract's own ward code
when that is one of the 37 wards the boundaries and IMD 2019 describe.
`analysis_ward_2023_code` is the May 2023 ward, the same way: through the
LSOA (best fit, `ward_assignment`), else the extract's own code when it is
one of the 34 May 2023 wards, else the May 2023 ward that wholly contains
the row's own 2011–2023 ward (`wards.within_ward_2023`). A row with none of
these has no ward in that vintage (it counts for the city, and as the
`unknown` ward).
"""

from __future__ import annotations

import duckdb

from indicators.load.contract import TABLES, Table
from indicators.load.validation import checked_name
from indicators.store.sql import quote, text
from indicators.ward_vintages import WARDS_2011, WARDS_2023

# Extra select items and joins per table; `t` is the table's checked rows.
CASE_FACTS: dict[str, tuple[str, str]] = {
    "requests": (
        """working_days(t.received_date, t.decision_date) AS working_days_to_decision,
  EXISTS (
    SELECT 1 FROM __checked_episodes e
    WHERE e.__failure IS NULL AND e.family_id = t.family_id
      AND e.end_date <= t.received_date AND e.end_date > t.received_date - INTERVAL 12 MONTH
  ) AS re_referral_12_months""",
        "",
    ),
    "episodes": (
        "r.received_date AS request_received_date, "
        "t.start_date - r.received_date AS days_request_to_start",
        "LEFT JOIN __checked_requests r ON r.__failure IS NULL AND r.request_id = t.request_id",
    ),
}


def _own_ward(ward: str, vintage: str) -> str:
    """`ward`, else the row's own ward code when it is a ward of `vintage`."""
    return (
        f"coalesce({ward}, CASE WHEN t.ward_code IN "  # noqa: S608 (identifiers come from the contract or sql.quote(); file names and values are bound)
        f"(SELECT ward_code FROM wards WHERE vintage = {text(vintage)}) THEN t.ward_code END)"
    )


def _whole_ward(ward_2023: str) -> str:
    """`ward_2023`, else the May 2023 ward wholly containing the row's own 2011–2023 ward."""
    return (
        f"coalesce({ward_2023}, (SELECT w.within_ward_2023 FROM wards w "  # noqa: S608 (identifiers come from the contract; no value reaches SQL)
        "WHERE w.ward_code = t.ward_code))"
    )


def _place(table: Table) -> tuple[str, str, str, str, str]:
    """(joins, 2011 ward, 2023 ward, imd decile, idaci decile) expressions for one table."""
    if table.has_lsoa:
        joins = (
            "LEFT JOIN lsoa_ward lw ON lw.lsoa_code = t.lsoa_code "
            "LEFT JOIN deprivation dp ON dp.lsoa_code = t.lsoa_code"
        )
        ward, ward_2023 = "lw.ward_code", "lw.ward_2023_code"
        imd, idaci = "dp.imd_decile", "dp.idaci_decile"
    elif table.via_episode:
        joins = "LEFT JOIN episodes ep ON ep.episode_id = t.episode_id"
        ward, ward_2023 = f"ep.{WARDS_2011.column}", f"ep.{WARDS_2023.column}"
        imd, idaci = "ep.imd_decile", "ep.idaci_decile"
    else:
        joins, ward, ward_2023, imd, idaci = "", "NULL", "NULL", "NULL", "NULL"
    if "ward_code" in table.column_names:
        ward = _own_ward(ward, WARDS_2011.vintage)
        ward_2023 = _whole_ward(_own_ward(ward_2023, WARDS_2023.vintage))
    return joins, ward, ward_2023, imd, idaci


def final_table_sql(table: Table) -> str:
    """CREATE TABLE for one extract: its kept rows with everything the warehouse adds."""
    d = f"t.{quote(table.period_date)}"
    columns = ", ".join(f"t.{quote(c)}" for c in table.column_names)
    joins, ward, ward_2023, imd, idaci = _place(table)
    facts, fact_joins = CASE_FACTS.get(table.name, ("", ""))
    return f"""CREATE TABLE {table.name} AS
SELECT {columns},
  date_trunc('month', {d})::DATE AS month,
  date_trunc('quarter', {d})::DATE AS quarter,
  financial_year({d}) AS financial_year,
  review_period({d}) AS review_period,
  {ward} AS {WARDS_2011.column},
  {ward_2023} AS {WARDS_2023.column},
  {imd}::INTEGER AS imd_decile,
  {idaci}::INTEGER AS idaci_decile{"," if facts else ""}
  {facts}
FROM {checked_name(table.name)} t {joins} {fact_joins}
WHERE t.__failure IS NULL"""  # noqa: S608 (identifiers come from the contract or sql.quote(); file names and values are bound)


def create_extract_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Write every extract's final table (parents first), then drop the checked rows."""
    for table in TABLES:
        con.execute(final_table_sql(table))
    for table in TABLES:
        con.execute(f"DROP TABLE {checked_name(table.name)}")
