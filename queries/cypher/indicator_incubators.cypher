// Incubation carriers (孵化器, 众创空间 ...) of given kinds in a region, existing in a year: count and floor area (a stock).
// Columns: actual, area.
// params: {"prefix": "2111", "year": 2025, "kinds": ["incubator", "maker_space"]}
MATCH (i:Incubator)
WHERE i.region STARTS WITH $prefix
  AND i.incubator_kind IN $kinds
  AND (i.founded_year IS NULL OR i.founded_year <= $year)
RETURN count(i) AS actual, coalesce(sum(i.area_m2), 0) AS area
