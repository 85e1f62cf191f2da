// Incubation carriers of given kinds founded in a region from $from to $year (新增 孵化器 / 众创空间 ..., a flow).
// Columns: actual, area (floor area of the new carriers).
// params: {"prefix": "2111", "year": 2025, "from": 2025, "kinds": ["maker_space"]}
MATCH (i:Incubator)
WHERE i.region STARTS WITH $prefix
  AND i.incubator_kind IN $kinds
  AND i.founded_year >= $from AND i.founded_year <= $year
RETURN count(i) AS actual, coalesce(sum(i.area_m2), 0) AS area
