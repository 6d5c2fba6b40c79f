"""Check a staged extract against its contract, in one SQL pass.

Each row gets the first rule it breaks as `column|reason` (column rules in
column order, then rules across columns, then duplicate keys, then
references to other tables); rows with none are kept, typed, and the rest go
to quarantine with the raw record. The checks are generated from
`indicators.load.contract`, so a new rule is one entry there and one clause here.

Reasons (stable codes, shown on the data quality page):
"""

from __future__ import annotations

import datetime as dt

from indicators.load.contract import EARLIEST_DATE, Column, Table
from indicators.store.sql import quote, text

REASONS = {
    "missing_value": "is empty but required",
    "not_a_date": "is not a YYYY-MM-DD date",
    "not_an_integer": "is not a whole number",
    "not_a_boolean": "is not true/false",
    "not_in_enumeration": "is not one of the allowed values",
    "out_of_range": "is outside the allowed range",
    "malformed_code": "is not a GSS code of the right kind",
    "unknown_code": "is not a code of the council's area in the reference tables",
    "date_in_future": "is after the load date",
    "date_out_of_order": "is before the date it must follow",
    "inconsistent": "must be filled together with its partner column",
    "duplicate_key": "repeats the key of an earlier row",
    "unknown_reference": "refers to a row that is not in the extract it points to",
    "malformed_row": "does not split into the header's columns",
    "not_a_number": "is not a number or a publisher's suppression symbol",
}
__doc__ = (__doc__ or "") + "\n".join(f"- `{k}`: {v}" for k, v in REASONS.items())

ISO_DATE = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
TRUE_WORDS = ("true", "t", "yes", "y", "1")
FALSE_WORDS = ("false", "f", "no", "n", "0")
CODE_PATTERNS = {
    "ward_code": ("E05[0-9]{6}", "wards", "ward_code"),
    "lsoa_code": ("E01[0-9]{6}", "lsoa_ward", "lsoa_code"),
}


def _text_list(values: tuple[str, ...]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _raw(column: str) -> str:
    """A column of the `cleaned` step: trimmed, with empty text as NULL."""
    return f"s.{quote(column)}"


def _known(column: str) -> str:
    return quote(f"__known_{column}")


def cleaned_sql(table: Table, stage_table: str) -> str:
    """Trim every value once and look up every GSS code once (hash joins, not IN lists)."""
    values = ", ".join(
        f"nullif(trim(s.{quote(c.name)}), '') AS {quote(c.name)}, "
        f"{typed(c)} AS {quote('__typed_' + c.name)}"
        for c in table.columns
    )
    joins, flags = [], []
    for column in table.columns:
        if column.kind in CODE_PATTERNS:
            _, code_table, key = CODE_PATTERNS[column.kind]
            alias = quote(f"__codes_{column.name}")
            joins.append(
                f"LEFT JOIN (SELECT DISTINCT {key} AS code FROM {code_table}) {alias} "  # noqa: S608 (identifiers come from the contract or sql.quote(); file names and values are bound)
                f"ON {alias}.code = nullif(trim(s.{quote(column.name)}), '')"
            )
            flags.append(f"{alias}.code IS NOT NULL AS {_known(column.name)}")
    extra = "".join(f", {f}" for f in flags)
    return f"SELECT s.__row, s.__line, {values}{extra} FROM {stage_table} s {' '.join(joins)}"  # noqa: S608 (identifiers come from the contract or sql.quote(); file names and values are bound)


def _column_rules(column: Column, load_date: dt.date) -> list[tuple[str, str]]:
    """(condition, reason) pairs for one column, in the order they are tried."""
    raw, value = _raw(column.name), _typed(column.name)
    rules: list[tuple[str, str]] = []
    if column.required:
        rules.append((f"{raw} IS NULL", "missing_value"))
    if column.kind == "date":
        rules += [
            (
                f"{value} IS NULL OR NOT regexp_full_match({raw}, '{ISO_DATE}')",
                "not_a_date",
            ),
            (f"{value} > DATE '{load_date.isoformat()}'", "date_in_future"),
            (f"{value} < DATE '{EARLIEST_DATE}'", "out_of_range"),
        ]
    elif column.kind == "integer":
        rules.append((f"NOT regexp_full_match({raw}, '[+-]?[0-9]{{1,15}}')", "not_an_integer"))
        bounds = []
        if column.minimum is not None:
            bounds.append(f"{value} < {column.minimum}")
        if column.maximum is not None:
            bounds.append(f"{value} > {column.maximum}")
        if bounds:
            rules.append((" OR ".join(bounds), "out_of_range"))
    elif column.kind == "boolean":
        rules.append((f"{value} IS NULL", "not_a_boolean"))
    elif column.kind == "enum":
        rules.append((f"{raw} NOT IN ({_text_list(column.values)})", "not_in_enumeration"))
    elif column.kind == "enum_list":
        rules.append(
            (f"NOT list_has_all([{_text_list(column.values)}], {value})", "not_in_enumeration")
        )
    elif column.kind in CODE_PATTERNS:
        pattern = CODE_PATTERNS[column.kind][0]
        rules += [
            (f"NOT regexp_full_match({raw}, '{pattern}')", "malformed_code"),
            (f"NOT s.{_known(column.name)}", "unknown_code"),
        ]
    # A rule only fires on a filled value; emptiness is `missing_value`'s job.
    return [
        (cond if reason == "missing_value" else f"{raw} IS NOT NULL AND ({cond})", reason)
        for cond, reason in rules
    ]


def failure_case(table: Table, load_date: dt.date) -> str:
    """A CASE expression giving `column|reason` for the first broken rule, else NULL.

    Almost every row breaks nothing, so one conjunction of all rules is tried
    first and the ordered chain that names the broken rule runs only for the
    rest (about twice as fast as the chain alone on clean extracts).
    """
    rules: list[tuple[str, str]] = []
    for column in table.columns:
        rules += [(c, f"{column.name}|{r}") for c, r in _column_rules(column, load_date)]
    for first, second in table.together:
        a, b = _raw(first), _raw(second)
        rules.append((f"{a} IS NULL AND {b} IS NOT NULL", f"{first}|inconsistent"))
        rules.append((f"{a} IS NOT NULL AND {b} IS NULL", f"{second}|inconsistent"))
    for earlier, later in table.date_order:
        rules.append((f"{_typed(later)} < {_typed(earlier)}", f"{later}|date_out_of_order"))
    # NULL (unknown) counts as not clean, so such rows go through the chain.
    clean = " AND ".join(f"NOT ({condition})" for condition, _ in rules)
    chain = "\n      ".join(f"WHEN {condition} THEN '{label}'" for condition, label in rules)
    return f"CASE WHEN coalesce({clean}, false) THEN NULL ELSE CASE\n      {chain}\n    END END"


def typed(column: Column) -> str:
    """The SQL that turns a column's text into its warehouse type (NULL where it cannot)."""
    text_value = f"nullif(trim(s.{quote(column.name)}), '')"
    if column.kind == "date":
        return f"try_cast({text_value} AS DATE)"
    if column.kind == "integer":
        return f"try_cast({text_value} AS BIGINT)"
    if column.kind == "boolean":
        return (
            f"CASE WHEN lower({text_value}) IN ({_text_list(TRUE_WORDS)}) THEN true "
            f"WHEN lower({text_value}) IN ({_text_list(FALSE_WORDS)}) THEN false END"
        )
    if column.kind == "enum_list":
        return f"list_transform(string_split({text_value}, ';'), lambda x: trim(x))"
    return text_value


def _typed(column: str) -> str:
    """A column's typed value in the `cleaned` step."""
    return "s." + quote(f"__typed_{column}")


def checked_name(table_name: str) -> str:
    """The temporary table holding an extract's checked rows until the load finishes."""
    return f"__checked_{table_name}"


def checked_sql(table: Table, stage_table: str, load_date: dt.date) -> str:
    """SELECT returning `__line`, `__failure` and every contract column, typed.

    Typed values are only trusted where `__failure` is NULL. Duplicate keys
    are looked for among rows that passed every other rule (so a broken first
    copy does not push out a good second one) with a hash aggregate rather
    than a sort, and references point at the parent's passing rows. `__row`
    orders rows (a table read from several sheets repeats line numbers).
    """
    typed_columns = ",\n    ".join(
        f"CASE WHEN __failure IS NULL THEN {_typed(c.name)} END AS {quote(c.name)}"
        for c in table.columns
    )
    keys = ", ".join(quote(k) for k in table.key)
    same_key = " AND ".join(f"r.{quote(k)} = t.{quote(k)}" for k in table.key)
    ref_rules = "".join(
        f"\n      WHEN t.{quote(r.column)} IS NOT NULL AND t.{quote(r.column)} NOT IN "  # noqa: S608 (identifiers come from the contract or sql.quote(); file names and values are bound)
        f"(SELECT {quote(r.parent_column)} FROM {checked_name(r.parent_table)} "
        f"WHERE __failure IS NULL) THEN '{r.column}|unknown_reference'"
        for r in table.references
    )
    return f"""
WITH cleaned AS MATERIALIZED (
  {cleaned_sql(table, stage_table)}
), rules AS (
  SELECT {failure_case(table, load_date)} AS __failure, s.*
  FROM cleaned s
), typed AS MATERIALIZED (
  SELECT __row, __line, __failure,
    {typed_columns}
  FROM rules s
), repeated AS (
  SELECT {keys}, min(__row) AS __first FROM typed WHERE __failure IS NULL
  GROUP BY {keys} HAVING count(*) > 1
)
SELECT t.* EXCLUDE (__failure),
  CASE
      WHEN t.__failure IS NOT NULL THEN t.__failure
      WHEN r.__first IS NOT NULL AND t.__row > r.__first
        THEN '{table.key[0]}|duplicate_key'{ref_rules}
  END AS __failure
FROM typed t LEFT JOIN repeated r ON {same_key}
"""  # noqa: S608 (identifiers come from the contract or sql.quote(); file names and values are bound)


def quarantine_sql(table: Table, checked: str, stage_table: str) -> str:
    """INSERT of the failing rows of `checked` into `quarantine`, with a readable detail.

    Two bound parameters: the table's name and the file's name (`file` is the
    load log's name for it, so quarantined rows add up per file; a row of a
    workbook spread over sheets names its sheet in `detail`). The record holds
    the row's contract columns as read, never a column the contract does not name.
    """
    value_of = " ".join(f"WHEN {text(c)} THEN s.{quote(c)}" for c in table.column_names)
    reasons = " ".join(f"WHEN {text(k)} THEN {text(v)}" for k, v in REASONS.items())
    record = ", ".join(f"{quote(c)} := s.{quote(c)}" for c in table.column_names)
    return f"""
INSERT INTO quarantine
SELECT ?, ?, c.__line, split_part(c.__failure, '|', 1), split_part(c.__failure, '|', 2),
  coalesce('sheet ''' || s.__sheet || ''': ', '') || split_part(c.__failure, '|', 1) || ' ' ||
    (CASE split_part(c.__failure, '|', 2) {reasons} END) ||
    coalesce(': ''' || (CASE split_part(c.__failure, '|', 1) {value_of} END) || '''', ''),
  to_json(struct_pack({record}))::VARCHAR
FROM {checked} c JOIN {stage_table} s USING (__row)
WHERE c.__failure IS NOT NULL
ORDER BY c.__row
"""  # noqa: S608 (identifiers come from the contract or sql.quote(); file names and values are bound)
