"""Compile one indicator definition into one SQL query.

The query counts with `GROUPING SETS` over period × (city, each breakdown),
for half-year review periods and financial years at once, and joins the
population denominator where the measure is a rate. It returns counts only;
values, intervals and everything statistical happen in `compute`, vectorised
over the result. The SQL for every shipped indicator is snapshotted in
`tests/snapshots/` so a change in what we generate shows in review.
"""

from __future__ import annotations

from indicators.contract import TABLES_BY_NAME
from indicators.spec import DERIVED_BREAKDOWNS, Indicator, Tally
from indicators.sql import quote, text

# Grouping column → the macro that derives it from the indicator's own date. The
# names keep clear of the tables' stored period keys, which follow each table's
# default date (an indicator may count episodes by end date, not start date).
PERIOD_COLUMNS = {"__half_year": "review_period", "__financial_year": "financial_year"}
# Population years the nearest-estimate lookup covers (periods outside use the ends).
POPULATION_YEARS = (2010, 2031)


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
    if measure.type in ("mean", "median"):
        value = f"({measure.value})"
        centre = "avg" if measure.type == "mean" else "median"
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
    if measure.type == "proportion" and denominator:
        items.append(f"{_tally_sql(denominator, source)} AS denominator")
    else:
        items.append("NULL::DOUBLE AS denominator")
    return [*items, "NULL::DOUBLE AS statistic", "NULL::DOUBLE AS spread"]


def _key(breakdown: str) -> str:
    """The grouping column for a breakdown, named apart from the table's own columns."""
    return quote(f"__by_{breakdown}")


def breakdown_columns(indicator: Indicator) -> dict[str, str]:
    """Breakdown name → the warehouse column it cuts by."""
    return {b: DERIVED_BREAKDOWNS.get(b, b) for b in indicator.breakdowns}


def _grouping_sets(indicator: Indicator, breakdowns: list[str]) -> list[str]:
    share = ["__category"] if indicator.measure.type == "share_by_category" else []
    sets = []
    for period in PERIOD_COLUMNS:
        sets.append("(" + ", ".join([period, *share]) + ")")
        for breakdown in breakdowns:
            sets.append("(" + ", ".join([period, _key(breakdown), *share]) + ")")
    return sets


def compile_indicator(indicator: Indicator, city_code: str) -> str:
    """The one query for `indicator`: one row per period type, period, breakdown and category."""
    columns = breakdown_columns(indicator)
    breakdowns = list(columns)
    is_share = indicator.measure.type == "share_by_category"
    date = quote(indicator.date)
    keyed = [f"{fn}({date}) AS {period}" for period, fn in PERIOD_COLUMNS.items()]
    keyed += [
        f"coalesce({quote(column)}::VARCHAR, 'unknown') AS {_key(name)}"
        for name, column in columns.items()
    ]
    if is_share:
        keyed.append(
            f"coalesce({quote(indicator.measure.category or '')}::VARCHAR, 'unknown') AS __category"
        )
    breakdown_case = (
        "CASE "
        + " ".join(f"WHEN GROUPING({_key(b)}) = 0 THEN {text(b)}" for b in breakdowns)
        + " ELSE 'all' END"
        if breakdowns
        else "'all'"
    )
    category = "coalesce(" + ", ".join([*(_key(b) for b in breakdowns), "'all'"]) + ")"
    share_select = ", __category AS share_category" if is_share else ", NULL AS share_category"
    query = f"""WITH keyed AS (
  SELECT *, {", ".join(keyed)}
  FROM {indicator.source}
  WHERE {date} IS NOT NULL AND {_filter(indicator.where)}
), counted AS (
  SELECT
    CASE WHEN GROUPING(__half_year) = 0 THEN 'half_year' ELSE 'financial_year' END
      AS period_type,
    coalesce(__half_year, __financial_year) AS period,
    {breakdown_case} AS breakdown,
    {category} AS category{share_select},
    {", ".join(_aggregates(indicator))}
  FROM keyed
  GROUP BY GROUPING SETS ({", ".join(_grouping_sets(indicator, breakdowns))})
)"""
    if is_share:
        query += """
SELECT * REPLACE (sum(numerator) OVER (
  PARTITION BY period_type, period, breakdown, category) AS denominator),
  NULL::INTEGER AS population_year
FROM counted"""
    elif indicator.measure.type == "rate" and indicator.measure.denominator:
        query += _population_join(indicator.measure.denominator.column, city_code)
    else:
        query += "\nSELECT *, NULL::INTEGER AS population_year FROM counted"
    return query + "\nORDER BY period_type, period, breakdown, category"


def _population_join(age_band: str, city_code: str) -> str:
    """Denominators for a rate: the nearest population estimate for each area and period.

    Wards and deprivation deciles use small-area estimates; the city and every
    other breakdown (a rate of requests from schools is per child in the city)
    use the city's population. The estimate's year is returned, so a result
    can say when it is not the period's own.
    """
    band = text(age_band)
    first, last = POPULATION_YEARS
    return f""", areas AS (
  SELECT 'ward' AS kind, area_code AS key, year, population
  FROM population WHERE area_type = 'ward' AND age_band = {band}
  UNION ALL
  SELECT 'deprivation_decile', d.imd_decile::VARCHAR, p.year, sum(p.population)
  FROM population p JOIN deprivation d ON d.lsoa_code = p.area_code
  WHERE p.area_type = 'lsoa' AND p.age_band = {band} AND NOT d.via_parent
  GROUP BY ALL
  UNION ALL
  SELECT 'all', 'all', year, population
  FROM population WHERE area_code = {text(city_code)} AND age_band = {band}
), nearest AS (
  SELECT kind, key, y.year AS period_year,
    arg_min(population, abs(a.year - y.year) * 2 + (a.year > y.year)::INTEGER) AS population,
    arg_min(a.year, abs(a.year - y.year) * 2 + (a.year > y.year)::INTEGER) AS population_year
  FROM areas a, range({first}, {last}) y(year)
  GROUP BY ALL
)
SELECT c.* REPLACE (n.population::DOUBLE AS denominator), n.population_year
FROM counted c LEFT JOIN nearest n
  ON n.kind = CASE WHEN c.breakdown IN ('ward', 'deprivation_decile')
    THEN c.breakdown ELSE 'all' END
  AND n.key = CASE WHEN c.breakdown IN ('ward', 'deprivation_decile')
    THEN c.category ELSE 'all' END
  AND n.period_year = left(c.period, 4)::INTEGER"""


def compile_monthly(indicator: Indicator, city_code: str) -> str:
    """The city's figure for each calendar month (`2021-04`), for SPC charts.

    Only for indicators marked `monthly: true`; the same counting as
    `compile_indicator`, without breakdowns.
    """
    date = quote(indicator.date)
    query = f"""WITH counted AS (
  SELECT 'month' AS period_type, strftime({date}, '%Y-%m') AS period, 'all' AS breakdown,
    'all' AS category, NULL AS share_category,
    {", ".join(_aggregates(indicator))}
  FROM {indicator.source}
  WHERE {date} IS NOT NULL AND {_filter(indicator.where)}
  GROUP BY ALL
)"""
    if indicator.measure.type == "rate" and indicator.measure.denominator:
        query += _population_join(indicator.measure.denominator.column, city_code)
    else:
        query += "\nSELECT *, NULL::INTEGER AS population_year FROM counted"
    return query + "\nORDER BY period"
