"""Check a staged extract against its contract, in one SQL pass.

Each row gets the first rule it breaks as `column|reason` (column rules in
column order, then rules across columns, then duplicate keys, then
references to other tables); rows with none are kept, typed, and the rest go
to quarantine with the raw record. The checks are generated from
`indicators.contract`, so a new rule is one entry there and one clause here.

Reasons (stable codes, shown on the data quality page):
"""

from __future__ import annotations

import datetime as dt

from indicators.contract import EARLIEST_DATE, Column, Table
from indicators.sql import quote, text

REASONS = {
    "missing_value": "is empty but required",
    "not_a_date": "is not a YYYY-MM-DD date",
    "not_an_integer": "is not a whole number",
    "not_a_boolean": "is not true/false",
    "not_in_enumeration": "is not one of the allowed values",
    "out_of_range": "is outside the allowed range",
    "malformed_code": "is not a GSS code of the right kind",
    "unknown_code": "is not a Stoke-on-Trent code in the reference tables",
    "date_in_future": "is after the load date",
    "date_out_of_order": "is before the date it must follow",
    "inconsistent": "must be filled together with its partner column",
    "duplicate_key": "repeats the key of an earlier row",
    "unknown_reference": "refers to a row that is not in the extract it points to",
    "malformed_row": "does not split into the header's columns",
    "not_a_number": "is not a number or a publisher's suppression symbol",
}
__doc__ = (__doc__ or "") + "\n".join(f"- `{k}`: {v}" for k, v in REASONS.items())

TRUE_WORDS = ("true", "t", "yes", "y", "1")
FALSE_WORDS = ("false", "f", "no", "n", "0")
CODE_PATTERNS = {
    "ward_code": ("E05[0-9]{6}", "wards", "ward_code"),
    "lsoa_code": ("E01[0-9]{6}", "lsoa_ward", "lsoa_code"),
}


def _text_list(values: tuple[str, ...]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _raw(column: str) -> str:
    return f"nullif(trim(s.{quote(column)}), '')"


def _column_rules(column: Column, load_date: dt.date) -> list[tuple[str, str]]:
    """(condition, reason) pairs for one column, in the order they are tried."""
    raw = _raw(column.name)
    rules: list[tuple[str, str]] = []
    if column.required:
        rules.append((f"{raw} IS NULL", "missing_value"))
    if column.kind == "date":
        rules += [
            (
                f"NOT regexp_full_match({raw}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') "
                f"OR try_cast({raw} AS DATE) IS NULL",
                "not_a_date",
            ),
            (f"try_cast({raw} AS DATE) > DATE '{load_date.isoformat()}'", "date_in_future"),
            (f"try_cast({raw} AS DATE) < DATE '{EARLIEST_DATE}'", "out_of_range"),
        ]
    elif column.kind == "integer":
        rules.append((f"NOT regexp_full_match({raw}, '[+-]?[0-9]{{1,15}}')", "not_an_integer"))
        bounds = []
        if column.minimum is not None:
            bounds.append(f"try_cast({raw} AS BIGINT) < {column.minimum}")
        if column.maximum is not None:
            bounds.append(f"try_cast({raw} AS BIGINT) > {column.maximum}")
        if bounds:
            rules.append((" OR ".join(bounds), "out_of_range"))
    elif column.kind == "boolean":
        words = _text_list(TRUE_WORDS + FALSE_WORDS)
        rules.append((f"lower({raw}) NOT IN ({words})", "not_a_boolean"))
    elif column.kind == "enum":
        rules.append((f"{raw} NOT IN ({_text_list(column.values)})", "not_in_enumeration"))
    elif column.kind == "enum_list":
        items = f"list_transform(string_split({raw}, ';'), lambda x: trim(x))"
        rules.append(
            (f"NOT list_has_all([{_text_list(column.values)}], {items})", "not_in_enumeration")
        )
    elif column.kind in CODE_PATTERNS:
        pattern, table, key = CODE_PATTERNS[column.kind]
        rules += [
            (f"NOT regexp_full_match({raw}, '{pattern}')", "malformed_code"),
            (f"{raw} NOT IN (SELECT {key} FROM {table})", "unknown_code"),
        ]
    # A rule only fires on a filled value; emptiness is `missing_value`'s job.
    return [
        (cond if reason == "missing_value" else f"{raw} IS NOT NULL AND ({cond})", reason)
        for cond, reason in rules
    ]


def failure_case(table: Table, load_date: dt.date) -> str:
    """A CASE expression giving `column|reason` for the first broken rule, else NULL."""
    whens: list[str] = []
    for column in table.columns:
        for condition, reason in _column_rules(column, load_date):
            whens.append(f"WHEN {condition} THEN '{column.name}|{reason}'")
    for first, second in table.together:
        a, b = _raw(first), _raw(second)
        whens.append(f"WHEN {a} IS NULL AND {b} IS NOT NULL THEN '{first}|inconsistent'")
        whens.append(f"WHEN {a} IS NOT NULL AND {b} IS NULL THEN '{second}|inconsistent'")
    for earlier, later in table.date_order:
        whens.append(
            f"WHEN try_cast({_raw(later)} AS DATE) < try_cast({_raw(earlier)} AS DATE) "
            f"THEN '{later}|date_out_of_order'"
        )
    return "CASE\n    " + "\n    ".join(whens) + "\n  END"


def typed(column: Column) -> str:
    """The SQL that turns a checked text value into its warehouse type."""
    raw = _raw(column.name)
    if column.kind == "date":
        return f"try_cast({raw} AS DATE)"
    if column.kind == "integer":
        return f"try_cast({raw} AS BIGINT)"
    if column.kind == "boolean":
        return f"lower({raw}) IN ({_text_list(TRUE_WORDS)})"
    if column.kind == "enum_list":
        return f"list_transform(string_split({raw}, ';'), lambda x: trim(x))"
    return raw


def checked_sql(table: Table, stage_table: str, load_date: dt.date) -> str:
    """SELECT returning `__line`, `__failure` and every contract column, typed.

    Typed values are only trusted where `__failure` is NULL; duplicate keys
    are looked for among rows that passed every other rule, so a broken first
    copy does not push out a good second one.
    """
    typed_columns = ",\n    ".join(
        f"CASE WHEN __failure IS NULL THEN {typed(c)} END AS {quote(c.name)}" for c in table.columns
    )
    key = ", ".join(quote(k) for k in table.key)
    ref_rules = "".join(
        f"\n      WHEN {quote(r.column)} IS NOT NULL AND {quote(r.column)} NOT IN "
        f"(SELECT {quote(r.parent_column)} FROM {r.parent_table}) "
        f"THEN '{r.column}|unknown_reference'"
        for r in table.references
    )
    return f"""
WITH rules AS (
  SELECT {failure_case(table, load_date)} AS __failure, s.*
  FROM {stage_table} s
), typed AS (
  SELECT __line, __failure,
    {typed_columns}
  FROM rules s
), ranked AS (
  SELECT *, CASE WHEN __failure IS NULL
    THEN row_number() OVER (PARTITION BY __failure IS NULL, {key} ORDER BY __line) END AS __copy
  FROM typed
)
SELECT * EXCLUDE (__copy, __failure),
  CASE
      WHEN __failure IS NOT NULL THEN __failure
      WHEN __copy > 1 THEN '{table.key[0]}|duplicate_key'{ref_rules}
  END AS __failure
FROM ranked
"""


def quarantine_sql(
    table_name: str, file_name: str, checked: str, stage_table: str, header: list[str]
) -> str:
    """INSERT of the failing rows of `checked` into `quarantine`, with a readable detail."""
    value_of = " ".join(f"WHEN '{h}' THEN s.{quote(h)}" for h in header)
    reasons = " ".join(f"WHEN '{k}' THEN {text(v)}" for k, v in REASONS.items())
    record = ", ".join(f"{quote(h)} := s.{quote(h)}" for h in header)
    return f"""
INSERT INTO quarantine
SELECT '{table_name}', '{file_name}', c.__line, split_part(c.__failure, '|', 1),
  split_part(c.__failure, '|', 2),
  split_part(c.__failure, '|', 1) || ' ' ||
    (CASE split_part(c.__failure, '|', 2) {reasons} END) ||
    coalesce(': ''' || (CASE split_part(c.__failure, '|', 1) {value_of} END) || '''', ''),
  to_json(struct_pack({record}))::VARCHAR
FROM {checked} c JOIN {stage_table} s USING (__line)
WHERE c.__failure IS NOT NULL
ORDER BY c.__line
"""
