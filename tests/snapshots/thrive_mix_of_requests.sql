WITH keyed AS (
  SELECT *, review_period("received_date") AS half_year, financial_year("received_date") AS financial_year, coalesce("analysis_ward_code"::VARCHAR, 'unknown') AS "__by_ward", coalesce("thrive_level"::VARCHAR, 'unknown') AS __category
  FROM requests
  WHERE "received_date" IS NOT NULL AND (thrive_level IS NOT NULL)
), counted AS (
  SELECT
    CASE WHEN GROUPING(half_year) = 0 THEN 'half_year' ELSE 'financial_year' END AS period_type,
    coalesce(half_year, financial_year) AS period,
    CASE WHEN GROUPING("__by_ward") = 0 THEN 'ward' ELSE 'all' END AS breakdown,
    coalesce("__by_ward", 'all') AS category, __category AS share_category,
    count(*) AS numerator, NULL::DOUBLE AS denominator, NULL::DOUBLE AS statistic, NULL::DOUBLE AS spread
  FROM keyed
  GROUP BY GROUPING SETS ((half_year, __category), (half_year, "__by_ward", __category), (financial_year, __category), (financial_year, "__by_ward", __category))
)
SELECT * REPLACE (sum(numerator) OVER (
  PARTITION BY period_type, period, breakdown, category) AS denominator),
  NULL::INTEGER AS population_year
FROM counted
ORDER BY period_type, period, breakdown, category
