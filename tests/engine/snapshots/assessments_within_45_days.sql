WITH keyed AS (
  SELECT *, CAST((CASE WHEN EXTRACT(MONTH FROM "started_date") >= 4 THEN EXTRACT(YEAR FROM "started_date") ELSE EXTRACT(YEAR FROM "started_date") - 1 END) AS VARCHAR) || CASE WHEN EXTRACT(MONTH FROM "started_date") BETWEEN 4 AND 9 THEN ' H1' ELSE ' H2' END AS __half_year, CAST((CASE WHEN EXTRACT(MONTH FROM "started_date") >= 4 THEN EXTRACT(YEAR FROM "started_date") ELSE EXTRACT(YEAR FROM "started_date") - 1 END) AS VARCHAR) || '/' || LPAD(CAST(MOD((CASE WHEN EXTRACT(MONTH FROM "started_date") >= 4 THEN EXTRACT(YEAR FROM "started_date") ELSE EXTRACT(YEAR FROM "started_date") - 1 END) + 1, 100) AS VARCHAR), 2, '0') AS __financial_year, coalesce(CAST("analysis_ward_code" AS VARCHAR), 'unknown') AS "__by_ward", coalesce(CAST("analysis_ward_2023_code" AS VARCHAR), 'unknown') AS "__by_ward_2023", coalesce(CAST("imd_decile" AS VARCHAR), 'unknown') AS "__by_deprivation_decile"
  FROM "assessments"
  WHERE "started_date" IS NOT NULL AND TRUE
), counted AS (
  SELECT
    CASE WHEN GROUPING(__half_year) = 0 THEN 'half_year' ELSE 'financial_year' END
      AS period_type,
    coalesce(__half_year, __financial_year) AS period,
    CASE WHEN GROUPING("__by_ward") = 0 THEN 'ward' WHEN GROUPING("__by_ward_2023") = 0 THEN 'ward_2023' WHEN GROUPING("__by_deprivation_decile") = 0 THEN 'deprivation_decile' ELSE 'all' END AS breakdown,
    coalesce("__by_ward", "__by_ward_2023", "__by_deprivation_decile", 'all') AS category, NULL AS share_category,
    count("assessment_id") FILTER (WHERE date_diff('day', started_date, completed_date) <= 45) AS numerator, count("assessment_id") FILTER (WHERE completed_date IS NOT NULL) AS denominator, NULL::DOUBLE AS statistic, NULL::DOUBLE AS spread
  FROM keyed
  GROUP BY GROUPING SETS ((__half_year), (__half_year, "__by_ward"), (__half_year, "__by_ward_2023"), (__half_year, "__by_deprivation_decile"), (__financial_year), (__financial_year, "__by_ward"), (__financial_year, "__by_ward_2023"), (__financial_year, "__by_deprivation_decile"))
)
SELECT *, CAST(NULL AS INTEGER) AS population_year FROM counted
ORDER BY period_type, period, breakdown, category
