WITH keyed AS (
  SELECT *, CAST((CASE WHEN EXTRACT(MONTH FROM "received_date") >= 4 THEN EXTRACT(YEAR FROM "received_date") ELSE EXTRACT(YEAR FROM "received_date") - 1 END) AS VARCHAR) || CASE WHEN EXTRACT(MONTH FROM "received_date") BETWEEN 4 AND 9 THEN ' H1' ELSE ' H2' END AS __half_year, CAST((CASE WHEN EXTRACT(MONTH FROM "received_date") >= 4 THEN EXTRACT(YEAR FROM "received_date") ELSE EXTRACT(YEAR FROM "received_date") - 1 END) AS VARCHAR) || '/' || LPAD(CAST(MOD((CASE WHEN EXTRACT(MONTH FROM "received_date") >= 4 THEN EXTRACT(YEAR FROM "received_date") ELSE EXTRACT(YEAR FROM "received_date") - 1 END) + 1, 100) AS VARCHAR), 2, '0') AS __financial_year, coalesce(CAST("analysis_ward_code" AS VARCHAR), 'unknown') AS "__by_ward", coalesce(CAST("analysis_ward_2023_code" AS VARCHAR), 'unknown') AS "__by_ward_2023", coalesce(CAST("imd_decile" AS VARCHAR), 'unknown') AS "__by_deprivation_decile", coalesce(CAST("source" AS VARCHAR), 'unknown') AS "__by_source", coalesce(CAST("thrive_level" AS VARCHAR), 'unknown') AS "__by_thrive_level"
  FROM "requests"
  WHERE "received_date" IS NOT NULL AND TRUE
), counted AS (
  SELECT
    CASE WHEN GROUPING(__half_year) = 0 THEN 'half_year' ELSE 'financial_year' END
      AS period_type,
    coalesce(__half_year, __financial_year) AS period,
    CASE WHEN GROUPING("__by_ward") = 0 THEN 'ward' WHEN GROUPING("__by_ward_2023") = 0 THEN 'ward_2023' WHEN GROUPING("__by_deprivation_decile") = 0 THEN 'deprivation_decile' WHEN GROUPING("__by_source") = 0 THEN 'source' WHEN GROUPING("__by_thrive_level") = 0 THEN 'thrive_level' ELSE 'all' END AS breakdown,
    coalesce("__by_ward", "__by_ward_2023", "__by_deprivation_decile", "__by_source", "__by_thrive_level", 'all') AS category, NULL AS share_category,
    count("request_id") AS numerator, NULL::DOUBLE AS denominator, NULL::DOUBLE AS statistic, NULL::DOUBLE AS spread
  FROM keyed
  GROUP BY GROUPING SETS ((__half_year), (__half_year, "__by_ward"), (__half_year, "__by_ward_2023"), (__half_year, "__by_deprivation_decile"), (__half_year, "__by_source"), (__half_year, "__by_thrive_level"), (__financial_year), (__financial_year, "__by_ward"), (__financial_year, "__by_ward_2023"), (__financial_year, "__by_deprivation_decile"), (__financial_year, "__by_source"), (__financial_year, "__by_thrive_level"))
)
SELECT c.period_type, c.period, c.breakdown, c.category, c.share_category, c.numerator,
  CAST(n.population AS DOUBLE) AS denominator, c.statistic, c.spread, n.population_year
FROM counted c LEFT JOIN population_nearest n
  ON n.age_band = '0-17'
  AND n.kind = CASE WHEN c.breakdown IN ('ward', 'ward_2023', 'deprivation_decile') THEN c.breakdown ELSE 'all' END
  AND n.key = CASE WHEN c.breakdown IN ('ward', 'ward_2023', 'deprivation_decile') THEN c.category ELSE 'all' END
  AND n.period_year = CAST(SUBSTRING(c.period, 1, 4) AS INTEGER)
ORDER BY period_type, period, breakdown, category
