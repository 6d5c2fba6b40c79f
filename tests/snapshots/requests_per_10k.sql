WITH keyed AS (
  SELECT *, review_period("received_date") AS __half_year, financial_year("received_date") AS __financial_year, coalesce("analysis_ward_code"::VARCHAR, 'unknown') AS "__by_ward", coalesce("imd_decile"::VARCHAR, 'unknown') AS "__by_deprivation_decile", coalesce("source"::VARCHAR, 'unknown') AS "__by_source", coalesce("thrive_level"::VARCHAR, 'unknown') AS "__by_thrive_level"
  FROM requests
  WHERE "received_date" IS NOT NULL AND TRUE
), counted AS (
  SELECT
    CASE WHEN GROUPING(__half_year) = 0 THEN 'half_year' ELSE 'financial_year' END
      AS period_type,
    coalesce(__half_year, __financial_year) AS period,
    CASE WHEN GROUPING("__by_ward") = 0 THEN 'ward' WHEN GROUPING("__by_deprivation_decile") = 0 THEN 'deprivation_decile' WHEN GROUPING("__by_source") = 0 THEN 'source' WHEN GROUPING("__by_thrive_level") = 0 THEN 'thrive_level' ELSE 'all' END AS breakdown,
    coalesce("__by_ward", "__by_deprivation_decile", "__by_source", "__by_thrive_level", 'all') AS category, NULL AS share_category,
    count("request_id") AS numerator, NULL::DOUBLE AS denominator, NULL::DOUBLE AS statistic, NULL::DOUBLE AS spread
  FROM keyed
  GROUP BY GROUPING SETS ((__half_year), (__half_year, "__by_ward"), (__half_year, "__by_deprivation_decile"), (__half_year, "__by_source"), (__half_year, "__by_thrive_level"), (__financial_year), (__financial_year, "__by_ward"), (__financial_year, "__by_deprivation_decile"), (__financial_year, "__by_source"), (__financial_year, "__by_thrive_level"))
), areas AS (
  SELECT 'ward' AS kind, area_code AS key, year, population
  FROM population WHERE area_type = 'ward' AND age_band = '0-17'
  UNION ALL
  SELECT 'deprivation_decile', d.imd_decile::VARCHAR, p.year, sum(p.population)
  FROM population p JOIN deprivation d ON d.lsoa_code = p.area_code
  WHERE p.area_type = 'lsoa' AND p.age_band = '0-17' AND NOT d.via_parent
  GROUP BY ALL
  UNION ALL
  SELECT 'all', 'all', year, population
  FROM population WHERE area_code = 'E06000021' AND age_band = '0-17'
), nearest AS (
  SELECT kind, key, y.year AS period_year,
    arg_min(population, abs(a.year - y.year) * 2 + (a.year > y.year)::INTEGER) AS population,
    arg_min(a.year, abs(a.year - y.year) * 2 + (a.year > y.year)::INTEGER) AS population_year
  FROM areas a, range(2010, 2031) y(year)
  GROUP BY ALL
)
SELECT c.* REPLACE (n.population::DOUBLE AS denominator), n.population_year
FROM counted c LEFT JOIN nearest n
  ON n.kind = CASE WHEN c.breakdown IN ('ward', 'deprivation_decile')
    THEN c.breakdown ELSE 'all' END
  AND n.key = CASE WHEN c.breakdown IN ('ward', 'deprivation_decile')
    THEN c.category ELSE 'all' END
  AND n.period_year = left(c.period, 4)::INTEGER
ORDER BY period_type, period, breakdown, category
