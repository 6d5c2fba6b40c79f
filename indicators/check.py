"""`python -m indicators check`: every mistake in the definitions, all at once.

Each rule is a small function that yields `Issue`s for one concern (the dbt
semantic-interfaces pattern): adding a check is adding a rule to `RULES`.
Rules that need the warehouse (tables, columns, SQL that must prepare) get
its schema and a read-only connection with file access switched off, so an
analyst's SQL fragment can neither write, attach nor read files.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from indicators import spec
from indicators.spec import (
    BENCHMARK_METHODS,
    CI_METHODS,
    DERIVED_BREAKDOWNS,
    MEASURE_TYPES,
    POLARITIES,
    Indicator,
    LineDict,
    Strategy,
    line_of,
)

TOP_LEVEL_KEYS = {"strategy", "aims", "indicators", "jsna"}
REQUIRED_KEYS = {
    "id",
    "aim",
    "title",
    "description",
    "source",
    "date",
    "measure",
    "unit",
    "polarity",
    "ci",
    "owner",
}
OPTIONAL_KEYS = {"breakdowns", "where", "baseline", "target", "benchmark", "disclosure", "monthly"}
MEASURE_KEYS = {"type", "numerator", "denominator", "value", "category", "multiplier"}
TALLY_KEYS = {"count_distinct", "count", "sum", "population", "where"}
TEXT_FIELDS = ("id", "aim", "title", "description", "source", "date", "unit", "owner")
CI_FOR_MEASURE = {
    "proportion": {"wilson"},
    "share_by_category": {"wilson"},
    "rate": {"byar"},
    "count": {"byar", "none"},
    "mean": {"student_t"},
    "median": {"none"},
}
AGE_BANDS = {"0-4", "5-9", "10-15", "16-17", "0-17", "all"}
PERIOD_LABEL = re.compile(r"(\d{4}/\d{2}|\d{4} H[12])")
ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Issue:
    """One mistake: which indicator, which field, which line, what is wrong."""

    kind: str
    indicator_id: str
    field: str
    line: int
    message: str

    def format(self, path: Path) -> str:
        where = f"{path.name}:{self.line}: {self.indicator_id}.{self.field}"
        return f"{where}: {self.message} [{self.kind}]"


@dataclass
class Context:
    """What the rules may consult: the parsed file and, if there is one, the warehouse."""

    strategy: Strategy
    schema: dict[str, dict[str, str]] | None
    con: duckdb.DuckDBPyConnection | None


Rule = Callable[[Context], Iterator[Issue]]


def _issue(
    kind: str,
    indicator: Indicator,
    field: str,
    message: str,
    mapping: LineDict | None = None,
    key: str | None = None,
) -> Issue:
    where = mapping if mapping is not None else indicator.raw
    return Issue(
        kind, indicator.id or "?", field, line_of(where, key or field.split(".")[-1]), message
    )


def top_level_keys(ctx: Context) -> Iterator[Issue]:
    for key in set(ctx.strategy.document) - TOP_LEVEL_KEYS:
        yield Issue(
            "unknown_key",
            "-",
            key,
            line_of(ctx.strategy.document, key),
            f"unknown top-level key {key!r} (expected {', '.join(sorted(TOP_LEVEL_KEYS))})",
        )


def indicator_keys(ctx: Context) -> Iterator[Issue]:
    for ind in ctx.strategy.indicators:
        for key in sorted(set(ind.raw) - REQUIRED_KEYS - OPTIONAL_KEYS):
            yield _issue("unknown_key", ind, key, f"unknown key {key!r}")
        for key in sorted(REQUIRED_KEYS - set(ind.raw)):
            yield Issue(
                "missing_key", ind.id or "?", key, ind.raw.line, f"required key {key!r} is missing"
            )


def field_types(ctx: Context) -> Iterator[Issue]:
    for ind in ctx.strategy.indicators:
        raw = ind.raw
        for key in TEXT_FIELDS:
            if key in raw and not isinstance(raw[key], str):
                yield _issue("wrong_type", ind, key, f"must be text, not {type(raw[key]).__name__}")
        if "breakdowns" in raw and not (
            isinstance(raw["breakdowns"], list)
            and all(isinstance(b, str) for b in raw["breakdowns"])
        ):
            yield _issue("wrong_type", ind, "breakdowns", "must be a list of column names")
        if "monthly" in raw and not isinstance(raw["monthly"], bool):
            yield _issue("wrong_type", ind, "monthly", "must be true or false")
        if "measure" in raw and not isinstance(raw["measure"], dict):
            yield _issue("wrong_type", ind, "measure", "must be a mapping with a type")
        measure = raw.get("measure")
        if (
            isinstance(measure, dict)
            and "multiplier" in measure
            and not (isinstance(measure["multiplier"], int | float) and measure["multiplier"] > 0)
        ):
            yield _issue(
                "wrong_type", ind, "measure.multiplier", "must be a positive number", measure
            )
        for key in ("baseline", "target", "benchmark", "disclosure"):
            if key in raw and not isinstance(raw[key], dict):
                yield _issue("wrong_type", ind, key, "must be a mapping")


def id_format(ctx: Context) -> Iterator[Issue]:
    for ind in ctx.strategy.indicators:
        if "id" in ind.raw and not ID_PATTERN.fullmatch(ind.id):
            yield _issue(
                "invalid_id", ind, "id", f"{ind.id!r} must be lower_snake_case (letters, digits, _)"
            )


def duplicate_ids(ctx: Context) -> Iterator[Issue]:
    counts = Counter(i.id for i in ctx.strategy.indicators if i.id)
    seen: set[str] = set()
    for ind in ctx.strategy.indicators:
        if counts[ind.id] > 1:
            if ind.id in seen:
                yield _issue("duplicate_id", ind, "id", f"id {ind.id!r} is used more than once")
            seen.add(ind.id)


def known_aim(ctx: Context) -> Iterator[Issue]:
    aims = {a.id for a in ctx.strategy.aims}
    for ind in ctx.strategy.indicators:
        if ind.aim and ind.aim not in aims:
            yield _issue(
                "unknown_aim",
                ind,
                "aim",
                f"aim {ind.aim!r} is not one of {', '.join(sorted(aims))}",
            )


def allowed_values(ctx: Context) -> Iterator[Issue]:
    for ind in ctx.strategy.indicators:
        measure = ind.raw.get("measure")
        if isinstance(measure, dict) and measure.get("type") not in MEASURE_TYPES:
            yield _issue(
                "unknown_measure_type",
                ind,
                "measure.type",
                f"{measure.get('type')!r} is not one of {', '.join(MEASURE_TYPES)}",
                measure,
            )
        if "polarity" in ind.raw and ind.polarity not in POLARITIES:
            yield _issue(
                "invalid_polarity",
                ind,
                "polarity",
                f"{ind.raw['polarity']!r} is not one of {', '.join(POLARITIES)}",
            )
        if "ci" in ind.raw and ind.raw["ci"] not in CI_METHODS:
            yield _issue(
                "unknown_ci_method",
                ind,
                "ci",
                f"{ind.raw['ci']!r} is not one of {', '.join(CI_METHODS)}",
            )
        if ind.benchmark_method not in BENCHMARK_METHODS:
            yield _issue(
                "unknown_benchmark_method",
                ind,
                "benchmark.method",
                f"{ind.benchmark_method!r} is not one of {', '.join(BENCHMARK_METHODS)}",
                ind.raw.get("benchmark"),
                "method",
            )


def measure_shape(ctx: Context) -> Iterator[Issue]:
    """Each measure type has the parts it needs, and only known parts."""
    for ind in ctx.strategy.indicators:
        measure = ind.raw.get("measure")
        if not isinstance(measure, dict):
            continue
        for key in sorted(set(measure) - MEASURE_KEYS):
            yield _issue("unknown_key", ind, f"measure.{key}", f"unknown key {key!r}", measure)
        for part in ("numerator", "denominator"):
            tally = measure.get(part)
            if isinstance(tally, dict):
                kinds = [k for k in tally if k != "where"]
                if len(kinds) != 1 or kinds[0] not in TALLY_KEYS:
                    yield _issue(
                        "invalid_tally",
                        ind,
                        f"measure.{part}",
                        "must be one of count_distinct: COLUMN, count: '*', sum: COLUMN "
                        "or population: AGE_BAND, with an optional where",
                        measure,
                        part,
                    )
        needs = {
            "proportion": ("numerator", "denominator"),
            "rate": ("numerator", "denominator"),
            "count": ("numerator",),
            "mean": ("value",),
            "median": ("value",),
            "share_by_category": ("category",),
        }.get(ind.measure.type, ())
        for part in needs:
            if part not in measure:
                yield _issue(
                    "incomplete_measure",
                    ind,
                    f"measure.{part}",
                    f"a {ind.measure.type} measure needs {part!r}",
                    measure,
                    "type",
                )
        denominator = ind.measure.denominator
        if ind.measure.type == "rate" and denominator and denominator.kind != "population":
            yield _issue(
                "incomplete_measure",
                ind,
                "measure.denominator",
                "a rate's denominator is population: AGE_BAND",
                measure,
                "denominator",
            )
        if denominator and denominator.kind == "population" and denominator.column not in AGE_BANDS:
            yield _issue(
                "unknown_age_band",
                ind,
                "measure.denominator",
                f"age band {denominator.column!r} is not one of {', '.join(sorted(AGE_BANDS))}",
                measure,
                "denominator",
            )


def ci_fits_measure(ctx: Context) -> Iterator[Issue]:
    for ind in ctx.strategy.indicators:
        allowed = CI_FOR_MEASURE.get(ind.measure.type)
        if allowed and ind.ci in CI_METHODS and ind.ci not in allowed:
            yield _issue(
                "ci_mismatch",
                ind,
                "ci",
                f"{ind.ci!r} does not fit a {ind.measure.type}; use {' or '.join(sorted(allowed))}",
            )


def periods_and_target(ctx: Context) -> Iterator[Issue]:
    for ind in ctx.strategy.indicators:
        for key, label in (("baseline", ind.baseline_period), ("target", ind.target_period)):
            if label and not PERIOD_LABEL.fullmatch(label):
                yield _issue(
                    "invalid_period",
                    ind,
                    f"{key}.period",
                    f"{label!r} is not a period like 2019/20 or 2021 H1",
                    ind.raw.get(key),
                    "period",
                )
        target = ind.raw.get("target")
        if isinstance(target, dict):
            if "value" in target and not isinstance(target["value"], int | float):
                yield _issue("wrong_type", ind, "target.value", "must be a number", target, "value")
            if "value" in target and "period" not in target:
                yield _issue(
                    "target_without_period",
                    ind,
                    "target.period",
                    "a target needs the period it should be met by",
                    target,
                    "value",
                )
            value = ind.target_value
            if (
                value is not None
                and ind.measure.type in ("proportion", "share_by_category")
                and not 0 <= value <= ind.measure.multiplier
            ):
                yield _issue(
                    "target_out_of_range",
                    ind,
                    "target.value",
                    f"{value} is outside 0-{ind.measure.multiplier:g} for a proportion",
                    target,
                    "value",
                )


def disclosure_threshold(ctx: Context) -> Iterator[Issue]:
    for ind in ctx.strategy.indicators:
        disclosure = ind.raw.get("disclosure")
        if isinstance(disclosure, dict) and "min_count" in disclosure:
            value = disclosure["min_count"]
            if not (isinstance(value, int) and not isinstance(value, bool) and value >= 1):
                yield _issue(
                    "invalid_min_count",
                    ind,
                    "disclosure.min_count",
                    f"{value!r} must be a whole number of at least 1",
                    disclosure,
                    "min_count",
                )


def _columns(ind: Indicator) -> Iterator[tuple[str, str, LineDict | None, str]]:
    """(field, column, mapping, key) for every column name a definition uses."""
    measure = ind.raw.get("measure") if isinstance(ind.raw.get("measure"), dict) else None
    if ind.date:
        yield "date", ind.date, None, "date"
    for part, tally in (
        ("numerator", ind.measure.numerator),
        ("denominator", ind.measure.denominator),
    ):
        if tally and tally.kind in ("count_distinct", "sum"):
            yield f"measure.{part}", tally.column, measure, part
    if ind.measure.category:
        yield "measure.category", ind.measure.category, measure, "category"
    for breakdown in ind.breakdowns:
        yield "breakdowns", DERIVED_BREAKDOWNS.get(breakdown, breakdown), None, "breakdowns"


def tables_and_columns(ctx: Context) -> Iterator[Issue]:
    if ctx.schema is None:
        return
    for ind in ctx.strategy.indicators:
        if not ind.source:
            continue
        columns = ctx.schema.get(ind.source)
        if columns is None:
            yield _issue(
                "unknown_source", ind, "source", f"table {ind.source!r} is not in the warehouse"
            )
            continue
        for field, column, mapping, key in _columns(ind):
            if column not in columns:
                yield _issue(
                    "unknown_column",
                    ind,
                    field,
                    f"column {column!r} is not in table {ind.source!r}",
                    mapping,
                    key,
                )
            elif field == "date" and columns[column] != "DATE":
                yield _issue(
                    "not_a_date_column",
                    ind,
                    "date",
                    f"column {column!r} is {columns[column]}, not a DATE",
                )


def _fragments(ind: Indicator) -> Iterator[tuple[str, str, str, LineDict | None, str]]:
    """(field, kind, sql, mapping, key) for every SQL fragment an analyst wrote."""
    measure = ind.raw.get("measure") if isinstance(ind.raw.get("measure"), dict) else None
    if ind.where:
        yield "where", "filter", ind.where, None, "where"
    for part, tally in (
        ("numerator", ind.measure.numerator),
        ("denominator", ind.measure.denominator),
    ):
        if tally and tally.where:
            yield f"measure.{part}.where", "filter", tally.where, measure, part
    if ind.measure.value:
        yield "measure.value", "value", ind.measure.value, measure, "value"


def sql_fragments(ctx: Context) -> Iterator[Issue]:
    """Every `where` and `value` must prepare against its table, read-only and without files."""
    if ctx.con is None or ctx.schema is None:
        return
    for ind in ctx.strategy.indicators:
        if ind.source not in ctx.schema:
            continue
        for field, kind, fragment, mapping, key in _fragments(ind):
            query = (
                f"SELECT count(*) FROM {ind.source} WHERE ({fragment})"
                if kind == "filter"
                else f"SELECT ({fragment}) FROM {ind.source}"
            )
            try:
                ctx.con.execute(f"PREPARE __fragment AS {query}")
                ctx.con.execute("DEALLOCATE __fragment")
            except duckdb.PermissionException as err:
                yield _issue(
                    "forbidden_sql",
                    ind,
                    field,
                    f"the SQL tries to read, write or attach files: {_first_line(err)}",
                    mapping,
                    key,
                )
            except duckdb.Error as err:
                yield _issue(
                    "invalid_sql",
                    ind,
                    field,
                    f"DuckDB cannot prepare {fragment!r}: {_first_line(err)}",
                    mapping,
                    key,
                )


def _first_line(err: Exception) -> str:
    return str(err).splitlines()[0]


def aims_covered(ctx: Context) -> Iterator[Issue]:
    counts = Counter(i.aim for i in ctx.strategy.indicators)
    for aim in ctx.strategy.aims:
        if counts[aim.id] == 0:
            yield Issue(
                "aim_without_indicators",
                "-",
                f"aims.{aim.id}",
                line_of(ctx.strategy.document, "aims"),
                f"aim {aim.id!r} has no indicator",
            )


RULES: tuple[Rule, ...] = (
    top_level_keys,
    indicator_keys,
    field_types,
    id_format,
    duplicate_ids,
    known_aim,
    allowed_values,
    measure_shape,
    ci_fits_measure,
    periods_and_target,
    disclosure_threshold,
    tables_and_columns,
    sql_fragments,
    aims_covered,
)


def warehouse_schema(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'main'"
    ).fetchall()
    schema: dict[str, dict[str, str]] = {}
    for table, column, data_type in rows:
        schema.setdefault(table, {})[column] = data_type
    return schema


def sandboxed(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """No file access from analysts' SQL, and no way to switch it back on."""
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def check_file(path: Path, warehouse: Path | None) -> list[Issue]:
    """All issues in `path`, sorted by line; a YAML syntax error is one issue."""
    try:
        strategy = spec.load_strategy(path)
    except spec.SpecError as err:
        return [Issue("yaml_syntax", "-", "-", err.line, err.message)]
    con = None
    if warehouse is not None and Path(warehouse).exists():
        con = sandboxed(duckdb.connect(str(warehouse), read_only=True))
    try:
        ctx = Context(strategy, warehouse_schema(con) if con else None, con)
        issues = [issue for rule in RULES for issue in rule(ctx)]
    finally:
        if con is not None:
            con.close()
    return sorted(issues, key=lambda i: (i.line, i.indicator_id, i.field))
