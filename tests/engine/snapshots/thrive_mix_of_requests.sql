WITH keyed AS (
  SELECT *, CAST((CASE WHEN EXTRACT(MONTH FROM "received_date") >= 4 THEN EXTRACT(YEAR FROM "received_date") ELSE EXTRACT(YEAR FROM "received_date") - 1 END) AS VARCHAR) || CASE WHEN EXTRACT(MONTH FROM "received_date") BETWEEN 4 AND 9 THEN ' H1' ELSE ' H2' END AS __half_year, CAST((CASE WHEN EXTRACT(MONTH FROM "received_date") >= 4 THEN EXTRACT(YEAR FROM "received_date") ELSE EXTRACT(YEAR FROM "received_date") - 1 END) AS VARCHAR) || '/' || LPAD(CAST(MOD((CASE WHEN EXTRACT(MONTH FROM "received_date") >= 4 THEN EXTRACT(YEAR FROM "received_date") ELSE EXTRACT(YEAR FROM "received_date") - 1 END) + 1, 100) AS VARCHAR), 2, '0') AS __financial_year, coalesce(CAST("analysis_ward_code" AS VARCHAR), 'unknown') AS "__by_ward", coalesce(CAST("analysis_ward_2023_code" AS VARCHAR), 'unknown') AS "__by_ward_2023", coalesce(CAST("thrive_level" AS VARCHAR), 'unknown') AS __category
  FROM "requests"
  WHERE "received_date" IS NOT NULL AND (thrive_level IS NOT NULL)
), counted AS (
  SELECT
    CASE WHEN GROUPING(__half_year) = 0 THEN 'half_year' ELSE 'financial_year' END
      AS period_type,
    coalesce(__half_year, __financial_year) AS period,
    CASE WHEN GROUPING("__by_ward") = 0 THEN 'ward' WHEN GROUPING("__by_ward_2023") = 0 THEN 'ward_2023' ELSE 'all' END AS breakdown,
    coalesce("__by_ward", "__by_ward_2023", 'all') AS category, __category AS share_category,
    count(*) AS numerator, NULL::DOUBLE AS denominator, NULL::DOUBLE AS statistic, NULL::DOUBLE AS spread
  FROM keyed
  GROUP BY GROUPING SETS ((__half_year, __category), (__half_year, "__by_ward", __category), (__half_year, "__by_ward_2023", __category), (__financial_year, __category), (__financial_year, "__by_ward", __category), (__financial_year, "__by_ward_2023", __category))
)
SELECT period_type, period, breakdown, category, share_category, numerator,
  sum(numerator) OVER (PARTITION BY period_type, period, breakdown, category) AS denominator,
  statistic, spread, CAST(NULL AS INTEGER) AS population_year
FROM counted
ORDER BY period_type, period, breakdown, category
