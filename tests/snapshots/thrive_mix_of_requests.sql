WITH keyed AS (
  SELECT *, review_period("received_date") AS __half_year, financial_year("received_date") AS __financial_year, coalesce("analysis_ward_code"::VARCHAR, 'unknown') AS "__by_ward", coalesce("thrive_level"::VARCHAR, 'unknown') AS __category
  FROM requests
  WHERE "received_date" IS NOT NULL AND (thrive_level IS NOT NULL)
), counted AS (
  SELECT
    CASE WHEN GROUPING(__half_year) = 0 THEN 'half_year' ELSE 'financial_year' END
      AS period_type,
    coalesce(__half_year, __financial_year) AS period,
    CASE WHEN GROUPING("__by_ward") = 0 THEN 'ward' ELSE 'all' END AS breakdown,
    coalesce("__by_ward", 'all') AS category, __category AS share_category,
    count(*) AS numerator, NULL::DOUBLE AS denominator, NULL::DOUBLE AS statistic, NULL::DOUBLE AS spread
  FROM keyed
  GROUP BY GROUPING SETS ((__half_year, __category), (__half_year, "__by_ward", __category), (__financial_year, __category), (__financial_year, "__by_ward", __category))
)
SELECT * REPLACE (sum(numerator) OVER (
  PARTITION BY period_type, period, breakdown, category) AS denominator),
  NULL::INTEGER AS population_year
FROM counted
ORDER BY period_type, period, breakdown, category
