WITH keyed AS (
  SELECT
    *,
    CAST((
      CASE
        WHEN EXTRACT(MONTH FROM "received_date") >= 4
        THEN EXTRACT(YEAR FROM "received_date")
        ELSE EXTRACT(YEAR FROM "received_date") - 1
      END
    ) AS TEXT) || CASE
      WHEN EXTRACT(MONTH FROM "received_date") BETWEEN 4 AND 9
      THEN ' H1'
      ELSE ' H2'
    END AS __half_year,
    CAST((
      CASE
        WHEN EXTRACT(MONTH FROM "received_date") >= 4
        THEN EXTRACT(YEAR FROM "received_date")
        ELSE EXTRACT(YEAR FROM "received_date") - 1
      END
    ) AS TEXT) || '/' || LPAD(
      CAST((
        (
          CASE
            WHEN EXTRACT(MONTH FROM "received_date") >= 4
            THEN EXTRACT(YEAR FROM "received_date")
            ELSE EXTRACT(YEAR FROM "received_date") - 1
          END
        ) + 1
      ) % 100 AS TEXT),
      2,
      '0'
    ) AS __financial_year,
    COALESCE(CAST("analysis_ward_code" AS TEXT), 'unknown') AS "__by_ward",
    COALESCE(CAST("analysis_ward_2023_code" AS TEXT), 'unknown') AS "__by_ward_2023",
    COALESCE(CAST("imd_decile" AS TEXT), 'unknown') AS "__by_deprivation_decile"
  FROM "requests"
  WHERE
    NOT "received_date" IS NULL AND TRUE
), counted AS (
  SELECT
    CASE WHEN GROUPING(__half_year) = 0 THEN 'half_year' ELSE 'financial_year' END AS period_type,
    COALESCE(__half_year, __financial_year) AS period,
    CASE
      WHEN GROUPING("__by_ward") = 0
      THEN 'ward'
      WHEN GROUPING("__by_ward_2023") = 0
      THEN 'ward_2023'
      WHEN GROUPING("__by_deprivation_decile") = 0
      THEN 'deprivation_decile'
      ELSE 'all'
    END AS breakdown,
    COALESCE("__by_ward", "__by_ward_2023", "__by_deprivation_decile", 'all') AS category,
    NULL AS share_category,
    COUNT("request_id") FILTER(WHERE
      source IN ('self_or_family', 'voluntary_community_faith')) AS numerator,
    COUNT("request_id") AS denominator,
    CAST(NULL AS DOUBLE PRECISION) AS statistic,
    CAST(NULL AS DOUBLE PRECISION) AS spread
  FROM keyed
  GROUP BY
    GROUPING SETS (
      (
        __half_year
      ),
      (__half_year, "__by_ward"),
      (__half_year, "__by_ward_2023"),
      (__half_year, "__by_deprivation_decile"),
      (
        __financial_year
      ),
      (__financial_year, "__by_ward"),
      (__financial_year, "__by_ward_2023"),
      (__financial_year, "__by_deprivation_decile")
    )
)
SELECT
  *,
  CAST(NULL AS INT) AS population_year
FROM counted
ORDER BY
  period_type,
  period,
  breakdown,
  category
