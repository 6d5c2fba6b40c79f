"""Compile one indicator definition into one SQL query.

The query counts with `GROUPING SETS` over period × (city, each breakdown),
for half-year review periods and financial years at once, and joins the
population denominator where the measure is a rate. It returns counts only;
values, intervals and everything statistical happen in `compute`, vectorised
over the result. The SQL for every shipped indicator is snapshotted in
`tests/engine/snapshots/` so a change in what we generate shows in review.
"""

from __future__ import annotations

from indicators.config.spec import DERIVED_BREAKDOWNS, Indicator, Tally
from indicators.load.contract import TABLES_BY_NAME
from indicators.measure_kinds import Denominator
from indicators.store.sql import quote, text
from indicators.ward_vintages import VINTAGES, WARD_AREA_TYPES, WARD_BREAKDOWN

# Grouping columns for the two kinds of review period. The names keep clear of the
# tables' stored period keys, which follow each table's default date (an indicator
# may count episodes by end date, not start date).
PERIOD_COLUMNS = ("__half_year", "__financial_year")


def period_expressions(date: str) -> dict[str, str]:
    """Half-year and financial-year labels of `date` in plain SQL (no warehouse macros),
    so the same query transpiles to other engines; equal to `periods.review_period` and
    `periods.financial_year` (tested)."""
    month = f"EXTRACT(MONTH FROM {date})"
    start = (
        f"(CASE WHEN {month} >= 4 THEN EXTRACT(YEAR FROM {date}) "
        f"ELSE EXTRACT(YEAR FROM {date}) - 1 END)"
    )
    return {
        "__half_year": f"CAST({start} AS VARCHAR) || "
        f"CASE WHEN {month} BETWEEN 4 AND 9 THEN ' H1' ELSE ' H2' END",
        "__financial_year": f"CAST({start} AS VARCHAR) || '/' || "
        f"LPAD(CAST(MOD({start} + 1, 100) AS VARCHAR), 2, '0')",
    }


def _filter(*conditions: str | None) -> str:
    present = [f"({c})" for c in conditions if c]
    return " AND ".join(present) if present else "TRUE"


def _tally_sql(tally: Tally, source: str) -> str:
    where = f" FILTER (WHERE {tally.where})" if tally.where else ""
    table = TABLES_BY_NAME.get(source)
    if tally.kind == "count_distinct" and table and table.key == (tally.column,):
        # The loader guarantees the key is unique: counting rows is the same, and cheaper.
        return f"count({quote(tally.column)}){where}"
    if tally.kind == "count_distinct":
        return f"count(DISTINCT {quote(tally.column)}){where}"
    if tally.kind == "count":
        return f"count(*){where}"
    return f"coalesce(sum({quote(tally.column)}){where}, 0)"


def _aggregates(indicator: Indicator) -> list[str]:
    """numerator, denominator and, for means, the spread — as SQL select items."""
    measure = indicator.measure
    centre = measure.kind.centre
    if centre is not None:
        value = f"({measure.value})"
        return [
            f"count({value}) AS numerator",
            f"count({value}) AS denominator",
            f"{centre}({value}) AS statistic",
            f"stddev_samp({value}) AS spread",
        ]
    source = indicator.source
    numerator = _tally_sql(measure.numerator, source) if measure.numerator else "count(*)"
    items = [f"{numerator} AS numerator"]
    denominator = measure.denominator
    if measure.kind.denominator is Denominator.TALLY and denominator:
        items.append(f"{_tally_sql(denominator, source)} AS denominator")
    else:
        items.append("NULL::DOUBLE AS denominator")
    return [*items, "NULL::DOUBLE AS statistic", "NULL::DOUBLE AS spread"]


def _key(breakdown: str) -> str:
    """The grouping column for a breakdown, named apart from the table's own columns."""
    return quote(f"__by_{breakdown}")


def breakdown_columns(indicator: Indicator) -> dict[str, str]:
    """Breakdown name → the warehouse column it cuts by.

    A definition's `ward` breakdown is every ward vintage (`ward_vintages`): the
    2011–2023 wards and the May 2023 wards are counted in the same query.
    """
    columns: dict[str, str] = {}
    for breakdown in indicator.breakdowns:
        if breakdown == WARD_BREAKDOWN:
            columns.update({v.area_type: v.column for v in VINTAGES})
        else:
            columns[breakdown] = DERIVED_BREAKDOWNS.get(breakdown, breakdown)
    return columns


def _grouping_sets(indicator: Indicator, breakdowns: list[str]) -> list[str]:
    share = ["__category"] if indicator.measure.kind.by_category else []
    sets = []
    for period in PERIOD_COLUMNS:
        sets.append("(" + ", ".join([period, *share]) + ")")
        for breakdown in breakdowns:
            sets.append("(" + ", ".join([period, _key(breakdown), *share]) + ")")
    return sets


def _keyed(indicator: Indicator, columns: dict[str, str]) -> str:
    """The `keyed` CTE: the source's rows in scope, with period, breakdown and category keys."""
    date = quote(indicator.date)
    keyed = [f"{sql} AS {period}" for period, sql in period_expressions(date).items()]
    keyed += [
        f"coalesce(CAST({quote(column)} AS VARCHAR), 'unknown') AS {_key(name)}"
        for name, column in columns.items()
    ]
    if indicator.measure.kind.by_category:
        keyed.append(
            f"coalesce(CAST({quote(indicator.measure.category or '')} AS VARCHAR), 'unknown') "
            "AS __category"
        )
    return f"""WITH keyed AS (
  SELECT *, {", ".join(keyed)}
  FROM {quote(indicator.source)}
  WHERE {date} IS NOT NULL AND {_filter(indicator.where)}
)"""  # noqa: S608 (names quoted; analyst fragments passed check: one expression over analyst tables)


def compile_indicator(indicator: Indicator) -> str:
    """The one query for `indicator`: one row per period type, period, breakdown and category."""
    columns = breakdown_columns(indicator)
    breakdowns = list(columns)
    is_share = indicator.measure.kind.by_category
    breakdown_case = (
        "CASE "
        + " ".join(f"WHEN GROUPING({_key(b)}) = 0 THEN {text(b)}" for b in breakdowns)
        + " ELSE 'all' END"
        if breakdowns
        else "'all'"
    )
    category = "coalesce(" + ", ".join([*(_key(b) for b in breakdowns), "'all'"]) + ")"
    share_select = ", __category AS share_category" if is_share else ", NULL AS share_category"
    query = _counted(
        indicator,
        columns,
        f"{breakdown_case} AS breakdown,\n    {category} AS category{share_select}",
        _aggregates(indicator),
        ", ".join(_grouping_sets(indicator, breakdowns)),
    )
    if is_share:
        query += """
SELECT period_type, period, breakdown, category, share_category, numerator,
  sum(numerator) OVER (PARTITION BY period_type, period, breakdown, category) AS denominator,
  statistic, spread, CAST(NULL AS INTEGER) AS population_year
FROM counted"""
    elif _per_population(indicator):
        query += _population_join(indicator.measure.denominator.column)
    else:
        query += "\nSELECT *, CAST(NULL AS INTEGER) AS population_year FROM counted"
    return query + "\nORDER BY period_type, period, breakdown, category"


def compile_ward_overlaps(indicator: Indicator) -> str | None:
    """Counts per period and pair of wards (2011–2023 ward, May 2023 ward), never published.

    The two ward sets overlap through shared LSOAs, so a 2011 ward minus the
    2023 ward that shares most of it is the count in the rest; disclosure
    control needs these overlaps to know what such a difference reveals
    (`indicators.disclosure.publication`). None for an indicator without a ward
    breakdown. Same counting as `compile_indicator`; a rate's population is not
    a count and is left out (NULL denominator).
    """
    if WARD_BREAKDOWN not in indicator.breakdowns:
        return None
    columns = {v.area_type: v.column for v in VINTAGES}
    wards = [_key(v.area_type) for v in VINTAGES]
    share = ["__category"] if indicator.measure.kind.by_category else []
    sets = ", ".join("(" + ", ".join([p, *wards, *share]) + ")" for p in PERIOD_COLUMNS)
    aggregates = _aggregates(indicator)
    if _per_population(indicator):
        aggregates[1] = "NULL::DOUBLE AS denominator"
    share_select = ", __category AS share_category" if share else ", NULL AS share_category"
    pairs = ", ".join(f"{key} AS {v.area_type}" for key, v in zip(wards, VINTAGES, strict=True))
    query = _counted(indicator, columns, pairs + share_select, aggregates, sets)
    pair = ", ".join(v.area_type for v in VINTAGES)
    denominator = (
        f"sum(numerator) OVER (PARTITION BY period_type, period, {pair})"
        if share
        else "denominator"
    )
    return (
        query + f"\nSELECT period_type, period, {pair}, share_category, numerator,\n"
        f"  {denominator} AS denominator\nFROM counted ORDER BY ALL"
    )


def _counted(
    indicator: Indicator, columns: dict[str, str], selected: str, aggregates: list[str], sets: str
) -> str:
    """The keyed rows counted by period type, period and `selected` keys over the GROUPING
    SETS `sets`: the part the published query and the ward overlaps share."""
    return f"""{_keyed(indicator, columns)}, counted AS (
  SELECT
    CASE WHEN GROUPING(__half_year) = 0 THEN 'half_year' ELSE 'financial_year' END
      AS period_type,
    coalesce(__half_year, __financial_year) AS period,
    {selected},
    {", ".join(aggregates)}
  FROM keyed
  GROUP BY GROUPING SETS ({sets})
)"""  # noqa: S608 (names quoted; analyst fragments passed check: one expression over analyst tables)


def _per_population(indicator: Indicator) -> bool:
    """A rate: its denominator is joined from the population estimates, not counted."""
    measure = indicator.measure
    return measure.kind.denominator is Denominator.POPULATION and measure.denominator is not None


def _population_join(age_band: str) -> str:
    """Denominators for a rate: the nearest population estimate for each area and period.

    Wards (of either vintage) and deprivation deciles use small-area estimates, the
    sum of their LSOAs' estimates; the city and every
    other breakdown (a rate of requests from schools is per child in the city)
    use the city's population. `population_nearest` is worked out at load
    (`reference.POPULATION_NEAREST_SQL`); its year is returned, so a result
    can say when the estimate is not the period's own.
    """
    small_areas = ", ".join(text(kind) for kind in (*WARD_AREA_TYPES, "deprivation_decile"))
    area = f"CASE WHEN c.breakdown IN ({small_areas}) THEN {{}} ELSE 'all' END"
    return f"""
SELECT c.period_type, c.period, c.breakdown, c.category, c.share_category, c.numerator,
  CAST(n.population AS DOUBLE) AS denominator, c.statistic, c.spread, n.population_year
FROM counted c LEFT JOIN population_nearest n
  ON n.age_band = {text(age_band)}
  AND n.kind = {area.format("c.breakdown")}
  AND n.key = {area.format("c.category")}
  AND n.period_year = CAST(SUBSTRING(c.period, 1, 4) AS INTEGER)"""  # noqa: S608 (names quoted; analyst fragments passed check: one expression over analyst tables)


def compile_monthly(indicator: Indicator) -> str:
    """The city's figure for each calendar month (`2021-04`), for SPC charts.

    Only for indicators marked `monthly: true`; the same counting as
    `compile_indicator`, without breakdowns.
    """
    date = quote(indicator.date)
    query = f"""WITH counted AS (
  SELECT 'month' AS period_type, strftime({date}, '%Y-%m') AS period, 'all' AS breakdown,
    'all' AS category, NULL AS share_category,
    {", ".join(_aggregates(indicator))}
  FROM {quote(indicator.source)}
  WHERE {date} IS NOT NULL AND {_filter(indicator.where)}
  GROUP BY ALL
)"""  # noqa: S608 (names quoted; analyst fragments passed check: one expression over analyst tables)
    if _per_population(indicator):
        query += _population_join(indicator.measure.denominator.column)
    else:
        query += "\nSELECT *, CAST(NULL AS INTEGER) AS population_year FROM counted"
    return query + "\nORDER BY period"
