WITH keyed AS (
  SELECT
    *,
    CAST((
      CASE
        WHEN EXTRACT(MONTH FROM `contact_date`) >= 4
        THEN EXTRACT(YEAR FROM `contact_date`)
        ELSE EXTRACT(YEAR FROM `contact_date`) - 1
      END
    ) AS STRING) || CASE
      WHEN EXTRACT(MONTH FROM `contact_date`) BETWEEN 4 AND 9
      THEN ' H1'
      ELSE ' H2'
    END AS __half_year,
    CAST((
      CASE
        WHEN EXTRACT(MONTH FROM `contact_date`) >= 4
        THEN EXTRACT(YEAR FROM `contact_date`)
        ELSE EXTRACT(YEAR FROM `contact_date`) - 1
      END
    ) AS STRING) || '/' || LPAD(
      CAST((
        (
          CASE
            WHEN EXTRACT(MONTH FROM `contact_date`) >= 4
            THEN EXTRACT(YEAR FROM `contact_date`)
            ELSE EXTRACT(YEAR FROM `contact_date`) - 1
          END
        ) + 1
      ) % 100 AS STRING),
      2,
      '0'
    ) AS __financial_year,
    COALESCE(CAST(`analysis_ward_code` AS STRING), 'unknown') AS `__by_ward`,
    COALESCE(CAST(`analysis_ward_2023_code` AS STRING), 'unknown') AS `__by_ward_2023`,
    COALESCE(CAST(`service` AS STRING), 'unknown') AS `__by_service`
  FROM `hub_contacts`
  WHERE
    NOT `contact_date` IS NULL AND TRUE
), counted AS (
  SELECT
    CASE WHEN GROUPING(__half_year) = 0 THEN 'half_year' ELSE 'financial_year' END AS period_type,
    COALESCE(__half_year, __financial_year) AS period,
    CASE
      WHEN GROUPING(`__by_ward`) = 0
      THEN 'ward'
      WHEN GROUPING(`__by_ward_2023`) = 0
      THEN 'ward_2023'
      WHEN GROUPING(`__by_service`) = 0
      THEN 'service'
      ELSE 'all'
    END AS breakdown,
    COALESCE(`__by_ward`, `__by_ward_2023`, `__by_service`, 'all') AS category,
    NULL AS share_category,
    COALESCE(SUM(`children`), 0) AS numerator,
    CAST(NULL AS DOUBLE) AS denominator,
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
      (__half_year, `__by_service`),
      (
        __financial_year
      ),
      (__financial_year, `__by_ward`),
      (__financial_year, `__by_ward_2023`),
      (__financial_year, `__by_service`)
    )
)
SELECT
  c.period_type,
  c.period,
  c.breakdown,
  c.category,
  c.share_category,
  c.numerator,
  CAST(n.population AS DOUBLE) AS denominator,
  c.statistic,
  c.spread,
  n.population_year
FROM counted AS c
LEFT JOIN population_nearest AS n
  ON n.age_band = '0-17'
  AND n.kind = CASE
    WHEN c.breakdown IN ('ward', 'ward_2023', 'deprivation_decile')
    THEN c.breakdown
    ELSE 'all'
  END
  AND n.key = CASE
    WHEN c.breakdown IN ('ward', 'ward_2023', 'deprivation_decile')
    THEN c.category
    ELSE 'all'
  END
  AND n.period_year = CAST(SUBSTRING(c.period, 1, 4) AS INT)
ORDER BY
  period_type NULLS LAST,
  period NULLS LAST,
  breakdown NULLS LAST,
  category NULLS LAST
