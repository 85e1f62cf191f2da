// Incubation carriers (孵化器, 众创空间 ...) of given kinds in a region existing in a year: count and floor area (a stock);
// with $from > 0 the carriers founded from $from to $year (新建 / 新增, a flow).
// Columns: actual, area.
// params: {"prefix": "2111", "year": 2025, "from": 0, "kinds": ["incubator", "maker_space"]}
MATCH (i:Incubator)
WHERE i.region STARTS WITH $prefix
  AND i.incubator_kind IN $kinds
  AND ((i.founded_year IS NULL AND $from = 0) OR (i.founded_year >= $from AND i.founded_year <= $year))
RETURN count(i) AS actual, coalesce(sum(i.area_m2), 0) AS area
