WITH keyed AS (
  SELECT
    *,
    CAST((
      CASE
        WHEN EXTRACT(MONTH FROM `recorded_date`) >= 4
        THEN EXTRACT(YEAR FROM `recorded_date`)
        ELSE EXTRACT(YEAR FROM `recorded_date`) - 1
      END
    ) AS STRING) || CASE
      WHEN EXTRACT(MONTH FROM `recorded_date`) BETWEEN 4 AND 9
      THEN ' H1'
      ELSE ' H2'
    END AS __half_year,
    CAST((
      CASE
        WHEN EXTRACT(MONTH FROM `recorded_date`) >= 4
        THEN EXTRACT(YEAR FROM `recorded_date`)
        ELSE EXTRACT(YEAR FROM `recorded_date`) - 1
      END
    ) AS STRING) || '/' || LPAD(
      CAST((
        (
          CASE
            WHEN EXTRACT(MONTH FROM `recorded_date`) >= 4
            THEN EXTRACT(YEAR FROM `recorded_date`)
            ELSE EXTRACT(YEAR FROM `recorded_date`) - 1
          END
        ) + 1
      ) % 100 AS STRING),
      2,
      '0'
    ) AS __financial_year,
    COALESCE(CAST(`analysis_ward_code` AS STRING), 'unknown') AS `__by_ward`,
    COALESCE(CAST(`analysis_ward_2023_code` AS STRING), 'unknown') AS `__by_ward_2023`,
    COALESCE(CAST(`imd_decile` AS STRING), 'unknown') AS `__by_deprivation_decile`,
    COALESCE(CAST(`domain` AS STRING), 'unknown') AS `__by_domain`
  FROM `outcomes`
  WHERE
    NOT `recorded_date` IS NULL AND TRUE
), counted AS (
  SELECT
    CASE WHEN GROUPING(__half_year) = 0 THEN 'half_year' ELSE 'financial_year' END AS period_type,
    COALESCE(__half_year, __financial_year) AS period,
    CASE
      WHEN GROUPING(`__by_ward`) = 0
      THEN 'ward'
      WHEN GROUPING(`__by_ward_2023`) = 0
      THEN 'ward_2023'
      WHEN GROUPING(`__by_deprivation_decile`) = 0
      THEN 'deprivation_decile'
      WHEN GROUPING(`__by_domain`) = 0
      THEN 'domain'
      ELSE 'all'
    END AS breakdown,
    COALESCE(`__by_ward`, `__by_ward_2023`, `__by_deprivation_decile`, `__by_domain`, 'all') AS category,
    NULL AS share_category,
    COUNT(*) FILTER(WHERE
      score_end > score_start) AS numerator,
    COUNT(*) FILTER(WHERE
      NOT score_end IS NULL) AS denominator,
    CAST(NULL AS DOUBLE) AS statistic,
    CAST(NULL AS DOUBLE) AS spread
  FROM keyed
  GROUP BY
    GROUPING SETS (
      (
        __half_year
      ),
      (__half_year, `__by_ward`),
      (__half_year, `__by_ward_2023`),
      (__half_year, `__by_deprivation_decile`),
      (__half_year, `__by_domain`),
      (
        __financial_year
      ),
      (__financial_year, `__by_ward`),
      (__financial_year, `__by_ward_2023`),
      (__financial_year, `__by_deprivation_decile`),
      (__financial_year, `__by_domain`)
    )
)
SELECT
  *,
  CAST(NULL AS INT) AS population_year
FROM counted
ORDER BY
  period_type NULLS LAST,
  period NULLS LAST,
  breakdown NULLS LAST,
  category NULLS LAST
