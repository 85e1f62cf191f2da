// Incubation carriers (孵化器, 众创空间, 星创天地 ...) of given kinds and levels in a region existing in a year (a stock);
// with $from > 0 the ones founded from $from to $year (a flow).
// Region: $prefix is the region code without its trailing zero pairs (2111 = 盘锦市).
// Columns: actual, area.
// params: {"prefix": "2111", "year": 2025, "from": 0, "kinds": ["incubator"], "levels": ["national", "provincial"]}
MATCH (i:Incubator)
WHERE i.region STARTS WITH $prefix
  AND i.incubator_kind IN $kinds
  AND i.level IN $levels
  AND ((i.founded_year IS NULL AND $from = 0) OR (i.founded_year >= $from AND i.founded_year <= $year))
RETURN count(i) AS actual, coalesce(sum(i.area_m2), 0) AS area
